//! Member payments in batches (`ledger::batch`): a batch gives each payment the outcome it
//! would get alone, a retried batch moves nothing twice, the batcher gathers concurrent
//! payments into one statement, and a failing batch falls back to each payment alone.

use std::time::Duration;

use swapdesk::ledger::batch::{BatchConfig, Batcher};
use swapdesk::ledger::db::{self as ledger_db, PayMembers};
use swapdesk::ledger::model::{AccountId, Code, Outcome};
use swapdesk::ledger::{self, MemberPayment};
use swapdesk::spaces::model::{MembershipId, Role, SpaceId, Status};
use uuid::Uuid;

use super::{assert_verified, balance, ledger_members};
use crate::helpers::TestApp;

/// A space of four active members with limits of 10.00 and one suspended member.
struct Members {
    space: SpaceId,
    active: Vec<(MembershipId, AccountId)>,
    suspended: MembershipId,
}

async fn members(app: &TestApp, slug: &str) -> Members {
    let (space, _, active) = ledger_members(app, slug, 4, 1000).await;
    let (_, suspended) = app
        .member(
            space,
            &format!("gone@{slug}.example"),
            Role::Member,
            Status::Suspended,
        )
        .await;
    Members {
        space,
        active,
        suspended,
    }
}

/// The mixed batch, as (id number, payer, payee, amount, memo): ids are numbered so two
/// spaces can run the same script under ids of their own.
fn script(m: &Members) -> Vec<(usize, MembershipId, MembershipId, i64, &'static str)> {
    let a = |i: usize| m.active[i].0;
    vec![
        (0, a(0), a(1), 600, "accepted"),
        // Within the limit alone, but not after the payment before it: refused.
        (1, a(0), a(2), 600, "over the limit"),
        // The same id and request again: the first one's result.
        (0, a(0), a(1), 600, "accepted"),
        // The same id for another request: a conflict, and nothing moves.
        (0, a(0), a(1), 700, "accepted"),
        // Possible only because of the first payment: order counts.
        (2, a(1), a(3), 1500, "passes it on"),
        (3, a(2), m.suspended, 100, "to someone suspended"),
        (4, a(3), a(3), 100, "to themselves"),
        (5, a(2), a(0), 300, "accepted too"),
        // A refused id again: the same refusal.
        (1, a(0), a(2), 600, "over the limit"),
    ]
}

fn payments(m: &Members, ids: &[Uuid]) -> Vec<PayMembers> {
    script(m)
        .into_iter()
        .map(|(n, from, to, amount, memo)| {
            swapdesk::ledger::service::member_payment(&MemberPayment {
                id: ids[n],
                space: m.space,
                from,
                to,
                amount,
                code: Code::Gift,
                memo,
                by: None,
            })
        })
        .collect()
}

/// What an outcome says, without the ids and times that differ between spaces.
fn shape(o: &Outcome) -> String {
    match o {
        Outcome::Applied(r) => format!("applied {}", r.amount),
        Outcome::Duplicate(r) => format!("duplicate {}", r.amount),
        Outcome::Rejected(reason) => format!("rejected {reason:?}"),
        Outcome::Conflict => "conflict".to_owned(),
    }
}

async fn balances(app: &TestApp, m: &Members) -> Vec<i64> {
    let mut all = Vec::new();
    for (_, account) in &m.active {
        all.push(balance(&app.db, *account).await);
    }
    all
}

#[tokio::test]
async fn a_batch_gives_each_payment_the_outcome_it_would_get_alone() {
    let app = TestApp::new().await;
    let batched = members(&app, "batched").await;
    let alone = members(&app, "alone").await;
    let ids_batched: Vec<Uuid> = (0..6).map(|_| ledger::new_id()).collect();
    let ids_alone: Vec<Uuid> = (0..6).map(|_| ledger::new_id()).collect();

    let batch = payments(&batched, &ids_batched);
    let outcomes = ledger_db::pay_members_batch(&app.state.db, &batch)
        .await
        .unwrap();
    let mut one_by_one = Vec::new();
    for p in payments(&alone, &ids_alone) {
        one_by_one.push(ledger_db::pay_members(&app.state.db, &p).await.unwrap());
    }
    let shapes: Vec<String> = outcomes.iter().map(shape).collect();
    assert_eq!(shapes, one_by_one.iter().map(shape).collect::<Vec<_>>());
    assert_eq!(
        shapes,
        [
            "applied 600",
            "rejected InsufficientFunds",
            "duplicate 600",
            "conflict",
            "applied 1500",
            "rejected MemberNotActive",
            "rejected SameAccount",
            "applied 300",
            "rejected InsufficientFunds",
        ]
    );
    // The duplicate names the first payment's own receipt.
    assert_eq!(outcomes[0].receipt(), outcomes[2].receipt());
    assert_eq!(balances(&app, &batched).await, balances(&app, &alone).await);
    assert_eq!(balances(&app, &batched).await, [-300, -900, -300, 1500]);

    // The payees heard of each payment made, once: m1 and m3 and m0.
    let told = app
        .count(&format!(
            "select count(*) from notifications n join memberships m on m.id = n.membership_id
             where m.space_id = {} and n.kind = 'credits_gift'",
            batched.space.0
        ))
        .await;
    assert_eq!(told, 3);

    // The whole batch again, as after a lost answer: nothing moves twice.
    let transfers = app.count("select count(*) from ledger_transfers").await;
    let again = ledger_db::pay_members_batch(&app.state.db, &batch)
        .await
        .unwrap();
    let again_shapes: Vec<String> = again.iter().map(shape).collect();
    assert_eq!(
        again_shapes,
        [
            "duplicate 600",
            "rejected InsufficientFunds",
            "duplicate 600",
            "conflict",
            "duplicate 1500",
            "rejected MemberNotActive",
            "rejected SameAccount",
            "duplicate 300",
            "rejected InsufficientFunds",
        ]
    );
    assert_eq!(again[0].receipt(), outcomes[0].receipt());
    assert_eq!(again[4].receipt(), outcomes[4].receipt());
    assert_eq!(
        app.count("select count(*) from ledger_transfers").await,
        transfers
    );
    assert_eq!(balances(&app, &batched).await, balances(&app, &alone).await);
    assert_eq!(
        app.count(&format!(
            "select count(*) from notifications n join memberships m on m.id = n.membership_id
             where m.space_id = {} and n.kind = 'credits_gift'",
            batched.space.0
        ))
        .await,
        3,
        "a retry tells nobody again"
    );
    assert_verified(&app.db, batched.space).await;
    assert_verified(&app.db, alone.space).await;
}

