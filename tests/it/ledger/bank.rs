//! The bank test of shared/LEDGER.md: many tasks move credits at once among a few accounts
//! with tight limits, then every invariant is checked; its negative control, a ledger
//! without locks, must fail the same checks; and a storm of duplicate ids.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::PgPool;
use swapdesk::ledger::batch::{BatchConfig, Batcher};
use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::{AccountId, Code, Outcome};
use swapdesk::ledger::{self, MemberPayment, Payment};
use swapdesk::spaces::model::{MembershipId, SpaceId};
use uuid::Uuid;

use super::{assert_verified, ledger_space, pay, pool_of};
use crate::helpers::TestApp;

/// Switches the database to a ledger_apply (and a batch of member payments) that checks and
/// then writes without taking any lock, and drops the limit CHECK behind it: the negative
/// control for the concurrency test.
pub async fn install_unlocked_ledger(db: &PgPool) {
    let definition: String =
        sqlx::query_scalar("select pg_get_functiondef('ledger_apply'::regproc)")
            .fetch_one(db)
            .await
            .unwrap();
    let locked = "perform pg_advisory_xact_lock(hashtextextended(p_id::text, 7210));";
    let row_locks = "order by a.id for update";
    assert!(definition.contains(locked) && definition.contains(row_locks));
    let unlocked = definition
        .replace(locked, "")
        .replace(row_locks, "order by a.id")
        // Widen the gap between the check and the write, as a slow server would.
        .replace(
            "    insert into ledger_transfers (id,",
            "    perform pg_sleep(0.002);\n    insert into ledger_transfers (id,",
        );
    sqlx::raw_sql(&unlocked).execute(db).await.unwrap();
    let batch: String =
        sqlx::query_scalar("select pg_get_functiondef('ledger_pay_members_batch'::regproc)")
            .fetch_one(db)
            .await
            .unwrap();
    let (key_locks, account_locks) = (
        "perform pg_advisory_xact_lock(v_key);",
        "order by la.id\n          for update) a;",
    );
    assert!(batch.contains(key_locks) && batch.contains(account_locks));
    let unlocked = batch
        .replace(key_locks, "null;")
        .replace(account_locks, "order by la.id) a;");
    sqlx::raw_sql(&unlocked).execute(db).await.unwrap();
    for sql in [
        "alter table ledger_accounts drop constraint ledger_accounts_within_limit",
        "alter table ledger_entries drop constraint ledger_entries_within_limit",
    ] {
        sqlx::query(sql).execute(db).await.unwrap();
    }
}

/// Without ordered locks, writers deadlock; find out in milliseconds, not PostgreSQL's
/// default second, where the role may change the setting.
async fn detect_deadlocks_quickly(url: &str) -> PgPool {
    let db_name = url.rsplit('/').next().unwrap_or_default();
    let admin = pool_of(url, 1).await;
    let _ = sqlx::query(&format!(
        "alter database \"{db_name}\" set deadlock_timeout = '20ms'"
    ))
    .execute(&admin)
    .await;
    admin.close().await;
    pool_of(url, 20).await
}

#[derive(Default)]
struct Tally {
    applied: AtomicUsize,
    rejected: AtomicUsize,
    duplicate: AtomicUsize,
    conflict: AtomicUsize,
    errors: AtomicUsize,
    reads: AtomicUsize,
    bad_reads: AtomicUsize,
    limits: AtomicUsize,
}

