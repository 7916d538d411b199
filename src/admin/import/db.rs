//! The queries of the CSV import: who in a file already belongs to the space.

use sqlx::PgExecutor;

use crate::spaces::model::{SpaceId, Status};

/// The addresses among `emails` (lower-case) that already have a membership of the space,
/// lower-cased, with its status.
pub async fn memberships_by_email(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    emails: &[String],
) -> sqlx::Result<Vec<(String, Status)>> {
    let rows = sqlx::query!(
        r#"select lower(p.email) as "email!", m.status as "status: Status"
           from memberships m join people p on p.id = m.person_id
           where m.space_id = $1 and lower(p.email) = any($2)"#,
        space as SpaceId,
        emails
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.email, r.status)).collect())
}
