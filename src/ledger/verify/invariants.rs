//! One check per invariant of shared/LEDGER.md, each a query for the rows that break it.

use sqlx::PgPool;

use super::Check;

/// Invariant 1: a space's balances sum to zero; debits equal credits, posted and pending.
pub(super) async fn balances_sum_to_zero(db: &PgPool, s: Option<i64>) -> sqlx::Result<Check> {
    let rows = sqlx::query!(
        r#"select space_id, sum(credits_posted - debits_posted)::bigint as "sum!",
                  sum(debits_posted)::bigint as "debits!", sum(credits_posted)::bigint as "credits!",
                  sum(debits_pending)::bigint as "dpend!", sum(credits_pending)::bigint as "cpend!"
           from ledger_accounts where ($1::bigint is null or space_id = $1)
           group by space_id
           having sum(credits_posted - debits_posted) <> 0
               or sum(debits_pending) <> sum(credits_pending)"#,
        s
    )
    .fetch_all(db)
    .await?;
    Ok(Check {
        invariant: 1,
        name: "The balances add up to zero: every credit received was paid by someone, held credits included",
        problems: rows
            .iter()
            .map(|r| {
                format!(
                    "space {}: balances sum to {}; debits {} vs credits {}; pending {} vs {}",
                    r.space_id, r.sum, r.debits, r.credits, r.dpend, r.cpend
                )
            })
            .collect(),
    })
}

/// Invariant 2: no account outside [-credit_limit, max_balance], now or after any entry.
pub(super) async fn within_limits(db: &PgPool, s: Option<i64>) -> sqlx::Result<Check> {
    let rows = sqlx::query!(
        r#"select id, credits_posted - debits_posted as "balance!", debits_pending, credit_limit,
                  grace, max_balance, credits_pending
           from ledger_accounts
           where ($1::bigint is null or space_id = $1)
             and (credits_posted - debits_posted - debits_pending + credit_limit + grace < 0
                  or (max_balance is not null
                      and credits_posted - debits_posted + credits_pending > max_balance))"#,
        s
    )
    .fetch_all(db)
    .await?;
    let mut problems: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "account {}: balance {}, held {}, limit {} (+{} grace), max {:?}, incoming {}",
                r.id,
                r.balance,
                r.debits_pending,
                r.credit_limit,
                r.grace,
                r.max_balance,
                r.credits_pending
            )
        })
        .collect();
    // Not only now: after every entry in each account's history.
    let rows = sqlx::query!(
        r#"select account_id, version, balance_after, held_after, limit_after from ledger_entries
           where ($1::bigint is null or space_id = $1)
             and balance_after - held_after + limit_after < 0
           order by account_id, version
           limit 20"#,
        s
    )
    .fetch_all(db)
    .await?;
    problems.extend(rows.iter().map(|r| {
        format!(
            "account {} entry {}: balance {} with {} held went past its limit of {}",
            r.account_id, r.version, r.balance_after, r.held_after, r.limit_after
        )
    }));
    Ok(Check {
        invariant: 2,
        name: "No account ever went past its credit limit, held credits included",
        problems,
    })
}

/// Invariant 3: the cached counters equal a recomputation from the transfers.
pub(super) async fn counters_match_transfers(db: &PgPool, s: Option<i64>) -> sqlx::Result<Check> {
    let rows = sqlx::query!(
        r#"with posted as (
               select acc, sum(d)::bigint as d, sum(c)::bigint as c from (
                   select debit_account_id as acc, amount as d, 0::bigint as c from ledger_transfers
                   where kind in ('single', 'post') and ($1::bigint is null or space_id = $1)
                   union all
                   select credit_account_id, 0, amount from ledger_transfers
                   where kind in ('single', 'post') and ($1::bigint is null or space_id = $1)
               ) x group by acc
           ), open as (
               select t.debit_account_id, t.credit_account_id, t.amount from ledger_transfers t
               where t.kind = 'pending' and ($1::bigint is null or t.space_id = $1)
                 and not exists (select 1 from ledger_transfers r where r.pending_id = t.id)
           ), pend as (
               select acc, sum(d)::bigint as d, sum(c)::bigint as c from (
                   select debit_account_id as acc, amount as d, 0::bigint as c from open
                   union all select credit_account_id, 0, amount from open
               ) y group by acc
           )
           select a.id, a.debits_posted, coalesce(p.d, 0) as "want_dp!",
                  a.credits_posted, coalesce(p.c, 0) as "want_cp!",
                  a.debits_pending, coalesce(q.d, 0) as "want_dpe!",
                  a.credits_pending, coalesce(q.c, 0) as "want_cpe!"
           from ledger_accounts a
           left join posted p on p.acc = a.id
           left join pend q on q.acc = a.id
           where ($1::bigint is null or a.space_id = $1)
             and (a.debits_posted <> coalesce(p.d, 0) or a.credits_posted <> coalesce(p.c, 0)
                  or a.debits_pending <> coalesce(q.d, 0) or a.credits_pending <> coalesce(q.c, 0))"#,
        s
    )
    .fetch_all(db)
    .await?;
    Ok(Check {
        invariant: 3,
        name: "Every balance, worked out again from the transfers, matches the balance shown",
        problems: rows
            .iter()
            .map(|r| {
                format!(
                    "account {}: debits posted {} (transfers say {}), credits posted {} ({}), \
                     debits pending {} ({}), credits pending {} ({})",
                    r.id,
                    r.debits_posted,
                    r.want_dp,
                    r.credits_posted,
                    r.want_cp,
                    r.debits_pending,
                    r.want_dpe,
                    r.credits_pending,
                    r.want_cpe
                )
            })
            .collect(),
    })
}

