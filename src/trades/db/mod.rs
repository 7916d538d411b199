//! Queries for trades and their timelines; the thread and kudos are in their own files.
//! Every query names its space.

use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::marketplace::model::ListingId;
use crate::notify::model::Kind;
use crate::spaces::model::{MembershipId, SpaceId, Status};
use crate::trades::model::{Event, EventKind, Trade, TradeId, TradeRow, TradeState};

mod kudos;
mod thread;

pub use kudos::{add_kudos, kudos_for};
pub use thread::{add_message, messages};

/// A trade's terms: what is done, for how much, by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub description: String,
    pub amount: i64,
    pub due_on: Option<Date>,
}

/// A new trade, proposed by one of its parties.
pub struct NewTrade<'a> {
    pub space: SpaceId,
    pub listing: Option<ListingId>,
    pub payer: MembershipId,
    pub payee: MembershipId,
    pub proposer: MembershipId,
    pub terms: &'a Terms,
}

pub async fn insert(conn: &mut PgConnection, t: &NewTrade<'_>) -> sqlx::Result<TradeId> {
    sqlx::query_scalar!(
        r#"insert into trades (space_id, listing_id, payer_id, payee_id, proposer_id,
                               description, amount, due_on)
           values ($1, $2, $3, $4, $5, $6, $7, $8)
           returning id as "id: TradeId""#,
        t.space as SpaceId,
        t.listing as Option<ListingId>,
        t.payer as MembershipId,
        t.payee as MembershipId,
        t.proposer as MembershipId,
        t.terms.description,
        t.terms.amount,
        t.terms.due_on
    )
    .fetch_one(conn)
    .await
}

/// A trade locked for one action, with what the rules need to know about it now.
#[derive(Debug, Clone)]
pub struct Locked {
    pub id: TradeId,
    pub payer_id: MembershipId,
    pub payee_id: MembershipId,
    pub proposer_id: MembershipId,
    pub state: TradeState,
    pub amount: i64,
    pub description: String,
    pub due_on: Option<Date>,
    pub accept_attempts: i32,
    pub hold_id: Option<Uuid>,
    pub cancel_requested: bool,
    /// The due date has passed, in the space's time zone.
    pub overdue: bool,
    pub payer_status: Status,
    pub payee_status: Status,
}

/// Locks the trade's row, and shares the locks of both memberships, so nobody suspends a
/// party while the action runs.
pub async fn lock(
    conn: &mut PgConnection,
    space: SpaceId,
    id: TradeId,
) -> sqlx::Result<Option<Locked>> {
    sqlx::query_as!(
        Locked,
        r#"select t.id as "id: TradeId", t.payer_id as "payer_id: MembershipId",
                  t.payee_id as "payee_id: MembershipId",
                  t.proposer_id as "proposer_id: MembershipId",
                  t.state as "state: TradeState", t.amount, t.description, t.due_on,
                  t.accept_attempts, t.hold_id, t.cancel_requested,
                  coalesce(t.due_on < (now() at time zone s.time_zone)::date, false) as "overdue!",
                  pm.status as "payer_status: Status", em.status as "payee_status: Status"
           from trades t
           join spaces s on s.id = t.space_id
           join memberships pm on pm.id = t.payer_id
           join memberships em on em.id = t.payee_id
           where t.space_id = $1 and t.id = $2
           for update of t for share of pm, em"#,
        space as SpaceId,
        id as TradeId
    )
    .fetch_optional(conn)
    .await
}

/// What an action changes on the trade's row.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub state: TradeState,
    pub proposer: MembershipId,
    pub terms: Option<&'a Terms>,
    pub accept_attempts: i32,
    pub hold_id: Option<Uuid>,
    pub settled_id: Option<Uuid>,
    pub cancel_requested: bool,
    pub delivered: bool,
}

impl<'a> Change<'a> {
    /// The locked trade moving to `state`, everything else as it stands.
    pub fn of(t: &Locked, state: TradeState) -> Self {
        Self {
            state,
            proposer: t.proposer_id,
            terms: None,
            accept_attempts: t.accept_attempts,
            hold_id: t.hold_id,
            settled_id: None,
            cancel_requested: t.cancel_requested,
            delivered: false,
        }
    }
}

