//! The refusals members meet on the pages, through HTTP: each says why, and changes nothing.

use axum::http::StatusCode;
use swapdesk::marketplace::model::ListingKind;
use swapdesk::spaces::model::Status;
use swapdesk::trades::model::{Action, TradeId, TradeState};
use swapdesk::web::html::Choices;

use super::{Stage, World, page_of, terms};
use crate::helpers::{Browser, Page};

async fn act(browser: &mut Browser, trade: TradeId, action: &str) -> Page {
    browser
        .post(
            &format!("{}/act", page_of(trade)),
            &[("action", action), ("note", "Because")],
        )
        .await
}

async fn trades(w: &World) -> i64 {
    w.app.count("select count(*) from trades").await
}

#[tokio::test]
async fn a_third_party_finds_no_trade_page_and_no_form() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Accepted).await;
    let before = w.digest().await;
    // Dan is a member, Ana an admin; neither is a party, and the trade is not disputed.
    for who in [w.dan, w.ana] {
        let mut browser = w.browser(who).await;
        let page = browser.get(&page_of(trade)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", who.email);
        assert!(!page.has("A logo for the bakery"));
        for action in Action::ALL {
            let page = act(&mut browser, trade, action.as_str()).await;
            assert_eq!(
                page.status,
                StatusCode::NOT_FOUND,
                "{} {action:?}",
                who.email
            );
        }
        let message = browser
            .post(
                &format!("{}/messages", page_of(trade)),
                &[("body", "Hello")],
            )
            .await;
        assert_eq!(message.status, StatusCode::NOT_FOUND);
        let kudos = browser
            .post(&format!("{}/kudos", page_of(trade)), &[("stars", "5")])
            .await;
        assert_eq!(kudos.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(w.digest().await, before);
    assert_eq!(w.app.count("select count(*) from trade_messages").await, 0);
}

#[tokio::test]
async fn nobody_accepts_their_own_proposal() {
    let w = World::new().await;
    let by_payee = w.trade_in(Stage::Proposed).await;
    let by_payer = w.trade_in(Stage::ProposedByPayer).await;
    let before = w.digest().await;
    let mut cy = w.browser(w.cy).await;
    let mut bea = w.browser(w.bea).await;
    for (browser, trade) in [(&mut cy, by_payee), (&mut bea, by_payer)] {
        let page = act(browser, trade, "accept").await;
        assert_eq!(page.status, StatusCode::CONFLICT);
        assert!(
            page.has("Only the member who received the proposal can accept the proposal."),
            "{}",
            page.body
        );
        assert_eq!(w.trade(trade).await.state, TradeState::Proposed);
    }
    assert_eq!(w.digest().await, before, "nothing held, nothing written");
    assert_eq!(w.balance(w.bea).await.held(), 0);
}

#[tokio::test]
async fn the_payee_cannot_confirm_their_own_work_and_be_paid() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Delivered).await;
    let before = w.digest().await;
    let mut cy = w.browser(w.cy).await;
    let page = act(&mut cy, trade, "confirm").await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.has("Only the member who receives the work and pays can confirm the work and pay.")
    );
    assert_eq!(w.digest().await, before);
    assert_eq!(w.trade(trade).await.state, TradeState::Delivered);
    assert_eq!(w.balance(w.cy).await.balance(), 0);
}

#[tokio::test]
async fn accepting_without_enough_credit_is_refused_in_words_until_credits_are_granted() {
    let w = World::new().await;
    // 30.00 hours, and Bea may go 20.00 below zero.
    let trade = w.propose(w.cy, w.bea, &terms(3000, None)).await;
    let mut bea = w.browser(w.bea).await;
    let refused = act(&mut bea, trade, "accept").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.has("You do not have enough credit available to accept"),
        "{}",
        refused.body
    );
    assert_eq!(w.trade(trade).await.state, TradeState::Proposed);
    assert_eq!(w.balance(w.bea).await.held(), 0, "nothing held");
    assert!(w.transfers_of(trade).await.is_empty());
    assert_eq!(
        w.last_event(trade).await,
        ("accept_refused".to_owned(), Some(w.bea.member))
    );

    w.grant(w.bea, 1500).await;
    let accepted = act(&mut bea, trade, "accept").await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(w.trade(trade).await.state, TradeState::Accepted);
    assert_eq!(w.balance(w.bea).await.held(), 3000);
    assert_eq!(w.transfers_of(trade).await, ["pending"]);
    w.verified().await;
}

