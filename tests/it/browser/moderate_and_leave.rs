//! Journey: a member reports a listing, an admin hides it with a reason its author then
//! reads; another member asks to leave and the admin confirms it, settling their balance.

use swapdesk::marketplace::model::ListingKind;

use super::Journey;
use crate::trades::World;

#[tokio::test]
async fn a_report_leads_to_a_hidden_listing_and_a_member_leaves() {
    let w = World::new().await;
    let listing = w.listing(w.cy, ListingKind::Offer, None).await;
    w.grant(w.dan, 1200).await;
    let dan = w.dan.member;
    let World { app, .. } = w;
    let Some(mut j) = Journey::start("moderate-and-leave", app).await else {
        return;
    };
    j.sign_in("bea@example.org", "Bea").await;
    j.visit(&format!("/s/harbour/market/{listing}")).await;
    j.follow("Report this listing").await;
    j.press("Send the report").await;
    j.sees("Say what is wrong").await;
    j.check("a report needs a reason").await;
    j.fill(
        "What is wrong",
        "This is an advert for a shop, not a neighbour's offer.",
    )
    .await;
    j.press("Send the report").await;
    j.sees("your report is with the admins").await;
    j.sign_out("Bea").await;

    j.sign_in("ana@example.org", "Ana").await;
    j.visit("/s/harbour/admin").await;
    j.follow("Reports and moderation").await;
    j.heading("Reports and moderation").await;
    j.check("the reports queue").await;
    j.follow("A listing: “Logo design”").await;
    j.fill("Reason", "Adverts for shops are not barter.").await;
    j.press("Hide it").await;
    j.sees("Hidden. Its author sees your reason").await;
    j.check("the listing hidden").await;
    j.sign_out("Ana").await;

    j.sign_in("cy@example.org", "Cy").await;
    j.visit(&format!("/s/harbour/market/{listing}")).await;
    j.sees("Adverts for shops are not barter.").await;
    j.check("its author reads why").await;
    j.sign_out("Cy").await;

    j.sign_in("dan@example.org", "Dan").await;
    j.visit("/s/harbour/profile").await;
    j.follow("Leave this space").await;
    j.heading("Leave Space harbour").await;
    j.check("leaving").await;
    j.press("Ask to leave Space harbour").await;
    j.sees("You asked to leave.").await;
    j.sign_out("Dan").await;

    j.sign_in("ana@example.org", "Ana").await;
    j.visit(&format!("/s/harbour/admin/members/{dan}")).await;
    j.sees("Dan asked to leave").await;
    j.check("a member asked to leave").await;
    j.press("Confirm: Dan leaves").await;
    j.sees("They have left").await;
    j.check("the member left").await;
    j.visit("/account/delete").await;
    j.heading("Delete your account").await;
    j.check("deleting an account waits for leaving").await;
    j.finish().await;
}
