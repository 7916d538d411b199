//! Reading the ledger's history: statements with a running balance, daily balances for
//! the chart, and the admin's transfer list. Every query names its account or space.

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use crate::ledger::model::{AccountId, Code, Kind};
use crate::spaces::model::SpaceId;
use crate::web::html::Choices;

/// Filters for a statement or a transfer list. Days are the space's own: a day starts at
/// midnight in the space's time zone, as the times on its pages do.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The first day shown.
    pub from: Option<Date>,
    /// The first day no longer shown.
    pub until: Option<Date>,
    pub code: Option<Code>,
    pub account: Option<AccountId>,
    /// One transfer by its id.
    pub transfer: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct StatementLine {
    pub version: i64,
    pub at: OffsetDateTime,
    /// `at` on the space's clock.
    pub local: PrimitiveDateTime,
    pub kind: Kind,
    pub code: Code,
    pub memo: String,
    pub counterparty: String,
    pub posted_delta: i64,
    pub pending_delta: i64,
    pub balance_after: i64,
    pub transfer_id: Uuid,
}

pub async fn statement(
    db: impl PgExecutor<'_>,
    account: AccountId,
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<StatementLine>> {
    sqlx::query_as!(
        StatementLine,
        r#"select e.version, e.created_at as at, (e.created_at at time zone s.time_zone) as "local!",
                  t.kind as "kind: Kind", t.code as "code: Code", t.memo,
                  coalesce(p.display_name, 'The space') as "counterparty!",
                  e.posted_delta, e.pending_delta, e.balance_after, t.id as transfer_id
           from ledger_entries e
           join ledger_transfers t on t.id = e.transfer_id
           join spaces s on s.id = e.space_id
           join ledger_accounts o on o.id = case when t.debit_account_id = e.account_id
                                                 then t.credit_account_id
                                                 else t.debit_account_id end
           left join memberships m on m.id = o.membership_id
           left join people p on p.id = m.person_id
           where e.account_id = $1
             and ($2::date is null or e.created_at >= ($2::date::timestamp at time zone s.time_zone))
             and ($3::date is null or e.created_at < ($3::date::timestamp at time zone s.time_zone))
             and ($4::text is null or t.code = $4)
           order by e.version desc
           limit $5 offset $6"#,
        account as AccountId,
        filter.from,
        filter.until,
        filter.code.map(Code::as_str),
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

pub async fn statement_count(
    db: impl PgExecutor<'_>,
    account: AccountId,
    filter: &Filter,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from ledger_entries e
           join ledger_transfers t on t.id = e.transfer_id
           join spaces s on s.id = e.space_id
           where e.account_id = $1
             and ($2::date is null or e.created_at >= ($2::date::timestamp at time zone s.time_zone))
             and ($3::date is null or e.created_at < ($3::date::timestamp at time zone s.time_zone))
             and ($4::text is null or t.code = $4)"#,
        account as AccountId,
        filter.from,
        filter.until,
        filter.code.map(Code::as_str)
    )
    .fetch_one(db)
    .await
}

/// The balance at the end of each day with entries since `since`, and the balance before it.
pub async fn daily_balances(
    db: impl PgExecutor<'_>,
    account: AccountId,
    since: OffsetDateTime,
) -> sqlx::Result<Vec<(time::Date, i64)>> {
    let rows = sqlx::query!(
        r#"select (e.created_at at time zone 'UTC')::date as "day!",
                  (array_agg(e.balance_after order by e.version desc))[1] as "closing!"
           from ledger_entries e
           where e.account_id = $1 and e.created_at >= $2
           group by 1 order by 1"#,
        account as AccountId,
        since
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.day, r.closing)).collect())
}

pub async fn balance_before(
    db: impl PgExecutor<'_>,
    account: AccountId,
    at: OffsetDateTime,
) -> sqlx::Result<i64> {
    let found = sqlx::query_scalar!(
        "select balance_after from ledger_entries
         where account_id = $1 and created_at < $2 order by version desc limit 1",
        account as AccountId,
        at
    )
    .fetch_optional(db)
    .await?;
    Ok(found.unwrap_or(0))
}

#[derive(Debug, Clone)]
pub struct TransferLine {
    pub id: Uuid,
    pub kind: Kind,
    pub code: Code,
    pub amount: i64,
    pub memo: String,
    pub at: OffsetDateTime,
    /// `at` on the space's clock.
    pub local: PrimitiveDateTime,
    pub debit_name: String,
    pub credit_name: String,
    pub reversed: bool,
    pub reverses_id: Option<Uuid>,
    pub pending_id: Option<Uuid>,
}

pub async fn transfers(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<TransferLine>> {
    sqlx::query_as!(
        TransferLine,
        r#"select t.id, t.kind as "kind: Kind", t.code as "code: Code", t.amount, t.memo,
                  t.created_at as at, (t.created_at at time zone s.time_zone) as "local!",
                  coalesce(dp.display_name, 'The space') as "debit_name!",
                  coalesce(cp.display_name, 'The space') as "credit_name!",
                  exists (select 1 from ledger_transfers r where r.reverses_id = t.id) as "reversed!",
                  t.reverses_id, t.pending_id
           from ledger_transfers t
           join spaces s on s.id = t.space_id
           join ledger_accounts da on da.id = t.debit_account_id
           left join memberships dm on dm.id = da.membership_id
           left join people dp on dp.id = dm.person_id
           join ledger_accounts ca on ca.id = t.credit_account_id
           left join memberships cm on cm.id = ca.membership_id
           left join people cp on cp.id = cm.person_id
           where t.space_id = $1
             and ($2::date is null or t.created_at >= ($2::date::timestamp at time zone s.time_zone))
             and ($3::date is null or t.created_at < ($3::date::timestamp at time zone s.time_zone))
             and ($4::text is null or t.code = $4)
             and ($5::bigint is null or t.debit_account_id = $5 or t.credit_account_id = $5)
             and ($8::uuid is null or t.id = $8)
           order by t.created_at desc, t.id desc
           limit $6 offset $7"#,
        space as SpaceId,
        filter.from,
        filter.until,
        filter.code.map(Code::as_str),
        filter.account.map(|a| a.0),
        limit,
        offset,
        filter.transfer
    )
    .fetch_all(db)
    .await
}

pub async fn transfer_count(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    filter: &Filter,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from ledger_transfers t
           join spaces s on s.id = t.space_id
           where t.space_id = $1
             and ($2::date is null or t.created_at >= ($2::date::timestamp at time zone s.time_zone))
             and ($3::date is null or t.created_at < ($3::date::timestamp at time zone s.time_zone))
             and ($4::text is null or t.code = $4)
             and ($5::bigint is null or t.debit_account_id = $5 or t.credit_account_id = $5)"#,
        space as SpaceId,
        filter.from,
        filter.until,
        filter.code.map(Code::as_str),
        filter.account.map(|a| a.0)
    )
    .fetch_one(db)
    .await
}

pub async fn transfer(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: Uuid,
) -> sqlx::Result<Option<TransferLine>> {
    let filter = Filter {
        transfer: Some(id),
        ..Filter::default()
    };
    Ok(transfers(db, space, &filter, 1, 0).await?.pop())
}

/// The space's time zone, as its pages and exports name it ("Europe/Lisbon").
pub async fn time_zone(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<String> {
    sqlx::query_scalar!(
        "select time_zone from spaces where id = $1",
        space as SpaceId
    )
    .fetch_one(db)
    .await
}