fn gift<'a>(m: &Members, from: usize, to: usize, amount: i64, memo: &'a str) -> MemberPayment<'a> {
    MemberPayment {
        id: ledger::new_id(),
        space: m.space,
        from: m.active[from].0,
        to: m.active[to].0,
        amount,
        code: Code::Gift,
        memo,
        by: None,
    }
}

#[tokio::test]
async fn the_batcher_gathers_concurrent_payments_into_one_statement() {
    let app = TestApp::new().await;
    let m = members(&app, "gather").await;
    // The eight tasks queue their payments before the batcher's task first runs (the test's
    // runtime runs one task at a time, in turn), so the idle batcher takes them all at once.
    let batcher = std::sync::Arc::new(Batcher::new(
        app.state.db.clone(),
        BatchConfig {
            max: 8,
            window: Duration::from_millis(1),
            in_flight: 2,
        },
    ));
    let m = std::sync::Arc::new(m);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (batcher, m) = (batcher.clone(), m.clone());
        tasks.push(tokio::spawn(async move {
            batcher
                .pay(&gift(&m, i % 4, (i + 1) % 4, 100, "thanks"))
                .await
        }));
    }
    for t in tasks {
        assert!(matches!(t.await.unwrap().unwrap(), Outcome::Applied(_)));
    }
    let stats = batcher.stats();
    assert_eq!(stats.payments.get(), 8);
    assert_eq!(stats.statements.get(), 1);
    assert_eq!(stats.fallbacks.get(), 0);
    // Each of them paid 200 and received 200.
    assert_eq!(balances(&app, &m).await, [0, 0, 0, 0]);
    assert_verified(&app.db, m.space).await;
}

