//! Journey: an admin sees a waiting application on the space's home page and approves it;
//! the applicant is then an active member.

use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::Journey;
use crate::helpers::TestApp;

#[tokio::test]
async fn an_admin_approves_an_applicant() {
    let app = TestApp::new().await;
    let space = app.space("club", SignupMode::Approval).await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    app.member(space, "bea@example.org", Role::Member, Status::Pending)
        .await;
    let Some(mut j) = Journey::start("approve-applicant", app).await else {
        return;
    };

    j.sign_in("bea@example.org", "Bea").await;
    j.sees("Your application is waiting").await;
    j.check("the applicant waits").await;
    j.sign_out("Bea").await;

    j.sign_in("ana@example.org", "Ana").await;
    j.follow("1 application waiting for you").await;
    j.heading("Applications").await;
    j.check("applications").await;
    j.press("Approve Bea").await;
    j.sees("Bea is approved and is now a member.").await;
    j.sees("No applications are waiting.").await;
    j.check("approved").await;
    assert_eq!(
        j.app
            .count("select count(*) from memberships where status = 'active'")
            .await,
        2
    );

    j.sign_out("Ana").await;
    j.sign_in("bea@example.org", "Bea").await;
    j.heading("Welcome, Bea").await;
    j.check("the new member's home").await;
    j.finish().await;
}
