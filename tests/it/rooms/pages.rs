//! The rooms' pages through the router: booking a free slot from the grid and cancelling
//! it, the calendar file, bad input (422, the form refilled, nothing written) and short
//! credit.

use axum::http::StatusCode;
use time::{Date, Duration};

use super::World;
use crate::helpers::{Browser, Page};

/// A week from today on the space's clock: open, and never in the past.
pub async fn next_week(w: &World) -> Date {
    swapdesk::spaces::db::today(&w.app.db, w.space)
        .await
        .unwrap()
        + Duration::days(7)
}

/// The value of a hidden field.
fn hidden(page: &Page, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.body.find(&marker).expect("no such field") + marker.len();
    let end = page.body[start..].find('"').unwrap();
    page.body[start..start + end].to_owned()
}

async fn count(w: &World, sql: &str) -> i64 {
    w.app.count(sql).await
}

#[tokio::test]
async fn a_member_books_a_free_slot_from_the_grid_and_cancels_it_before_the_cutoff() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let day = next_week(&w).await;
    let mut bea = w.app.signed_in(w.bea.email).await;

    let rooms = bea.get("/s/harbour/rooms").await;
    assert_eq!(rooms.status, StatusCode::OK);
    assert!(rooms.has("Meeting room") && rooms.has("3.00 hours an hour"));
    let grid = bea
        .get(&format!("/s/harbour/rooms/{room}?date={day}"))
        .await;
    assert!(grid.has("<th scope=\"row\">10:00 to 10:30</th>"));
    let link =
        format!("/s/harbour/rooms/book?room={room}&#38;date={day}&#38;start=10:00&#38;length=30");
    assert!(grid.has(&link), "{}", grid.body);
    let week = bea
        .get(&format!("/s/harbour/rooms/{room}/week?from={day}"))
        .await;
    assert_eq!(week.status, StatusCode::OK);
    assert!(week.has("role=\"region\"") && week.has("tabindex=\"0\""));

    let form = bea
        .get(&format!(
            "/s/harbour/rooms/book?room={room}&date={day}&start=10:00&length=60"
        ))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.has(&format!("value=\"{day}\"")));
    let fields = [
        ("room", room.to_string()),
        ("date", day.to_string()),
        ("start", "10:00".to_owned()),
        ("length", "60".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let check = bea.post("/s/harbour/rooms/book", &fields).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.has("Book Meeting room for 3.00 hours"));
    assert!(check.has("Cancel at least 24 hours before the start (by "));
    let id = hidden(&check, "id");
    let mut confirm = fields.clone();
    confirm.push(("id", &id));
    for _ in 0..2 {
        let booked = bea.post("/s/harbour/rooms/book/confirm", &confirm).await;
        assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
        assert_eq!(booked.location(), "/s/harbour/rooms/bookings");
    }
    assert_eq!(w.live_bookings().await, 1);
    assert_eq!(w.transfers("booking").await, 1);
    assert_eq!(w.balance(w.bea).await.balance(), -300);

    let mine = bea.get("/s/harbour/rooms/bookings").await;
    assert!(mine.has("Your room is booked and paid"));
    assert!(mine.has("Meeting room") && mine.has("10:00 to 11:00"));
    let grid = bea
        .get(&format!("/s/harbour/rooms/{room}?date={day}"))
        .await;
    assert!(grid.has("Booked by you"));
    let theirs = w
        .app
        .signed_in(w.cy.email)
        .await
        .get(&format!("/s/harbour/rooms/{room}?date={day}"))
        .await;
    assert!(theirs.has(">Booked<") && !theirs.has("Booked by you"));

    let ics = bea
        .get(&format!("/s/harbour/rooms/bookings/{id}/calendar.ics"))
        .await;
    assert_eq!(ics.status, StatusCode::OK);
    assert_eq!(ics.headers["content-type"], "text/calendar; charset=utf-8");
    assert!(ics.body.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.body.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !ics.body.replace("\r\n", "").contains('\n'),
        "bare line feeds"
    );
    assert!(ics.has(&format!("UID:booking-{id}@swapdesk.test\r\n")));
    assert!(ics.has("SUMMARY:Meeting room booked\r\n"));
    assert!(ics.has("LOCATION:Meeting room\\, Space harbour\r\n"));
    let start_line = ics
        .body
        .lines()
        .find(|l| l.starts_with("DTSTART:"))
        .unwrap();
    assert!(start_line.ends_with('Z') && start_line.len() == "DTSTART:20300312T090000Z".len());
    // Nobody else can download it.
    let mut cy = w.app.signed_in(w.cy.email).await;
    let other = cy
        .get(&format!("/s/harbour/rooms/bookings/{id}/calendar.ics"))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    let ask = bea
        .get(&format!("/s/harbour/rooms/bookings/{id}/cancel"))
        .await;
    assert!(ask.has("so you get 3.00 hours back in full"));
    let cancelled = bea
        .post(&format!("/s/harbour/rooms/bookings/{id}/cancel"), &[])
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    assert_eq!(w.balance(w.bea).await.balance(), 0);
    let mine = bea.get("/s/harbour/rooms/bookings").await;
    assert!(mine.has("The booking is cancelled and refunded in full."));
    assert!(mine.has("Cancelled and refunded"));
    w.verified().await;
}

