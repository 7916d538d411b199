//! The in-app inbox: notifications written in the transaction of the event they tell of
//! (by `notify`, or by the event's own statement through `notify_members` in SQL), read
//! newest first, and a counter of unread ones on the membership kept in step.

use sqlx::PgExecutor;
use time::OffsetDateTime;

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
    pub created_at: OffsetDateTime,
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
                  n.created_at, n.read_at is not null as "read!"
           from notifications n
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

/// Saves one group's choice.
pub async fn set_preference(
    db: impl PgExecutor<'_>,
    member: MembershipId,
    group: Group,
    mode: Mode,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into notification_preferences (membership_id, grp, mode) values ($1, $2, $3)
         on conflict (membership_id, grp) do update set mode = excluded.mode",
        member as MembershipId,
        group as Group,
        mode as Mode
    )
    .execute(db)
    .await?;
    Ok(())
}
