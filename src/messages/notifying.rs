//! The words of the inbox, email choices, unsubscribing and notification emails.

pub const TITLE_INBOX: &str = "Inbox";
pub const INBOX_PAGES: &str = "Inbox pages";
pub const TITLE_EMAIL_CHOICES: &str = "Email about your notifications";
pub const UNSUBSCRIBE_TITLE: &str = "Stop these emails?";
pub const UNSUBSCRIBED_TITLE: &str = "You are unsubscribed";
pub const UNSUBSCRIBE_LINK_NOT_VALID: &str = "Unsubscribe links stop working 90 days after their email was sent, and only work as they were sent. You can choose your emails on your inbox's email page once you sign in.";
pub const NOTIFICATION_NOT_FOUND: &str = "That notification is not in your inbox.";
pub const CHOOSE_EMAIL_MODE: &str = "Choose how you hear of these";

/// The page after unsubscribing from `group` (its label).
pub fn unsubscribed(group: &str) -> String {
    format!(
        "You will get no more email about: {group}. Your inbox in Swapdesk still shows them, and you can turn email back on from the inbox's email page."
    )
}
