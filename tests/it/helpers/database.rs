//! A database per test, cloned from a migrated template that is built once per set of
//! migrations: a test pays for `create database`, never for the migrations.

use sha2::{Digest, Sha256};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection};
use tokio::sync::OnceCell;

fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn url_for(database: &str) -> String {
    let server = server_url();
    let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server);
    format!("{base}/{database}")
}

/// The same database as the app's own role (least privilege), not the superuser.
pub fn app_url_for(database: &str) -> String {
    let url = url_for(database);
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{}@{host}", swapdesk::db::APP_ROLE)
}

/// A new, migrated, empty database; returns its URL.
pub async fn fresh_database() -> String {
    let template = template().await;
    let name = format!("swapdesk_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&server_url()).await.unwrap();
    sqlx::query(&format!(
        "create database \"{name}\" template \"{template}\""
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    stamp(&mut admin, &name).await;
    admin.close().await.unwrap();
    url_for(&name)
}

/// A new database with nothing in it, not even the migrations; returns its URL. The app's
/// role exists, as for every test database.
pub async fn empty_database() -> String {
    template().await;
    let name = format!("swapdesk_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&server_url()).await.unwrap();
    sqlx::query(&format!("create database \"{name}\""))
        .execute(&mut admin)
        .await
        .unwrap();
    stamp(&mut admin, &name).await;
    admin.close().await.unwrap();
    url_for(&name)
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// A migrated template database, made once per run (and per set of migrations).
async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let name = template_name();
            let mut admin = PgConnection::connect(&server_url())
                .await
                .expect("tests need PostgreSQL: set TEST_DATABASE_URL or run it on 127.0.0.1:5432");
            // Several test processes may start at once; one of them builds the template.
            sqlx::query("select pg_advisory_lock(7210001)")
                .execute(&mut admin)
                .await
                .unwrap();
            ensure_app_role(&mut admin).await;
            drop_stale_databases(&mut admin, &name).await;
            let exists: bool =
                sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                    .bind(&name)
                    .fetch_one(&mut admin)
                    .await
                    .unwrap();
            if !exists {
                build_template(&mut admin, &name).await;
            }
            sqlx::query("select pg_advisory_unlock(7210001)")
                .execute(&mut admin)
                .await
                .unwrap();
            admin.close().await.unwrap();
            name
        })
        .await
}

/// Named after the migrations' checksums, so a checkout with other migrations builds and
/// keeps its own template.
fn template_name() -> String {
    let mut hasher = Sha256::new();
    for m in swapdesk::db::MIGRATOR.iter() {
        hasher.update(&m.checksum);
    }
    let digest = hasher.finalize();
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("swapdesk_tpl_{hex}")
}

/// Roles belong to the whole server: made once, whoever comes first.
async fn ensure_app_role(admin: &mut PgConnection) {
    sqlx::query(
        "do $$ begin
             if not exists (select 1 from pg_roles where rolname = 'swapdesk_app') then
                 create role swapdesk_app login;
             end if;
             alter role swapdesk_app login;
         end $$",
    )
    .execute(admin)
    .await
    .unwrap();
}

/// Clears leftovers of earlier runs once they are old: another run (say, in a second
/// checkout with other migrations) may be using its own right now.
async fn drop_stale_databases(admin: &mut PgConnection, template: &str) {
    let stale: Vec<String> = sqlx::query_scalar(
        "select datname from pg_database,
                lateral (select coalesce(substring(shobj_description(oid, 'pg_database')
                                         from '^made ([0-9]+)$')::bigint, 0) as made) m
         where (datname like 'swapdesk_test_%' and m.made < extract(epoch from now()) - 600)
            or (datname like 'swapdesk_tpl_%' and datname <> $1
                and m.made < extract(epoch from now()) - 3600)",
    )
    .bind(template)
    .fetch_all(&mut *admin)
    .await
    .unwrap();
    for db in stale {
        // Leftovers of earlier runs; a database in use by a concurrent run survives.
        let _ = sqlx::query(&format!("drop database if exists \"{db}\""))
            .execute(&mut *admin)
            .await;
    }
}

/// Migrates under a working name and renames it when done, so no test ever clones a
/// half-migrated template.
async fn build_template(admin: &mut PgConnection, name: &str) {
    let building = format!("{name}_building");
    sqlx::query(&format!("drop database if exists \"{building}\""))
        .execute(&mut *admin)
        .await
        .unwrap();
    sqlx::query(&format!("create database \"{building}\""))
        .execute(&mut *admin)
        .await
        .unwrap();
    let owner = PgPoolOptions::new()
        .max_connections(1)
        .connect(&url_for(&building))
        .await
        .unwrap();
    swapdesk::db::migrate(&owner).await.unwrap();
    owner.close().await;
    sqlx::query(&format!(
        "alter database \"{building}\" rename to \"{name}\""
    ))
    .execute(&mut *admin)
    .await
    .unwrap();
    stamp(admin, name).await;
}

/// Notes when a test database was made, so a later run clears it only once it is old.
async fn stamp(admin: &mut PgConnection, database: &str) {
    let now: i64 = sqlx::query_scalar("select extract(epoch from now())::bigint")
        .fetch_one(&mut *admin)
        .await
        .unwrap();
    sqlx::query(&format!(
        "comment on database \"{database}\" is 'made {now}'"
    ))
    .execute(&mut *admin)
    .await
    .unwrap();
}
