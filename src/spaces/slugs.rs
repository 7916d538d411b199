//! A space's address (its slug) and its former ones. A slug once a space's stays that
//! space's, so every old link still leads to it (`web::moved`); migration 0012's triggers
//! enforce it in the database, however changes race.

use serde_json::json;
use sqlx::{PgConnection, PgExecutor};

use crate::audit::Actor;
use crate::spaces::model::SpaceId;

/// Which space holds a slug, as its address now or a former one; None: it is free.
pub async fn holder(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<SpaceId>> {
    sqlx::query_scalar!(
        r#"select id as "id!: SpaceId" from spaces where slug = $1
           union all
           select space_id from space_slugs where slug = $1
           limit 1"#,
        slug
    )
    .fetch_optional(db)
    .await
}

/// What a change of address came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Moved {
    Done,
    /// Another space holds the slug, now or formerly, perhaps since the form was checked.
    /// The transaction is spoilt: roll it back.
    Taken,
    /// The space is no longer at `from`: another admin moved it meanwhile.
    Stale,
}

/// Moves the actor's space from `from` to `to`, in the caller's transaction, with its
/// audit record: `from` becomes a former slug that leads here, and `to`, if it was one of
/// the space's own former slugs, is one no more.
pub async fn change(
    conn: &mut PgConnection,
    actor: Actor,
    from: &str,
    to: &str,
) -> sqlx::Result<Moved> {
    // The old slug is retired first: its trigger takes the lock that every slug write takes,
    // before this transaction touches the space's row.
    let moved = async {
        sqlx::query!(
            "delete from space_slugs where slug = $1 and space_id = $2",
            to,
            actor.space as SpaceId
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "insert into space_slugs (slug, space_id) values ($1, $2)",
            from,
            actor.space as SpaceId
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "update spaces set slug = $2 where id = $1 and slug = $3",
            actor.space as SpaceId,
            to,
            from
        )
        .execute(&mut *conn)
        .await
    }
    .await;
    match moved {
        Ok(done) if done.rows_affected() == 1 => {}
        Ok(_) => return Ok(Moved::Stale),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(Moved::Taken),
        Err(e) => return Err(e),
    }
    actor
        .record(
            conn,
            "space.slug_changed",
            &format!("space:{to}"),
            json!({ "from": from, "to": to }),
        )
        .await?;
    Ok(Moved::Done)
}
