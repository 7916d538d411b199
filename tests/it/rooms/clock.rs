//! The clock's edges, each with the clock held still: the cancellation cutoff on both sides
//! of its edge, bookings in the past, opening hours, and a daylight-saving weekend in Berlin
//! (the last Sundays of March and October 2030), where no slot is lost or doubled.

use swapdesk::rooms::db as rooms_db;
use swapdesk::rooms::model::{OpeningHours, SlotState};
use swapdesk::rooms::service::{Booked, Cancelled, Refusal};
use time::macros::{date, datetime};
use time::{Date, Duration};

use super::{NOW, World, ask, every_day};

#[tokio::test]
async fn cancelling_just_before_the_cutoff_refunds_and_from_the_cutoff_on_does_not() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let day = date!(2030 - 03 - 12);
    // 10:00 in Berlin (UTC+1 in March) is 09:00 UTC; the default cutoff is 24 hours.
    let starts = datetime!(2030-03-12 09:00 UTC);
    let cutoff = starts - Duration::hours(24);

    let id = w.booked(w.bea, &ask(room, day, 10, 0, 60)).await;
    assert_eq!(
        w.cancel_at(w.bea, false, id, cutoff - Duration::seconds(1))
            .await,
        Cancelled::Refunded(300)
    );
    w.verified().await;

    let id = w.booked(w.bea, &ask(room, day, 10, 0, 60)).await;
    assert_eq!(
        w.cancel_at(w.bea, false, id, cutoff).await,
        Cancelled::NotRefunded
    );
    assert_eq!(w.balance(w.bea).await.balance(), -300);
    w.verified().await;

    let id = w.booked(w.bea, &ask(room, day, 10, 0, 60)).await;
    assert_eq!(
        w.cancel_at(w.bea, false, id, cutoff + Duration::seconds(1))
            .await,
        Cancelled::NotRefunded
    );
    // Once it has started there is nothing to cancel.
    let id = w.booked(w.bea, &ask(room, day, 10, 0, 60)).await;
    assert_eq!(
        w.cancel_at(w.bea, false, id, starts).await,
        Cancelled::Started
    );
    assert_eq!(w.transfers("refund").await, 1);
    assert_eq!(w.balance(w.bea).await.balance(), -900);
    w.verified().await;
}

#[tokio::test]
async fn the_cutoff_follows_the_spaces_setting() {
    let w = World::new().await;
    sqlx::query("update spaces set cancel_cutoff_hours = 2 where id = $1")
        .bind(w.space.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    let room = w.room("Meeting room", 300, 30).await;
    let starts = datetime!(2030-03-12 09:00 UTC);
    let id = w
        .booked(w.bea, &ask(room, date!(2030 - 03 - 12), 10, 0, 60))
        .await;
    // Three hours ahead is before a two-hour cutoff.
    assert_eq!(
        w.cancel_at(w.bea, false, id, starts - Duration::hours(3))
            .await,
        Cancelled::Refunded(300)
    );
}

#[tokio::test]
async fn bookings_in_the_past_are_refused() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let day = date!(2030 - 03 - 12);
    // Noon in Berlin.
    let now = datetime!(2030-03-12 11:00 UTC);
    let (_, done) = w.book_at(w.bea, &ask(room, day, 10, 0, 30), now).await;
    assert_eq!(done, Err(Refusal::PastStart));
    let (_, done) = w.book_at(w.bea, &ask(room, day, 12, 0, 30), now).await;
    assert_eq!(done, Err(Refusal::PastStart));
    let yesterday = day - Duration::days(1);
    let (_, done) = w
        .book_at(w.bea, &ask(room, yesterday, 14, 0, 30), now)
        .await;
    assert_eq!(done, Err(Refusal::PastDay));
    let (_, done) = w.book_at(w.bea, &ask(room, day, 12, 30, 30), now).await;
    assert!(matches!(done, Ok(Booked::New { .. })), "{done:?}");
    assert_eq!(w.live_bookings().await, 1);
}

#[tokio::test]
async fn only_whole_slots_within_opening_hours_can_be_booked() {
    let w = World::new().await;
    let weekdays: Vec<OpeningHours> = every_day(8 * 60, 18 * 60)
        .into_iter()
        .filter(|h| h.weekday <= 5)
        .collect();
    let room = w.room_open("Meeting room", 300, 30, weekdays).await;
    let tuesday = date!(2030 - 03 - 12);
    let sunday = date!(2030 - 03 - 17);
    let cases = [
        (ask(room, tuesday, 7, 30, 30), Refusal::NotAStart),
        (ask(room, tuesday, 10, 15, 30), Refusal::NotAStart),
        (ask(room, tuesday, 18, 0, 30), Refusal::NotAStart),
        (ask(room, tuesday, 17, 30, 60), Refusal::PastClosing),
        (ask(room, tuesday, 10, 0, 45), Refusal::BadLength),
        (ask(room, tuesday, 10, 0, 0), Refusal::BadLength),
        (ask(room, tuesday, 10, 0, -30), Refusal::BadLength),
        (ask(room, tuesday, 10, 0, 24 * 60), Refusal::BadLength),
        (ask(room, sunday, 10, 0, 30), Refusal::ClosedThatDay),
        (
            ask(
                swapdesk::rooms::model::RoomId(9_999_999),
                tuesday,
                10,
                0,
                30,
            ),
            Refusal::NoSuchRoom,
        ),
    ];
    for (wanted, refusal) in cases {
        let (_, done) = w.book_at(w.bea, &wanted, NOW).await;
        assert_eq!(done, Err(refusal), "{wanted:?}");
    }
    assert_eq!(w.live_bookings().await, 0);
    assert_eq!(w.transfers("booking").await, 0);
    let (_, done) = w.book_at(w.bea, &ask(room, tuesday, 17, 30, 30), NOW).await;
    assert!(matches!(done, Ok(Booked::New { .. })), "{done:?}");
}