pub async fn update(
    conn: &mut PgConnection,
    space: SpaceId,
    id: TradeId,
    c: &Change<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update trades set state = $3, proposer_id = $4,
                description = coalesce($5, description), amount = coalesce($6, amount),
                due_on = case when $7 then $8 else due_on end,
                accept_attempts = $9, hold_id = $10, settled_id = $11, cancel_requested = $12,
                delivered_at = case when $13 then now() else delivered_at end,
                updated_at = now()
         where space_id = $1 and id = $2",
        space as SpaceId,
        id as TradeId,
        c.state as TradeState,
        c.proposer as MembershipId,
        c.terms.map(|t| t.description.as_str()),
        c.terms.map(|t| t.amount),
        c.terms.is_some(),
        c.terms.and_then(|t| t.due_on),
        c.accept_attempts,
        c.hold_id,
        c.settled_id,
        c.cancel_requested,
        c.delivered
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A timeline entry; `actor` None for the system.
pub struct NewEvent<'a> {
    pub space: SpaceId,
    pub trade: TradeId,
    pub actor: Option<MembershipId>,
    pub kind: EventKind,
    pub terms: Option<&'a Terms>,
    pub note: &'a str,
}

/// Adds the entry and, in the same statement, tells the trade's parties other than the
/// actor (SPEC §7); a new dispute also tells the space's admins who are not parties. A
/// refused acceptance tells nobody: the trade did not change.
pub async fn add_event(conn: &mut PgConnection, e: &NewEvent<'_>) -> sqlx::Result<()> {
    let (kind, dispute) = match Kind::trade(e.kind.as_str()) {
        Some(kind) => (kind.as_string(), Kind::AdminDispute.as_string()),
        None => (String::new(), String::new()),
    };
    sqlx::query!(
        r#"with event as (
               insert into trade_events (space_id, trade_id, actor_id, kind, amount,
                                         description, due_on, note)
               values ($1, $2, $3, $4, $5, $6, $7, $8)
               returning trade_id
           )
           select case when $9 <> '' then
                      notify_members(t.space_id, array[t.payer_id, t.payee_id], $9, 'trades',
                                     $3, 'trades/' || t.id, t.description)
                  end as parties,
                  case when $4 = 'disputed' then
                      notify_members(t.space_id,
                                     array(select unnest(space_admins(t.space_id))
                                           except select unnest(array[t.payer_id, t.payee_id])),
                                     $10, 'admin', $3, 'trades/' || t.id, t.description)
                  end as admins
           from event join trades t on t.id = event.trade_id"#,
        e.space as SpaceId,
        e.trade as TradeId,
        e.actor as Option<MembershipId>,
        e.kind as EventKind,
        e.terms.map(|t| t.amount),
        e.terms.map(|t| t.description.as_str()),
        e.terms.and_then(|t| t.due_on),
        e.note,
        kind,
        dispute
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

/// One trade of the space with its parties' names, as `viewer` sees it: whether it is
/// overdue and whether they left kudos come in the same query, one round trip for the page.
pub async fn trade(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: TradeId,
    viewer: MembershipId,
) -> sqlx::Result<Option<Trade>> {
    sqlx::query_as!(
        Trade,
        r#"select t.id as "id: TradeId", t.listing_id as "listing_id: ListingId",
                  l.title as "listing_title?",
                  t.payer_id as "payer_id: MembershipId", pp.display_name as payer_name,
                  t.payee_id as "payee_id: MembershipId", ep.display_name as payee_name,
                  t.proposer_id as "proposer_id: MembershipId",
                  t.state as "state: TradeState", t.description, t.amount, t.due_on,
                  t.hold_id, t.settled_id, t.cancel_requested, t.delivered_at,
                  t.created_at, t.updated_at,
                  coalesce(t.due_on < (now() at time zone s.time_zone)::date, false) as "overdue!",
                  exists (select 1 from kudos k where k.trade_id = t.id and k.from_id = $3)
                      as "kudos_left!",
                  (select k.hidden_reason from kudos k where k.trade_id = t.id and k.from_id = $3)
                      as kudos_hidden_reason
           from trades t
           join spaces s on s.id = t.space_id
           left join listings l on l.id = t.listing_id
           join memberships pm on pm.id = t.payer_id join people pp on pp.id = pm.person_id
           join memberships em on em.id = t.payee_id join people ep on ep.id = em.person_id
           where t.space_id = $1 and t.id = $2"#,
        space as SpaceId,
        id as TradeId,
        viewer as MembershipId
    )
    .fetch_optional(db)
    .await
}

pub async fn events(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: TradeId,
) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as!(
        Event,
        r#"select p.display_name as "actor_name?", e.kind as "kind: EventKind", e.amount,
                  e.description, e.due_on, e.note, e.created_at
           from trade_events e
           left join memberships m on m.id = e.actor_id
           left join people p on p.id = m.person_id
           where e.space_id = $1 and e.trade_id = $2
           order by e.id"#,
        space as SpaceId,
        id as TradeId
    )
    .fetch_all(db)
    .await
}

