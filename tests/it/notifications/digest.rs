//! Email as each member chose: at once, in the daily digest at 08:00 on the space's clock
//! (once per local day, across instances and after downtime), or not at all.

use swapdesk::notify::inbox::{self, Notice};
use swapdesk::notify::jobs::{self, Links};
use swapdesk::notify::model::{Group, Kind, Mode};
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};
use time::OffsetDateTime;
use time::macros::datetime;

use crate::helpers::TestApp;

struct Space {
    app: TestApp,
    space: SpaceId,
    ana: MembershipId,
    bea: MembershipId,
}

/// A space on Tokyo time (UTC+9, no summer time) with Ana (admin) and Bea.
async fn tokyo() -> Space {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    sqlx::query("update spaces set time_zone = 'Asia/Tokyo'")
        .execute(&app.db)
        .await
        .unwrap();
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
    fn links(&self) -> Links {
        Links {
            base_url: "http://swapdesk.test".to_owned(),
            key: self.app.state.settings.key.clone(),
        }
    }

    /// Ana does something that tells Bea.
    async fn tell_bea(&self, kind: Kind, about: &str) {
        let notice = Notice {
            space: self.space,
            to: &[self.bea],
            admins: false,
            kind,
            actor: Some(self.ana),
            link: "credits".to_owned(),
            about,
        };
        assert_eq!(inbox::notify(&self.app.db, &notice).await.unwrap(), 1);
    }

    async fn digests_at(&self, now: OffsetDateTime) -> usize {
        jobs::send_digests(&self.app.db, &self.links(), now)
            .await
            .unwrap()
    }

    async fn each(&self) -> usize {
        jobs::send_each(&self.app.db, &self.links(), OffsetDateTime::now_utc())
            .await
            .unwrap()
    }

    /// Every queued email: (to, subject, body, unsubscribe link).
    async fn outbox(&self) -> Vec<(String, String, String, Option<String>)> {
        sqlx::query_as(
            "select to_address, subject, body, unsubscribe_url from email_outbox order by id",
        )
        .fetch_all(&self.app.db)
        .await
        .unwrap()
    }
}

// 07:59 and 08:00 in Tokyo on 10 March 2027, in UTC.
const BEFORE_EIGHT: OffsetDateTime = datetime!(2027-03-09 22:59 UTC);
const AT_EIGHT: OffsetDateTime = datetime!(2027-03-09 23:00 UTC);

#[tokio::test]
async fn the_digest_waits_for_eight_on_the_spaces_clock_and_groups_the_day() {
    let s = tokyo().await;
    s.tell_bea(Kind::Kudos, "A logo for the bakery").await;
    s.tell_bea(Kind::CreditsGift, "2.00").await;
    s.tell_bea(Kind::CreditsGift, "1.50").await;
    assert_eq!(s.each().await, 0, "kudos and credits come by digest");
    assert_eq!(s.digests_at(BEFORE_EIGHT).await, 0);
    assert_eq!(s.digests_at(AT_EIGHT).await, 1);
    let mail = s.outbox().await;
    assert_eq!(mail.len(), 1);
    let (to, subject, body, unsubscribe) = &mail[0];
    assert_eq!(to, "bea@example.org");
    assert_eq!(subject, "Your day at Space harbour: 3 notifications");
    let kudos = body.find(Group::Kudos.label()).unwrap();
    let credits = body.find(Group::Credits.label()).unwrap();
    assert!(kudos < credits, "groups in their order:\n{body}");
    assert!(
        body.contains("Ana left you kudos for “A logo for the bakery”"),
        "{body}"
    );
    assert!(body.contains("Ana sent you 2.00 hours"), "{body}");
    assert!(body.contains("Ana sent you 1.50 hours"), "{body}");
    assert!(
        body.contains("http://swapdesk.test/s/harbour/inbox"),
        "{body}"
    );
    assert!(
        unsubscribe
            .as_deref()
            .unwrap()
            .starts_with("http://swapdesk.test/unsubscribe/")
    );
    // Sent once: the same day again finds nothing to do.
    assert_eq!(s.digests_at(AT_EIGHT + time::Duration::hours(3)).await, 0);
}

