//! One-click unsubscribing (RFC 8058): the signed link works with no session and no CSRF
//! token; a forged or expired one changes nothing.

use axum::http::StatusCode;
use swapdesk::notify::inbox;
use swapdesk::notify::model::{Group, Mode};
use swapdesk::notify::unsubscribe::{Scope, Unsubscribe};
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, Status};
use time::{Duration, OffsetDateTime};

use crate::helpers::TestApp;

async fn bea() -> (TestApp, MembershipId) {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (_, bea) = app
        .member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    (app, bea)
}

async fn mode(app: &TestApp, member: MembershipId, group: Group) -> Mode {
    inbox::preferences(&app.db, member)
        .await
        .unwrap()
        .into_iter()
        .find(|(g, _)| *g == group)
        .unwrap()
        .1
}

fn token(app: &TestApp, member: MembershipId, scope: Scope, expires: OffsetDateTime) -> String {
    Unsubscribe {
        membership: member,
        scope,
        expires,
    }
    .token(&app.state.settings.key)
}

#[tokio::test]
async fn a_mail_clients_one_click_post_unsubscribes_without_a_session() {
    let (app, bea) = bea().await;
    let later = OffsetDateTime::now_utc() + Duration::days(30);
    let link = format!(
        "/unsubscribe/{}",
        token(&app, bea, Scope::Group(Group::Trades), later)
    );
    let mut client = app.browser();
    // A browser first sees a page with one button, and nothing changes yet.
    let page = client.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Stop these emails?") && page.has(Group::Trades.label()));
    assert_eq!(mode(&app, bea, Group::Trades).await, Mode::Each);
    // The mail client's POST: no cookie, no token.
    let done = client.post_raw(&link, "List-Unsubscribe=One-Click").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.has("You are unsubscribed"));
    assert_eq!(mode(&app, bea, Group::Trades).await, Mode::None);
    assert_eq!(
        mode(&app, bea, Group::Messages).await,
        Mode::Each,
        "only that group"
    );
}

#[tokio::test]
async fn the_digests_link_turns_off_every_group_that_came_by_digest() {
    let (app, bea) = bea().await;
    let later = OffsetDateTime::now_utc() + Duration::days(30);
    let link = format!("/unsubscribe/{}", token(&app, bea, Scope::Digest, later));
    let done = app
        .browser()
        .post_raw(&link, "List-Unsubscribe=One-Click")
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(mode(&app, bea, Group::Kudos).await, Mode::None);
    assert_eq!(mode(&app, bea, Group::Credits).await, Mode::None);
    assert_eq!(
        mode(&app, bea, Group::Trades).await,
        Mode::Each,
        "not a digest group"
    );
}

#[tokio::test]
async fn a_forged_or_expired_link_gets_a_clear_page_and_changes_nothing() {
    let (app, bea) = bea().await;
    let later = OffsetDateTime::now_utc() + Duration::days(30);
    let good = token(&app, bea, Scope::Group(Group::Trades), later);
    // Another member's id under the same signature, a changed signature, rubbish.
    let mut forged = good.clone().into_bytes();
    let last = forged.len() - 1;
    forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
    let expired = token(
        &app,
        bea,
        Scope::Group(Group::Trades),
        OffsetDateTime::now_utc() - Duration::minutes(1),
    );
    let other_key = Unsubscribe {
        membership: bea,
        scope: Scope::Group(Group::Trades),
        expires: later,
    }
    .token(&cookie::Key::generate());
    for bad in [
        String::from_utf8(forged).unwrap(),
        expired,
        other_key,
        "rubbish".to_owned(),
    ] {
        let link = format!("/unsubscribe/{bad}");
        let page = app
            .browser()
            .post_raw(&link, "List-Unsubscribe=One-Click")
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(page.has("This link is not valid any more"));
        let shown = app.browser().get(&link).await;
        assert_eq!(shown.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(mode(&app, bea, Group::Trades).await, Mode::Each);
    assert_eq!(
        app.count("select count(*) from notification_preferences")
            .await,
        0
    );
}