/// A member's trades, newest change first; the page groups and orders them.
pub async fn trades_of(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    member: MembershipId,
) -> sqlx::Result<Vec<TradeRow>> {
    sqlx::query_as!(
        TradeRow,
        r#"select t.id as "id: TradeId", t.state as "state: TradeState", t.description,
                  t.amount, t.payer_id as "payer_id: MembershipId",
                  t.payee_id as "payee_id: MembershipId",
                  t.proposer_id as "proposer_id: MembershipId",
                  op.display_name as other_name, t.cancel_requested, t.updated_at
           from trades t
           join memberships om on om.id = case when t.payer_id = $2 then t.payee_id
                                               else t.payer_id end
           join people op on op.id = om.person_id
           where t.space_id = $1 and (t.payer_id = $2 or t.payee_id = $2)
           order by t.updated_at desc, t.id desc
           limit 500"#,
        space as SpaceId,
        member as MembershipId
    )
    .fetch_all(db)
    .await
}

/// Delivered trades whose payer has not answered for the space's auto-complete days by
/// `now`, neither party suspended. Locked, skipping any another instance holds.
pub async fn due_for_auto_complete(
    conn: &mut PgConnection,
    now: OffsetDateTime,
    limit: i64,
) -> sqlx::Result<Vec<(SpaceId, TradeId)>> {
    let rows = sqlx::query!(
        r#"select t.space_id as "space_id: SpaceId", t.id as "id: TradeId"
           from trades t join spaces s on s.id = t.space_id
           where t.state = 'delivered'
             and t.delivered_at + make_interval(days => s.auto_complete_days) <= $1
             and not exists (select 1 from memberships m
                             where m.id in (t.payer_id, t.payee_id) and m.status <> 'active')
           order by t.delivered_at
           limit $2
           for update of t skip locked"#,
        now,
        limit
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.space_id, r.id)).collect())
}

/// Reminds both parties of each delivered trade that completes by itself within a day of
/// `now`, once each, in the same statement.
pub async fn remind_before_auto_complete(
    db: impl PgExecutor<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<u64> {
    let reminded = sqlx::query_scalar!(
        r#"with due as (
               update trades t set reminded_at = now()
               from spaces s
               where s.id = t.space_id and t.state = 'delivered' and t.reminded_at is null
                 and t.delivered_at + make_interval(days => s.auto_complete_days)
                     <= $1::timestamptz + interval '1 day'
                 and t.delivered_at + make_interval(days => s.auto_complete_days) > $1::timestamptz
               returning t.id, t.space_id, t.payer_id, t.payee_id, t.description
           )
           select count(notify_members(space_id, array[payer_id, payee_id], 'trade_reminder',
                                       'trades', null, 'trades/' || id, description)) as "n!"
           from due"#,
        now
    )
    .fetch_one(db)
    .await?;
    Ok(reminded.unsigned_abs())
}

/// The trades a member takes part in that a suspension stops: proposed, accepted, delivered.
pub async fn open_trades_of(
    conn: &mut PgConnection,
    space: SpaceId,
    member: MembershipId,
) -> sqlx::Result<Vec<TradeId>> {
    sqlx::query_scalar!(
        r#"select id as "id: TradeId" from trades
           where space_id = $1 and (payer_id = $2 or payee_id = $2)
             and state in ('proposed', 'accepted', 'delivered')
           order by id"#,
        space as SpaceId,
        member as MembershipId
    )
    .fetch_all(conn)
    .await
}

/// The trade whose hold a transfer posted (a reversal of it concerns the trade).
pub async fn trade_settled_by(
    conn: &mut PgConnection,
    space: SpaceId,
    transfer: Uuid,
) -> sqlx::Result<Option<TradeId>> {
    sqlx::query_scalar!(
        r#"select id as "id: TradeId" from trades where space_id = $1 and settled_id = $2"#,
        space as SpaceId,
        transfer
    )
    .fetch_optional(conn)
    .await
}
