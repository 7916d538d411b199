//! "Send credits": a review step, then a confirmation; refusals say why and keep the form.

use axum::http::StatusCode;
use swapdesk::spaces::model::MembershipId;

use super::{World, hidden, review, transfers, world};
use crate::helpers::{Browser, Page};

fn borrowed<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Confirms what the review page shows, as its button would.
async fn confirm(browser: &mut Browser, check: &Page) -> Page {
    let fields = [
        ("id", hidden(check, "id")),
        ("to", hidden(check, "to")),
        ("amount", hidden(check, "amount")),
        ("memo", hidden(check, "memo")),
    ];
    browser
        .post("/s/harbour/credits/send/confirm", &borrowed(&fields))
        .await
}

#[tokio::test]
async fn a_member_sends_a_gift_after_a_confirmation_step() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let check = review(&mut ana, w.bea, "2.5", "Thanks for the logo!").await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.has("Send 2.50 hours to Bea"));
    assert_eq!(
        transfers(&w.app).await,
        0,
        "nothing moves before the confirmation"
    );

    let done = confirm(&mut ana, &check).await;
    assert_eq!(done.location(), "/s/harbour/credits");
    let page = ana.get("/s/harbour/credits").await;
    assert!(page.has("Your credits are on their way"));
    assert!(page.has("<dd>7.50 hours</dd>"), "balance after the gift");
    assert!(page.has("Thanks for the logo!"));
    let mut bea = w.app.signed_in("bea@example.org").await;
    let hers = bea.get("/s/harbour/credits").await;
    assert!(hers.has("+2.50 hours") && hers.has("Ana"));
}

#[tokio::test]
async fn the_confirm_step_leaves_out_a_message_that_was_not_given() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let check = review(&mut ana, w.bea, "1", "").await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(!check.has("<dt>Message</dt>") && !check.has("None"));
    let with_one = review(&mut ana, w.bea, "1", "For the coffee").await;
    assert!(with_one.has("<dt>Message</dt><dd>For the coffee</dd>"));
}

#[tokio::test]
async fn a_double_submitted_confirmation_pays_once() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let check = review(&mut ana, w.bea, "2.5", "Thanks for the logo!").await;
    let done = confirm(&mut ana, &check).await;
    assert_eq!(done.location(), "/s/harbour/credits");
    let again = confirm(&mut ana, &check).await;
    assert_eq!(
        again.location(),
        "/s/harbour/credits",
        "a double submit lands in the same place"
    );
    assert_eq!(transfers(&w.app).await, 1, "and pays once");
}

/// Suspends Cy, and returns the memberships of Ana (the sender) and of Olga, who belongs
/// to another space: the recipients a sender may not choose.
async fn unfit_recipients(w: &World) -> (i64, i64) {
    sqlx::query("update memberships set status = 'suspended' where id = $1")
        .bind(w.cy.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    let membership_of = |email: &'static str| async move {
        sqlx::query_scalar::<_, i64>(
            "select m.id from memberships m join people p on p.id = m.person_id where p.email = $1",
        )
        .bind(email)
        .fetch_one(&w.app.db)
        .await
        .unwrap()
    };
    (
        membership_of("ana@example.org").await,
        membership_of("olga@example.org").await,
    )
}

