//! Grants from the space account: a check step before each, once however often it is sent.

use axum::http::StatusCode;

use super::admin::{admin, audited_ledger_actions, check_grant, grant, grant_id};
use super::{hidden, world};

#[tokio::test]
async fn a_grant_without_a_reason_is_refused() {
    let w = world().await;
    let mut ana = admin(&w).await;
    let id = grant_id(&mut ana).await;
    let bad = check_grant(&mut ana, &w, "zero", "", &id).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("Say what the grant is for"));
    let forged = grant(&mut ana, &w, "5", "", &id).await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(forged.has("Say what the grant is for") && forged.has("value=\"5\""));
    assert_eq!(
        w.app.count("select count(*) from ledger_transfers").await,
        1
    );
}

#[tokio::test]
async fn a_grant_is_checked_before_it_is_made_and_the_banner_says_who_got_how_much() {
    let w = world().await;
    let mut ana = admin(&w).await;
    let id = grant_id(&mut ana).await;
    let check = check_grant(&mut ana, &w, "5", "Ran the lunch", &id).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.title().starts_with("Check the grant"));
    assert!(check.has("Grant 5.00 hours to Bea") && check.has("Ran the lunch"));
    assert_eq!(
        hidden(&check, "id"),
        id,
        "the form's id goes on to the grant"
    );
    assert!(
        check.has("/s/harbour/admin/ledger/grant?member="),
        "a way back to change it"
    );
    assert_eq!(
        w.app.count("select count(*) from ledger_transfers").await,
        1,
        "nothing is granted at the check"
    );
    let done = grant(&mut ana, &w, "5", "Ran the lunch", &id).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let ledger = ana.get(done.location()).await;
    assert!(
        ledger.has("<div class=\"notice\" role=\"status\"><p>Bea got 5.00 hours from the space account.</p></div>"),
        "{}",
        ledger.body
    );
    let change = ana
        .get(&format!(
            "/s/harbour/admin/ledger/grant?member={}&amount=5.00&memo=Ran%20the%20lunch&id={id}",
            w.bea.0
        ))
        .await;
    assert!(change.has("value=\"5.00\"") && change.has("value=\"Ran the lunch\""));
    assert!(change.has(&format!(
        "<option value=\"{}\" selected>Bea</option>",
        w.bea.0
    )));
}

#[tokio::test]
async fn a_grant_to_someone_who_cannot_have_one_is_refused_at_the_check() {
    let w = world().await;
    sqlx::query("update memberships set status = 'suspended' where id = $1")
        .bind(w.cy.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    let olga: i64 = w
        .app
        .count(
            "select m.id from memberships m join people p on p.id = m.person_id
             where p.email = 'olga@example.org'",
        )
        .await;
    let mut ana = admin(&w).await;
    let id = grant_id(&mut ana).await;
    for member in [w.cy.0.to_string(), olga.to_string(), "nobody".to_owned()] {
        let page = ana
            .post(
                "/s/harbour/admin/ledger/grant",
                &[
                    ("member", &member),
                    ("amount", "5"),
                    ("memo", "Kept"),
                    ("id", &id),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{member}");
        assert!(
            page.has("Choose an active member of this space"),
            "{member}"
        );
        assert!(page.has("value=\"Kept\""), "the form is refilled");
    }
    let too_much = check_grant(&mut ana, &w, "1000000", "A fortune", &id).await;
    assert_eq!(too_much.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_much.has("more than the space account can grant"));
    assert_eq!(
        w.app.count("select count(*) from ledger_transfers").await,
        1
    );
}

#[tokio::test]
async fn a_grant_submitted_twice_pays_once_and_is_audited() {
    let w = world().await;
    let mut ana = admin(&w).await;
    let id = grant_id(&mut ana).await;
    let done = grant(&mut ana, &w, "5", "Ran the lunch", &id).await;
    assert_eq!(
        done.location(),
        format!("/s/harbour/admin/ledger?granted={id}")
    );
    let again = grant(&mut ana, &w, "5", "Ran the lunch", &id).await;
    assert_eq!(again.location(), done.location());
    assert_eq!(
        w.app
            .count("select count(*) from ledger_transfers where memo = 'Ran the lunch'")
            .await,
        1
    );
    assert_eq!(audited_ledger_actions(&w).await, ["ledger.grant"]);
}
