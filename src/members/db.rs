//! Profile queries. Every query names its space.

use sqlx::PgExecutor;

use crate::auth::model::PersonId;
use crate::members::model::{Presence, Profile};
use crate::spaces::model::{MembershipId, SpaceId, Status};

pub async fn profile(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    membership: MembershipId,
) -> sqlx::Result<Option<Profile>> {
    sqlx::query_as!(
        Profile,
        r#"select m.id as "membership_id: MembershipId", p.id as "person_id: PersonId",
                  p.display_name, m.headline, m.bio, m.presence as "presence: Presence",
                  coalesce(m.here_on = (now() at time zone s.time_zone)::date, false) as "here_today!",
                  m.kudos_count, m.kudos_stars, m.created_at as member_since, m.status as "status: Status"
           from memberships m
           join people p on p.id = m.person_id
           join spaces s on s.id = m.space_id
           where m.space_id = $1 and m.id = $2"#,
        space as SpaceId,
        membership as MembershipId
    )
    .fetch_optional(db)
    .await
}

pub async fn update_profile(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    membership: MembershipId,
    headline: &str,
    bio: &str,
    presence: Presence,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update memberships set headline = $3, bio = $4, presence = $5
         where space_id = $1 and id = $2",
        space as SpaceId,
        membership as MembershipId,
        headline,
        bio,
        presence as Presence
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Checks in as here today (in the space's time zone), or out again.
pub async fn set_here_today(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    membership: MembershipId,
    here: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update memberships m
         set here_on = case when $3 then (now() at time zone s.time_zone)::date end,
             said_hello_at = case when $3 then coalesce(m.said_hello_at, now())
                                  else m.said_hello_at end
         from spaces s
         where s.id = m.space_id and m.space_id = $1 and m.id = $2",
        space as SpaceId,
        membership as MembershipId,
        here
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Who checked in as here today, in the space's time zone (active members).
pub async fn here_today(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    limit: i64,
) -> sqlx::Result<Vec<(MembershipId, String)>> {
    let rows = sqlx::query!(
        r#"select m.id as "id: MembershipId", p.display_name
           from memberships m join people p on p.id = m.person_id join spaces s on s.id = m.space_id
           where m.space_id = $1 and m.status = 'active'
             and m.here_on = (now() at time zone s.time_zone)::date
           order by p.display_name, m.id
           limit $2"#,
        space as SpaceId,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.display_name)).collect())
}
