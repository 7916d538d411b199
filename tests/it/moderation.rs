//! Reports and moderation (SPEC §6.3): members report a listing, a kudos note, a message or
//! a member; admins hide or restore a listing or a kudos note with a reason its author sees,
//! and every report closes with what was done. (The route table's walk proves that every
//! route here refuses strangers, members of other spaces and forms without their token.)

use axum::http::StatusCode;
use swapdesk::marketplace::model::{ListingId, ListingKind};
use swapdesk::trades::model::TradeId;

use crate::helpers::Browser;
use crate::trades::{Someone, Stage, World, page_of, terms};

async fn notices(w: &World, to: Someone, kind: &str) -> i64 {
    sqlx::query_scalar("select count(*) from notifications where membership_id = $1 and kind = $2")
        .bind(to.member.0)
        .bind(kind)
        .fetch_one(&w.app.db)
        .await
        .unwrap()
}

async fn audits(w: &World, action: &str) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = $1")
        .bind(action)
        .fetch_one(&w.app.db)
        .await
        .unwrap()
}

/// Cy's open offer "Logo design".
async fn cys_offer(w: &World) -> ListingId {
    w.listing(w.cy, ListingKind::Offer, None).await
}

async fn report(browser: &mut Browser, path: &str, reason: &str) -> crate::helpers::Page {
    browser
        .post(&format!("/s/harbour/report/{path}"), &[("reason", reason)])
        .await
}

