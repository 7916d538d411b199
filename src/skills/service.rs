//! Category changes by admins, each one transaction with its audit record (as
//! `ledger::service`): a change and its record stand or fall together.

use serde_json::json;
use sqlx::PgConnection;

use crate::audit::Actor;
use crate::skills::db;
use crate::skills::model::CategoryId;

/// What a category change came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    Done(CategoryId),
    /// Another category of the space already has the name.
    NameTaken,
    /// No such category in this space.
    NotFound,
}

async fn record(
    conn: &mut PgConnection,
    actor: Actor,
    action: &str,
    id: CategoryId,
    detail: serde_json::Value,
) -> sqlx::Result<()> {
    actor
        .record(conn, action, &format!("category:{id}"), detail)
        .await
}

pub async fn create_category(
    conn: &mut PgConnection,
    actor: Actor,
    name: &str,
) -> sqlx::Result<Change> {
    let Some(id) = db::create_category(&mut *conn, actor.space, name).await? else {
        return Ok(Change::NameTaken);
    };
    record(conn, actor, "category.created", id, json!({ "name": name })).await?;
    Ok(Change::Done(id))
}

pub async fn rename_category(
    conn: &mut PgConnection,
    actor: Actor,
    id: CategoryId,
    name: &str,
) -> sqlx::Result<Change> {
    match db::rename_category(&mut *conn, actor.space, id, name).await? {
        Ok(true) => {}
        Ok(false) => return Ok(Change::NotFound),
        Err(()) => return Ok(Change::NameTaken),
    }
    record(conn, actor, "category.renamed", id, json!({ "name": name })).await?;
    Ok(Change::Done(id))
}

/// Retires a category (it keeps its skills and is no longer offered), or restores it.
pub async fn set_category_retired(
    conn: &mut PgConnection,
    actor: Actor,
    id: CategoryId,
    retired: bool,
) -> sqlx::Result<Change> {
    if !db::set_category_retired(&mut *conn, actor.space, id, retired).await? {
        return Ok(Change::NotFound);
    }
    let action = if retired {
        "category.retired"
    } else {
        "category.restored"
    };
    record(conn, actor, action, id, json!({})).await?;
    Ok(Change::Done(id))
}