#[tokio::test]
async fn a_failing_batch_falls_back_to_each_payment_alone() {
    let app = TestApp::new().await;
    let m = members(&app, "fallback").await;
    let batcher = std::sync::Arc::new(Batcher::new(
        app.state.db.clone(),
        BatchConfig {
            max: 3,
            window: Duration::from_millis(1),
            in_flight: 1,
        },
    ));
    // The ledger keeps memos to 500 characters (the form to 200): this one fails the whole
    // statement, so its batch is applied one payment at a time. The three are queued
    // together, as in the test above.
    let long = "x".repeat(600);
    let m = std::sync::Arc::new(m);
    let mut tasks = Vec::new();
    for (i, memo) in ["fine", long.as_str(), "also fine"].into_iter().enumerate() {
        let (batcher, m, memo) = (batcher.clone(), m.clone(), memo.to_owned());
        tasks.push(tokio::spawn(async move {
            batcher.pay(&gift(&m, i, i + 1, 100, &memo)).await
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    assert!(matches!(results[0], Ok(Outcome::Applied(_))), "{results:?}");
    assert!(results[1].is_err(), "{results:?}");
    assert!(matches!(results[2], Ok(Outcome::Applied(_))), "{results:?}");
    assert_eq!(batcher.stats().fallbacks.get(), 1);
    assert_eq!(balances(&app, &m).await, [-100, 100, -100, 100]);
    assert_verified(&app.db, m.space).await;
}

/// Twin spaces: the same random payments, in batches in one and one by one in the other,
/// with tight limits, a limit lowered below a debt (grace), a maximum balance, a suspended
/// member, repeated and reused ids. After every batch both spaces agree on every outcome
/// and on every account's counters, grace and version.
#[tokio::test]
async fn random_batches_agree_with_the_same_payments_one_by_one() {
    let app = TestApp::new().await;
    let twins = [members(&app, "twin-a").await, members(&app, "twin-b").await];
    for m in &twins {
        // m3 owes 8.00, then its limit drops to 5.00: 3.00 of grace.
        ledger_db::pay_members(
            &app.state.db,
            &swapdesk::ledger::service::member_payment(&gift(m, 3, 0, 800, "start")),
        )
        .await
        .unwrap();
        ledger_db::set_credit_limit(&app.db, m.space, m.active[3].1, 500)
            .await
            .unwrap();
        sqlx::query("update ledger_accounts set max_balance = 1000 where id = $1")
            .bind(m.active[2].1.0)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut roll = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    // Ids by number, one set per twin; numbers repeat across batches.
    let ids: Vec<[Uuid; 2]> = (0..200)
        .map(|_| [ledger::new_id(), ledger::new_id()])
        .collect();
    let mut shapes_seen = std::collections::BTreeSet::new();
    let mut earlier: Vec<(usize, usize, usize, i64)> = Vec::new();
    for round in 0..15 {
        let mut script = Vec::new();
        for _ in 0..12 {
            let fresh = round * 12 + script.len() + 1;
            let from = roll(5) as usize;
            let to = roll(5) as usize;
            let amount = [1, 150, 400, 700, 1200, 0][roll(6) as usize];
            let entry = match roll(10) {
                // A retry of an earlier payment, as sent: the same outcome again.
                0 | 1 if !earlier.is_empty() => earlier[roll(earlier.len() as u64) as usize],
                // An earlier id for other terms: a conflict.
                2 if !earlier.is_empty() => {
                    let (n, ..) = earlier[roll(earlier.len() as u64) as usize];
                    (n, from, to, amount + 1)
                }
                _ => (fresh, from, to, amount),
            };
            script.push(entry);
        }
        earlier.extend(script.iter().copied());
        let mut outcomes: [Vec<String>; 2] = [Vec::new(), Vec::new()];
        for (twin, m) in twins.iter().enumerate() {
            let payments: Vec<PayMembers> = script
                .iter()
                .map(|&(n, from, to, amount)| {
                    let member = |i: usize| {
                        if i == 4 { m.suspended } else { m.active[i].0 }
                    };
                    swapdesk::ledger::service::member_payment(&MemberPayment {
                        id: ids[n][twin],
                        space: m.space,
                        from: member(from),
                        to: member(to),
                        amount,
                        code: Code::Gift,
                        memo: "random",
                        by: None,
                    })
                })
                .collect();
            outcomes[twin] = if twin == 0 {
                ledger_db::pay_members_batch(&app.state.db, &payments)
                    .await
                    .unwrap()
                    .iter()
                    .map(shape)
                    .collect()
            } else {
                let mut alone = Vec::new();
                for p in &payments {
                    alone.push(shape(
                        &ledger_db::pay_members(&app.state.db, p).await.unwrap(),
                    ));
                }
                alone
            };
        }
        assert_eq!(outcomes[0], outcomes[1], "round {round}: {script:?}");
        shapes_seen.extend(outcomes[0].iter().map(|s| {
            s.split(' ')
                .take(if s.starts_with("rejected") { 2 } else { 1 })
                .collect::<Vec<_>>()
                .join(" ")
        }));
        let mut states = Vec::new();
        for m in &twins {
            let mut state = Vec::new();
            for (_, account) in &m.active {
                let row: (i64, i64, i64, i64, i64) = sqlx::query_as(
                    "select credits_posted, debits_posted, debits_pending, grace, version
                     from ledger_accounts where id = $1",
                )
                .bind(account.0)
                .fetch_one(&app.db)
                .await
                .unwrap();
                state.push(row);
            }
            states.push(state);
        }
        assert_eq!(states[0], states[1], "round {round}: {script:?}");
        // And every step between: each entry's change, running balance, held amount and
        // limit with grace.
        let mut entries = Vec::new();
        for m in &twins {
            let accounts: Vec<i64> = m.active.iter().map(|(_, a)| a.0).collect();
            let rows: Vec<(i32, i64, i64, i64, i64, i64)> = sqlx::query_as(
                "select array_position($1, e.account_id), e.version, e.posted_delta,
                        e.balance_after, e.held_after, e.limit_after
                 from ledger_entries e where e.account_id = any ($1)
                 order by 1, 2",
            )
            .bind(&accounts)
            .fetch_all(&app.db)
            .await
            .unwrap();
            entries.push(rows);
        }
        assert_eq!(entries[0], entries[1], "round {round}: {script:?}");
    }
    // The script reached every kind of outcome.
    for expected in [
        "applied",
        "duplicate",
        "conflict",
        "rejected InsufficientFunds",
        "rejected ExceedsMaxBalance",
        "rejected MemberNotActive",
        "rejected SameAccount",
        "rejected InvalidAmount",
    ] {
        assert!(
            shapes_seen.contains(expected),
            "{expected} never came up: {shapes_seen:?}"
        );
    }
    for m in &twins {
        assert_verified(&app.db, m.space).await;
    }
}
