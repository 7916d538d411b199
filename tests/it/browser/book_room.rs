//! Journey: on a phone, a member finds a free slot in a room's day grid, books it after
//! seeing the price and the cancellation rule, then cancels it before the cutoff and gets
//! the credits back.

use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::Code;
use swapdesk::ledger::{self, Payment};
use swapdesk::rooms::db::{self as rooms_db, RoomFields};
use swapdesk::rooms::model::{OpeningHours, day_text, span_text};
use swapdesk::spaces::model::{Role, SignupMode, Status};
use time::{Duration, macros::time};

use super::Journey;
use crate::helpers::TestApp;

/// A phone's width, as the checks' narrower screenshot.
async fn on_a_phone(j: &Journey) {
    j.client.set_window_size(390, 844).await.unwrap();
}

#[tokio::test]
async fn a_member_books_a_room_on_a_phone_and_cancels_before_the_cutoff() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (_, ana) = app
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let welcome = Payment {
        id: ledger::new_id(),
        space,
        from: ledger_db::space_account(&app.db, space).await.unwrap(),
        to: ledger_db::member_account(&app.db, space, ana)
            .await
            .unwrap()
            .unwrap(),
        amount: 1000,
        code: Code::Grant,
        memo: "Welcome",
        by: None,
    };
    ledger::transfer(&app.db, &welcome).await.unwrap();
    let fields = RoomFields {
        name: "Meeting room".to_owned(),
        description: "A table for eight and a screen".to_owned(),
        capacity: 8,
        price_per_hour: 300,
        slot_minutes: 30,
        hours: (1..=7)
            .map(|weekday| OpeningHours {
                weekday,
                opens: 8 * 60,
                closes: 18 * 60,
            })
            .collect(),
    };
    let mut conn = app.db.acquire().await.unwrap();
    let room = rooms_db::create_room(&mut conn, space, &fields)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let day = swapdesk::spaces::db::today(&app.db, space).await.unwrap() + Duration::days(7);
    let when = span_text(day.with_time(time!(10:00)), day.with_time(time!(11:00)));
    let Some(mut j) = Journey::start("book-room", app).await else {
        return;
    };

    j.sign_in("ana@example.org", "Ana").await;
    on_a_phone(&j).await;
    j.press("Menu for Ana").await;
    j.follow("Rooms").await;
    j.heading("Rooms").await;
    j.check("the rooms").await;
    on_a_phone(&j).await;
    j.follow("The week of Meeting room").await;
    j.heading("Meeting room: the week").await;
    j.check("the week grid").await;
    on_a_phone(&j).await;
    j.visit(&format!("/s/harbour/rooms/{room}?date={day}"))
        .await;
    j.heading("Meeting room").await;
    j.check("the day grid").await;
    on_a_phone(&j).await;
    j.follow(&format!("Book 10:00 on {}", day_text(day))).await;
    j.heading("Book a room").await;
    j.choose("How long", "1 hour").await;
    j.check("the booking form").await;
    on_a_phone(&j).await;
    j.press("Check the price").await;
    j.heading("Check and book").await;
    j.sees("Cancel at least 24 hours before the start").await;
    j.check("the price and the rule").await;
    on_a_phone(&j).await;
    j.press("Book Meeting room for 3.00 hours").await;
    j.heading("My bookings").await;
    j.sees("Your room is booked and paid").await;
    j.check("my bookings").await;
    on_a_phone(&j).await;
    j.follow(&format!("Cancel Meeting room, {when}…")).await;
    j.heading(&format!("Cancel your booking of Meeting room, {when}?"))
        .await;
    j.sees("you get 3.00 hours back in full").await;
    j.check("cancel the booking").await;
    on_a_phone(&j).await;
    j.press("Cancel the booking and get 3.00 hours back").await;
    j.heading("My bookings").await;
    j.sees("The booking is cancelled and refunded in full.")
        .await;
    j.sees("Cancelled and refunded").await;
    j.check("after cancelling").await;
    j.press("Menu for Ana").await;
    j.follow("Credits").await;
    j.heading("My credits").await;
    assert_eq!(j.figure("Balance").await, "10.00 hours");
    j.finish().await;
}
