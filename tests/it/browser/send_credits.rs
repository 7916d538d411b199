//! Journey: a member finds a neighbour by name, sends them credits after checking the
//! details; the neighbour's inbox counts the gift until it is read, and each of them sees
//! the new balance.

use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::Code;
use swapdesk::ledger::{self, Payment};
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::Journey;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_member_sends_credits_and_both_balances_show_it() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (_, ana) = app
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    app.member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
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
    let Some(mut j) = Journey::start("send-credits", app).await else {
        return;
    };

    j.sign_in("ana@example.org", "Ana").await;
    j.press("Menu for Ana").await;
    j.follow("Credits").await;
    j.heading("My credits").await;
    j.check("credits before").await;
    j.follow("Send credits").await;
    j.heading("Send credits").await;
    j.check("send form").await;
    j.fill("Who to send to", "be").await;
    j.press("Find members").await;
    j.sees("Members matching").await;
    j.check("members matching a search").await;
    j.follow("Send to Bea").await;
    j.heading("Send credits").await;
    j.check("send form with Bea chosen").await;
    j.fill("Amount", "2.5").await;
    j.fill("Message (optional)", "Thanks for the logo!").await;
    j.press("Check the details").await;
    j.heading("Check and send").await;
    j.check("check the details").await;
    j.press("Send 2.50 hours to Bea").await;
    j.sees("Your credits are on their way").await;
    assert_eq!(j.figure("Balance").await, "7.50 hours");
    j.sees("Thanks for the logo!").await;
    j.check("credits after sending").await;

    j.sign_out("Ana").await;
    j.sign_in("bea@example.org", "Bea").await;
    // The gift waits in Bea's inbox; the header counts it until she reads it.
    j.follow("Inbox 1 unread").await;
    j.heading("Inbox").await;
    j.sees("1 unread notification.").await;
    j.check("the inbox with a gift").await;
    j.press("Mark read: Ana sent you 2.50 hours").await;
    j.sees("Nothing unread.").await;
    j.follow("Choose which emails you get").await;
    j.heading("Email about your notifications").await;
    j.check("email choices").await;
    j.follow("Inbox").await;
    j.follow("Ana sent you 2.50 hours").await;
    j.heading("My credits").await;
    assert_eq!(j.figure("Balance").await, "2.50 hours");
    j.sees("Thanks for the logo!").await;
    j.check("the recipient's credits").await;
    j.finish().await;
}
