//! Words of joining a space and a member's first visit.

pub const JOIN_LINK_OPEN: &str = "Anyone with this address can join straight away. Share it in your welcome email, on your website or on a poster by the door.";
pub const JOIN_LINK_APPROVAL: &str = "Anyone with this address can apply to join; an admin approves each application. Share it in your welcome email, on your website or on a poster by the door.";
pub const JOIN_LINK_INVITE: &str =
    "Only people you invite can join. Make an invitation link for each of them.";

pub fn approved_notice(name: &str) -> String {
    format!("{name} is approved and is now a member. They have been emailed.")
}

pub fn declined_notice(name: &str) -> String {
    format!("{name}'s application is declined. They have been emailed.")
}

// Changing an account's email address.
pub const EMAIL_UNCHANGED: &str = "That is already your address: enter the new one";
pub const BACK_TO_ACCOUNT: &str = "Back to your account";
pub const CONFIRM_NEW_EMAIL_TITLE: &str = "Confirm your new email address";
pub const EMAIL_CHANGE_LINK_NOT_VALID: &str = "It may have been used already, it may have expired, or a newer change may have been asked for. You can ask again from your account page.";
pub const EMAIL_TAKEN_TITLE: &str = "That address belongs to another account";
pub const EMAIL_TAKEN: &str = "Another Swapdesk account uses this address now, so yours keeps its old one. Sign in with that account instead, or choose a different address.";

pub fn email_change_sent(email: &str) -> String {
    format!(
        "We have sent a link to {email}. Open it to make that your address; until then your \
         account keeps its old one. The link works for a day."
    )
}
