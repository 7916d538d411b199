//! Ledger queries. Money moves only through `apply`, which calls the `ledger_apply`
//! stored function: one statement, so one transaction and one round trip.

use sqlx::PgExecutor;

use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::model::PersonId;
use crate::ledger::model::{AccountId, Balance, Code, Kind, Outcome, Reason, Receipt};
use crate::spaces::model::{MembershipId, SpaceId, Status};
use crate::web::html::Choices;

/// The arguments of one ledger operation, as `ledger_apply` takes them.
#[derive(Debug, Clone)]
pub struct Apply<'a> {
    pub id: Uuid,
    pub space: SpaceId,
    pub kind: Kind,
    pub code: Option<Code>,
    pub debit: Option<AccountId>,
    pub credit: Option<AccountId>,
    pub amount: Option<i64>,
    pub pending_id: Option<Uuid>,
    pub reverses_id: Option<Uuid>,
    pub timeout_secs: Option<i32>,
    pub initiated_by: Option<PersonId>,
    pub memo: &'a str,
    pub hash: Vec<u8>,
    pub override_limits: bool,
    /// Only for seeding history: the time to record instead of now().
    pub at: Option<OffsetDateTime>,
}

/// The outcome columns both ledger functions return.
fn outcome(
    status: &str,
    reason: Option<&str>,
    id: Uuid,
    amount: Option<i64>,
    at: Option<OffsetDateTime>,
) -> Outcome {
    let receipt = match (amount, at) {
        (Some(amount), Some(at)) => Some(Receipt { id, amount, at }),
        _ => None,
    };
    match status {
        "ok" => receipt.map_or(Outcome::Conflict, Outcome::Applied),
        "duplicate" => receipt.map_or(Outcome::Conflict, Outcome::Duplicate),
        "rejected" => Outcome::Rejected(Reason::parse(reason.unwrap_or(""))),
        _ => Outcome::Conflict,
    }
}

/// A payment between two members by membership, as `ledger_pay_members` takes it.
#[derive(Debug, Clone)]
pub struct PayMembers {
    pub id: Uuid,
    pub space: SpaceId,
    pub code: Code,
    pub payer: MembershipId,
    pub payee: MembershipId,
    pub amount: i64,
    pub by: Option<PersonId>,
    pub memo: String,
    pub hash: Vec<u8>,
}

/// A payment between two members by membership, in one round trip (`ledger_pay_members`).
pub async fn pay_members(db: impl PgExecutor<'_>, p: &PayMembers) -> sqlx::Result<Outcome> {
    // The payee hears of a payment in the same statement, so in the same transaction: a
    // first application tells them, a duplicate or a refusal tells nobody.
    let row = sqlx::query!(
        r#"with paid as materialized (
               select * from ledger_pay_members($1, $2, $3, $4, $5, $6, $7, $8, $9)
           )
           select status as "status!", reason, transfer_id as "transfer_id!", amount, created_at,
                  case when status = 'ok' and $3 = 'gift' then
                      notify_members($2, array[$5], 'credits_gift', 'credits', $4,
                                     'credits', to_char(amount / 100.0, 'FM999999990.00'))
                  end as told
           from paid"#,
        p.id,
        p.space as SpaceId,
        p.code as Code,
        p.payer as MembershipId,
        p.payee as MembershipId,
        p.amount,
        p.by as Option<PersonId>,
        p.memo,
        p.hash
    )
    .fetch_one(db)
    .await?;
    Ok(outcome(
        &row.status,
        row.reason.as_deref(),
        row.transfer_id,
        row.amount,
        row.created_at,
    ))
}

