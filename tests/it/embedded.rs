//! The embedded PostgreSQL launcher (SPEC §9.2).

mod planted;

use std::collections::BTreeMap;
use std::ops::Deref;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::StatusCode;
use nix::unistd::{Uid, User};
use sqlx::Connection;
use swapdesk::embedded::{self, EmbeddedPostgres};
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{Browser, PASSWORD};

/// A folder under /tmp that the server user can enter, removed at the end of the test,
/// with the base for what cannot live where asked inside it.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("swapdesk-pg-test")
            .tempdir()
            .unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        Self(dir)
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn base(&self) -> PathBuf {
        self.path().join("base")
    }

    /// A data folder below a private folder, as under /root or a `mktemp -d`.
    fn private_data_dir(&self) -> PathBuf {
        let private = self.path().join("private");
        std::fs::create_dir(&private).unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
        private.join("pg")
    }
}

/// Stops the cluster when dropped, so a failed assertion leaves nothing running.
struct Running(Option<EmbeddedPostgres>);

impl Running {
    fn stop(mut self) {
        if let Some(pg) = self.0.take() {
            pg.stop().unwrap();
        }
    }
}

impl Deref for Running {
    type Target = EmbeddedPostgres;
    fn deref(&self) -> &EmbeddedPostgres {
        self.0.as_ref().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(pg) = self.0.take() {
            let _ = pg.stop();
        }
    }
}

fn start(data: &Path, base: &Path) -> anyhow::Result<Running> {
    EmbeddedPostgres::start_with(data, base).map(|pg| Running(Some(pg)))
}

fn postgres_user() -> User {
    User::from_name("postgres").unwrap().unwrap()
}

fn owner_and_mode(path: &Path) -> (u32, u32) {
    let meta = std::fs::symlink_metadata(path).unwrap();
    (meta.uid(), meta.mode() & 0o7777)
}

async fn select_one(pg: &EmbeddedPostgres) -> i32 {
    let mut conn = sqlx::PgConnection::connect(&pg.url("postgres"))
        .await
        .unwrap();
    let one = sqlx::query_scalar("select 1")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    one
}

#[tokio::test]
async fn the_embedded_cluster_is_created_stopped_and_reused() {
    let scratch = Scratch::new();
    let data = scratch.path().join("pg");

    let first = {
        let data = data.clone();
        tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&data))
            .await
            .unwrap()
            .map(|pg| Running(Some(pg)))
            .unwrap()
    };
    assert!(first.created);
    embedded::ensure_database(&first).await.unwrap();
    let url = first.url(embedded::DATABASE);
    assert!(url.contains("host=%2F"), "a Unix socket, not TCP: {url}");
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query("create table kept (note text)")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("insert into kept values ('still here')")
        .execute(&mut conn)
        .await
        .unwrap();
    let listen: String = sqlx::query_scalar("show listen_addresses")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(listen, "", "no TCP port");
    conn.close().await.unwrap();
    tokio::task::spawn_blocking(move || first.stop())
        .await
        .unwrap();
    assert!(!data.join("postmaster.pid").exists(), "stopped cleanly");

    let second = {
        let data = data.clone();
        tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&data))
            .await
            .unwrap()
            .map(|pg| Running(Some(pg)))
            .unwrap()
    };
    assert!(!second.created, "reused, not re-created");
    embedded::ensure_database(&second).await.unwrap();
    let mut conn = sqlx::PgConnection::connect(&second.url(embedded::DATABASE))
        .await
        .unwrap();
    let note: String = sqlx::query_scalar("select note from kept")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(note, "still here");
    conn.close().await.unwrap();
    tokio::task::spawn_blocking(move || second.stop())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_data_folder_under_a_private_folder_still_works_as_root() {
    let scratch = Scratch::new();
    let asked = scratch.private_data_dir();
    let base = scratch.base();

    let pg = start(&asked, &base).unwrap();
    assert_eq!(select_one(&pg).await, 1);
    let private = asked.parent().unwrap();
    assert_eq!(owner_and_mode(private).1, 0o700, "left as it was");
    if Uid::effective().is_root() {
        // Only root may add to the base; postgres may pass through it to its own folder.
        assert_eq!(pg.data_dir(), embedded::fallback_data_dir(&base, &asked));
        assert_eq!(owner_and_mode(&base), (0, 0o711));
        let postgres = postgres_user().uid.as_raw();
        assert_eq!(owner_and_mode(pg.data_dir()), (postgres, 0o700));
        assert!(!asked.exists(), "nothing made in the private folder");
    } else {
        assert_eq!(pg.data_dir(), asked.as_path());
    }
    pg.stop();

    let again = start(&asked, &base).unwrap();
    assert!(!again.created, "the moved cluster is found again");
    assert_eq!(select_one(&again).await, 1);
    again.stop();
}

