//! The admin's side of rooms through the router: adding, editing, retiring and restoring
//! rooms (each with its audit record), cancelling a member's booking with a refund, the
//! cutoff setting; and today's bookings on a member's dashboard.

use axum::http::StatusCode;

use super::World;
use super::pages::next_week;
use crate::helpers::{Browser, Page};

fn room_form(name: &str) -> Vec<(String, String)> {
    let mut fields = vec![
        ("name".to_owned(), name.to_owned()),
        (
            "description".to_owned(),
            "A screen and a whiteboard".to_owned(),
        ),
        ("capacity".to_owned(), "8".to_owned()),
        ("price".to_owned(), "2.50".to_owned()),
        ("slot".to_owned(), "30".to_owned()),
    ];
    for weekday in 1..=5 {
        fields.push((format!("opens-{weekday}"), "09:00".to_owned()));
        fields.push((format!("closes-{weekday}"), "18:00".to_owned()));
    }
    fields
}

async fn post_owned(b: &mut Browser, path: &str, fields: &[(String, String)]) -> Page {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.post(path, &borrowed).await
}

#[tokio::test]
async fn an_admin_adds_edits_retires_and_restores_a_room_with_audit_records() {
    let w = World::new().await;
    let mut ana = w.app.signed_in(w.ana.email).await;
    assert_eq!(
        ana.get("/s/harbour/admin/rooms/new").await.status,
        StatusCode::OK
    );
    let added = post_owned(
        &mut ana,
        "/s/harbour/admin/rooms",
        &room_form("Meeting room"),
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let id: i64 = w.app.count("select id from rooms").await;
    assert_eq!(added.location(), format!("/s/harbour/admin/rooms/{id}"));
    let hours: i64 = w.app.count("select count(*) from room_hours").await;
    assert_eq!(hours, 5);
    // The same name again is refused, whatever its case.
    let again = post_owned(
        &mut ana,
        "/s/harbour/admin/rooms",
        &room_form("meeting ROOM"),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.has(swapdesk::messages::ROOM_NAME_TAKEN));
    // Bad input, each kept.
    for (field, value) in [
        ("name", ""),
        ("capacity", "0"),
        ("price", "-1"),
        ("price", "20000"),
        ("slot", "7"),
        ("opens-1", "19:00"),
        ("opens-2", "9am"),
    ] {
        let mut fields = room_form("Phone booth");
        fields.retain(|(k, _)| k != field);
        fields.push((field.to_owned(), value.to_owned()));
        let page = post_owned(&mut ana, "/s/harbour/admin/rooms", &fields).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}"
        );
        assert!(
            page.has(&format!("href=\"#{field}\"")),
            "{field}={value}: {}",
            page.body
        );
        assert!(page.has("A screen and a whiteboard"));
    }
    assert_eq!(w.app.count("select count(*) from rooms").await, 1);

    let mut edit = room_form("Big meeting room");
    edit.retain(|(k, _)| k != "price");
    edit.push(("price".to_owned(), "0".to_owned()));
    let saved = post_owned(&mut ana, &format!("/s/harbour/admin/rooms/{id}"), &edit).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let free: i64 = w.app.count("select price_per_hour from rooms").await;
    assert_eq!(free, 0);
    let ask = ana
        .get(&format!("/s/harbour/admin/rooms/{id}/retire"))
        .await;
    assert!(ask.has("Retire Big meeting room?"));
    let retired = ana
        .post(&format!("/s/harbour/admin/rooms/{id}/retire"), &[])
        .await;
    assert_eq!(retired.status, StatusCode::SEE_OTHER);
    let list = ana.get("/s/harbour/rooms").await;
    assert!(!list.has("Big meeting room"));
    ana.post(&format!("/s/harbour/admin/rooms/{id}/restore"), &[])
        .await;
    assert!(ana.get("/s/harbour/rooms").await.has("Big meeting room"));
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where action like 'room.%' order by id")
            .fetch_all(&w.app.db)
            .await
            .unwrap();
    assert_eq!(
        actions,
        [
            "room.created",
            "room.changed",
            "room.retired",
            "room.restored"
        ]
    );
    // Members cannot reach any of it.
    let mut bea = w.app.signed_in(w.bea.email).await;
    assert_eq!(
        bea.get("/s/harbour/admin/rooms").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_admin_cancels_a_members_booking_with_a_refund_and_the_member_is_told() {
    let w = World::new().await;
    let room = w.room("Meeting room", 300, 30).await;
    let day = next_week(&w).await;
    let mut conn = w.app.state.db.acquire().await.unwrap();
    let id = swapdesk::rooms::model::BookingId(uuid::Uuid::now_v7());
    let now = time::OffsetDateTime::now_utc();
    swapdesk::rooms::service::book(
        &mut conn,
        w.booker(w.bea),
        id,
        &super::ask(room, day, 10, 0, 60),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    let mut ana = w.app.signed_in(w.ana.email).await;
    let page = ana.get(&format!("/s/harbour/admin/rooms/{room}")).await;
    assert!(page.has("Bea") && page.has("Cancel and refund"));
    let ask = ana
        .get(&format!("/s/harbour/admin/rooms/bookings/{id}/cancel"))
        .await;
    assert!(ask.has("Bea gets 3.00 hours back in full, and is told."));
    let done = ana
        .post(&format!("/s/harbour/admin/rooms/bookings/{id}/cancel"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(w.balance(w.bea).await.balance(), 0);
    let mut bea = w.app.signed_in(w.bea.email).await;
    let inbox = bea.get("/s/harbour/inbox").await;
    assert!(
        inbox.has("Ana cancelled your room booking and refunded it in full"),
        "{}",
        inbox.body
    );
    w.verified().await;
}

#[tokio::test]
async fn the_cancellation_cutoff_is_a_space_setting_with_its_audit_record() {
    let w = World::new().await;
    w.room("Meeting room", 300, 30).await;
    let mut ana = w.app.signed_in(w.ana.email).await;
    let form = ana.get("/s/harbour/admin/settings").await;
    assert!(form.has("name=\"cancel_cutoff_hours\" type=\"text\" value=\"24\""));
    let base = [
        ("name", "Harbour"),
        ("time_zone", "Europe/Berlin"),
        ("signup_mode", "open"),
        ("auto_complete_days", "7"),
        ("currency_name", "hours"),
        ("accent_colour", "teal"),
        ("default_credit_limit", "20"),
        ("space_limit", "0"),
    ];
    for bad in ["-1", "721", "soon", ""] {
        let mut fields = base.to_vec();
        fields.push(("cancel_cutoff_hours", bad));
        let page = ana.post("/s/harbour/admin/settings", &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(page.has("href=\"#cancel_cutoff_hours\""));
    }
    let mut fields = base.to_vec();
    fields.push(("cancel_cutoff_hours", "48"));
    let saved = ana.post("/s/harbour/admin/settings", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .count("select cancel_cutoff_hours::bigint from spaces")
            .await,
        48
    );
    let recorded: i64 = w
        .app
        .count("select (detail->>'cancel_cutoff_hours')::bigint from audit_log where action = 'space.settings_changed'")
        .await;
    assert_eq!(recorded, 48);
    let mut bea = w.app.signed_in(w.bea.email).await;
    assert!(
        bea.get("/s/harbour/rooms/book")
            .await
            .has("Cancel at least 48 hours before the start")
    );
}

#[tokio::test]
async fn the_dashboard_shows_todays_bookings() {
    let w = World::new().await;
    let room = w.room("Phone booth", 0, 30).await;
    let mut bea = w.app.signed_in(w.bea.email).await;
    assert!(bea.get("/s/harbour").await.has("No room booked for today."));
    // Booked behind the app's back: this hour, whatever the time of day now.
    sqlx::query(
        "insert into bookings (id, space_id, room_id, membership_id, period, price)
         values (gen_random_uuid(), $1, $2, $3,
                 tstzrange(date_trunc('hour', now()), date_trunc('hour', now()) + interval '1 hour'), 0)",
    )
    .bind(w.space.0)
    .bind(room.0)
    .bind(w.bea.member.0)
    .execute(&w.app.db)
    .await
    .unwrap();
    let home = bea.get("/s/harbour").await;
    assert!(home.has("Today&#x27;s bookings") || home.has("Today's bookings"));
    assert!(home.has("Phone booth"), "{}", home.body);
    // Cy's dashboard shows none of Bea's.
    let mut cy = w.app.signed_in(w.cy.email).await;
    assert!(cy.get("/s/harbour").await.has("No room booked for today."));
}
