//! Choosing whom to pay: a search by name that tells namesakes apart, `?to=` links that
//! choose a member, and what "available to spend" is made of.

use axum::http::StatusCode;
use swapdesk::spaces::db as spaces_db;
use swapdesk::spaces::model::{MembershipId, Role, Status};

use super::{World, hidden, world};
use crate::helpers::Page;

/// Tom Fischer and Tomás Ruiz join the space, each with a headline.
async fn namesakes(w: &World) -> (MembershipId, MembershipId) {
    let mut ids = Vec::new();
    for (email, name, headline) in [
        (
            "tom@example.org",
            "Tom Fischer",
            "Bookkeeping for freelancers",
        ),
        ("tomas@example.org", "Tomás Ruiz", "Brand and logo design"),
    ] {
        let person = w.app.person(email, name).await;
        let mut conn = w.app.db.acquire().await.unwrap();
        let id =
            spaces_db::add_membership(&mut conn, w.space, person, Role::Member, Status::Active)
                .await
                .unwrap()
                .unwrap();
        sqlx::query("update memberships set headline = $2 where id = $1")
            .bind(id.0)
            .bind(headline)
            .execute(&w.app.db)
            .await
            .unwrap();
        ids.push(id);
    }
    (ids[0], ids[1])
}

/// The choose links on a search page, in order.
fn chosen_ids(page: &Page) -> Vec<String> {
    page.body
        .split("/credits/send?to=")
        .skip(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .collect()
}

#[tokio::test]
async fn the_send_page_starts_with_nobody_chosen() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let page = ana.get("/s/harbour/credits/send").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Who to send to") && page.has("type=\"search\""));
    assert!(!page.has("<select"), "no list that starts on someone");
    assert!(
        !page.has("name=\"amount\""),
        "the amount waits for a member"
    );
}

#[tokio::test]
async fn a_search_by_name_lists_each_match_with_avatar_and_headline() {
    let w = world().await;
    let (tom, tomas) = namesakes(&w).await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let page = ana.get("/s/harbour/credits/send?q=tom").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(chosen_ids(&page), [tom.0.to_string(), tomas.0.to_string()]);
    for needle in [
        "aria-label=\"Tom Fischer\"",
        "Bookkeeping for freelancers",
        "Send to Tom Fischer",
        "aria-label=\"Tomás Ruiz\"",
        "Brand and logo design",
        "Send to Tomás Ruiz",
    ] {
        assert!(page.has(needle), "missing {needle}");
    }
    assert!(page.title().starts_with("Send credits: tom"));
    // Accents are optional, any part of the name will do, and every word must match.
    for (query, expected) in [
        ("tomas", vec![tomas]),
        ("TOM%C3%81S", vec![tomas]),
        ("ruiz", vec![tomas]),
        ("fisch%20tom", vec![tom]),
    ] {
        let page = ana.get(&format!("/s/harbour/credits/send?q={query}")).await;
        let ids: Vec<String> = expected.iter().map(|m| m.0.to_string()).collect();
        assert_eq!(chosen_ids(&page), ids, "{query}");
    }
    let nobody = ana.get("/s/harbour/credits/send?q=zed").await;
    assert_eq!(nobody.status, StatusCode::OK);
    assert!(nobody.has("No member&#39;s name matches") || nobody.has("No member's name matches"));
    assert!(chosen_ids(&nobody).is_empty());
}

