//! The in-app inbox: notifications written in the transaction of the event they tell of
//! (by `notify`, or by the event's own statement through `notify_members` in SQL), read
//! newest first, and a counter of unread ones on the membership kept in step.

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

use crate::notify::model::{Group, Kind, Mode};
use crate::spaces::model::{MembershipId, SpaceId};

/// Who hears of an event: these members, and the space's active admins when `admins`. The
/// actor is never told of their own act, and only active members are told anything.
pub struct Notice<'a> {
    pub space: SpaceId,
    pub to: &'a [MembershipId],
    pub admins: bool,
    pub kind: Kind,
    pub actor: Option<MembershipId>,
    /// Where it leads, under /s/{slug}/ ("trades/12").
    pub link: String,
    /// A short phrase: a trade's description, a listing's title, an amount.
    pub about: &'a str,
}

/// Writes the notice to each recipient and counts it unread; call it inside the event's
/// transaction. Returns how many were told.
pub async fn notify(db: impl PgExecutor<'_>, n: &Notice<'_>) -> sqlx::Result<i32> {
    let to: Vec<i64> = n.to.iter().map(|m| m.0).collect();
    sqlx::query_scalar!(
        r#"select notify_members($1, $2::bigint[] || case when $3 then space_admins($1)
                                                      else '{}'::bigint[] end,
                                 $4, $5, $6, $7, $8) as "told!""#,
        n.space as SpaceId,
        &to,
        n.admins,
        n.kind.as_string(),
        n.kind.group() as Group,
        n.actor as Option<MembershipId>,
        n.link,
        n.about
    )
    .fetch_one(db)
    .await
}

/// Tells the member whose account transfer `transfer` credited (if a member's) that credits
/// arrived; `kind` says how (a grant, a reversal). Call it in the transfer's transaction.
pub async fn credited(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    transfer: uuid::Uuid,
    kind: Kind,
) -> sqlx::Result<i32> {
    sqlx::query_scalar!(
        r#"select coalesce(sum(notify_members($1, array[a.membership_id], $3, 'credits', null,
                                              'credits',
                                              to_char(t.amount / 100.0, 'FM999999990.00'))),
                           0)::integer as "told!"
           from ledger_transfers t
           join ledger_accounts a on a.id = t.credit_account_id and a.membership_id is not null
           where t.space_id = $1 and t.id = $2"#,
        space as SpaceId,
        transfer,
        kind.as_string()
    )
    .fetch_one(db)
    .await
}

/// One line of the inbox.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub kind: String,
    pub actor: String,
    pub link: String,
    pub about: String,
    /// On the space's clock.
    pub at: PrimitiveDateTime,
    pub read: bool,
}

/// A page of `member`'s notifications, newest first.
pub async fn entries(
    db: impl PgExecutor<'_>,
    member: MembershipId,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select n.id, n.kind, coalesce(p.display_name, '') as "actor!", n.link, n.about,
                  n.created_at at time zone s.time_zone as "at!",
                  n.read_at is not null as "read!"
           from notifications n
           join spaces s on s.id = n.space_id
           left join memberships am on am.id = n.actor_id
           left join people p on p.id = am.person_id
           where n.membership_id = $1
           order by n.id desc
           limit $2 offset $3"#,
        member as MembershipId,
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

pub async fn count(db: impl PgExecutor<'_>, member: MembershipId) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from notifications where membership_id = $1"#,
        member as MembershipId
    )
    .fetch_one(db)
    .await
}

/// Marks one of `member`'s notifications read (all of them when `id` is None), and takes
/// them off the unread counter in the same statement. Returns how many changed.
pub async fn mark_read(
    db: impl PgExecutor<'_>,
    member: MembershipId,
    id: Option<i64>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"with marked as (
               update notifications set read_at = now()
               where membership_id = $1 and read_at is null and ($2::bigint is null or id = $2)
               returning 1
           ), counted as (
               update inbox_counters
               set unread = greatest(unread - (select count(*) from marked), 0)
               where membership_id = $1
               returning 1
           )
           select count(*) as "n!" from marked"#,
        member as MembershipId,
        id
    )
    .fetch_one(db)
    .await
}

/// The link a notification of `member` leads to, if it is theirs.
pub async fn link_of(
    db: impl PgExecutor<'_>,
    member: MembershipId,
    id: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "select link from notifications where id = $1 and membership_id = $2",
        id,
        member as MembershipId
    )
    .fetch_optional(db)
    .await
}

/// `member`'s email choice for each group they may choose, with defaults filled in.
pub async fn preferences(
    db: impl PgExecutor<'_>,
    member: MembershipId,
) -> sqlx::Result<Vec<(Group, Mode)>> {
    let rows = sqlx::query!(
        r#"select grp as "grp: Group", mode as "mode: Mode"
           from notification_preferences where membership_id = $1"#,
        member as MembershipId
    )
    .fetch_all(db)
    .await?;
    Ok(Group::CHOSEN
        .into_iter()
        .map(|g| {
            let mode = rows
                .iter()
                .find(|r| r.grp == g)
                .map_or(g.default_mode(), |r| r.mode);
            (g, mode)
        })
        .collect())
}