#[tokio::test]
async fn each_refusal_at_review_says_why_and_keeps_the_form() {
    let w = world().await;
    let (ana_membership, olga) = unfit_recipients(&w).await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let cases: Vec<(MembershipId, &str, &str)> = vec![
        (
            w.bea,
            "30.01",
            "That is over your limit: you can send at most 30.00 hours",
        ),
        (
            w.cy,
            "1",
            "cannot receive credits while their membership is suspended",
        ),
        (
            MembershipId(ana_membership),
            "1",
            "You cannot send credits to yourself",
        ),
        (
            MembershipId(olga),
            "1",
            "Choose a member of this space: search for them by name",
        ),
        (
            MembershipId(999_999),
            "1",
            "Choose a member of this space: search for them by name",
        ),
        (w.bea, "abc", "Enter the amount as a number"),
        (w.bea, "-1", "Enter an amount above zero"),
        (w.bea, "1.234", "Use at most two decimal places"),
        (w.bea, "99999999999", "Enter an amount of at most 1,000,000"),
        (w.bea, "", "Enter an amount"),
    ];
    for (to, amount, message) in cases {
        let page = review(&mut ana, to, amount, "memo kept").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{amount}");
        assert!(page.has(message), "{amount}: expected {message:?}");
        assert!(page.has("memo kept"), "the form is refilled");
    }
    let long_memo = "m".repeat(201);
    let page = review(&mut ana, w.bea, "1", &long_memo).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("Message must be 200 characters or fewer"));
    assert_eq!(transfers(&w.app).await, 0);
    assert_eq!(
        w.app.count("select count(*) from ledger_rejections").await,
        0,
        "the review step only reads"
    );
}

#[tokio::test]
async fn the_confirm_step_checks_everything_again() {
    let w = world().await;
    let (ana_membership, olga) = unfit_recipients(&w).await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    // A forged over-limit confirmation is refused.
    let form = ana.get("/s/harbour/credits/send").await;
    let id = hidden(&form, "id");
    let bea = w.bea.0.to_string();
    let forged = ana
        .post(
            "/s/harbour/credits/send/confirm",
            &[("to", &bea), ("amount", "31"), ("memo", ""), ("id", &id)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(forged.has("over your limit"));
    // So is a confirmation naming a suspended member, another space's member, or oneself.
    for (to, message) in [
        (
            w.cy.0,
            "cannot receive credits while their membership is suspended",
        ),
        (
            olga,
            "Choose a member of this space: search for them by name",
        ),
        (ana_membership, "You cannot send credits to yourself"),
    ] {
        let form = ana.get("/s/harbour/credits/send").await;
        let id = hidden(&form, "id");
        let to = to.to_string();
        let page = ana
            .post(
                "/s/harbour/credits/send/confirm",
                &[("to", &to), ("amount", "1"), ("memo", ""), ("id", &id)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(page.has(message), "{message}");
    }
    assert_eq!(transfers(&w.app).await, 0);
    assert_eq!(
        w.app.count("select count(*) from ledger_rejections").await,
        1,
        "only the over-limit attempt is a ledger refusal"
    );
}

/// A confirmation of 1.00 to Bea, with an id but no CSRF token.
fn confirmation_to(w: &World) -> [(&'static str, String); 4] {
    [
        ("to", w.bea.0.to_string()),
        ("amount", "1".to_owned()),
        ("memo", String::new()),
        ("id", "0190b5a4-5c5e-7000-8000-000000000001".to_owned()),
    ]
}

#[tokio::test]
async fn sending_without_a_csrf_token_is_refused() {
    let w = world().await;
    let owned = confirmation_to(&w);
    let fields = borrowed(&owned);
    let mut ana = w.app.signed_in("ana@example.org").await;
    let no_token = ana
        .post_raw(
            "/s/harbour/credits/send/confirm",
            &crate::helpers::encode(&fields),
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert_eq!(transfers(&w.app).await, 0);
}

#[tokio::test]
async fn only_members_see_or_send_credits() {
    let w = world().await;
    let owned = confirmation_to(&w);
    let fields = borrowed(&owned);
    w.app.person("stranger@example.org", "Stranger").await;
    for email in ["stranger@example.org", "olga@example.org"] {
        let mut outsider = w.app.signed_in(email).await;
        for path in [
            "/s/harbour/credits",
            "/s/harbour/credits/send",
            "/s/harbour/credits/statement.csv",
        ] {
            assert_eq!(
                outsider.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{email} {path}"
            );
        }
        let page = outsider
            .post("/s/harbour/credits/send/confirm", &fields)
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
    }
    let mut anonymous = w.app.browser();
    assert_eq!(
        anonymous.get("/s/harbour/credits").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(transfers(&w.app).await, 0);
}
