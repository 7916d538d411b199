//! The overview's figures, each section one aggregate query. Weeks start on Monday on the
//! space's own clock (`spaces.time_zone`); "the window" is the chosen number of whole weeks
//! up to and including this one.
//!
//! Money and exchanges are read from the ledger, the one record of what moved:
//! - a trade completed is a hold posted (kind `post`, code `trade`: a confirmation, an
//!   auto-completion or a dispute resolved with payment);
//! - an exchange is a trade completed or a gift (kind `single`, code `gift`) between two
//!   members; active traders are the members on either side of one;
//! - credits moved are every posted amount (single or post) except reversals.

use serde::{Deserialize, Serialize};
use sqlx::PgExecutor;

use crate::spaces::model::{MembershipId, SpaceId};

/// One week of the activity and trade charts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Week {
    pub week: time::Date,
    /// Members (active or suspended, not applicants) who had joined by the week's end.
    pub members: i64,
    pub new_members: i64,
    pub active_traders: i64,
    pub trades: i64,
    /// Hundredths of a credit.
    pub credits: i64,
}

pub async fn weeks(db: impl PgExecutor<'_>, space: SpaceId, weeks: i32) -> sqlx::Result<Vec<Week>> {
    sqlx::query_as!(
        Week,
        r#"with s as (select time_zone as tz from spaces where id = $1),
           w as (select g::timestamp as week, g::timestamp at time zone s.tz as starts,
                        row_number() over (order by g) as i
                 from s, generate_series(date_trunc('week', now() at time zone s.tz)
                                             - make_interval(weeks => $2 - 1),
                                         date_trunc('week', now() at time zone s.tz),
                                         interval '1 week') g),
           -- Weeks as moments, for width_bucket's binary search: no time zone sums per row.
           edges as (select array_agg(starts order by starts) as starts, min(starts) as since
                     from w),
           joined as (select width_bucket(m.created_at, e.starts) as i, count(*) as n
                      from memberships m, edges e
                      where m.space_id = $1 and m.status <> 'pending' and m.created_at >= e.since
                      group by 1),
           earlier as (select count(*) as n from memberships m, edges e
                       where m.space_id = $1 and m.status <> 'pending' and m.created_at < e.since),
           moves as (select width_bucket(t.created_at, e.starts) as i, t.amount,
                            t.debit_account_id, t.credit_account_id,
                            (t.kind = 'post' and t.code = 'trade') as trade,
                            (t.kind = 'single' and t.code = 'gift') as gift
                     from ledger_transfers t, edges e
                     where t.space_id = $1 and t.created_at >= e.since
                       and t.kind in ('single', 'post') and t.code <> 'reversal'),
           money as (select i, count(*) filter (where trade) as trades, sum(amount) as credits
                     from moves group by i),
           -- Trades and gifts are between members' accounts, one account a membership. Each
           -- account's weeks as bits (52 fit in a bigint), then a count per week: no sort of
           -- every (week, trader) pair.
           weeks_of as (select a, bit_or(bit) as mask
                        from (select debit_account_id as a, 1::bigint << (i - 1)::int as bit
                              from moves where trade or gift
                              union all
                              select credit_account_id, 1::bigint << (i - 1)::int
                              from moves where trade or gift) x
                        group by a),
           traders as (select w.i, count(*) as n from weeks_of x
                       join w on x.mask & (1::bigint << (w.i - 1)::int) <> 0
                       group by w.i)
           select w.week::date as "week!",
                  (e.n + sum(coalesce(j.n, 0)) over (order by w.i))::bigint as "members!",
                  coalesce(j.n, 0) as "new_members!",
                  coalesce(tr.n, 0) as "active_traders!",
                  coalesce(mo.trades, 0) as "trades!",
                  coalesce(mo.credits, 0)::bigint as "credits!"
           from w cross join earlier e
           left join joined j on j.i = w.i
           left join money mo on mo.i = w.i
           left join traders tr on tr.i = w.i
           order by w.i"#,
        space as SpaceId,
        weeks
    )
    .fetch_all(db)
    .await
}