/// Many member payments in one statement, so one transaction (`ledger_pay_members_batch`):
/// each applied as `pay_members` would apply it alone, in order, each payee told of theirs.
/// The outcomes come back in the order of `payments`.
pub async fn pay_members_batch(
    db: impl PgExecutor<'_>,
    payments: &[PayMembers],
) -> sqlx::Result<Vec<Outcome>> {
    let ids: Vec<Uuid> = payments.iter().map(|p| p.id).collect();
    let spaces: Vec<i64> = payments.iter().map(|p| p.space.0).collect();
    let codes: Vec<String> = payments
        .iter()
        .map(|p| p.code.as_str().to_owned())
        .collect();
    let payers: Vec<i64> = payments.iter().map(|p| p.payer.0).collect();
    let payees: Vec<i64> = payments.iter().map(|p| p.payee.0).collect();
    let amounts: Vec<i64> = payments.iter().map(|p| p.amount).collect();
    let by: Vec<Option<i64>> = payments.iter().map(|p| p.by.map(|b| b.0)).collect();
    let memos: Vec<String> = payments.iter().map(|p| p.memo.clone()).collect();
    let hashes: Vec<Vec<u8>> = payments.iter().map(|p| p.hash.clone()).collect();
    // The payees of the payments made are told in the same statement, all at once.
    let rows = sqlx::query!(
        r#"with paid as materialized (
               select * from ledger_pay_members_batch($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ), told as materialized (
               select notify_each(array_agg(space_id order by ord), array_agg(payee order by ord),
                                  'credits_gift', 'credits', array_agg(payer order by ord),
                                  'credits',
                                  array_agg(to_char(amount / 100.0, 'FM999999990.00') order by ord))
                      as notified
               from paid where status = 'ok' and code = 'gift'
           )
           select ord as "ord!", status as "status!", reason, transfer_id as "transfer_id!",
                  amount, created_at, notified
           from paid cross join told"#,
        &ids,
        &spaces,
        &codes,
        &payers,
        &payees,
        &amounts,
        &by as &[Option<i64>],
        &memos,
        &hashes
    )
    .fetch_all(db)
    .await?;
    let mut outcomes: Vec<(i32, Outcome)> = rows
        .into_iter()
        .map(|r| {
            let o = outcome(
                &r.status,
                r.reason.as_deref(),
                r.transfer_id,
                r.amount,
                r.created_at,
            );
            (r.ord, o)
        })
        .collect();
    outcomes.sort_by_key(|(ord, _)| *ord);
    Ok(outcomes.into_iter().map(|(_, o)| o).collect())
}

