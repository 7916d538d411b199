//! Queries of the admin's members pages.

use sqlx::{PgConnection, PgExecutor};
use time::PrimitiveDateTime;

use crate::spaces::model::{MembershipId, Role, SpaceId, Status};

/// A line of the members list, and the head of a member's admin page.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub id: MembershipId,
    pub display_name: String,
    pub email: String,
    pub status: Status,
    pub role: Role,
    pub balance: i64,
    pub held: i64,
    pub credit_limit: i64,
    /// On the space's clock; None when they have no session.
    pub last_seen: Option<PrimitiveDateTime>,
    pub trades: i64,
    /// How many members the query finds in all (one, for a single member).
    pub total: i64,
}

/// What the list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Part of a name or an email address.
    pub words: String,
    pub status: Option<Status>,
    pub role: Option<Role>,
}

impl MemberFilter {
    /// `words` for ILIKE, with its wildcards taken literally.
    fn pattern(&self) -> String {
        let escaped = self
            .words
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    }
}

/// A page of the space's members (applicants have their own page), by name.
pub async fn members(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    f: &MemberFilter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<MemberRow>> {
    sqlx::query_as!(
        MemberRow,
        r#"select m.id as "id: MembershipId", p.display_name, p.email,
                  m.status as "status: Status", m.role as "role: Role",
                  coalesce(a.credits_posted - a.debits_posted, 0) as "balance!",
                  coalesce(a.debits_pending, 0) as "held!",
                  coalesce(a.credit_limit, 0) as "credit_limit!",
                  (select max(x.last_seen_at) from sessions x where x.person_id = p.id)
                      at time zone s.time_zone as "last_seen?",
                  (select count(*) from trades t
                   where t.space_id = m.space_id and m.id in (t.payer_id, t.payee_id)) as "trades!",
                  count(*) over () as "total!"
           from memberships m
           join people p on p.id = m.person_id
           join spaces s on s.id = m.space_id
           left join ledger_accounts a on a.space_id = m.space_id and a.membership_id = m.id
           where m.space_id = $1 and m.status <> 'pending'
             and (p.display_name ilike $2 or p.email ilike $2)
             and ($3::text is null or m.status = $3)
             and ($4::text is null or m.role = $4)
           order by lower(p.display_name), m.id
           limit $5 offset $6"#,
        space as SpaceId,
        f.pattern(),
        f.status as Option<Status>,
        f.role as Option<Role>,
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

/// One member of the space (not an applicant).
pub async fn member(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: MembershipId,
) -> sqlx::Result<Option<MemberRow>> {
    sqlx::query_as!(
        MemberRow,
        r#"select m.id as "id: MembershipId", p.display_name, p.email,
                  m.status as "status: Status", m.role as "role: Role",
                  coalesce(a.credits_posted - a.debits_posted, 0) as "balance!",
                  coalesce(a.debits_pending, 0) as "held!",
                  coalesce(a.credit_limit, 0) as "credit_limit!",
                  (select max(x.last_seen_at) from sessions x where x.person_id = p.id)
                      at time zone s.time_zone as "last_seen?",
                  (select count(*) from trades t
                   where t.space_id = m.space_id and m.id in (t.payer_id, t.payee_id)) as "trades!",
                  1::bigint as "total!"
           from memberships m
           join people p on p.id = m.person_id
           join spaces s on s.id = m.space_id
           left join ledger_accounts a on a.space_id = m.space_id and a.membership_id = m.id
           where m.space_id = $1 and m.id = $2 and m.status <> 'pending'"#,
        space as SpaceId,
        id as MembershipId
    )
    .fetch_optional(db)
    .await
}

/// Locks the space's active admins, in id order, and returns them: every change that could
/// leave a space without one takes these locks first, so two such changes at once run one
/// after the other, and the second sees the first.
pub async fn lock_admins(
    conn: &mut PgConnection,
    space: SpaceId,
) -> sqlx::Result<Vec<MembershipId>> {
    sqlx::query_scalar!(
        r#"select id as "id: MembershipId" from memberships
           where space_id = $1 and role = 'admin' and status = 'active'
           order by id
           for update"#,
        space as SpaceId
    )
    .fetch_all(conn)
    .await
}

/// Locks a member (not an applicant) and returns their role and status.
pub async fn lock_member(
    conn: &mut PgConnection,
    space: SpaceId,
    id: MembershipId,
) -> sqlx::Result<Option<(Role, Status)>> {
    let row = sqlx::query!(
        r#"select role as "role: Role", status as "status: Status" from memberships
           where space_id = $1 and id = $2 and status <> 'pending'
           for update"#,
        space as SpaceId,
        id as MembershipId
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.role, r.status)))
}

pub async fn set_status(
    conn: &mut PgConnection,
    space: SpaceId,
    id: MembershipId,
    status: Status,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update memberships set status = $3, decided_at = now() where space_id = $1 and id = $2",
        space as SpaceId,
        id as MembershipId,
        status as Status
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_role(
    conn: &mut PgConnection,
    space: SpaceId,
    id: MembershipId,
    role: Role,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update memberships set role = $3 where space_id = $1 and id = $2",
        space as SpaceId,
        id as MembershipId,
        role as Role
    )
    .execute(conn)
    .await?;
    Ok(())
}