/// A category or a skill, with the trades completed and listings made in the window.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Spot {
    pub name: String,
    pub trades: i64,
    pub listings: i64,
}

/// Every category with any trade or listing in the window. A trade counts for its
/// listing's category; trades without a listing count for none.
pub async fn categories(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    weeks: i32,
) -> sqlx::Result<Vec<Spot>> {
    sqlx::query_as!(
        Spot,
        r#"with s as (select time_zone as tz from spaces where id = $1),
           start as (select (date_trunc('week', now() at time zone s.tz)
                             - make_interval(weeks => $2 - 1)) at time zone s.tz as since from s),
           -- From the trades that were paid, so the work follows trades, not all transfers.
           done as (select l.category_id, count(*) as n
                    from trades tr
                    join ledger_transfers t on t.id = tr.settled_id
                    join listings l on l.id = tr.listing_id, start
                    where tr.space_id = $1 and tr.state in ('completed', 'resolved')
                      and t.created_at >= start.since and t.kind = 'post'
                    group by 1),
           listed as (select l.category_id, count(*) as n from listings l, start
                      where l.space_id = $1 and l.created_at >= start.since
                      group by 1)
           select c.name, coalesce(d.n, 0) as "trades!", coalesce(l.n, 0) as "listings!"
           from skill_categories c
           left join done d on d.category_id = c.id
           left join listed l on l.category_id = c.id
           where c.space_id = $1 and (d.n is not null or l.n is not null)
           order by 2 desc, 3 desc, c.name"#,
        space as SpaceId,
        weeks
    )
    .fetch_all(db)
    .await
}

/// The busiest skills (by name, whatever its case), the top `top` by trades and by
/// listings. A trade counts for each skill its payee (who did the work) holds in the
/// listing's category; an offer, for each skill its author holds in its category.
pub async fn skills(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    weeks: i32,
    top: i64,
) -> sqlx::Result<Vec<Spot>> {
    sqlx::query_as!(
        Spot,
        r#"with s as (select time_zone as tz from spaces where id = $1),
           start as (select (date_trunc('week', now() at time zone s.tz)
                             - make_interval(weeks => $2 - 1)) at time zone s.tz as since from s),
           done as (select tr.payee_id as member, l.category_id
                    from trades tr
                    join ledger_transfers t on t.id = tr.settled_id
                    join listings l on l.id = tr.listing_id, start
                    where tr.space_id = $1 and tr.state in ('completed', 'resolved')
                      and t.created_at >= start.since and t.kind = 'post'),
           offered as (select l.membership_id as member, l.category_id from listings l, start
                       where l.space_id = $1 and l.kind = 'offer' and l.created_at >= start.since),
           by_trades as (select lower(k.name) as key, count(*) as n
                         from done d join skills k
                           on k.membership_id = d.member and k.category_id = d.category_id
                         group by 1),
           by_listings as (select lower(k.name) as key, count(*) as n
                           from offered o join skills k
                             on k.membership_id = o.member and k.category_id = o.category_id
                           group by 1),
           named as (select lower(k.name) as key, min(k.name) as name from skills k
                     where k.space_id = $1 group by 1),
           ranked as (select n.name, coalesce(t.n, 0) as trades, coalesce(l.n, 0) as listings,
                             row_number() over (order by coalesce(t.n, 0) desc, n.key) as rt,
                             row_number() over (order by coalesce(l.n, 0) desc, n.key) as rl
                      from named n
                      left join by_trades t on t.key = n.key
                      left join by_listings l on l.key = n.key)
           select name as "name!", trades as "trades!", listings as "listings!" from ranked
           where (rt <= $3 and trades > 0) or (rl <= $3 and listings > 0)
           order by trades desc, listings desc, name"#,
        space as SpaceId,
        weeks,
        top
    )
    .fetch_all(db)
    .await
}

/// One bar of the balance histogram: members whose balance is in `[low, high)`, with the
/// spread's median and 95th percentile repeated on every row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bucket {
    pub low: i64,
    pub high: i64,
    pub members: i64,
    pub median: i64,
    pub p95: i64,
}