pub async fn apply(db: impl PgExecutor<'_>, a: &Apply<'_>) -> sqlx::Result<Outcome> {
    let row = sqlx::query!(
        r#"select status as "status!", reason, transfer_id as "transfer_id!", amount, created_at
           from ledger_apply($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"#,
        a.id,
        a.space as SpaceId,
        a.kind as Kind,
        a.code as Option<Code>,
        a.debit as Option<AccountId>,
        a.credit as Option<AccountId>,
        a.amount,
        a.pending_id,
        a.reverses_id,
        a.timeout_secs,
        a.initiated_by as Option<PersonId>,
        a.memo,
        a.hash,
        a.override_limits,
        a.at
    )
    .fetch_one(db)
    .await?;
    Ok(outcome(
        &row.status,
        row.reason.as_deref(),
        row.transfer_id,
        row.amount,
        row.created_at,
    ))
}

pub async fn balance(db: impl PgExecutor<'_>, account: AccountId) -> sqlx::Result<Option<Balance>> {
    sqlx::query_as!(
        Balance,
        r#"select id as "account: AccountId", credit_limit, max_balance, debits_pending,
                  debits_posted, credits_pending, credits_posted
           from ledger_accounts where id = $1"#,
        account as AccountId
    )
    .fetch_optional(db)
    .await
}

pub async fn balances(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<Vec<Balance>> {
    sqlx::query_as!(
        Balance,
        r#"select id as "account: AccountId", credit_limit, max_balance, debits_pending,
                  debits_posted, credits_pending, credits_posted
           from ledger_accounts where space_id = $1 order by id"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await
}

pub async fn space_account(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<AccountId> {
    sqlx::query_scalar!(
        r#"select id as "id: AccountId" from ledger_accounts where space_id = $1 and code = 'space'"#,
        space as SpaceId
    )
    .fetch_one(db)
    .await
}

pub async fn member_account(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    membership: MembershipId,
) -> sqlx::Result<Option<AccountId>> {
    sqlx::query_scalar!(
        r#"select id as "id: AccountId" from ledger_accounts
           where space_id = $1 and membership_id = $2"#,
        space as SpaceId,
        membership as MembershipId
    )
    .fetch_optional(db)
    .await
}

/// A member of the space as the ledger pages list them.
#[derive(Debug, Clone)]
pub struct MemberAccount {
    pub membership_id: MembershipId,
    pub display_name: String,
    pub headline: String,
    pub status: Status,
    pub account: AccountId,
    pub credit_limit: i64,
    pub balance: i64,
    pub held: i64,
}

impl MemberAccount {
    /// What the member could spend now (see `model::available`).
    pub fn available(&self) -> i64 {
        crate::ledger::model::available(self.balance, self.held, self.credit_limit)
    }
}

pub async fn member_accounts(
    db: impl PgExecutor<'_>,
    space: SpaceId,
) -> sqlx::Result<Vec<MemberAccount>> {
    sqlx::query_as!(
        MemberAccount,
        r#"select m.id as "membership_id: MembershipId", p.display_name, m.headline,
                  m.status as "status: Status", a.id as "account: AccountId", a.credit_limit,
                  a.credits_posted - a.debits_posted as "balance!", a.debits_pending as held
           from memberships m
           join people p on p.id = m.person_id
           join ledger_accounts a on a.space_id = m.space_id and a.membership_id = m.id
           where m.space_id = $1 and m.status <> 'pending'
           order by lower(p.display_name), m.id"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await
}

/// Members of the space by membership, in one query: a payment's payer and payee.
pub async fn member_accounts_by_membership(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    memberships: &[MembershipId],
) -> sqlx::Result<Vec<MemberAccount>> {
    let ids: Vec<i64> = memberships.iter().map(|m| m.0).collect();
    sqlx::query_as!(
        MemberAccount,
        r#"select m.id as "membership_id: MembershipId", p.display_name, m.headline,
                  m.status as "status: Status", a.id as "account: AccountId", a.credit_limit,
                  a.credits_posted - a.debits_posted as "balance!", a.debits_pending as held
           from memberships m
           join people p on p.id = m.person_id
           join ledger_accounts a on a.space_id = m.space_id and a.membership_id = m.id
           where m.space_id = $1 and m.id = any($2)"#,
        space as SpaceId,
        &ids
    )
    .fetch_all(db)
    .await
}

/// One member of the space, for a payment to them.
pub async fn member_account_by_membership(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    membership: MembershipId,
) -> sqlx::Result<Option<MemberAccount>> {
    Ok(member_accounts_by_membership(db, space, &[membership])
        .await?
        .pop())
}

/// Sets a credit limit. Lowering it below what the account already owes is allowed: the
/// excess becomes grace, so the account stays valid but cannot spend until it earns. Grace
/// grows by at most what the limit shrank, so it can never hide an overdraft.
pub async fn set_credit_limit(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    account: AccountId,
    limit: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select ledger_set_credit_limit($1, $2, $3) as "changed!""#,
        space as SpaceId,
        account as AccountId,
        limit
    )
    .fetch_one(db)
    .await
}

pub async fn set_default_limit(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    limit: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update spaces set default_credit_limit = $2 where id = $1",
        space as SpaceId,
        limit
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn default_limit(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "select default_credit_limit from spaces where id = $1",
        space as SpaceId
    )
    .fetch_one(db)
    .await
}

/// Holds past their timeout, by the database clock.
pub async fn due_holds(db: impl PgExecutor<'_>, limit: i64) -> sqlx::Result<Vec<(Uuid, SpaceId)>> {
    let rows = sqlx::query!(
        r#"select transfer_id, space_id as "space_id: SpaceId" from ledger_open_holds
           where timeout_at <= now() order by timeout_at limit $1"#,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.transfer_id, r.space_id))
        .collect())
}

/// Closes a member's account if it holds nothing (`ledger_close_account`); false otherwise.
pub async fn close_account(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    account: AccountId,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select ledger_close_account($1, $2) as "closed!""#,
        space as SpaceId,
        account as AccountId
    )
    .fetch_one(db)
    .await
}
