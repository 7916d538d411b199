//! What keeps a member in a space, and the marks of leaving.

use sqlx::{PgConnection, PgExecutor};

use crate::spaces::model::{MembershipId, SpaceId};

/// What must end before a member can leave: open trades (proposed, accepted, delivered or
/// disputed), upcoming room bookings, and credits held for or by them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    pub open_trades: i64,
    pub upcoming_bookings: i64,
    /// Hundredths held for or by them (pending both ways).
    pub held: i64,
    pub balance: i64,
    pub leave_requested: bool,
}

impl Standing {
    pub fn holds_anything(&self) -> bool {
        self.open_trades > 0 || self.upcoming_bookings > 0 || self.held > 0
    }
}

pub async fn standing(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    member: MembershipId,
) -> sqlx::Result<Standing> {
    sqlx::query_as!(
        Standing,
        r#"select (select count(*) from trades t
                   where t.space_id = $1 and (t.payer_id = $2 or t.payee_id = $2)
                     and t.state in ('proposed', 'accepted', 'delivered', 'disputed'))
                      as "open_trades!",
                  (select count(*) from bookings b
                   where b.space_id = $1 and b.membership_id = $2 and b.cancelled_at is null
                     and upper(b.period) > now()) as "upcoming_bookings!",
                  coalesce(a.debits_pending + a.credits_pending, 0) as "held!",
                  coalesce(a.credits_posted - a.debits_posted, 0) as "balance!",
                  m.leave_requested_at is not null as "leave_requested!"
           from memberships m
           left join ledger_accounts a on a.space_id = m.space_id and a.membership_id = m.id
           where m.space_id = $1 and m.id = $2"#,
        space as SpaceId,
        member as MembershipId
    )
    .fetch_one(db)
    .await
}

/// Marks (or, with `asked` false, unmarks) a member's request to leave. False: unchanged.
pub async fn ask_to_leave(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    member: MembershipId,
    asked: bool,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update memberships set leave_requested_at = case when $3 then now() end
         where space_id = $1 and id = $2 and status = 'active'
           and (leave_requested_at is null) = $3",
        space as SpaceId,
        member as MembershipId,
        asked
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The member has left: no longer an admin, their listings closed.
pub async fn mark_left(
    conn: &mut PgConnection,
    space: SpaceId,
    member: MembershipId,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update memberships set status = 'left', role = 'member', left_at = now(),
                                decided_at = now()
         where space_id = $1 and id = $2",
        space as SpaceId,
        member as MembershipId
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update listings set status = 'closed', updated_at = now()
         where space_id = $1 and membership_id = $2 and status <> 'closed'",
        space as SpaceId,
        member as MembershipId
    )
    .execute(conn)
    .await?;
    Ok(())
}
