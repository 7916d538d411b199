//! Journey: a member posts an offer, a neighbour finds it in the marketplace and proposes a
//! trade; the credits are held on acceptance, paid on confirmation, and kudos follow.

use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::Code;
use swapdesk::ledger::{self, Payment};
use swapdesk::skills::db as skills_db;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::Journey;
use crate::helpers::TestApp;

#[tokio::test]
async fn an_offer_is_traded_with_credits_held_then_paid_and_kudos_left() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (_, ana) = app
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    app.member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    skills_db::create_category(&app.db, space, "Design")
        .await
        .unwrap()
        .unwrap();
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
    let Some(mut j) = Journey::start("trade-offer", app).await else {
        return;
    };

    bea_offers_a_logo(&mut j).await;
    ana_finds_it_and_proposes(&mut j).await;
    bea_accepts_and_delivers(&mut j).await;
    ana_confirms_and_leaves_kudos(&mut j).await;
    bea_is_paid_and_thanked(&mut j).await;
    j.finish().await;
}

/// Bea offers a logo through the form.
async fn bea_offers_a_logo(j: &mut Journey) {
    j.sign_in("bea@example.org", "Bea").await;
    j.follow("Marketplace").await;
    j.heading("Marketplace").await;
    j.follow("Post an offer or a request").await;
    j.heading("Post a listing").await;
    j.choose("Is this an offer or a request?", "Offer: I can do this")
        .await;
    j.fill("Title", "Logo for your startup").await;
    j.fill(
        "Description (optional)",
        "Three sketches, then one finished logo.",
    )
    .await;
    j.choose("Category", "Design").await;
    j.fill("Price", "3").await;
    j.check("new listing").await;
    j.press("Post the listing").await;
    j.heading("Logo for your startup").await;
    j.check("the listing").await;
    j.sign_out("Bea").await;
}

/// Ana finds the offer despite a typo, and proposes a trade on it: nothing is held yet.
async fn ana_finds_it_and_proposes(j: &mut Journey) {
    j.sign_in("ana@example.org", "Ana").await;
    j.follow("Marketplace").await;
    j.fill("What are you looking for?", "logp").await;
    j.press("Search the marketplace").await;
    j.follow("Logo for your startup").await;
    j.follow("I'd like this").await;
    j.heading("Propose a trade to Bea").await;
    j.fill("What will be done", "A logo for Ana's bakery, in green")
        .await;
    j.fill("Amount", "3").await;
    j.check("proposal").await;
    j.press("Propose this trade to Bea").await;
    j.sees("Your proposal is sent").await;
    j.sees("Nothing is held yet").await;
    j.sign_out("Ana").await;
}

/// Bea accepts, which holds Ana's credits, and later delivers.
async fn bea_accepts_and_delivers(j: &mut Journey) {
    j.sign_in("bea@example.org", "Bea").await;
    j.follow("Your trades").await;
    j.heading("My trades").await;
    j.check("trades waiting").await;
    j.follow("A logo for Ana's bakery, in green").await;
    j.check("a proposal to answer").await;
    j.press("Accept and hold the credits").await;
    j.sees("3.00 hours held").await;
    j.press("Mark the work delivered").await;
    j.sees("Done: the trade is updated").await;
    j.check("delivered").await;
    j.sign_out("Bea").await;
}

/// Ana sees the hold on her credits, confirms, which pays Bea, and leaves kudos.
async fn ana_confirms_and_leaves_kudos(j: &mut Journey) {
    j.sign_in("ana@example.org", "Ana").await;
    j.follow("Credits").await;
    assert_eq!(j.figure("Balance").await, "10.00 hours");
    assert_eq!(j.figure("Held for trades").await, "3.00 hours");
    // The balance less the hold, plus the space's credit limit of 20 hours.
    assert_eq!(j.figure("Available to spend").await, "27.00 hours");
    j.follow("Your trades").await;
    j.follow("A logo for Ana's bakery, in green").await;
    j.press("Confirm the work and pay").await;
    j.sees("3.00 hours paid").await;
    j.fill("A few words (optional)", "Lovely work, and quick")
        .await;
    j.press("Leave kudos").await;
    j.sees("your kudos are on their profile").await;
    j.check("completed with kudos").await;
    j.follow("Credits").await;
    j.heading("My credits").await;
    assert_eq!(j.figure("Balance").await, "7.00 hours");
    assert_eq!(j.figure("Held for trades").await, "0.00 hours");
    j.sign_out("Ana").await;
}

/// Bea has the credits, and the kudos are on her profile.
async fn bea_is_paid_and_thanked(j: &mut Journey) {
    j.sign_in("bea@example.org", "Bea").await;
    j.follow("Credits").await;
    assert_eq!(j.figure("Balance").await, "3.00 hours");
    j.follow("Your profile").await;
    j.follow("See your profile as neighbours see it").await;
    j.sees("Lovely work, and quick").await;
    j.check("kudos on the profile").await;
}
