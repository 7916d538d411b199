//! Addresses that are taken: another space's now or before, in the form and in the
//! database however saves race; and a space taking back an address of its own.

use axum::http::StatusCode;
use swapdesk::audit::Actor;
use swapdesk::spaces::slugs::{self, Moved};

use super::{World, save};

#[tokio::test]
async fn an_address_another_space_has_or_had_is_taken() {
    let w = World::new().await;
    let mut olga = w.app.signed_in("olga@example.org").await;
    let moved = save(&mut olga, "other", "elsewhere").await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let mut ana = w.app.signed_in("ana@example.org").await;
    // Other's address now, and its address before: an old link must not land in Harbour.
    for taken in ["elsewhere", "other"] {
        let page = save(&mut ana, "harbour", taken).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{taken}");
        assert!(page.has("That address is taken"), "{taken}");
        assert!(page.has(&format!("value=\"{taken}\"")));
    }
    assert_eq!(w.slug(w.harbour).await, "harbour");
    assert_eq!(w.former(w.other).await, ["other"]);
    let old = olga.get("/s/other/admin").await;
    assert_eq!(old.location(), "/s/elsewhere/admin");
}

#[tokio::test]
async fn the_database_refuses_another_spaces_address_when_the_form_check_was_passed() {
    let w = World::new().await;
    let mut olga = w.app.signed_in("olga@example.org").await;
    save(&mut olga, "other", "elsewhere").await;
    let ana: i64 = sqlx::query_scalar("select id from people where email = 'ana@example.org'")
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    let actor = Actor {
        space: w.harbour,
        person: swapdesk::auth::model::PersonId(ana),
        ip: None,
    };
    // As if Olga's change landed between Ana's check and her save.
    for taken in ["elsewhere", "other"] {
        let mut tx = w.app.db.begin().await.unwrap();
        let done = slugs::change(&mut tx, actor, "harbour", taken)
            .await
            .unwrap();
        assert_eq!(done, Moved::Taken, "{taken}");
    }
    let mut tx = w.app.db.begin().await.unwrap();
    let stale = slugs::change(&mut tx, actor, "somewhere", "harbour-2")
        .await
        .unwrap();
    assert_eq!(
        stale,
        Moved::Stale,
        "the space is no longer where the form saw it"
    );
    drop(tx);
    // A new space cannot take a former address either, whoever makes it.
    let made = sqlx::query("insert into spaces (slug, name) values ('other', 'Newcomer')")
        .execute(&w.app.db)
        .await;
    let err = made.unwrap_err();
    assert!(
        err.as_database_error().unwrap().is_unique_violation(),
        "{err}"
    );
    assert_eq!(w.slug(w.harbour).await, "harbour");
}

#[tokio::test]
async fn two_spaces_racing_for_one_address_leave_one_with_it_and_the_other_a_form_error() {
    let w = World::new().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let mut olga = w.app.signed_in("olga@example.org").await;
    let (mut at_harbour, mut at_other) = ("harbour".to_owned(), "other".to_owned());
    for round in 0..8 {
        let prize = format!("prize-{round}");
        let (a, o) = tokio::join!(
            save(&mut ana, &at_harbour, &prize),
            save(&mut olga, &at_other, &prize)
        );
        let mut statuses = [a.status, o.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY],
            "round {round}"
        );
        let lost = if a.status == StatusCode::SEE_OTHER {
            &o
        } else {
            &a
        };
        assert!(lost.has("That address is taken"));
        assert_eq!(
            w.app
                .count(&format!(
                    "select count(*) from spaces where slug = '{prize}'"
                ))
                .await,
            1
        );
        at_harbour = w.slug(w.harbour).await;
        at_other = w.slug(w.other).await;
    }
}

#[tokio::test]
async fn a_space_takes_back_an_address_of_its_own() {
    let w = World::new().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    assert_eq!(
        save(&mut ana, "harbour", "harbour-works").await.status,
        StatusCode::SEE_OTHER
    );
    let back = save(&mut ana, "harbour-works", "harbour").await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    assert_eq!(back.location(), "/s/harbour/admin/settings");
    assert_eq!(w.slug(w.harbour).await, "harbour");
    assert_eq!(w.former(w.harbour).await, ["harbour-works"]);
    assert_eq!(ana.get("/s/harbour").await.status, StatusCode::OK);
    let old = ana.get("/s/harbour-works/credits").await;
    assert_eq!(old.location(), "/s/harbour/credits");
    assert_eq!(w.audits("space.slug_changed").await, 2);
}