async fn propose_on(browser: &mut Browser, listing: i64) -> Page {
    browser
        .post(
            "/s/harbour/trades",
            &[
                ("listing", &listing.to_string()),
                ("description", "A logo for the bakery"),
                ("amount", "5"),
                ("due_on", ""),
            ],
        )
        .await
}

#[tokio::test]
async fn a_paused_closed_or_expired_listing_cannot_be_traded() {
    let w = World::new().await;
    let mut cy = w.browser(w.cy).await;
    let mut bea = w.browser(w.bea).await;
    for how in ["paused", "closed", "expired"] {
        let listing = w.listing(w.cy, ListingKind::Offer, None).await;
        if how == "expired" {
            sqlx::query(
                "update listings set expires_at = now() - interval '1 minute' where id = $1",
            )
            .bind(listing.0)
            .execute(&w.app.db)
            .await
            .unwrap();
        } else {
            let set = cy
                .post(
                    &format!("/s/harbour/market/{listing}/status"),
                    &[("status", how)],
                )
                .await;
            assert_eq!(set.status, StatusCode::SEE_OTHER);
        }
        let page = propose_on(&mut bea, listing.0).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{how}");
        assert!(
            page.has(
                "That listing is paused, closed or past its date, so it cannot be traded now."
            ),
            "{how}: {}",
            page.body
        );
        assert!(page.has("A logo for the bakery"), "the form is refilled");
    }
    assert_eq!(trades(&w).await, 0);
    let open = w.listing(w.cy, ListingKind::Offer, None).await;
    assert_eq!(
        propose_on(&mut bea, open.0).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(trades(&w).await, 1);
}

#[tokio::test]
async fn nobody_trades_with_themselves() {
    let w = World::new().await;
    let own = w.listing(w.bea, ListingKind::Offer, None).await;
    let mut bea = w.browser(w.bea).await;
    let me = w.bea.member.0.to_string();
    for path in [
        format!("/s/harbour/trades/new?with={me}"),
        format!("/s/harbour/trades/new?listing={own}"),
    ] {
        let page = bea.get(&path).await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{path}");
        assert!(page.has("You cannot trade with yourself."));
    }
    let to_myself = bea
        .post(
            "/s/harbour/trades",
            &[
                ("with", &me),
                ("direction", "they"),
                ("description", "A logo for the bakery"),
                ("amount", "5"),
            ],
        )
        .await;
    let on_my_listing = propose_on(&mut bea, own.0).await;
    for page in [to_myself, on_my_listing] {
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.has("You cannot trade with yourself."));
    }
    assert_eq!(trades(&w).await, 0);
}

#[tokio::test]
async fn a_suspended_member_can_do_nothing_and_nothing_can_be_done_with_them() {
    let w = World::new().await;
    // Proposed by Cy to Bea.
    let trade = w.trade_in(Stage::Proposed).await;
    let mut cy = w.browser(w.cy).await;
    let mut bea = w.browser(w.bea).await;
    w.set_status(w.cy, Status::Suspended).await;
    let before = w.digest().await;

    for path in ["/s/harbour/trades".to_owned(), page_of(trade)] {
        assert_eq!(cy.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        act(&mut cy, trade, "withdraw").await.status,
        StatusCode::FORBIDDEN
    );
    let proposal = cy
        .post(
            "/s/harbour/trades",
            &[
                ("with", &w.bea.member.0.to_string()),
                ("direction", "me"),
                ("description", "Another logo"),
                ("amount", "5"),
            ],
        )
        .await;
    assert_eq!(proposal.status, StatusCode::FORBIDDEN);

    let accept = act(&mut bea, trade, "accept").await;
    assert_eq!(accept.status, StatusCode::CONFLICT);
    assert!(accept.has(
        "One of the members of this trade is not active in the space, so nothing can be done to it now."
    ));
    // Nor can anyone start a trade with them.
    let to_cy = bea
        .post(
            "/s/harbour/trades",
            &[
                ("with", &w.cy.member.0.to_string()),
                ("direction", "they"),
                ("description", "A logo for the bakery"),
                ("amount", "5"),
            ],
        )
        .await;
    assert_eq!(to_cy.status, StatusCode::NOT_FOUND);
    assert_eq!(w.digest().await, before);
    assert_eq!(w.balance(w.bea).await.held(), 0);
    assert_eq!(trades(&w).await, 1);
}