/// Active members' balances in `buckets` bars of equal width (a whole number of credits),
/// from the lowest balance to the highest.
pub async fn balance_buckets(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    buckets: i32,
) -> sqlx::Result<Vec<Bucket>> {
    sqlx::query_as!(
        Bucket,
        r#"with bal as (select a.credits_posted - a.debits_posted as b
                        from ledger_accounts a
                        join memberships m on m.id = a.membership_id
                        where a.space_id = $1 and a.kind = 'member' and not a.closed
                          and m.status = 'active'),
           stats as (select coalesce(floor(min(b) / 100.0) * 100, 0)::bigint as lo,
                            coalesce(max(b), 0) as hi,
                            coalesce(percentile_disc(0.5) within group (order by b), 0) as median,
                            coalesce(percentile_disc(0.95) within group (order by b), 0) as p95
                     from bal),
           frame as (select lo, greatest(ceil((hi + 1 - lo) / ($2::int * 100.0)), 1)::bigint * 100 as width,
                            median, p95 from stats),
           counted as (select width_bucket(b::numeric, f.lo::numeric, (f.lo + f.width * $2::int)::numeric, $2::int) as bucket,
                              count(*) as n
                       from bal, frame f group by 1)
           select f.lo + f.width * (g - 1) as "low!", f.lo + f.width * g as "high!",
                  coalesce(c.n, 0) as "members!", f.median as "median!", f.p95 as "p95!"
           from frame f cross join generate_series(1, $2) g
           left join counted c on c.bucket = g
           order by g"#,
        space as SpaceId,
        buckets
    )
    .fetch_all(db)
    .await
}

/// A member called out beside the balances: near their limit, or holding many credits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Standout {
    pub membership_id: MembershipId,
    pub name: String,
    pub balance: i64,
    pub held: i64,
    pub credit_limit: i64,
    /// `near_limit` or `hoarding`.
    pub flag: String,
    /// How many members carry this flag (only the first `top` of each are returned).
    pub of_flag: i64,
}

/// Near their limit: less than a tenth of their credit limit left to spend (holds count).
/// Hoarding: a positive balance in the top 5% of balances and above the space's default
/// credit limit, i.e. more than a new member may owe, kept out of circulation.
pub async fn standouts(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    top: i64,
) -> sqlx::Result<Vec<Standout>> {
    sqlx::query_as!(
        Standout,
        r#"with bal as (select m.id, p.display_name, a.credits_posted - a.debits_posted as balance,
                               a.debits_pending as held, a.credit_limit
                        from ledger_accounts a
                        join memberships m on m.id = a.membership_id
                        join people p on p.id = m.person_id
                        where a.space_id = $1 and a.kind = 'member' and not a.closed
                          and m.status = 'active'),
           p95 as (select percentile_disc(0.95) within group (order by balance) as v from bal),
           flagged as (select b.*,
                              case when b.credit_limit > 0
                                        and b.balance - b.held + b.credit_limit
                                            < b.credit_limit / 10.0 then 'near_limit'
                                   when b.balance > 0 and b.balance >= p95.v
                                        and b.balance > sp.default_credit_limit then 'hoarding'
                              end as flag,
                              case when b.balance > 0 then -b.balance
                                   else b.balance - b.held + b.credit_limit end as urgency
                       from bal b, p95, spaces sp where sp.id = $1),
           ranked as (select f.*, count(*) over (partition by flag) as of_flag,
                             row_number() over (partition by flag order by urgency, id) as r
                      from flagged f where flag is not null)
           select id as "membership_id!: MembershipId", display_name as "name!",
                  balance as "balance!", held as "held!", credit_limit as "credit_limit!",
                  flag as "flag!", of_flag as "of_flag!"
           from ranked where r <= $2
           order by flag desc, r"#,
        space as SpaceId,
        top
    )
    .fetch_all(db)
    .await
}

/// A member of the exchange network: one of the most active traders of the window.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trader {
    pub membership_id: MembershipId,
    pub name: String,
    /// Exchanges (trades completed and gifts) this member was party to.
    pub exchanges: i64,
    /// Everyone who traded in the window, and all their exchanges, drawn or not.
    pub all_traders: i64,
    pub all_exchanges: i64,
}