impl Tally {
    fn count(&self, result: sqlx::Result<Outcome>) {
        let counter = match result {
            Ok(Outcome::Applied(_)) => &self.applied,
            Ok(Outcome::Rejected(_)) => &self.rejected,
            Ok(Outcome::Duplicate(_)) => &self.duplicate,
            Ok(Outcome::Conflict) => &self.conflict,
            Err(_) => &self.errors,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// A fixed xorshift per task, so a failing run can be replayed.
struct Dice(u64);

impl Dice {
    fn for_task(task: u64) -> Self {
        Self(0x9E37_79B9_7F4A_7C15u64 ^ (task + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9))
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick(&mut self, list: &Mutex<Vec<Uuid>>) -> Option<Uuid> {
        let list = list.lock().unwrap();
        (!list.is_empty()).then(|| list[self.below(list.len() as u64) as usize])
    }
}

/// What the tasks share: the holds made and the payments done so far, for later operations
/// to post, void or reverse.
#[derive(Clone)]
struct Bank {
    pool: PgPool,
    space: SpaceId,
    accounts: Vec<AccountId>,
    /// Each account's membership, for member payments.
    memberships: Vec<MembershipId>,
    /// Standalone member payments go through a batcher of their own, as the app's do.
    batcher: Arc<Batcher>,
    tally: Arc<Tally>,
    holds: Arc<Mutex<Vec<Uuid>>>,
    paid: Arc<Mutex<Vec<Uuid>>>,
}

/// The bank test: 16 writer tasks make random transfers, batched member payments, holds,
/// posts, voids, reversals and limit changes among a few accounts with tight limits, while
/// 2 readers check that every snapshot sums to zero. Returns the tally and the batcher.
async fn bank_workload(
    pool: &PgPool,
    space: SpaceId,
    accounts: &[AccountId],
    ops_per_task: usize,
) -> (Arc<Tally>, Arc<Batcher>) {
    let mut memberships = Vec::new();
    for a in accounts {
        let m: i64 = sqlx::query_scalar("select membership_id from ledger_accounts where id = $1")
            .bind(a.0)
            .fetch_one(pool)
            .await
            .unwrap();
        memberships.push(MembershipId(m));
    }
    let batcher = Arc::new(Batcher::new(
        pool.clone(),
        BatchConfig {
            max: 6,
            window: Duration::from_millis(3),
            in_flight: 3,
        },
    ));
    let bank = Bank {
        pool: pool.clone(),
        space,
        accounts: accounts.to_vec(),
        memberships,
        batcher: batcher.clone(),
        tally: Arc::default(),
        holds: Arc::default(),
        paid: Arc::default(),
    };
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| tokio::spawn(bank.clone().read_until(done.clone())))
        .collect();
    let writers: Vec<_> = (0..16u64)
        .map(|task| tokio::spawn(bank.clone().write(task, ops_per_task)))
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    done.store(true, Ordering::Relaxed);
    for r in readers {
        r.await.unwrap();
    }
    (bank.tally, batcher)
}

impl Bank {
    async fn read_until(self, done: Arc<AtomicBool>) {
        while !done.load(Ordering::Relaxed) {
            let (sum, pending): (i64, i64) = sqlx::query_as(
                "select coalesce(sum(credits_posted - debits_posted), 0)::bigint,
                        coalesce(sum(debits_pending) - sum(credits_pending), 0)::bigint
                 from ledger_accounts where space_id = $1",
            )
            .bind(self.space.0)
            .fetch_one(&self.pool)
            .await
            .unwrap();
            self.tally.reads.fetch_add(1, Ordering::Relaxed);
            if sum != 0 || pending != 0 {
                self.tally.bad_reads.fetch_add(1, Ordering::Relaxed);
            }
            let _ = ledger_db::balances(&self.pool, self.space).await.unwrap();
        }
    }

    async fn write(self, task: u64, ops: usize) {
        let mut dice = Dice::for_task(task);
        for _ in 0..ops {
            if let Some(result) = self.random_operation(&mut dice).await {
                self.tally.count(result);
            }
        }
    }

    /// One operation, or None when there was nothing to do (no hold to resolve, nothing to
    /// reverse) or it was a limit change, which is counted apart.
    async fn random_operation(&self, dice: &mut Dice) -> Option<sqlx::Result<Outcome>> {
        let (pool, space, accounts) = (&self.pool, self.space, &self.accounts);
        let from = accounts[dice.below(accounts.len() as u64) as usize];
        let mut to = accounts[dice.below(accounts.len() as u64) as usize];
        if to == from {
            to = accounts
                [(accounts.iter().position(|a| *a == from).unwrap_or(0) + 1) % accounts.len()];
        }
        let amount = 20 + dice.below(400) as i64;
        let choice = dice.below(100);
        Some(if choice < 20 {
            let at = |a: AccountId| accounts.iter().position(|x| *x == a).unwrap_or(0);
            let p = MemberPayment {
                id: ledger::new_id(),
                space,
                from: self.memberships[at(from)],
                to: self.memberships[at(to)],
                amount,
                code: Code::Gift,
                memo: "batched",
                by: None,
            };
            let r = self.batcher.pay(&p).await;
            if matches!(r, Ok(Outcome::Applied(_))) {
                self.paid.lock().unwrap().push(p.id);
            }
            r
        } else if choice < 40 {
            let p = pay(space, from, to, amount);
            let r = ledger::transfer(pool, &p).await;
            if matches!(r, Ok(Outcome::Applied(_))) {
                self.paid.lock().unwrap().push(p.id);
            }
            r
        } else if choice < 60 {
            let p = Payment {
                code: Code::Trade,
                ..pay(space, from, to, amount)
            };
            let r = ledger::hold(pool, &p, Duration::from_secs(3600)).await;
            if matches!(r, Ok(Outcome::Applied(_))) {
                self.holds.lock().unwrap().push(p.id);
            }
            r
        } else if choice < 85 {
            let h = dice.pick(&self.holds)?;
            if choice < 75 {
                let part = if dice.below(2) == 0 { None } else { Some(50) };
                let r = ledger::post(pool, space, ledger::new_id(), h, part, None).await;
                if matches!(r, Ok(Outcome::Applied(_))) {
                    self.paid.lock().unwrap().push(h);
                }
                r
            } else {
                ledger::void(pool, space, ledger::new_id(), h, None).await
            }
        } else if choice < 95 {
            let original = dice.pick(&self.paid)?;
            // A hold id stands for its post; reversals name the post or payment.
            let target: Uuid = sqlx::query_scalar(
                "select id from ledger_transfers where id = $1 and kind = 'single'
                 union all select id from ledger_transfers where pending_id = $1 and kind = 'post'",
            )
            .bind(original)
            .fetch_optional(pool)
            .await
            .unwrap()?;
            let force = dice.below(4) == 0;
            ledger::reverse(pool, space, ledger::new_id(), target, "test", force, None).await
        } else {
            // An admin changes a limit meanwhile, sometimes below what is owed.
            let limit = [0, 300, 1000, 1500][dice.below(4) as usize];
            match ledger_db::set_credit_limit(pool, space, from, limit).await {
                Ok(_) => {
                    self.tally.limits.fetch_add(1, Ordering::Relaxed);
                    return None;
                }
                Err(err) => Err(err),
            }
        })
    }
}

async fn bank_space(app: &TestApp) -> (PgPool, SpaceId, Vec<AccountId>) {
    let pool = pool_of(&app.url, 20).await;
    let (space, system, accounts) = ledger_space(app, "bank", 6, 1000).await;
    // A little money in the system from the space account, so some accounts start positive.
    for a in &accounts[..3] {
        ledger::transfer(
            &pool,
            &Payment {
                code: Code::Grant,
                ..pay(space, system, *a, 500)
            },
        )
        .await
        .unwrap();
    }
    sqlx::query("update ledger_accounts set max_balance = 3000 where id = $1")
        .bind(accounts[5].0)
        .execute(&pool)
        .await
        .unwrap();
    (pool, space, accounts)
}

#[tokio::test]
async fn concurrent_transfers_holds_and_reversals_keep_every_invariant() {
    let app = TestApp::new().await;
    let (pool, space, accounts) = bank_space(&app).await;
    let (tally, batcher) = bank_workload(&pool, space, &accounts, 140).await;
    let total = tally.applied.load(Ordering::Relaxed)
        + tally.rejected.load(Ordering::Relaxed)
        + tally.limits.load(Ordering::Relaxed);
    eprintln!(
        "bank test: {total} operations: {} applied, {} rejected, {} limit changes, {} errors, {} snapshot reads",
        tally.applied.load(Ordering::Relaxed),
        tally.rejected.load(Ordering::Relaxed),
        tally.limits.load(Ordering::Relaxed),
        tally.errors.load(Ordering::Relaxed),
        tally.reads.load(Ordering::Relaxed)
    );
    assert!(total >= 2000, "only {total} operations ran");
    assert!(
        tally.rejected.load(Ordering::Relaxed) > 100,
        "the limits were not tight enough to bite"
    );
    assert!(tally.applied.load(Ordering::Relaxed) > 500);
    assert_eq!(
        tally.errors.load(Ordering::Relaxed),
        0,
        "every operation ends applied or refused"
    );
    assert_eq!(tally.conflict.load(Ordering::Relaxed), 0);
    assert!(tally.reads.load(Ordering::Relaxed) > 10);
    // Member payments met in batches, beside single transfers, holds and reversals.
    let stats = batcher.stats();
    let (statements, batched) = (stats.statements.get(), stats.payments.get());
    eprintln!("bank test: {batched} member payments in {statements} statements");
    assert!(
        batched > statements,
        "no two member payments shared a batch"
    );
    assert_eq!(stats.fallbacks.get(), 0);
    assert_eq!(
        tally.bad_reads.load(Ordering::Relaxed),
        0,
        "a snapshot did not sum to zero"
    );
    assert_verified(&pool, space).await;
}

#[tokio::test]
async fn the_negative_control_without_locks_is_caught_by_the_same_checks() {
    let app = TestApp::new().await;
    let (pool, space, accounts) = bank_space(&app).await;
    install_unlocked_ledger(&pool).await;
    pool.close().await;
    let pool = detect_deadlocks_quickly(&app.url).await;
    let (tally, _) = bank_workload(&pool, space, &accounts, 40).await;
    eprintln!(
        "negative control: {} applied, {} rejected, {} errors",
        tally.applied.load(Ordering::Relaxed),
        tally.rejected.load(Ordering::Relaxed),
        tally.errors.load(Ordering::Relaxed)
    );
    let report = ledger::verify(&pool, Some(space)).await.unwrap();
    eprintln!("negative control verify:\n{}", report.text());
    assert!(
        !report.ok(),
        "the unlocked ledger should have broken an invariant:\n{}",
        report.text()
    );
    let limits = report.checks.iter().find(|c| c.invariant == 2).unwrap();
    assert!(!limits.ok(), "{}", report.text());
}

#[tokio::test]
async fn a_storm_of_duplicate_ids_makes_each_transfer_once() {
    let app = TestApp::new().await;
    let pool = pool_of(&app.url, 20).await;
    let (space, _, accounts) = ledger_space(&app, "storm", 4, 100_000).await;
    let requests: Arc<Vec<Payment<'static>>> = Arc::new(
        (0..50)
            .map(|i| {
                pay(
                    space,
                    accounts[i % 4],
                    accounts[(i + 1) % 4],
                    100 + i as i64,
                )
            })
            .collect(),
    );
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (pool, requests) = (pool.clone(), requests.clone());
        tasks.push(tokio::spawn(async move {
            let mut receipts = Vec::new();
            for r in requests.iter() {
                let outcome = ledger::transfer(&pool, r).await.unwrap();
                receipts.push(outcome.receipt().cloned().expect("applied or duplicate"));
            }
            receipts
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.push(t.await.unwrap());
    }
    for receipts in &all[1..] {
        assert_eq!(receipts, &all[0], "every retry sees the original result");
    }
    let transfers: i64 =
        sqlx::query_scalar("select count(*) from ledger_transfers where space_id = $1")
            .bind(space.0)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(transfers, 50);
    assert_verified(&pool, space).await;
}
