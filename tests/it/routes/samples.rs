//! One object of each kind the route table's paths name, made feature by feature, with the
//! sample path that reaches it: a route with an id in its path is walked through its sample.

use swapdesk::ledger::model::Code;
use swapdesk::ledger::{self, Payment, db as ledger_db};
use swapdesk::notify::inbox::{self, Notice};
use swapdesk::notify::model::{Group, Kind};
use swapdesk::notify::unsubscribe::{Scope, Unsubscribe};
use swapdesk::skills::db as skills_db;
use swapdesk::skills::model::{CategoryId, Level};
use swapdesk::spaces::model::{MembershipId, SpaceId};

use crate::helpers::{TestApp, sha256};

/// A route's path pattern and the path to request for it.
pub type Sample = (&'static str, String);

/// The memberships that paths name: the owner's objects, the owner's trading partner and an
/// application waiting for a decision.
pub struct Cast {
    pub owner: MembershipId,
    pub partner: MembershipId,
    pub pending: MembershipId,
}

/// Makes the objects in `space` (the slug "harbour") and returns every sample path.
pub async fn make(app: &TestApp, space: SpaceId, cast: &Cast) -> Vec<Sample> {
    let (category, mut samples) = skills(app, space, cast).await;
    samples.extend(invitations(app, space, cast).await);
    samples.extend(ledger(app, space, cast).await);
    samples.extend(account_links(app).await);
    samples.extend(market(app, space, cast, category).await);
    samples.extend(trades(app, space, cast).await);
    samples.extend(notifications(app, space, cast).await);
    samples.extend(outbox(app, space).await);
    samples.extend(rooms(app, space, cast).await);
    samples.extend(moderation(app, cast).await);
    samples.push(("/static/{file}", "/static/app.css".to_owned()));
    samples
}

/// A category and the owner's skill in it: profiles, skills and the admin's categories.
async fn skills(app: &TestApp, space: SpaceId, cast: &Cast) -> (CategoryId, Vec<Sample>) {
    let category = skills_db::create_category(&app.db, space, "Design")
        .await
        .unwrap()
        .unwrap();
    skills_db::add_skill(
        &app.db,
        space,
        cast.owner,
        category,
        "Logo design",
        Level::Expert,
        "",
    )
    .await
    .unwrap();
    let skill: i64 = app.count("select id from skills").await;
    let owner = cast.owner;
    let samples = vec![
        (
            "/s/{slug}/members/{id}",
            format!("/s/harbour/members/{owner}"),
        ),
        (
            "/s/{slug}/profile/skills/{id}",
            format!("/s/harbour/profile/skills/{skill}"),
        ),
        (
            "/s/{slug}/profile/skills/{id}/remove",
            format!("/s/harbour/profile/skills/{skill}/remove"),
        ),
        (
            "/s/{slug}/admin/categories/{id}/rename",
            format!("/s/harbour/admin/categories/{category}/rename"),
        ),
        (
            "/s/{slug}/admin/categories/{id}/retire",
            format!("/s/harbour/admin/categories/{category}/retire"),
        ),
        (
            "/s/{slug}/admin/categories/{id}/restore",
            format!("/s/harbour/admin/categories/{category}/restore"),
        ),
    ];
    (category, samples)
}

/// An open invitation, and the pending application: joining and the admin's decisions.
async fn invitations(app: &TestApp, space: SpaceId, cast: &Cast) -> Vec<Sample> {
    let invitation: i64 = sqlx::query_scalar(
        "insert into invitations (space_id, token_hash, created_by, expires_at)
         select $1, $2, person_id, now() + interval '1 day' from memberships
         where role = 'admin' and space_id = $1 returning id",
    )
    .bind(space.0)
    .bind(sha256("invitation-token"))
    .fetch_one(&app.db)
    .await
    .unwrap();
    let pending = cast.pending;
    vec![
        (
            "/s/{slug}/admin/applications/{id}/approve",
            format!("/s/harbour/admin/applications/{pending}/approve"),
        ),
        (
            "/s/{slug}/admin/applications/{id}/decline",
            format!("/s/harbour/admin/applications/{pending}/decline"),
        ),
        (
            "/s/{slug}/admin/invitations/{id}/revoke",
            format!("/s/harbour/admin/invitations/{invitation}/revoke"),
        ),
        ("/invite/{token}", "/invite/invitation-token".to_owned()),
    ]
}

/// A grant to the owner: the admin's limits and reversals.
async fn ledger(app: &TestApp, space: SpaceId, cast: &Cast) -> Vec<Sample> {
    let owner = cast.owner;
    let to = ledger_db::member_account(&app.db, space, owner)
        .await
        .unwrap()
        .unwrap();
    let grant = Payment {
        id: ledger::new_id(),
        space,
        from: ledger_db::space_account(&app.db, space).await.unwrap(),
        to,
        amount: 100,
        code: Code::Grant,
        memo: "Welcome",
        by: None,
    };
    ledger::transfer(&app.db, &grant).await.unwrap();
    vec![
        (
            "/s/{slug}/admin/members/{id}",
            format!("/s/harbour/admin/members/{owner}"),
        ),
        (
            "/s/{slug}/admin/members/{id}/limit",
            format!("/s/harbour/admin/members/{owner}/limit"),
        ),
        (
            "/s/{slug}/admin/members/{id}/suspend",
            format!("/s/harbour/admin/members/{owner}/suspend"),
        ),
        (
            "/s/{slug}/admin/members/{id}/reactivate",
            format!("/s/harbour/admin/members/{owner}/reactivate"),
        ),
        (
            "/s/{slug}/admin/members/{id}/role",
            format!("/s/harbour/admin/members/{owner}/role"),
        ),
        (
            "/s/{slug}/admin/members/{id}/pay",
            format!("/s/harbour/admin/members/{owner}/pay"),
        ),
        (
            "/s/{slug}/admin/members/{id}/leave",
            format!("/s/harbour/admin/members/{owner}/leave"),
        ),
        (
            "/s/{slug}/admin/ledger/transfers/{transfer}/reverse",
            format!("/s/harbour/admin/ledger/transfers/{}/reverse", grant.id),
        ),
    ]
}

/// The owner's mailed links: a reset, a confirmation and a new address to confirm.
async fn account_links(app: &TestApp) -> Vec<Sample> {
    for (purpose, token) in [
        ("password_reset", "reset-token"),
        ("verify_email", "verify-token"),
    ] {
        sqlx::query(
            "insert into account_tokens (token_hash, person_id, purpose, expires_at)
             select $1, id, $2, now() + interval '1 hour' from people
             where email = 'owner@example.org'",
        )
        .bind(sha256(token))
        .bind(purpose)
        .execute(&app.db)
        .await
        .unwrap();
    }
    sqlx::query(
        "insert into account_tokens (token_hash, person_id, purpose, expires_at, new_email)
         select $1, id, 'change_email', now() + interval '1 hour', 'owner.new@example.org'
         from people where email = 'owner@example.org'",
    )
    .bind(sha256("email-token"))
    .execute(&app.db)
    .await
    .unwrap();
    vec![
        ("/reset/{token}", "/reset/reset-token".to_owned()),
        ("/verify/{token}", "/verify/verify-token".to_owned()),
        (
            "/account/email/{token}",
            "/account/email/email-token".to_owned(),
        ),
    ]
}

/// The owner's offer in the marketplace.
async fn market(app: &TestApp, space: SpaceId, cast: &Cast, category: CategoryId) -> Vec<Sample> {
    let listing: i64 = sqlx::query_scalar(
        "insert into listings (space_id, membership_id, kind, title, category_id,
                               price_mode, price)
         values ($1, $2, 'offer', 'Logo design', $3, 'fixed', 500) returning id",
    )
    .bind(space.0)
    .bind(cast.owner.0)
    .bind(category.0)
    .fetch_one(&app.db)
    .await
    .unwrap();
    vec![
        (
            "/s/{slug}/market/{id}",
            format!("/s/harbour/market/{listing}"),
        ),
        (
            "/s/{slug}/market/{id}/edit",
            format!("/s/harbour/market/{listing}/edit"),
        ),
        (
            "/s/{slug}/market/{id}/status",
            format!("/s/harbour/market/{listing}/status"),
        ),
    ]
}

