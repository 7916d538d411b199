//! Sixteen members try to book one slot at the same moment, each on a connection of its
//! own: the database's exclusion constraint lets exactly one in, and the other fifteen pay
//! nothing.

use std::sync::Arc;

use sqlx::postgres::PgPoolOptions;
use swapdesk::rooms::model::BookingId;
use swapdesk::rooms::service::{self, Booked, Booker, Refusal};
use swapdesk::spaces::model::{Role, Status};
use time::macros::date;
use tokio::sync::Barrier;

use super::{NOW, World, ask};

const RACERS: usize = 16;

#[tokio::test]
async fn sixteen_attempts_at_one_slot_book_it_once_and_the_others_pay_nothing() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let mut racers = Vec::new();
    for n in 0..RACERS {
        let email: &'static str = Box::leak(format!("racer{n}@example.org").into_boxed_str());
        let (person, member) = w
            .app
            .member(w.space, email, Role::Member, Status::Active)
            .await;
        w.grant(member, 1000).await;
        racers.push(Booker {
            space: w.space,
            member,
            person,
        });
    }
    let pool = PgPoolOptions::new()
        .max_connections(RACERS as u32)
        .connect(&w.app.url)
        .await
        .unwrap();
    let mut conns = Vec::new();
    for _ in 0..RACERS {
        conns.push(pool.acquire().await.unwrap());
    }
    let wanted = ask(room, date!(2030 - 03 - 12), 10, 0, 60);
    let barrier = Arc::new(Barrier::new(RACERS));
    let tasks: Vec<_> = racers
        .iter()
        .zip(conns)
        .map(|(who, mut conn)| {
            let (who, barrier) = (*who, barrier.clone());
            tokio::spawn(async move {
                let id = BookingId(uuid::Uuid::now_v7());
                barrier.wait().await;
                service::book(&mut conn, who, id, &wanted, NOW)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    let won = results
        .iter()
        .filter(|r| matches!(r, Ok(Booked::New { .. })))
        .count();
    let taken = results
        .iter()
        .filter(|r| **r == Err(Refusal::Taken))
        .count();
    eprintln!("race: {won} booked, {taken} told the slot was taken");
    assert_eq!((won, taken), (1, RACERS - 1), "{results:?}");
    assert_eq!(w.live_bookings().await, 1);
    assert_eq!(w.transfers("booking").await, 1);
    // The winner paid 3.00; every other racer still has exactly their grant.
    let mut paid = 0;
    for who in &racers {
        let balance = ledger_balance(&w, who.member).await;
        match balance {
            1000 => {}
            700 => paid += 1,
            other => panic!("a racer's balance is {other}"),
        }
    }
    assert_eq!(paid, 1);
    let rejections: i64 = sqlx::query_scalar("select count(*) from ledger_rejections")
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(rejections, 0, "no losing racer even reached the ledger");
    w.verified().await;
}

async fn ledger_balance(w: &World, member: swapdesk::spaces::model::MembershipId) -> i64 {
    let account = swapdesk::ledger::db::member_account(&w.app.db, w.space, member)
        .await
        .unwrap()
        .unwrap();
    swapdesk::ledger::db::balance(&w.app.db, account)
        .await
        .unwrap()
        .unwrap()
        .balance()
}
