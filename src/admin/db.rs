//! Queries for the space's settings and its disputes queue. Every query names its space.

use sqlx::PgExecutor;

use crate::spaces::model::{SignupMode, SpaceId};

/// The settings an admin edits on the settings page.
#[derive(Debug, Clone)]
pub struct Settings {
    pub name: String,
    pub signup_mode: SignupMode,
    pub time_zone: String,
    /// Days a delivered trade waits for the payer before it completes itself.
    pub auto_complete_days: i32,
    /// Shown on the front page to visitors, while anyone may join or apply.
    pub listed: bool,
    /// Cancelling a room booking at least this many hours ahead refunds it in full.
    pub cancel_cutoff_hours: i32,
    /// What the space's credits are called ("hours").
    pub currency_name: String,
    /// One of the stylesheet's palette (`Accent`).
    pub accent_colour: String,
    /// The credit limit new members' accounts open with, in hundredths.
    pub default_credit_limit: i64,
    /// How far below zero the space's own account may go (grants, room income).
    pub space_limit: i64,
}

pub async fn update_settings(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    s: &Settings,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update spaces set name = $2, signup_mode = $3, time_zone = $4, auto_complete_days = $5,
                           listed = $6, cancel_cutoff_hours = $7, currency_name = $8,
                           accent_colour = $9, default_credit_limit = $10
         where id = $1",
        space as SpaceId,
        s.name,
        s.signup_mode as SignupMode,
        s.time_zone,
        s.auto_complete_days,
        s.listed,
        s.cancel_cutoff_hours,
        s.currency_name,
        s.accent_colour,
        s.default_credit_limit
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn settings(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<Settings> {
    sqlx::query_as!(
        Settings,
        r#"select name, signup_mode as "signup_mode: SignupMode", time_zone, auto_complete_days,
                  listed, cancel_cutoff_hours, currency_name, accent_colour,
                  default_credit_limit,
                  (select a.credit_limit from ledger_accounts a
                   where a.space_id = s.id and a.code = 'space') as "space_limit!"
           from spaces s where id = $1"#,
        space as SpaceId
    )
    .fetch_one(db)
    .await
}

/// Whether PostgreSQL knows the zone by this name.
pub async fn is_time_zone(db: impl PgExecutor<'_>, name: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from pg_timezone_names where name = $1) as "known!""#,
        name
    )
    .fetch_one(db)
    .await
}

/// A dispute waiting for an admin, with both sides' words.
#[derive(Debug, Clone)]
pub struct Dispute {
    pub trade_id: i64,
    pub description: String,
    pub payer: String,
    pub payee: String,
    pub amount: i64,
    /// On the space's clock.
    pub opened: time::PrimitiveDateTime,
    pub statement: String,
    pub answer: Option<String>,
}

/// The space's disputed trades, oldest dispute first.
pub async fn disputes(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<Vec<Dispute>> {
    sqlx::query_as!(
        Dispute,
        r#"select t.id as trade_id, t.description, pp.display_name as payer,
                  ep.display_name as payee, t.amount,
                  d.created_at at time zone s.time_zone as "opened!",
                  d.note as statement,
                  (select a.note from trade_events a
                   where a.trade_id = t.id and a.kind = 'answered' and a.id > d.id
                   order by a.id desc limit 1) as answer
           from trades t
           join spaces s on s.id = t.space_id
           join memberships pm on pm.id = t.payer_id join people pp on pp.id = pm.person_id
           join memberships em on em.id = t.payee_id join people ep on ep.id = em.person_id
           join lateral (select e.id, e.note, e.created_at from trade_events e
                         where e.trade_id = t.id and e.kind in ('disputed', 'suspended')
                         order by e.id desc limit 1) d on true
           where t.space_id = $1 and t.state = 'disputed'
           order by d.created_at, t.id"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await
}

/// What the audit log is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// A person: what they did, and the sign-ins tried with their address.
    pub who: Option<i64>,
    /// An action, like "member.suspended".
    pub what: String,
    /// From and to, whole days on the space's clock.
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
}

/// One line of the audit log.
#[derive(Debug, Clone)]
pub struct AuditLine {
    pub id: i64,
    pub at: time::PrimitiveDateTime,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: String,
    /// How many lines the filter finds in all.
    pub total: i64,
}

/// The space's audit log, newest first: its own events, and the security events of its
/// members' accounts (failed and slowed sign-ins with their address), which belong to no
/// space.
pub async fn audit_log(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    f: &AuditFilter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<AuditLine>> {
    sqlx::query_as!(
        AuditLine,
        r#"with members as (
               select pe.id, lower(pe.email) as email from memberships m
               join people pe on pe.id = m.person_id where m.space_id = $1
           )
           select a.id, a.created_at at time zone s.time_zone as "at!",
                  coalesce(p.display_name, '') as "actor!", a.action, a.subject,
                  a.detail::text as "detail!", coalesce(host(a.ip), '') as "ip!",
                  count(*) over () as "total!"
           from audit_log a
           join spaces s on s.id = $1
           left join people p on p.id = a.actor_id
           where (a.space_id = $1
                  or (a.space_id is null and a.action like 'signin.%'
                      and lower(a.subject) in (select email from members)))
             and ($2::bigint is null or a.actor_id = $2
                  or (a.space_id is null
                      and lower(a.subject) = (select email from members where id = $2)))
             and ($3 = '' or a.action = $3)
             and ($4::date is null or a.created_at >= ($4::date::timestamp at time zone s.time_zone))
             and ($5::date is null
                  or a.created_at < (($5::date + 1)::timestamp at time zone s.time_zone))
           order by a.id desc
           limit $6 offset $7"#,
        space as SpaceId,
        f.who,
        f.what,
        f.from,
        f.to,
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

/// The actions the space's log holds, for the filter.
pub async fn audit_actions(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        r#"select distinct action as "action!" from audit_log where space_id = $1
           union select 'signin.failed' union select 'signin.slowed'
           order by 1"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await
}

/// Everyone who belongs to the space, applicants too, as (person id, name), by name.
pub async fn space_people(
    db: impl PgExecutor<'_>,
    space: SpaceId,
) -> sqlx::Result<Vec<(i64, String)>> {
    let rows = sqlx::query!(
        "select p.id, p.display_name from memberships m join people p on p.id = m.person_id
         where m.space_id = $1 order by lower(p.display_name), p.id",
        space as SpaceId
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.display_name)).collect())
}