/// Invariant 4: no id is both applied and rejected.
pub(super) async fn one_outcome_per_id(db: &PgPool, s: Option<i64>) -> sqlx::Result<Check> {
    let rows = sqlx::query_scalar!(
        r#"select t.id from ledger_transfers t
           join ledger_rejections r on r.id = t.id
           where ($1::bigint is null or t.space_id = $1)
           limit 20"#,
        s
    )
    .fetch_all(db)
    .await?;
    Ok(Check {
        invariant: 4,
        name: "Every payment was either made or refused, never both",
        problems: rows
            .iter()
            .map(|id| format!("{id} is both applied and rejected"))
            .collect(),
    })
}

/// Invariant 5: the append-only triggers are on, and every transfer has its own two entries.
pub(super) async fn append_only(db: &PgPool, s: Option<i64>) -> sqlx::Result<Check> {
    let triggers = sqlx::query_scalar!(
        r#"select count(*) as "n!" from pg_trigger
           where tgname in ('ledger_transfers_append_only', 'ledger_transfers_no_truncate',
                            'ledger_entries_append_only', 'ledger_entries_no_truncate',
                            'ledger_rejections_append_only', 'ledger_rejections_no_truncate')
             and tgenabled <> 'D'"#
    )
    .fetch_one(db)
    .await?;
    let mut problems = Vec::new();
    if triggers != 6 {
        problems.push(format!(
            "only {triggers} of the 6 append-only triggers are enabled"
        ));
    }
    let rows = sqlx::query!(
        r#"select t.id, count(e.account_id) as "entries!" from ledger_transfers t
           left join ledger_entries e on e.transfer_id = t.id
           where ($1::bigint is null or t.space_id = $1)
           group by t.id having count(e.account_id) <> 2
           limit 20"#,
        s
    )
    .fetch_all(db)
    .await?;
    problems.extend(
        rows.iter()
            .map(|r| format!("transfer {} has {} entries, not 2", r.id, r.entries)),
    );
    // Entries carry no foreign keys (they cost too much on the hot path): check them here.
    let rows = sqlx::query!(
        r#"select e.account_id, e.version from ledger_entries e
           left join ledger_transfers t on t.id = e.transfer_id
           left join ledger_accounts a on a.id = e.account_id
           where ($1::bigint is null or e.space_id = $1)
             and (t.id is null or a.id is null or a.space_id <> e.space_id or t.space_id <> e.space_id
                  or e.account_id not in (t.debit_account_id, t.credit_account_id))
           limit 20"#,
        s
    )
    .fetch_all(db)
    .await?;
    problems.extend(rows.iter().map(|r| {
        format!(
            "entry {} of account {} belongs to no transfer of that account and space",
            r.version, r.account_id
        )
    }));
    Ok(Check {
        invariant: 5,
        name: "Nothing in the ledger was changed or removed afterwards, and every transfer shows on both statements",
        problems,
    })
}