/// A room open from midnight to 06:00 every day, in half hours.
async fn night_room(w: &World) -> swapdesk::rooms::model::RoomId {
    w.room_open("Night studio", 200, 30, every_day(0, 6 * 60))
        .await
}

/// The day's slots: (local "HH:MM", offset from UTC in minutes), checked to follow each
/// other without a gap or an overlap.
async fn day_slots(
    w: &World,
    room: swapdesk::rooms::model::RoomId,
    day: Date,
) -> Vec<(String, i32)> {
    let slots = rooms_db::slots(
        &w.app.db,
        w.space,
        room,
        (day, day + Duration::days(1)),
        w.bea.member,
        NOW,
    )
    .await
    .unwrap();
    for pair in slots.windows(2) {
        assert_eq!(
            pair[0].starts_at + Duration::minutes(30),
            pair[1].starts_at,
            "slots must follow each other in real time"
        );
    }
    slots
        .iter()
        .map(|s| {
            (
                format!("{:02}:{:02}", s.local_start.hour(), s.local_start.minute()),
                s.utc_offset,
            )
        })
        .collect()
}

#[tokio::test]
async fn the_spring_forward_night_loses_no_slot_and_invents_none() {
    let w = World::new().await;
    let room = night_room(&w).await;
    let sunday = date!(2030 - 03 - 31);
    assert_eq!(
        day_slots(&w, room, sunday - Duration::days(1)).await.len(),
        12
    );
    let slots = day_slots(&w, room, sunday).await;
    let times: Vec<&str> = slots.iter().map(|(t, _)| t.as_str()).collect();
    // The clock jumps from 02:00 to 03:00: that hour's slots never exist, and every real
    // half hour of the night has its slot.
    assert_eq!(
        times,
        [
            "00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00",
            "05:30"
        ]
    );
    let (_, done) = w.book_at(w.bea, &ask(room, sunday, 2, 30, 30), NOW).await;
    assert_eq!(done, Err(Refusal::NotAStart));
    // An hour from 01:30 ends at 03:30 on the clock, and costs one hour.
    let id = w.booked(w.bea, &ask(room, sunday, 1, 30, 60)).await;
    let (starts, ends): (time::OffsetDateTime, time::OffsetDateTime) =
        sqlx::query_as("select lower(period), upper(period) from bookings where id = $1")
            .bind(id.0)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!(starts, datetime!(2030-03-31 00:30 UTC));
    assert_eq!(ends - starts, Duration::hours(1));
    assert_eq!(w.balance(w.bea).await.balance(), -200);
    w.verified().await;
}

#[tokio::test]
async fn the_fall_back_night_has_each_slot_once_and_both_two_oclocks_can_be_booked() {
    let w = World::new().await;
    let room = night_room(&w).await;
    let sunday = date!(2030 - 10 - 27);
    let slots = day_slots(&w, room, sunday).await;
    // From 03:00 summer time the clock goes back to 02:00: seven real hours, fourteen slots,
    // and 02:00 and 02:30 come twice, an hour apart in real time.
    assert_eq!(slots.len(), 14);
    let twice: Vec<&(String, i32)> = slots.iter().filter(|(t, _)| t.starts_with("02:")).collect();
    assert_eq!(
        twice,
        [
            &("02:00".to_owned(), 120),
            &("02:30".to_owned(), 120),
            &("02:00".to_owned(), 60),
            &("02:30".to_owned(), 60)
        ]
    );
    let mut summer = ask(room, sunday, 2, 0, 60);
    summer.utc_offset = Some(120);
    let mut winter = ask(room, sunday, 2, 0, 60);
    winter.utc_offset = Some(60);
    w.booked(w.bea, &summer).await;
    w.booked(w.cy, &winter).await;
    let grid = rooms_db::slots(
        &w.app.db,
        w.space,
        room,
        (sunday, sunday + Duration::days(1)),
        w.bea.member,
        NOW,
    )
    .await
    .unwrap();
    let states: Vec<SlotState> = grid.iter().map(|s| s.state).collect();
    assert_eq!(states.iter().filter(|s| **s == SlotState::Mine).count(), 2);
    assert_eq!(
        states.iter().filter(|s| **s == SlotState::Booked).count(),
        2
    );
    w.verified().await;
}