/// A trade in which the partner pays the owner.
async fn trades(app: &TestApp, space: SpaceId, cast: &Cast) -> Vec<Sample> {
    let trade: i64 = sqlx::query_scalar(
        "insert into trades (space_id, payer_id, payee_id, proposer_id, description, amount)
         values ($1, $2, $3, $3, 'A logo', 500) returning id",
    )
    .bind(space.0)
    .bind(cast.partner.0)
    .bind(cast.owner.0)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let partner = cast.partner;
    vec![
        (
            "/s/{slug}/trades/new",
            format!("/s/harbour/trades/new?with={partner}"),
        ),
        (
            "/s/{slug}/trades/{id}",
            format!("/s/harbour/trades/{trade}"),
        ),
        (
            "/s/{slug}/trades/{id}/act",
            format!("/s/harbour/trades/{trade}/act"),
        ),
        (
            "/s/{slug}/trades/{id}/messages",
            format!("/s/harbour/trades/{trade}/messages"),
        ),
        (
            "/s/{slug}/trades/{id}/kudos",
            format!("/s/harbour/trades/{trade}/kudos"),
        ),
    ]
}

/// A notification of the owner's, and a link to unsubscribe from their trade emails.
async fn notifications(app: &TestApp, space: SpaceId, cast: &Cast) -> Vec<Sample> {
    let notice = Notice {
        space,
        to: &[cast.owner],
        admins: false,
        kind: Kind::Kudos,
        actor: Some(cast.partner),
        link: "credits".to_owned(),
        about: "Logo design",
    };
    inbox::notify(&app.db, &notice).await.unwrap();
    let id: i64 = app.count("select max(id) from notifications").await;
    let token = Unsubscribe {
        membership: cast.owner,
        scope: Scope::Group(Group::Trades),
        expires: time::OffsetDateTime::now_utc() + time::Duration::days(1),
    }
    .token(&app.state.settings.key);
    vec![
        (
            "/s/{slug}/inbox/{id}/read",
            format!("/s/harbour/inbox/{id}/read"),
        ),
        ("/unsubscribe/{token}", format!("/unsubscribe/{token}")),
    ]
}