/// Sends the booking form with some fields changed from a good booking.
async fn send(
    b: &mut Browser,
    path: &str,
    base: &[(&str, String)],
    change: &[(&str, &str)],
) -> Page {
    let mut fields: Vec<(&str, &str)> = base
        .iter()
        .filter(|(k, _)| !change.iter().any(|(c, _)| c == k))
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    fields.extend_from_slice(change);
    b.post(path, &fields).await
}

/// The field refused, the fields changed, and a value the page must keep.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn bad_input_on_the_booking_form_gets_a_422_with_the_form_refilled() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let retired = w.room("Old store", 100, 30).await;
    swapdesk::rooms::db::set_retired(&w.app.db, w.space, retired, true)
        .await
        .unwrap();
    let day = next_week(&w).await;
    let (room_s, retired_s, day_s) = (room.to_string(), retired.to_string(), day.to_string());
    let base = [
        ("room", room_s.clone()),
        ("date", day_s.clone()),
        ("start", "10:00".to_owned()),
        ("length", "60".to_owned()),
        ("id", uuid::Uuid::now_v7().to_string()),
    ];
    let cases: Vec<Case> = vec![
        ("date", vec![("date", "2001-01-01")], "2001-01-01"),
        ("date", vec![("date", "someday")], "someday"),
        ("date", vec![("date", "2030-02-30")], "2030-02-30"),
        ("length", vec![("length", "0")], &day_s),
        ("length", vec![("length", "-30")], &day_s),
        ("length", vec![("length", "45")], &day_s),
        ("length", vec![("length", "lots")], &day_s),
        (
            "length",
            vec![("start", "17:30"), ("length", "120")],
            "17:30",
        ),
        ("start", vec![("start", "07:00")], "07:00"),
        ("start", vec![("start", "10:10")], "10:10"),
        ("start", vec![("start", "25:99")], "25:99"),
        ("start", vec![("start", "")], &day_s),
        ("room", vec![("room", "9999999")], "10:00"),
        ("room", vec![("room", "meeting")], "10:00"),
        ("room", vec![("room", &retired_s)], "10:00"),
        ("room", vec![("room", "-1")], "10:00"),
    ];
    let mut bea = w.app.signed_in(w.bea.email).await;
    bea.get("/s/harbour/rooms/book").await;
    for path in ["/s/harbour/rooms/book", "/s/harbour/rooms/book/confirm"] {
        for (field, change, kept) in &cases {
            let page = send(&mut bea, path, &base, change).await;
            let what = format!("{path} {change:?}");
            assert_eq!(
                page.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{what}: {}",
                page.body
            );
            assert!(page.title().starts_with("Error: "), "{what}");
            assert!(
                page.has(&format!("href=\"#{field}\"")),
                "{what}: no error on {field}: {}",
                page.body
            );
            assert!(
                page.has(&format!("value=\"{kept}\"")),
                "{what}: {kept} not kept"
            );
        }
    }
    // A confirmation whose id is not one the form made is out of date.
    let page = send(
        &mut bea,
        "/s/harbour/rooms/book/confirm",
        &base,
        &[("id", "nonsense")],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has(swapdesk::messages::FORM_OUT_OF_DATE));
    assert_eq!(count(&w, "select count(*) from bookings").await, 0);
    assert_eq!(
        count(
            &w,
            "select count(*) from ledger_transfers where code = 'booking'"
        )
        .await,
        0
    );
    // Nonsense ids in paths are not found, never a server error.
    for path in [
        "/s/harbour/rooms/abc".to_owned(),
        "/s/harbour/rooms/99999999999999999999".to_owned(),
        "/s/harbour/rooms/bookings/not-a-uuid/cancel".to_owned(),
        format!(
            "/s/harbour/rooms/bookings/{}/calendar.ics",
            uuid::Uuid::nil()
        ),
    ] {
        assert_eq!(bea.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let odd = bea
        .get(&format!("/s/harbour/rooms/{room}?date=nonsense"))
        .await;
    assert_eq!(odd.status, StatusCode::OK);
}

#[tokio::test]
async fn a_member_short_of_credit_is_told_why_and_nothing_is_booked() {
    let w = World::new().await;
    let room = w.room("Workshop", 1500, 60).await;
    w.limit(w.bea.member, 0).await;
    let day = next_week(&w).await.to_string();
    let room = room.to_string();
    let id = uuid::Uuid::now_v7().to_string();
    let mut bea = w.app.signed_in(w.bea.email).await;
    bea.get("/s/harbour/rooms/book").await;
    let page = bea
        .post(
            "/s/harbour/rooms/book/confirm",
            &[
                ("room", &room),
                ("date", &day),
                ("start", "09:00"),
                ("length", "120"),
                ("id", &id),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has(swapdesk::messages::OVER_LIMIT));
    assert_eq!(w.live_bookings().await, 0);
    assert_eq!(count(&w, "select count(*) from ledger_transfers").await, 0);
    w.verified().await;
}