/// A cluster made before the owner and app roles existed: everything belongs to the
/// superuser. Starting again hands it to the owner, the migrations run as the owner, and
/// the app's own role can use the app but not rewrite the ledger.
#[tokio::test]
async fn an_older_cluster_is_handed_to_its_owner_and_the_app_runs_with_least_privilege() {
    let scratch = Scratch::new();
    let data = scratch.path().join("pg");
    let pg = {
        let data = data.clone();
        tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&data))
            .await
            .unwrap()
            .map(|pg| Running(Some(pg)))
            .unwrap()
    };
    // As an older Swapdesk left it: the database and its tables are the superuser's.
    let mut admin = sqlx::PgConnection::connect(&pg.url("postgres"))
        .await
        .unwrap();
    sqlx::query("create database swapdesk")
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let mut old = sqlx::PgConnection::connect(&pg.url(embedded::DATABASE))
        .await
        .unwrap();
    swapdesk::db::MIGRATOR.run(&mut old).await.unwrap();
    // And as PostgreSQL 14 makes a database: `public` is the superuser's, and everyone may
    // create in it.
    for sql in [
        "do $$ begin execute format('alter schema public owner to %I', current_user); end $$",
        "grant create on schema public to public",
    ] {
        sqlx::query(sql).execute(&mut old).await.unwrap();
    }
    old.close().await.unwrap();

    embedded::ensure_database(&pg).await.unwrap();
    let owner = swapdesk::db::connect(&pg.url_as(embedded::OWNER, embedded::DATABASE), 2)
        .await
        .unwrap();
    swapdesk::db::migrate(&owner).await.unwrap();
    let foreign: i64 = sqlx::query_scalar(
        "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r'
           and pg_get_userbyid(c.relowner) <> 'swapdesk_owner'",
    )
    .fetch_one(&owner)
    .await
    .unwrap();
    assert_eq!(foreign, 0, "every table now belongs to the owner");
    let schema: String = sqlx::query_scalar(
        "select pg_get_userbyid(nspowner)::text from pg_namespace where nspname = 'public'",
    )
    .fetch_one(&owner)
    .await
    .unwrap();
    assert_eq!(schema, "swapdesk_owner", "and so does the schema");
    owner.close().await;

    let app = swapdesk::db::connect(&pg.url_as(embedded::APP, embedded::DATABASE), 2)
        .await
        .unwrap();
    swapdesk::demo::seed(&app).await.unwrap();
    let refused = sqlx::query("update ledger_transfers set amount = 1")
        .execute(&app)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("permission denied"),
        "{refused}"
    );
    let planted = sqlx::query("create table public.planted (x int)")
        .execute(&app)
        .await
        .unwrap_err();
    assert!(
        planted.to_string().contains("permission denied"),
        "{planted}"
    );
    app.close().await;
    tokio::task::spawn_blocking(move || pg.stop())
        .await
        .unwrap();
}