/// An email of the space the mailer gave up on: the admin's outbox and its retry.
async fn outbox(app: &TestApp, space: SpaceId) -> Vec<Sample> {
    let email: i64 = sqlx::query_scalar(
        "insert into email_outbox (space_id, to_address, subject, body, attempts, last_error)
         values ($1, 'owner@example.org', 'Your trade', 'Hello', 10, 'connection refused')
         returning id",
    )
    .bind(space.0)
    .fetch_one(&app.db)
    .await
    .unwrap();
    vec![
        (
            "/s/{slug}/admin/outbox/{id}",
            format!("/s/harbour/admin/outbox/{email}"),
        ),
        (
            "/s/{slug}/admin/outbox/{id}/retry",
            format!("/s/harbour/admin/outbox/{email}/retry"),
        ),
    ]
}

/// A room, and the owner's booking of it next year, paid through the service.
async fn rooms(app: &TestApp, space: SpaceId, cast: &Cast) -> Vec<Sample> {
    use swapdesk::rooms::db::{self as rooms_db, RoomFields};
    use swapdesk::rooms::model::{BookingId, OpeningHours};
    use swapdesk::rooms::service::{self, Ask, Booker};
    let fields = RoomFields {
        name: "Meeting room".to_owned(),
        description: String::new(),
        capacity: 6,
        price_per_hour: 100,
        slot_minutes: 30,
        hours: (1..=7)
            .map(|weekday| OpeningHours {
                weekday,
                opens: 0,
                closes: 1440,
            })
            .collect(),
    };
    let mut conn = app.db.acquire().await.unwrap();
    let room = rooms_db::create_room(&mut conn, space, &fields)
        .await
        .unwrap()
        .unwrap();
    let owner_person: i64 = sqlx::query_scalar("select person_id from memberships where id = $1")
        .bind(cast.owner.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let booking = BookingId(uuid::Uuid::now_v7());
    let now = time::OffsetDateTime::now_utc();
    let ask = Ask {
        room,
        day: now.date() + time::Duration::days(300),
        start: 10 * 60,
        utc_offset: None,
        minutes: 60,
    };
    let who = Booker {
        space,
        member: cast.owner,
        person: swapdesk::auth::model::PersonId(owner_person),
    };
    service::book(&mut conn, who, booking, &ask, now)
        .await
        .unwrap()
        .unwrap();
    vec![
        ("/s/{slug}/rooms/{id}", format!("/s/harbour/rooms/{room}")),
        (
            "/s/{slug}/rooms/{id}/week",
            format!("/s/harbour/rooms/{room}/week"),
        ),
        (
            "/s/{slug}/rooms/bookings/{id}/cancel",
            format!("/s/harbour/rooms/bookings/{booking}/cancel"),
        ),
        (
            "/s/{slug}/rooms/bookings/{id}/calendar.ics",
            format!("/s/harbour/rooms/bookings/{booking}/calendar.ics"),
        ),
        (
            "/s/{slug}/admin/rooms/{id}",
            format!("/s/harbour/admin/rooms/{room}"),
        ),
        (
            "/s/{slug}/admin/rooms/{id}/retire",
            format!("/s/harbour/admin/rooms/{room}/retire"),
        ),
        (
            "/s/{slug}/admin/rooms/{id}/restore",
            format!("/s/harbour/admin/rooms/{room}/restore"),
        ),
        (
            "/s/{slug}/admin/rooms/bookings/{id}/cancel",
            format!("/s/harbour/admin/rooms/bookings/{booking}/cancel"),
        ),
    ]
}

/// Reporting the partner (whom no visitor is), and moderating the owner's listing.
async fn moderation(app: &TestApp, cast: &Cast) -> Vec<Sample> {
    let listing: i64 = app.count("select max(id) from listings").await;
    let partner = cast.partner;
    let admin = |path: &'static str, action: &str| {
        (
            path,
            format!("/s/harbour/admin/reports/listing/{listing}{action}"),
        )
    };
    vec![
        (
            "/s/{slug}/report/{subject}/{id}",
            format!("/s/harbour/report/member/{partner}"),
        ),
        admin("/s/{slug}/admin/reports/{subject}/{id}", ""),
        admin("/s/{slug}/admin/reports/{subject}/{id}/hide", "/hide"),
        admin("/s/{slug}/admin/reports/{subject}/{id}/restore", "/restore"),
        admin("/s/{slug}/admin/reports/{subject}/{id}/dismiss", "/dismiss"),
    ]
}
