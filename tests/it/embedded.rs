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
