//! Paying and refunding through the ledger, with verify passing after each step; free
//! rooms, short credit, a form sent twice, overlaps, retired rooms and admins' refunds.

use swapdesk::rooms::db as rooms_db;
use swapdesk::rooms::service::{Booked, Cancelled, Refusal};
use time::macros::date;

use super::{NOW, World, ask};

#[tokio::test]
async fn booking_pays_the_space_and_cancelling_before_the_cutoff_refunds_in_full() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let id = w
        .booked(w.bea, &ask(room, date!(2030 - 03 - 12), 10, 0, 90))
        .await;
    // 1.5 hours at 3.00 an hour, from Bea's account to the space's, as one transfer whose
    // id is the booking's.
    assert_eq!(w.balance(w.bea).await.balance(), -450);
    assert_eq!(w.transfers("booking").await, 1);
    let paid: String = sqlx::query_scalar("select code from ledger_transfers where id = $1")
        .bind(id.0)
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(paid, "booking");
    w.verified().await;

    assert_eq!(
        w.cancel_at(w.bea, false, id, NOW).await,
        Cancelled::Refunded(450)
    );
    assert_eq!(w.balance(w.bea).await.balance(), 0);
    assert_eq!(w.transfers("refund").await, 1);
    assert_eq!(w.live_bookings().await, 0);
    w.verified().await;

    // Cancelling again refunds nothing more.
    assert_eq!(
        w.cancel_at(w.bea, false, id, NOW).await,
        Cancelled::AlreadyCancelled
    );
    assert_eq!(w.transfers("refund").await, 1);
    assert_eq!(w.balance(w.bea).await.balance(), 0);
    w.verified().await;
}

#[tokio::test]
async fn a_confirmed_booking_waits_in_the_members_inbox() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    w.booked(w.bea, &ask(room, date!(2030 - 03 - 12), 10, 0, 60))
        .await;
    let about: String = sqlx::query_scalar(
        "select about from notifications where membership_id = $1 and kind = 'booking_confirmed'",
    )
    .bind(w.bea.member.0)
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(about, "Meeting room, Tue 12 Mar 2030, 10:00 to 11:00");
}

#[tokio::test]
async fn a_free_room_books_and_cancels_without_moving_credits() {
    let w = World::new().await;
    let room = w.room("Phone booth", 0, 15).await;
    let (id, done) = w
        .book_at(w.bea, &ask(room, date!(2030 - 03 - 12), 9, 15, 45), NOW)
        .await;
    assert_eq!(done, Ok(Booked::New { id, price: 0 }));
    assert_eq!(w.transfers("booking").await, 0);
    assert_eq!(
        w.cancel_at(w.bea, false, id, NOW).await,
        Cancelled::NotRefunded
    );
    assert_eq!(w.transfers("refund").await, 0);
    assert_eq!(w.balance(w.bea).await.balance(), 0);
    w.verified().await;
}

#[tokio::test]
async fn a_member_without_enough_credit_books_nothing_and_pays_nothing() {
    let w = World::new().await;
    let room = w.room("Workshop", 1500, 60).await;
    w.limit(w.bea.member, 0).await;
    w.grant(w.bea.member, 1000).await;
    let wanted = ask(room, date!(2030 - 03 - 12), 10, 0, 120);
    let (_, done) = w.book_at(w.bea, &wanted, NOW).await;
    assert_eq!(done, Err(Refusal::ShortOfCredit));
    assert_eq!(
        Refusal::ShortOfCredit.message(),
        swapdesk::messages::OVER_LIMIT
    );
    assert_eq!(w.live_bookings().await, 0);
    assert_eq!(w.transfers("booking").await, 0);
    assert_eq!(w.balance(w.bea).await.balance(), 1000);
    // Nothing holds the slot: another member books it at once.
    w.grant(w.cy.member, 1000).await;
    w.booked(w.cy, &wanted).await;
    w.verified().await;
}

#[tokio::test]
async fn the_same_form_sent_twice_books_and_pays_once() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let wanted = ask(room, date!(2030 - 03 - 12), 10, 0, 60);
    let id = swapdesk::rooms::model::BookingId(uuid::Uuid::now_v7());
    let mut conn = w.app.state.db.acquire().await.unwrap();
    let first = swapdesk::rooms::service::book(&mut conn, w.booker(w.bea), id, &wanted, NOW)
        .await
        .unwrap();
    let second = swapdesk::rooms::service::book(&mut conn, w.booker(w.bea), id, &wanted, NOW)
        .await
        .unwrap();
    assert_eq!(first, Ok(Booked::New { id, price: 300 }));
    assert_eq!(second, Ok(Booked::Again { id }));
    assert_eq!(w.live_bookings().await, 1);
    assert_eq!(w.transfers("booking").await, 1);
    assert_eq!(w.balance(w.bea).await.balance(), -300);
    w.verified().await;
}

#[tokio::test]
async fn an_overlapping_booking_is_refused_and_pays_nothing() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let day = date!(2030 - 03 - 12);
    w.booked(w.bea, &ask(room, day, 10, 0, 60)).await;
    let (_, done) = w.book_at(w.cy, &ask(room, day, 10, 30, 60), NOW).await;
    assert_eq!(done, Err(Refusal::Taken));
    assert_eq!(w.balance(w.cy).await.balance(), 0);
    // Back to back is fine, and so is the same time in another room.
    w.booked(w.cy, &ask(room, day, 11, 0, 30)).await;
    let other = w.room("Phone booth", 100, 30).await;
    w.booked(w.cy, &ask(other, day, 10, 0, 60)).await;
    assert_eq!(w.transfers("booking").await, 3);
    w.verified().await;
}

#[tokio::test]
async fn nobody_cancels_someone_elses_booking_but_an_admin() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let id = w
        .booked(w.bea, &ask(room, date!(2030 - 03 - 12), 10, 0, 60))
        .await;
    assert_eq!(w.cancel_at(w.cy, false, id, NOW).await, Cancelled::NotFound);
    assert_eq!(w.live_bookings().await, 1);
    assert_eq!(
        w.cancel_at(w.ana, true, id, NOW).await,
        Cancelled::Refunded(300)
    );
    w.verified().await;
}

#[tokio::test]
async fn a_retired_room_keeps_its_bookings_until_an_admin_cancels_them_with_a_refund() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let day = date!(2030 - 03 - 12);
    let id = w.booked(w.bea, &ask(room, day, 10, 0, 60)).await;
    assert!(
        rooms_db::set_retired(&w.app.db, w.space, room, true)
            .await
            .unwrap()
    );
    let (_, done) = w.book_at(w.cy, &ask(room, day, 14, 0, 60), NOW).await;
    assert_eq!(done, Err(Refusal::Retired));
    assert_eq!(w.live_bookings().await, 1);

    // An hour before the start, well past the cutoff, an admin's cancel still refunds in
    // full, and Bea hears of it.
    let late = time::macros::datetime!(2030-03-12 08:00 UTC);
    assert_eq!(
        w.cancel_at(w.ana, true, id, late).await,
        Cancelled::Refunded(300)
    );
    assert_eq!(w.balance(w.bea).await.balance(), 0);
    let told: i64 = sqlx::query_scalar(
        "select count(*) from notifications where membership_id = $1 and kind = 'booking_refunded'",
    )
    .bind(w.bea.member.0)
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(told, 1);
    w.verified().await;

    // Restored, it takes bookings again.
    rooms_db::set_retired(&w.app.db, w.space, room, false)
        .await
        .unwrap();
    w.booked(w.cy, &ask(room, day, 14, 0, 60)).await;
}