#[tokio::test]
async fn no_digest_is_sent_when_there_is_nothing_in_it() {
    let s = tokyo().await;
    assert_eq!(s.digests_at(AT_EIGHT).await, 0);
    s.tell_bea(Kind::Message, "A logo").await;
    assert_eq!(s.digests_at(AT_EIGHT).await, 0, "messages come one by one");
    assert_eq!(s.outbox().await.len(), 0);
}

#[tokio::test]
async fn two_instances_at_once_queue_one_digest() {
    let s = tokyo().await;
    for _ in 0..5 {
        s.tell_bea(Kind::Kudos, "A logo").await;
    }
    let (a, b) = tokio::join!(s.digests_at(AT_EIGHT), s.digests_at(AT_EIGHT));
    assert_eq!(a + b, 1);
    assert_eq!(s.outbox().await.len(), 1);
    let rows = s
        .app
        .count("select count(*) from notification_digests")
        .await;
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn after_a_gap_the_digest_catches_up_once_and_then_keeps_to_one_a_day() {
    let s = tokyo().await;
    s.tell_bea(Kind::Kudos, "First").await;
    s.tell_bea(Kind::Kudos, "Second").await;
    // Nothing ran for days; at 10:00 on the day it comes back, one digest holds both.
    let back = AT_EIGHT + time::Duration::days(3) + time::Duration::hours(2);
    assert_eq!(s.digests_at(back).await, 1);
    let body = &s.outbox().await[0].2;
    assert!(body.contains("First") && body.contains("Second"), "{body}");
    // Something new later that day waits for the next morning.
    s.tell_bea(Kind::Kudos, "Third").await;
    assert_eq!(s.digests_at(back + time::Duration::hours(5)).await, 0);
    let next_morning = AT_EIGHT + time::Duration::days(4);
    assert_eq!(
        s.digests_at(next_morning - time::Duration::minutes(1))
            .await,
        0
    );
    assert_eq!(s.digests_at(next_morning).await, 1);
    let mail = s.outbox().await;
    assert_eq!(mail.len(), 2);
    assert!(mail[1].2.contains("Third") && !mail[1].2.contains("First"));
}

#[tokio::test]
async fn each_digest_and_none_are_each_honoured() {
    let s = tokyo().await;
    inbox::set_preference(&s.app.db, s.bea, Group::Kudos, Mode::Each)
        .await
        .unwrap();
    inbox::set_preference(&s.app.db, s.bea, Group::Credits, Mode::None)
        .await
        .unwrap();
    s.tell_bea(Kind::Kudos, "A logo").await;
    s.tell_bea(Kind::CreditsGift, "2.00").await;
    s.tell_bea(Kind::ListingExpiring, "Bike repairs").await;
    assert_eq!(s.each().await, 1, "kudos, chosen at once");
    assert_eq!(s.each().await, 0, "and only once");
    assert_eq!(s.digests_at(AT_EIGHT).await, 1, "the listing, by default");
    let mail = s.outbox().await;
    assert_eq!(mail.len(), 2);
    assert_eq!(mail[0].1, "Ana left you kudos for “A logo” · Space harbour");
    assert!(mail[0].2.contains("http://swapdesk.test/s/harbour/credits"));
    assert!(mail[0].3.is_some(), "a one-click unsubscribe link");
    assert!(mail[1].2.contains("Bike repairs"));
    assert!(
        !mail.iter().any(|m| m.2.contains("2.00")),
        "credits: no email"
    );
    // The inbox still has all three.
    let inbox = s.app.count("select count(*) from notifications").await;
    assert_eq!(inbox, 3);
}

#[tokio::test]
async fn a_change_of_mind_before_sending_is_honoured() {
    let s = tokyo().await;
    s.tell_bea(Kind::Message, "A logo").await;
    inbox::set_preference(&s.app.db, s.bea, Group::Messages, Mode::None)
        .await
        .unwrap();
    assert_eq!(s.each().await, 0);
    assert!(s.outbox().await.is_empty());
}
