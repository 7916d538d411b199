//! Journey: an admin finds a member and suspends them, for a reason; the suspension turns
//! their delivered trade into a dispute, which the admin resolves from the disputes queue.

use super::Journey;
use crate::trades::{Stage, World};

#[tokio::test]
async fn an_admin_suspends_a_member_and_resolves_the_dispute_it_leaves() {
    let w = World::new().await;
    w.trade_in(Stage::Delivered).await;
    let World { app, .. } = w;
    let Some(mut j) = Journey::start("admin-members", app).await else {
        return;
    };
    j.sign_in("ana@example.org", "Ana").await;
    j.visit("/s/harbour/admin").await;
    j.follow("Members").await;
    j.heading("Members").await;
    j.fill("Name or email", "cy").await;
    j.press("Show these members").await;
    j.follow("Cy").await;
    j.heading("Cy").await;
    j.check("a member's admin page").await;
    j.press("Suspend Cy").await;
    j.sees("Say why, for the audit log").await;
    j.check("a suspension needs a reason").await;
    j.fill("Reason", "Left the space without settling up").await;
    j.press("Suspend Cy").await;
    j.sees("Suspended. Their pages in this space close").await;
    j.check("suspended").await;

    j.visit("/s/harbour/admin/disputes").await;
    j.heading("Disputes").await;
    j.sees("Cy's answer").await;
    j.check("the disputes queue").await;
    j.follow("Resolve “A logo for the bakery”").await;
    j.pick("Pay Cy part of it").await;
    j.fill("The part to pay (for a part payment)", "3").await;
    j.fill(
        "The reason for your decision",
        "Most of the logo was delivered before Cy left.",
    )
    .await;
    j.press("Resolve the dispute").await;
    j.sees("Most of the logo was delivered before Cy left.")
        .await;
    j.check("the dispute resolved").await;
    j.visit("/s/harbour/admin/audit").await;
    j.sees("member.suspended").await;
    j.check("the audit log").await;
    j.visit("/s/harbour/admin/settings").await;
    j.pick("Plum").await;
    j.fill("The name of the space's credits", "favours").await;
    j.press("Save settings").await;
    j.sees("saved").await;
    j.check("settings saved").await;
    j.finish().await;
}
