//! Queries only the demo needs: finding what an earlier run seeded, and dating listings
//! and trades back to when the story says they happened. Ledger rows are never touched:
//! they are append-only, and carry the moment the service really wrote them.

use sqlx::{PgConnection, PgExecutor, PgPool};
use time::OffsetDateTime;

use crate::auth::model::PersonId;
use crate::marketplace::model::ListingId;
use crate::spaces::model::{MembershipId, Role, SpaceId};
use crate::trades::model::TradeId;

/// A member of the demo space, by the email the data names them with.
#[derive(Debug, Clone)]
pub(super) struct DemoMember {
    pub email: String,
    pub membership: MembershipId,
    pub person: PersonId,
    pub role: Role,
}

pub(super) async fn members(
    db: impl PgExecutor<'_>,
    space: SpaceId,
) -> sqlx::Result<Vec<DemoMember>> {
    sqlx::query_as!(
        DemoMember,
        r#"select p.email, m.id as "membership: MembershipId", p.id as "person: PersonId",
                  m.role as "role: Role"
           from memberships m join people p on p.id = m.person_id
           where m.space_id = $1
           order by m.id"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await
}

/// The member's listing with this title, if an earlier run made it.
pub(super) async fn listing_by_title(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    owner: MembershipId,
    title: &str,
) -> sqlx::Result<Option<ListingId>> {
    sqlx::query_scalar!(
        r#"select id as "id: ListingId" from listings
           where space_id = $1 and membership_id = $2 and title = $3
           order by id limit 1"#,
        space as SpaceId,
        owner as MembershipId,
        title
    )
    .fetch_optional(db)
    .await
}

/// Dates a listing back to when it was posted.
pub(super) async fn date_listing(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: ListingId,
    at: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update listings set created_at = $3, updated_at = $3 where space_id = $1 and id = $2",
        space as SpaceId,
        id as ListingId,
        at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The trade a member opened with these words, if an earlier run made it. The opening
/// proposal stays on the timeline whatever counter-proposals followed, so it marks the
/// trade for good.
pub(super) async fn trade_opened_with(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    proposer: MembershipId,
    description: &str,
) -> sqlx::Result<Option<TradeId>> {
    sqlx::query_scalar!(
        r#"select t.id as "id: TradeId"
           from trades t
           join trade_events e on e.space_id = t.space_id and e.trade_id = t.id
           where t.space_id = $1 and e.kind = 'proposed' and e.actor_id = $2
             and e.description = $3
           order by t.id limit 1"#,
        space as SpaceId,
        proposer as MembershipId,
        description
    )
    .fetch_optional(db)
    .await
}

/// When each part of a trade's story happened, in the order it was written.
pub(super) struct TradeDates<'a> {
    pub opened: OffsetDateTime,
    pub last_change: OffsetDateTime,
    pub delivered: Option<OffsetDateTime>,
    /// One per timeline event, in id order.
    pub events: &'a [OffsetDateTime],
    /// One per message, in id order.
    pub messages: &'a [OffsetDateTime],
    /// One per kudos, in id order.
    pub kudos: &'a [OffsetDateTime],
}

/// Dates a trade, its timeline, thread and kudos back to when the story says they happened.
pub(super) async fn date_trade(
    conn: &mut PgConnection,
    space: SpaceId,
    trade: TradeId,
    d: &TradeDates<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update trades set created_at = $3, updated_at = $4,
                delivered_at = case when delivered_at is null then null else $5::timestamptz end
         where space_id = $1 and id = $2",
        space as SpaceId,
        trade as TradeId,
        d.opened,
        d.last_change,
        d.delivered
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "with ordered as (select id, row_number() over (order by id) as n from trade_events
                          where space_id = $1 and trade_id = $2)
         update trade_events e set created_at = coalesce(($3::timestamptz[])[o.n], e.created_at)
         from ordered o where e.id = o.id",
        space as SpaceId,
        trade as TradeId,
        d.events
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "with ordered as (select id, row_number() over (order by id) as n from trade_messages
                          where space_id = $1 and trade_id = $2)
         update trade_messages m set created_at = coalesce(($3::timestamptz[])[o.n], m.created_at)
         from ordered o where m.id = o.id",
        space as SpaceId,
        trade as TradeId,
        d.messages
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "with ordered as (select id, row_number() over (order by id) as n from kudos
                          where space_id = $1 and trade_id = $2)
         update kudos k set created_at = coalesce(($3::timestamptz[])[o.n], k.created_at)
         from ordered o where k.id = o.id",
        space as SpaceId,
        trade as TradeId,
        d.kudos
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The demo's history is not news: its notifications count as emailed, and those about
/// trades that are over as read, so the inbox shows only what still needs someone. The
/// unread counters are then set to match. Running it again changes nothing.
pub async fn settle_notifications(pool: &PgPool, space: SpaceId) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "update notifications n
         set emailed_at = coalesce(n.emailed_at, now()),
             read_at = case
                 when n.read_at is null and exists (
                     select 1 from trades t
                     where t.space_id = n.space_id
                       and n.link like 'trades/' || t.id || '%'
                       and t.state in ('completed', 'declined', 'cancelled', 'resolved'))
                   -- A booking confirmation is history too: the booking is in My bookings.
                   or (n.read_at is null and n.kind = 'booking_confirmed')
                 then now() else n.read_at end
         where n.space_id = $1",
        space as SpaceId
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update inbox_counters c
         set unread = (select count(*) from notifications n
                       where n.membership_id = c.membership_id and n.read_at is null)
         where c.membership_id in (select id from memberships where space_id = $1)",
        space as SpaceId
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
