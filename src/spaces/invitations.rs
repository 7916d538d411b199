//! Queries for invitation links: an admin makes and withdraws them, and a newcomer uses
//! one once to join. Only a link's hash is stored; every query names its space or hash.

use sqlx::{PgConnection, PgExecutor};

use crate::auth::model::PersonId;
use crate::spaces::model::{Invitation, InvitationId, InvitationState, SignupMode, Space, SpaceId};

/// A new invitation link; `credit_limit` (hundredths) is set on the account it opens,
/// None leaving the space's default.
pub async fn create_invitation(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    token_hash: &[u8],
    note: &str,
    created_by: PersonId,
    valid_days: i64,
    credit_limit: Option<i64>,
) -> sqlx::Result<InvitationId> {
    sqlx::query_scalar!(
        r#"insert into invitations (space_id, token_hash, note, created_by, expires_at,
                                    credit_limit)
           values ($1, $2, $3, $4, now() + make_interval(days => $5), $6)
           returning id as "id: InvitationId""#,
        space as SpaceId,
        token_hash,
        note,
        created_by as PersonId,
        valid_days as i32,
        credit_limit
    )
    .fetch_one(db)
    .await
}

pub async fn invitations(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<Vec<Invitation>> {
    let rows = sqlx::query!(
        r#"select i.id as "id: InvitationId", i.note,
                  to_char(i.created_at, 'FMDD Mon YYYY') as "created_on!",
                  to_char(i.expires_at, 'FMDD Mon YYYY') as "expires_on!",
                  i.revoked_at is not null as "withdrawn!", p.display_name as "used_by?",
                  i.expires_at <= now() as "expired!"
           from invitations i left join people p on p.id = i.used_by
           where i.space_id = $1
           order by i.created_at desc, i.id desc
           limit 100"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Invitation {
            id: r.id,
            note: r.note,
            created_on: r.created_on,
            expires_on: r.expires_on,
            state: match (r.withdrawn, r.used_by, r.expired) {
                (true, _, _) => InvitationState::Withdrawn,
                (false, Some(name), _) => InvitationState::Used(name),
                (false, None, true) => InvitationState::Expired,
                (false, None, false) => InvitationState::Open,
            },
        })
        .collect())
}

/// The space an unused, unexpired, unwithdrawn invitation is for.
pub async fn invitation_space(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> sqlx::Result<Option<Space>> {
    sqlx::query_as!(
        Space,
        r#"select s.id as "id: SpaceId", s.slug, s.name, s.signup_mode as "signup_mode: SignupMode",
                  s.currency_name, s.accent_colour
           from invitations i join spaces s on s.id = i.space_id
           where i.token_hash = $1 and i.used_at is null and i.revoked_at is null
             and i.expires_at > now()"#,
        token_hash
    )
    .fetch_optional(db)
    .await
}

/// An invitation just used: the space it was for and the credit limit it sets, if any.
#[derive(Debug, Clone, Copy)]
pub struct UsedInvitation {
    pub space: SpaceId,
    pub credit_limit: Option<i64>,
}

/// Uses an invitation once, for a person.
pub async fn use_invitation(
    conn: &mut PgConnection,
    token_hash: &[u8],
    person: PersonId,
) -> sqlx::Result<Option<UsedInvitation>> {
    sqlx::query_as!(
        UsedInvitation,
        r#"update invitations set used_at = now(), used_by = $2
           where token_hash = $1 and used_at is null and revoked_at is null and expires_at > now()
           returning space_id as "space: SpaceId", credit_limit"#,
        token_hash,
        person as PersonId
    )
    .fetch_optional(conn)
    .await
}

pub async fn revoke_invitation(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: InvitationId,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update invitations set revoked_at = now()
         where space_id = $1 and id = $2 and used_at is null and revoked_at is null",
        space as SpaceId,
        id as InvitationId
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
