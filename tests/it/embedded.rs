//! The embedded PostgreSQL launcher (SPEC §9.2).

use std::os::unix::fs::PermissionsExt;

use sqlx::Connection;
use swapdesk::embedded::{self, EmbeddedPostgres};

#[tokio::test]
async fn the_embedded_cluster_is_created_stopped_and_reused() {
    // Under /tmp, searchable by the unprivileged server user when we run as root.
    let dir = tempfile::Builder::new()
        .prefix("swapdesk-pg-test")
        .tempdir()
        .unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = dir.path().join("pg");

    let first = {
        let data = data.clone();
        tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&data))
            .await
            .unwrap()
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
        .unwrap()
        .unwrap();
    assert!(!data.join("postmaster.pid").exists(), "stopped cleanly");

    let second = {
        let data = data.clone();
        tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&data))
            .await
            .unwrap()
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
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_data_folder_under_a_private_folder_still_works_as_root() {
    // A private folder, as `mktemp -d` makes; nothing may be changed about it.
    let dir = tempfile::Builder::new()
        .prefix("swapdesk-private")
        .tempdir()
        .unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let asked = dir.path().join("pg");
    let pg = {
        let asked = asked.clone();
        tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&asked))
            .await
            .unwrap()
            .unwrap()
    };
    embedded::ensure_database(&pg).await.unwrap();
    let mut conn = sqlx::PgConnection::connect(&pg.url(embedded::DATABASE))
        .await
        .unwrap();
    let one: i32 = sqlx::query_scalar("select 1")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(one, 1);
    conn.close().await.unwrap();
    let mode = std::fs::metadata(dir.path()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "the private folder is left as it was");
    if nix::unistd::Uid::effective().is_root() {
        assert!(
            pg.data_dir().starts_with("/var/tmp")
                || pg.data_dir().starts_with(std::env::temp_dir())
        );
    } else {
        assert_eq!(pg.data_dir(), asked.as_path());
    }
    let data = pg.data_dir().to_path_buf();
    tokio::task::spawn_blocking(move || pg.stop())
        .await
        .unwrap()
        .unwrap();
    if data != asked {
        let _ = std::process::Command::new("rm")
            .arg("-rf")
            .arg(&data)
            .status();
    }
}