async fn decide(ana: &mut Browser, path: &str, action: &str, reason: &str) {
    let field = if action == "dismiss" {
        "note"
    } else {
        "reason"
    };
    let done = ana
        .post(
            &format!("/s/harbour/admin/reports/{path}/{action}"),
            &[(field, reason)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
}

#[tokio::test]
async fn a_member_reports_a_listing_and_the_admins_hear_of_it_once() {
    let w = World::new().await;
    let listing = cys_offer(&w).await;
    let mut bea = w.browser(w.bea).await;
    let form = bea
        .get(&format!("/s/harbour/report/listing/{listing}"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.has("Report a listing: “Logo design”"), "{}", form.body);

    // No reason: the form again, with the error beside the field.
    let refused = report(&mut bea, &format!("listing/{listing}"), "  ").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("Say what is wrong"));
    assert_eq!(w.app.count("select count(*) from reports").await, 0);

    let sent = report(
        &mut bea,
        &format!("listing/{listing}"),
        "It is an advert\nfor a shop.",
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(sent.location(), format!("/s/harbour/market/{listing}"));
    assert!(
        bea.get(sent.location())
            .await
            .has("your report is with the admins")
    );
    assert_eq!(notices(&w, w.ana, "admin_report").await, 1);
    assert_eq!(audits(&w, "report.filed").await, 1);

    // A second press is the same report.
    let again = report(&mut bea, &format!("listing/{listing}"), "Again").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(w.app.count("select count(*) from reports").await, 1);
    assert_eq!(notices(&w, w.ana, "admin_report").await, 1);

    // The queue shows it, with the reason's line break kept.
    let mut ana = w.browser(w.ana).await;
    let queue = ana.get("/s/harbour/admin/reports").await;
    assert!(queue.has("A listing: “Logo design”"), "{}", queue.body);
    assert!(queue.has("It is an advert\nfor a shop."));
    assert!(queue.has("Reported by"));

    // Nobody reports their own listing, and what is not there is not found.
    let mut cy = w.browser(w.cy).await;
    let own = cy
        .get(&format!("/s/harbour/report/listing/{listing}"))
        .await;
    assert_eq!(own.status, StatusCode::NOT_FOUND);
    let own = report(&mut cy, &format!("listing/{listing}"), "Mine").await;
    assert_eq!(own.status, StatusCode::NOT_FOUND);
    let nothing = bea.get("/s/harbour/report/listing/999999").await;
    assert_eq!(nothing.status, StatusCode::NOT_FOUND);
    let nonsense = bea.get("/s/harbour/report/trade/1").await;
    assert_eq!(nonsense.status, StatusCode::NOT_FOUND);
    assert_eq!(w.app.count("select count(*) from reports").await, 1);
}

#[tokio::test]
async fn a_hidden_listing_is_gone_for_everyone_but_its_author_until_restored() {
    let w = World::new().await;
    let listing = cys_offer(&w).await;
    let market = "/s/harbour/market?q=logo";
    let href = format!("href=\"/s/harbour/market/{listing}\"");
    let mut bea = w.browser(w.bea).await;
    let mut ana = w.browser(w.ana).await;
    let mut cy = w.browser(w.cy).await;
    assert!(bea.get(market).await.has(&href));
    report(&mut bea, &format!("listing/{listing}"), "Spam").await;

    // No reason: refused, nothing hidden.
    let path = format!("listing/{listing}");
    let refused = ana
        .post(
            &format!("/s/harbour/admin/reports/{path}/hide"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("Say why: its author sees this"));
    assert!(bea.get(market).await.has(&href));

    decide(&mut ana, &path, "hide", "Adverts for shops are not barter.").await;
    // Gone for everyone else: search, browsing, the page, the profile, the matching.
    assert!(!bea.get(market).await.has(&href));
    assert!(!bea.get("/s/harbour/market").await.has(&href));
    let page = bea.get(&format!("/s/harbour/market/{listing}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let profile = bea
        .get(&format!("/s/harbour/members/{}", w.cy.member))
        .await;
    assert!(!profile.has(&href));
    let trade = swapdesk::trades::service::propose(
        &mut w.app.db.acquire().await.unwrap(),
        w.actor(w.bea),
        w.cy.member,
        true,
        Some(listing),
        &terms(500, None),
    )
    .await
    .unwrap();
    assert!(trade.is_err(), "a hidden listing was traded");

    // Its author sees it, and why.
    let own = cy.get(&format!("/s/harbour/market/{listing}")).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.has("Hidden by an admin."));
    assert!(own.has("Adverts for shops are not barter."));
    assert_eq!(notices(&w, w.cy, "moderation_hidden").await, 1);
    // The report is closed as hidden, and its reporter told.
    let outcome: String = sqlx::query_scalar("select outcome from reports")
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(outcome, "hidden");
    assert_eq!(notices(&w, w.bea, "report_closed").await, 1);
    assert_eq!(audits(&w, "listing.hidden").await, 1);
    let queue = ana.get("/s/harbour/admin/reports").await;
    assert!(queue.has("No reports are waiting."));
    assert!(queue.has("Hidden now"));
    assert!(queue.has("Adverts for shops are not barter."));

    // Hiding it again changes nothing.
    decide(&mut ana, &path, "hide", "Twice").await;
    assert_eq!(audits(&w, "listing.hidden").await, 1);

    decide(&mut ana, &path, "restore", "The author explained it.").await;
    assert!(bea.get(market).await.has(&href));
    assert_eq!(
        bea.get(&format!("/s/harbour/market/{listing}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(notices(&w, w.cy, "moderation_restored").await, 1);
    assert_eq!(audits(&w, "listing.restored").await, 1);
}

/// A completed trade between Bea (payer) and Cy, with Bea's kudos for Cy.
async fn kudos_for_cy(w: &World, bea: &mut Browser) -> (TradeId, i64) {
    let trade = w.trade_in(Stage::Completed).await;
    let left = bea
        .post(
            &format!("{}/kudos", page_of(trade)),
            &[
                ("stars", "5"),
                ("kudos_note", "Call me on 555-0100, cheaper"),
            ],
        )
        .await;
    assert_eq!(left.status, StatusCode::SEE_OTHER, "{}", left.body);
    let id = w.app.count("select max(id) from kudos").await;
    (trade, id)
}

#[tokio::test]
async fn a_hidden_kudos_note_leaves_the_profile_and_its_stars_leave_the_average() {
    let w = World::new().await;
    let mut bea = w.browser(w.bea).await;
    let (trade, kudos) = kudos_for_cy(&w, &mut bea).await;
    let profile = format!("/s/harbour/members/{}", w.cy.member);
    let mut dan = w.browser(w.dan).await;
    assert!(dan.get(&profile).await.has("555-0100"));
    // Its giver cannot report it; anyone else who sees it can.
    assert_eq!(
        bea.get(&format!("/s/harbour/report/kudos/{kudos}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let sent = report(&mut dan, &format!("kudos/{kudos}"), "An advert in kudos").await;
    assert_eq!(sent.location(), profile);

    let mut ana = w.browser(w.ana).await;
    let path = format!("kudos/{kudos}");
    let item = ana.get(&format!("/s/harbour/admin/reports/{path}")).await;
    assert!(item.has("a kudos note from"), "{}", item.body);
    assert!(item.has("Call me on 555-0100, cheaper"));
    assert!(item.has("An advert in kudos"));
    decide(&mut ana, &path, "hide", "Kudos are not for adverts.").await;
    decide(&mut ana, &path, "hide", "Twice").await;

    let seen = dan.get(&profile).await;
    assert!(!seen.has("555-0100"));
    assert!(seen.has("No kudos yet."));
    let (count, stars): (i32, i32) =
        sqlx::query_as("select kudos_count, kudos_stars from memberships where id = $1")
            .bind(w.cy.member.0)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!((count, stars), (0, 0));
    // The giver sees why, on the trade.
    let own = bea.get(&page_of(trade)).await;
    assert!(own.has("An admin hid your kudos note."), "{}", own.body);
    assert!(own.has("Kudos are not for adverts."));
    assert_eq!(notices(&w, w.bea, "moderation_hidden").await, 1);
    assert_eq!(audits(&w, "kudos.hidden").await, 1);

    decide(&mut ana, &path, "restore", "Edited offline").await;
    decide(&mut ana, &path, "restore", "Twice").await;
    assert!(dan.get(&profile).await.has("555-0100"));
    let count: i32 = sqlx::query_scalar("select kudos_count from memberships where id = $1")
        .bind(w.cy.member.0)
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn a_message_is_reported_by_the_other_party_only_and_closed_with_what_was_done() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Accepted).await;
    let mut bea = w.browser(w.bea).await;
    let sent = bea
        .post(
            &format!("{}/messages", page_of(trade)),
            &[("body", "Pay me outside the app or else")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let message = w.app.count("select max(id) from trade_messages").await;
    let path = format!("message/{message}");
    let mut cy = w.browser(w.cy).await;
    let thread = cy.get(&page_of(trade)).await;
    assert!(thread.has(&format!("/s/harbour/report/{path}")));
    // Its author and members outside the trade cannot see it, so cannot report it.
    for who in [w.bea, w.dan] {
        let mut b = w.browser(who).await;
        assert_eq!(
            report(&mut b, &path, "No").await.status,
            StatusCode::NOT_FOUND
        );
    }
    let filed = report(&mut cy, &path, "A threat").await;
    assert_eq!(filed.location(), page_of(trade));

    let mut ana = w.browser(w.ana).await;
    let item = ana.get(&format!("/s/harbour/admin/reports/{path}")).await;
    assert!(item.has("Pay me outside the app or else"));
    // Messages are not hidden; the report is closed with a note, which it needs.
    let hide = ana
        .post(
            &format!("/s/harbour/admin/reports/{path}/hide"),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(hide.status, StatusCode::NOT_FOUND);
    let empty = ana
        .post(
            &format!("/s/harbour/admin/reports/{path}/dismiss"),
            &[("note", "")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.has("Say what was done"));
    decide(&mut ana, &path, "dismiss", "Spoke to Bea; a warning.").await;
    let (outcome, note): (String, String) =
        sqlx::query_as("select outcome, outcome_note from reports")
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!(outcome, "no_action");
    assert_eq!(note, "Spoke to Bea; a warning.");
    assert_eq!(notices(&w, w.cy, "report_closed").await, 1);
    assert_eq!(audits(&w, "report.closed").await, 1);
    let queue = ana.get("/s/harbour/admin/reports").await;
    assert!(queue.has("Spoke to Bea; a warning."));
    // Closing again: nothing open, nothing written.
    decide(&mut ana, &path, "dismiss", "Again").await;
    assert_eq!(audits(&w, "report.closed").await, 1);
}

#[tokio::test]
async fn a_member_is_reported_and_members_cannot_moderate() {
    let w = World::new().await;
    let mut dan = w.browser(w.dan).await;
    let profile = dan
        .get(&format!("/s/harbour/members/{}", w.cy.member))
        .await;
    assert!(profile.has(&format!("/s/harbour/report/member/{}", w.cy.member)));
    let yourself = report(&mut dan, &format!("member/{}", w.dan.member), "Me").await;
    assert_eq!(yourself.status, StatusCode::NOT_FOUND);
    report(
        &mut dan,
        &format!("member/{}", w.cy.member),
        "Rude at the coffee machine",
    )
    .await;
    let listing = cys_offer(&w).await;
    // A member is refused every admin action, and nothing changes.
    for action in ["hide", "restore", "dismiss"] {
        for path in [
            format!("listing/{listing}"),
            format!("member/{}", w.cy.member),
        ] {
            let refused = dan
                .post(
                    &format!("/s/harbour/admin/reports/{path}/{action}"),
                    &[("reason", "x"), ("note", "x")],
                )
                .await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN);
        }
    }
    assert_eq!(
        w.app
            .count("select count(*) from reports where closed_at is null")
            .await,
        1
    );
    assert_eq!(
        w.app
            .count("select count(*) from listings where hidden_at is not null")
            .await,
        0
    );
    let mut ana = w.browser(w.ana).await;
    let item = ana
        .get(&format!("/s/harbour/admin/reports/member/{}", w.cy.member))
        .await;
    assert!(item.has("Rude at the coffee machine"));
    assert!(item.has(&format!("/s/harbour/admin/members/{}", w.cy.member)));
}