/// Saves one group's choice (nothing, if the membership is gone).
pub async fn set_preference(
    db: impl PgExecutor<'_>,
    member: MembershipId,
    group: Group,
    mode: Mode,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into notification_preferences (membership_id, grp, mode)
         select id, $2, $3 from memberships where id = $1
         on conflict (membership_id, grp) do update set mode = excluded.mode",
        member as MembershipId,
        group as Group,
        mode as Mode
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A notification to email, with what the email needs.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub space_id: SpaceId,
    pub membership_id: MembershipId,
    pub kind: String,
    pub grp: Group,
    pub link: String,
    pub about: String,
    pub actor: String,
    pub at: PrimitiveDateTime,
    pub email: String,
    pub display_name: String,
    pub slug: String,
    pub space_name: String,
    pub currency: String,
    /// The member's choice now, and whether they may still hear from the space: a change
    /// of mind or a suspension since it was written is honoured.
    pub mode_now: Mode,
    pub active: bool,
}

/// Claims up to `limit` notifications waiting to go out by `mode` ("each", or "digest"
/// for one member's digest), written up to `now`, oldest first; `skip locked` lets several
/// instances share them. Call inside the transaction that marks them emailed.
pub async fn claim(
    db: impl PgExecutor<'_>,
    mode: Mode,
    member: Option<MembershipId>,
    now: OffsetDateTime,
    limit: i64,
) -> sqlx::Result<Vec<Outgoing>> {
    sqlx::query_as!(
        Outgoing,
        r#"select n.id, n.space_id as "space_id: SpaceId",
                  n.membership_id as "membership_id: MembershipId", n.kind,
                  n.grp as "grp: Group", n.link, n.about,
                  coalesce(ap.display_name, '') as "actor!",
                  n.created_at at time zone s.time_zone as "at!",
                  p.email, p.display_name, s.slug, s.name as space_name,
                  s.currency_name as currency,
                  coalesce(pref.mode, notification_default_mode(n.grp)) as "mode_now!: Mode",
                  m.status = 'active' as "active!"
           from notifications n
           join memberships m on m.id = n.membership_id
           join people p on p.id = m.person_id
           join spaces s on s.id = n.space_id
           left join notification_preferences pref
                  on pref.membership_id = n.membership_id and pref.grp = n.grp
           left join memberships am on am.id = n.actor_id
           left join people ap on ap.id = am.person_id
           where n.email_mode = $1 and n.emailed_at is null and n.created_at <= $3
             and ($2::bigint is null or n.membership_id = $2)
           order by n.id
           limit $4
           for update of n skip locked"#,
        mode as Mode,
        member as Option<MembershipId>,
        now,
        limit
    )
    .fetch_all(db)
    .await
}

/// Memberships with digest notifications waiting whose local day at `now` has passed
/// 08:00 and has no digest yet, with that local day.
pub async fn digests_due(
    db: impl PgExecutor<'_>,
    now: OffsetDateTime,
    limit: i64,
) -> sqlx::Result<Vec<(MembershipId, Date)>> {
    let rows = sqlx::query!(
        r#"select distinct n.membership_id as "membership_id: MembershipId",
                  ($1::timestamptz at time zone s.time_zone)::date as "local_day!"
           from notifications n
           join spaces s on s.id = n.space_id
           where n.email_mode = 'digest' and n.emailed_at is null and n.created_at <= $1
             and ($1::timestamptz at time zone s.time_zone)::time >= time '08:00'
             and not exists (
                 select 1 from notification_digests d
                 where d.membership_id = n.membership_id
                   and d.local_day = ($1::timestamptz at time zone s.time_zone)::date)
           limit $2"#,
        now,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.membership_id, r.local_day))
        .collect())
}

/// Takes the membership's digest for `day`: false when another instance (or an earlier
/// run) already has it. The row is the once-a-day guarantee.
pub async fn take_digest(
    db: impl PgExecutor<'_>,
    member: MembershipId,
    day: Date,
) -> sqlx::Result<bool> {
    let taken = sqlx::query!(
        "insert into notification_digests (membership_id, local_day) values ($1, $2)
         on conflict do nothing",
        member as MembershipId,
        day
    )
    .execute(db)
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// Records that these notifications went out (or need not, any more).
pub async fn mark_emailed(db: impl PgExecutor<'_>, ids: &[i64]) -> sqlx::Result<()> {
    sqlx::query!(
        "update notifications set emailed_at = now() where id = any($1)",
        ids
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Notes the digest's email on its row.
pub async fn digest_sent(
    db: impl PgExecutor<'_>,
    member: MembershipId,
    day: Date,
    outbox: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update notification_digests set outbox_id = $3 where membership_id = $1 and local_day = $2",
        member as MembershipId,
        day,
        outbox
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Queues a notification email with its one-click unsubscribe link.
pub async fn queue_email(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    to: &str,
    subject: &str,
    body: &str,
    unsubscribe_url: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into email_outbox (space_id, to_address, subject, body, unsubscribe_url)
         values ($1, $2, $3, $4, $5) returning id",
        space as SpaceId,
        to,
        subject,
        body,
        unsubscribe_url
    )
    .fetch_one(db)
    .await
}
