//! The inbox page, its unread count in the navigation, marking read, and the email page.

use axum::http::StatusCode;
use swapdesk::notify::inbox::{self, Notice};
use swapdesk::notify::model::{Group, Kind, Mode};
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};

use crate::helpers::TestApp;

struct Space {
    app: TestApp,
    space: SpaceId,
    ana: MembershipId,
    bea: MembershipId,
}

async fn space() -> Space {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (_, ana) = app
        .member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    let (_, bea) = app
        .member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    Space {
        app,
        space,
        ana,
        bea,
    }
}

impl Space {
    async fn tell(&self, to: MembershipId, about: &str) -> i64 {
        let notice = Notice {
            space: self.space,
            to: &[to],
            admins: false,
            kind: Kind::CreditsGift,
            actor: Some(if to == self.ana { self.bea } else { self.ana }),
            link: "credits".to_owned(),
            about,
        };
        inbox::notify(&self.app.db, &notice).await.unwrap();
        self.app.count("select max(id) from notifications").await
    }

    async fn unread(&self, who: MembershipId) -> i64 {
        self.app
            .count(&format!(
                "select coalesce((select unread::bigint from inbox_counters where membership_id = {who}), 0)"
            ))
            .await
    }
}

#[tokio::test]
async fn the_unread_count_shows_on_every_page_and_falls_as_things_are_read() {
    let s = space().await;
    let first = s.tell(s.bea, "1.00").await;
    s.tell(s.bea, "2.00").await;
    s.tell(s.bea, "3.00").await;
    let mut bea = s.app.signed_in("bea@example.org").await;
    for path in ["/s/harbour", "/s/harbour/market", "/s/harbour/credits"] {
        let page = bea.get(path).await;
        assert!(
            page.has(
                "Inbox <span class=\"badge\">3</span><span class=\"visually-hidden\"> unread</span>"
            ),
            "{path}: {}",
            page.body
        );
    }
    let inbox = bea.get("/s/harbour/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(inbox.has("3 unread notifications."));
    // Newest first, each linking to what it is about.
    let newest = inbox.body.find("Ana sent you 3.00 hours").unwrap();
    let oldest = inbox.body.find("Ana sent you 1.00 hours").unwrap();
    assert!(newest < oldest);
    assert!(inbox.has("<a href=\"/s/harbour/credits\">Ana sent you 1.00 hours</a>"));
    let csrf = inbox.csrf().unwrap();

    let done = bea
        .post(
            &format!("/s/harbour/inbox/{first}/read"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(s.unread(s.bea).await, 2);
    // Read twice: the count does not fall again.
    bea.post(
        &format!("/s/harbour/inbox/{first}/read"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(s.unread(s.bea).await, 2);
    let page = bea.get("/s/harbour/inbox").await;
    assert!(page.has("Inbox <span class=\"badge\">2</span>"));

    bea.post("/s/harbour/inbox/read", &[("csrf", &csrf)]).await;
    assert_eq!(s.unread(s.bea).await, 0);
    let page = bea.get("/s/harbour/inbox").await;
    assert!(page.has("Nothing unread.") && !page.has("class=\"badge\""));
    assert_eq!(
        s.app
            .count("select count(*) from notifications where read_at is null")
            .await,
        0
    );
}

#[tokio::test]
async fn nobody_reads_or_marks_anothers_notifications() {
    let s = space().await;
    let anas = s.tell(s.ana, "5.00").await;
    let mut bea = s.app.signed_in("bea@example.org").await;
    let inbox = bea.get("/s/harbour/inbox").await;
    assert!(!inbox.has("5.00"));
    let csrf = inbox.csrf().unwrap();
    let refused = bea
        .post(&format!("/s/harbour/inbox/{anas}/read"), &[("csrf", &csrf)])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    // "Mark all" is Bea's all, never Ana's.
    bea.post("/s/harbour/inbox/read", &[("csrf", &csrf)]).await;
    assert_eq!(s.unread(s.ana).await, 1);
    // A stranger is sent to sign in, and an id that is not a number is not found.
    let stranger = s.app.browser().get("/s/harbour/inbox").await;
    assert_ne!(stranger.status, StatusCode::OK);
    let odd = bea
        .post("/s/harbour/inbox/abc/read", &[("csrf", &csrf)])
        .await;
    assert_eq!(odd.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_email_page_saves_every_choice_or_none() {
    let s = space().await;
    let mut bea = s.app.signed_in("bea@example.org").await;
    let form = bea.get("/s/harbour/inbox/email").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        !form.has(Group::Admin.label()),
        "admin notices are for admins"
    );
    let csrf = form.csrf().unwrap();
    // One group missing: nothing is saved, and the choices made come back.
    let missing = bea
        .post(
            "/s/harbour/inbox/email",
            &[
                ("csrf", &csrf),
                ("trades", "digest"),
                ("messages", "none"),
                ("kudos", "each"),
                ("credits", "loud"),
            ],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.has("Choose how you hear of these"));
    assert!(missing.has("id=\"kudos-each\" name=\"kudos\" value=\"each\" checked"));
    assert_eq!(
        s.app
            .count("select count(*) from notification_preferences")
            .await,
        0
    );
    let saved = bea
        .post(
            "/s/harbour/inbox/email",
            &[
                ("csrf", &csrf),
                ("trades", "digest"),
                ("messages", "none"),
                ("kudos", "each"),
                ("credits", "digest"),
                ("listings", "none"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let chosen = inbox::preferences(&s.app.db, s.bea).await.unwrap();
    assert!(chosen.contains(&(Group::Trades, Mode::Digest)));
    assert!(chosen.contains(&(Group::Messages, Mode::None)));
    assert!(chosen.contains(&(Group::Kudos, Mode::Each)));
    assert!(chosen.contains(&(Group::Listings, Mode::None)));
    // An admin also chooses for admin notices.
    let mut ana = s.app.signed_in("ana@example.org").await;
    assert!(
        ana.get("/s/harbour/inbox/email")
            .await
            .has(Group::Admin.label())
    );
}