#[tokio::test]
async fn a_search_leaves_out_oneself_the_suspended_and_other_spaces() {
    let w = world().await;
    sqlx::query("update memberships set status = 'suspended' where id = $1")
        .bind(w.cy.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    let mut ana = w.app.signed_in("ana@example.org").await;
    for query in ["ana", "cy", "olga"] {
        let page = ana.get(&format!("/s/harbour/credits/send?q={query}")).await;
        assert!(
            chosen_ids(&page).is_empty(),
            "{query}: {:?}",
            chosen_ids(&page)
        );
    }
    let bea = ana.get("/s/harbour/credits/send?q=bea").await;
    assert_eq!(chosen_ids(&bea), [w.bea.0.to_string()]);
}

#[tokio::test]
async fn a_link_with_to_chooses_the_member_and_keeps_the_draft() {
    let w = world().await;
    let (_, tomas) = namesakes(&w).await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let id = "0190b5a4-5c5e-7000-8000-0000000000aa";
    let page = ana
        .get(&format!(
            "/s/harbour/credits/send?to={}&amount=3&memo=For%20the%20logo&id={id}",
            tomas.0
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.title().starts_with("Send credits to Tomás Ruiz"));
    assert_eq!(hidden(&page, "to"), tomas.0.to_string());
    assert_eq!(hidden(&page, "id"), id);
    assert!(page.has("Brand and logo design"));
    assert!(page.has("value=\"3\"") && page.has(">For the logo</textarea>"));
    // Choosing someone else keeps the amount, the message and the form's id.
    let encoded_id = id.replace('-', "%2D");
    assert!(
        page.has(&format!(
            "href=\"/s/harbour/credits/send?amount=3&#38;memo=For%20the%20logo&#38;id={encoded_id}\""
        )),
        "{}",
        page.body
    );
    let search = ana
        .get(&format!(
            "/s/harbour/credits/send?q=bea&amount=3&memo=For%20the%20logo&id={id}"
        ))
        .await;
    assert_eq!(hidden(&search, "amount"), "3");
    assert!(search.has(&format!(
        "/s/harbour/credits/send?to={}&#38;amount=3&#38;memo=For%20the%20logo&#38;id={encoded_id}",
        w.bea.0
    )));
}

#[tokio::test]
async fn a_link_naming_someone_who_cannot_be_paid_is_refused_clearly() {
    let w = world().await;
    sqlx::query("update memberships set status = 'suspended' where id = $1")
        .bind(w.cy.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    let (_, pending) = w
        .app
        .member(w.space, "pat@example.org", Role::Member, Status::Pending)
        .await;
    let ids: Vec<i64> = sqlx::query_scalar(
        "select m.id from memberships m join people p on p.id = m.person_id
         where p.email in ('ana@example.org', 'olga@example.org') order by p.email",
    )
    .fetch_all(&w.app.db)
    .await
    .unwrap();
    let (ana_id, olga) = (ids[0], ids[1]);
    let mut ana = w.app.signed_in("ana@example.org").await;
    for (to, message) in [
        (ana_id.to_string(), "You cannot send credits to yourself"),
        (
            w.cy.0.to_string(),
            "Cy cannot receive credits while their membership is suspended",
        ),
        (
            olga.to_string(),
            "Choose a member of this space: search for them by name",
        ),
        (
            pending.0.to_string(),
            "Choose a member of this space: search for them by name",
        ),
        (
            "999999".to_owned(),
            "Choose a member of this space: search for them by name",
        ),
        (
            "abc".to_owned(),
            "Choose a member of this space: search for them by name",
        ),
    ] {
        let page = ana
            .get(&format!("/s/harbour/credits/send?to={to}&amount=2"))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{to}");
        assert!(page.has(message), "{to}: expected {message:?}");
        assert!(page.title().starts_with("Error:"), "{to}");
        assert!(page.has("href=\"#q\""), "the summary leads to the search");
        assert!(!page.has("Pat"), "an applicant's name is not shown");
        assert_eq!(hidden(&page, "amount"), "2", "the draft is kept");
    }
}

#[tokio::test]
async fn available_to_spend_says_what_it_is_made_of() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let credits = ana.get("/s/harbour/credits").await;
    assert!(credits.has(
        "<dd>30.00 hours</dd><dd class=\"note\">Your balance of 10.00 hours plus your credit line of 20.00 hours</dd>"
    ));
    let send = ana.get("/s/harbour/credits/send").await;
    assert!(send.has(
        "You have 30.00 hours available to send: your balance of 10.00 hours plus your credit line of 20.00 hours."
    ));
    let home = ana.get("/s/harbour").await;
    assert!(home.has("Your balance plus your credit line, less anything held for trades"));
    // Below zero, the credit line is what is left of it.
    let mut bea = w.app.signed_in("bea@example.org").await;
    let form = bea.get("/s/harbour/credits/send").await;
    let id = hidden(&form, "id");
    let cy = w.cy.0.to_string();
    let check = bea
        .post(
            "/s/harbour/credits/send",
            &[("to", &cy), ("amount", "5"), ("memo", ""), ("id", &id)],
        )
        .await;
    let fields = [
        ("id", hidden(&check, "id")),
        ("to", hidden(&check, "to")),
        ("amount", hidden(&check, "amount")),
        ("memo", String::new()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    bea.post("/s/harbour/credits/send/confirm", &fields).await;
    let hers = bea.get("/s/harbour/credits").await;
    assert!(
        hers.has("Your credit line of 20.00 hours, less the 5.00 hours you owe"),
        "{}",
        hers.body
    );
}