/// The `top` most active traders of the window, busiest first (ties by membership).
pub async fn traders(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    weeks: i32,
    top: i64,
) -> sqlx::Result<Vec<Trader>> {
    sqlx::query_as!(
        Trader,
        r#"with s as (select time_zone as tz from spaces where id = $1),
           start as (select (date_trunc('week', now() at time zone s.tz)
                             - make_interval(weeks => $2 - 1)) at time zone s.tz as since from s),
           -- Accounts, not memberships, until the last step: one account a membership.
           ex as (select t.debit_account_id as payer, t.credit_account_id as payee
                  from ledger_transfers t, start
                  where t.space_id = $1 and t.created_at >= start.since
                    and ((t.kind = 'post' and t.code = 'trade')
                         or (t.kind = 'single' and t.code = 'gift'))
                    and t.debit_account_id not in (select id from ledger_accounts
                                                   where space_id = $1 and kind = 'system')
                    and t.credit_account_id not in (select id from ledger_accounts
                                                    where space_id = $1 and kind = 'system')),
           activity as (select a, sum(n)::bigint as n
                        from (select payer as a, count(*) as n from ex group by 1
                              union all
                              select payee, count(*) from ex group by 1) x
                        group by a),
           ranked as (select a.a, a.n, row_number() over (order by a.n desc, a.a) as r,
                             count(*) over () as all_traders
                      from activity a)
           select la.membership_id as "membership_id!: MembershipId", p.display_name as "name!",
                  r.n as "exchanges!", r.all_traders as "all_traders!",
                  (select count(*) from ex) as "all_exchanges!"
           from ranked r
           join ledger_accounts la on la.id = r.a
           join memberships m on m.id = la.membership_id
           join people p on p.id = m.person_id
           where r.r <= $3
           order by r.r"#,
        space as SpaceId,
        weeks,
        top
    )
    .fetch_all(db)
    .await
}

/// A pair of traders and what passed between them in the window, either way round.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pair {
    pub a: MembershipId,
    pub b: MembershipId,
    pub trades: i64,
    pub gifts: i64,
}

/// The pairs among `among` (the drawn traders), heaviest first, at most `top` of them.
pub async fn pairs(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    weeks: i32,
    among: &[MembershipId],
    top: i64,
) -> sqlx::Result<Vec<Pair>> {
    let ids: Vec<i64> = among.iter().map(|m| m.0).collect();
    sqlx::query_as!(
        Pair,
        r#"with s as (select time_zone as tz from spaces where id = $1),
           start as (select (date_trunc('week', now() at time zone s.tz)
                             - make_interval(weeks => $2 - 1)) at time zone s.tz as since from s),
           members as (select a.id as account, a.membership_id from ledger_accounts a
                       where a.space_id = $1 and a.membership_id = any($3)),
           ex as (select least(t.debit_account_id, t.credit_account_id) as lo,
                         greatest(t.debit_account_id, t.credit_account_id) as hi, t.code
                  from ledger_transfers t, start
                  where t.space_id = $1 and t.created_at >= start.since
                    and ((t.kind = 'post' and t.code = 'trade')
                         or (t.kind = 'single' and t.code = 'gift'))
                    and t.debit_account_id in (select account from members)
                    and t.credit_account_id in (select account from members)),
           counted as (select lo, hi, count(*) filter (where code = 'trade') as trades,
                              count(*) filter (where code = 'gift') as gifts
                       from ex group by lo, hi)
           select least(d.membership_id, c.membership_id) as "a!: MembershipId",
                  greatest(d.membership_id, c.membership_id) as "b!: MembershipId",
                  x.trades as "trades!", x.gifts as "gifts!"
           from counted x
           join members d on d.account = x.lo
           join members c on c.account = x.hi
           order by x.trades + x.gifts desc, 1, 2
           limit $4"#,
        space as SpaceId,
        weeks,
        &ids,
        top
    )
    .fetch_all(db)
    .await
}