/// Invariant 6: a hold resolves at most once, within its amount and time; reversals mirror.
pub(super) async fn holds_resolve_once(db: &PgPool, s: Option<i64>) -> sqlx::Result<Check> {
    let rows = sqlx::query!(
        r#"select r.id, r.kind, r.amount, h.amount as hold_amount, h.kind as hold_kind,
                  coalesce(r.created_at > h.timeout_at, false) as "late!"
           from ledger_transfers r join ledger_transfers h on h.id = r.pending_id
           where ($1::bigint is null or r.space_id = $1)
             and (h.kind <> 'pending'
                  or (r.kind = 'post' and (r.amount > h.amount or r.created_at > h.timeout_at))
                  -- A hold without a timeout (a trade's) never lapses.
                  or (r.kind = 'expire' and h.timeout_at is null)
                  or (r.kind in ('void', 'expire') and r.amount <> h.amount)
                  or r.debit_account_id <> h.debit_account_id
                  or r.credit_account_id <> h.credit_account_id)
           limit 20"#,
        s
    )
    .fetch_all(db)
    .await?;
    let mut problems: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} of {} resolves a {} hold of {} (after its timeout: {})",
                r.kind, r.id, r.amount, r.hold_kind, r.hold_amount, r.late
            )
        })
        .collect();
    let rows = sqlx::query_scalar!(
        r#"select coalesce(o.transfer_id, t.id) as "id!" from ledger_open_holds o
           full join (select id from ledger_transfers h
                      where h.kind = 'pending' and ($1::bigint is null or h.space_id = $1)
                        and not exists (select 1 from ledger_transfers r where r.pending_id = h.id)) t
             on t.id = o.transfer_id
           where (o.transfer_id is null or t.id is null)
             and ($1::bigint is null or o.space_id is null or o.space_id = $1)
           limit 20"#,
        s
    )
    .fetch_all(db)
    .await?;
    problems.extend(
        rows.iter()
            .map(|id| format!("hold {id} is open in one place and resolved in another")),
    );
    let rows = sqlx::query_scalar!(
        r#"select r.id from ledger_transfers r join ledger_transfers o on o.id = r.reverses_id
           where ($1::bigint is null or r.space_id = $1)
             and (r.amount <> o.amount or r.debit_account_id <> o.credit_account_id
                  or r.credit_account_id <> o.debit_account_id)
           limit 20"#,
        s
    )
    .fetch_all(db)
    .await?;
    problems.extend(
        rows.iter()
            .map(|id| format!("reversal {id} does not mirror what it reverses")),
    );
    Ok(Check {
        invariant: 6,
        name: "Every hold was paid or released at most once, never for more than was held, and every reversal mirrors what it undid",
        problems,
    })
}

/// Invariant 8: entry versions run 1..n and the running balance ends at the cached one.
pub(super) async fn entry_chains_run_unbroken(db: &PgPool, s: Option<i64>) -> sqlx::Result<Check> {
    let rows = sqlx::query!(
        r#"select a.id, a.version, coalesce(x.n, 0) as "n!", x.lo, x.hi,
                  coalesce(x.posted, 0) as "posted!", coalesce(x.pending, 0) as "pending!",
                  a.credits_posted - a.debits_posted as "balance!",
                  a.debits_pending + a.credits_pending as "held!", x.last_balance
           from ledger_accounts a
           left join lateral (
               select count(*) as n, min(version) as lo, max(version) as hi,
                      sum(posted_delta)::bigint as posted, sum(pending_delta)::bigint as pending,
                      (array_agg(balance_after order by version desc))[1] as last_balance
               from ledger_entries e where e.account_id = a.id
           ) x on true
           where ($1::bigint is null or a.space_id = $1)
             and (coalesce(x.n, 0) <> a.version
                  or (a.version > 0 and (x.lo <> 1 or x.hi <> a.version
                                         or x.last_balance <> a.credits_posted - a.debits_posted))
                  or coalesce(x.posted, 0) <> a.credits_posted - a.debits_posted
                  or coalesce(x.pending, 0) <> a.debits_pending + a.credits_pending)
           limit 20"#,
        s
    )
    .fetch_all(db)
    .await?;
    let mut problems: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "account {}: version {} but {} entries ({:?}..{:?}); entries sum to {} posted and {} \
                 pending, counters say {} and {}; last running balance {:?}",
                r.id, r.version, r.n, r.lo, r.hi, r.posted, r.pending, r.balance, r.held, r.last_balance
            )
        })
        .collect();
    let rows = sqlx::query!(
        r#"select account_id, version from (
               select e.account_id, e.version, e.balance_after, e.posted_delta,
                      lag(e.balance_after, 1, 0::bigint) over w as previous
               from ledger_entries e
               where ($1::bigint is null or e.space_id = $1)
               window w as (partition by e.account_id order by e.version)
           ) x where balance_after <> previous + posted_delta
           limit 20"#,
        s
    )
    .fetch_all(db)
    .await?;
    problems.extend(rows.iter().map(|r| {
        format!(
            "account {} entry {}: running balance does not follow",
            r.account_id, r.version
        )
    }));
    Ok(Check {
        invariant: 8,
        name: "Every statement runs without gaps, and its running balance ends at the account's balance",
        problems,
    })
}
