//! Erasing a person's data when they delete their account (SPEC §6.1). The rows that
//! append-only history points at stay (the person, their memberships), emptied: their name
//! becomes "Former member" and their address one that reaches nobody.

use sqlx::{PgConnection, PgExecutor};

use crate::auth::model::PersonId;

/// The name a deleted account goes by in the history that names it.
pub const FORMER_MEMBER: &str = "Former member";

/// The spaces a person must still leave before their account can go: those where they are
/// active or suspended (an admin settles their balance when they leave).
pub async fn spaces_to_leave(
    db: impl PgExecutor<'_>,
    person: PersonId,
) -> sqlx::Result<Vec<SpaceToLeave>> {
    sqlx::query_as!(
        SpaceToLeave,
        r#"select s.slug, s.name, m.status = 'suspended' as "suspended!"
           from memberships m join spaces s on s.id = m.space_id
           where m.person_id = $1 and m.status in ('active', 'suspended')
           order by s.name"#,
        person as PersonId
    )
    .fetch_all(db)
    .await
}

/// A space a person is still in. A suspended member cannot ask to leave (their pages are
/// closed): one of its admins closes their membership.
#[derive(Debug, Clone)]
pub struct SpaceToLeave {
    pub slug: String,
    pub name: String,
    pub suspended: bool,
}

/// Erases everything personal of `person`, in the caller's transaction. An application
/// still waiting is withdrawn (the membership is marked left). False: they are still in a
/// space, or already erased; nothing was written.
pub async fn erase(conn: &mut PgConnection, person: PersonId) -> sqlx::Result<bool> {
    let Some(old_email) = sqlx::query_scalar!(
        "select email from people where id = $1 and deleted_at is null for update",
        person as PersonId
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(false);
    };
    let erased = sqlx::query!(
        "update people set display_name = $2, email = 'former-' || id || '@deleted.invalid',
                           password_hash = null, email_verified_at = null, deleted_at = now()
         where id = $1 and deleted_at is null
           and not exists (select 1 from memberships m where m.person_id = $1
                           and m.status in ('active', 'suspended'))",
        person as PersonId,
        FORMER_MEMBER
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if erased != 1 {
        return Ok(false);
    }
    sqlx::query!(
        "update memberships set headline = '', bio = '', here_on = null,
                                status = 'left', left_at = coalesce(left_at, now())
         where person_id = $1",
        person as PersonId
    )
    .execute(&mut *conn)
    .await?;
    // What others cannot need: skills, notifications and choices, sessions, mailed links,
    // and the text of emails to the old address.
    sqlx::query!(
        "with mine as (select id from memberships where person_id = $1),
              skills_gone as (delete from skills where membership_id in (select id from mine)),
              notes_gone as (delete from notifications where membership_id in (select id from mine)),
              prefs_gone as (delete from notification_preferences
                             where membership_id in (select id from mine)),
              sessions_gone as (delete from sessions where person_id = $1),
              tokens_gone as (delete from account_tokens where person_id = $1),
              -- The overviews kept of their spaces name them: counted again when next opened.
              kept_gone as (delete from overview_snapshots
                            where space_id in (select space_id from memberships
                                               where person_id = $1))
         update email_outbox set body = '', to_address = 'former-' || $1 || '@deleted.invalid'
         where lower(to_address) = lower($2)",
        person as PersonId,
        old_email
    )
    .execute(conn)
    .await?;
    Ok(true)
}