/// PostgreSQL restarts (as a crash would) twice while a member keeps using the app: every
/// pooled connection dies with it. Reads are retried on a fresh connection, a write without
/// an idempotency id gets a calm 503, and nothing is ever a 500.
#[tokio::test]
async fn a_database_restart_is_never_a_server_error() {
    let scratch = Scratch::new();
    let data = scratch.path().join("pg");
    let pg = {
        let data = data.clone();
        tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&data))
            .await
            .unwrap()
            .map(|pg| Arc::new(Running(Some(pg))))
            .unwrap()
    };
    seed_ana_in_harbour(&pg).await;
    let mut browser = ana_signed_in(&pg).await;
    // Fill the pool with connections that the restarts will kill.
    for _ in 0..8 {
        assert_eq!(browser.get("/s/harbour").await.status, StatusCode::OK);
    }

    let statuses = statuses_across_two_restarts(&mut browser, &pg).await;
    eprintln!("statuses across two restarts: {statuses:?}");
    assert!(
        statuses.keys().all(|s| [200, 303, 503].contains(s)),
        "{statuses:?}"
    );
    // Afterwards everything works again.
    assert_eq!(browser.get("/s/harbour").await.status, StatusCode::OK);
}

/// Migrates the cluster's database as its owner and adds Ana, an active member of the
/// open space "harbour" with the test password.
async fn seed_ana_in_harbour(pg: &EmbeddedPostgres) {
    embedded::ensure_database(pg).await.unwrap();
    let owner = swapdesk::db::connect(&pg.url_as(embedded::OWNER, embedded::DATABASE), 2)
        .await
        .unwrap();
    swapdesk::db::migrate(&owner).await.unwrap();
    let mut tx = owner.begin().await.unwrap();
    let (space, _) =
        swapdesk::spaces::db::ensure_space(&mut tx, "harbour", "Harbour", SignupMode::Open)
            .await
            .unwrap();
    let gate = swapdesk::web::gate::CpuGate::for_this_machine();
    let hash = swapdesk::auth::password::hash(&gate, PASSWORD)
        .await
        .unwrap();
    let ana =
        swapdesk::auth::db::create_person(&mut tx, "ana@example.org", "Ana", Some(&hash), true)
            .await
            .unwrap()
            .unwrap();
    swapdesk::spaces::db::add_membership(&mut tx, space, ana, Role::Member, Status::Active)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    owner.close().await;
}

/// Ana, signed in to an app whose pool of eight connects as the app's role.
async fn ana_signed_in(pg: &EmbeddedPostgres) -> Browser {
    let pool = swapdesk::db::connect(&pg.url_as(embedded::APP, embedded::DATABASE), 8)
        .await
        .unwrap();
    let state = swapdesk::web::state::AppState::new(pool, crate::helpers::settings());
    let mut browser = Browser::new(swapdesk::web::app(state));
    browser.sign_in("ana@example.org", PASSWORD).await;
    browser
}

/// Pages and forms, 240 requests in turn, with PostgreSQL restarted at the 40th and the
/// 140th; returns how many requests got each status, checking that every 503 carries a
/// Retry-After.
async fn statuses_across_two_restarts(
    browser: &mut Browser,
    pg: &Arc<Running>,
) -> BTreeMap<u16, u32> {
    let mut statuses = BTreeMap::<u16, u32>::new();
    let mut restarts = Vec::new();
    for i in 0..240 {
        if i == 40 || i == 140 {
            let pg = pg.clone();
            restarts.push(tokio::task::spawn_blocking(move || pg.restart_abruptly()));
        }
        let page = match i % 3 {
            0 => browser.get("/s/harbour").await,
            1 => browser.get("/s/harbour/credits").await,
            _ => {
                let here = if i % 2 == 0 { "yes" } else { "no" };
                browser
                    .post("/s/harbour/profile/here", &[("here", here)])
                    .await
            }
        };
        if page.status == StatusCode::SERVICE_UNAVAILABLE {
            // A calm refusal says when to come back.
            let after = page.headers.get("retry-after").map(|v| v.to_str().unwrap());
            assert!(
                after.is_some_and(|s| s.parse::<u32>().is_ok_and(|n| n >= 1)),
                "request {i}: a 503 with Retry-After {after:?}"
            );
        }
        *statuses.entry(page.status.as_u16()).or_default() += 1;
        if i == 60 || i == 160 {
            // Let the restart finish before going on, so the loop sees its aftermath.
            for r in restarts.drain(..) {
                r.await.unwrap().unwrap();
            }
        }
    }
    statuses
}
