//! The words of the admin's members pages.

pub const TITLE_MEMBERS: &str = "Members";
pub const TITLE_DISPUTES: &str = "Disputes";
pub const TITLE_AUDIT: &str = "Audit log";
pub const AUDIT_PAGES: &str = "Audit log pages";
pub const DATE_FORMAT: &str = "Enter a date like 2026-11-01, or leave it empty";
pub const MEMBERS_PAGES: &str = "Members pages";
pub const SAY_WHY_MEMBER: &str = "Say why, for the audit log";
pub const LAST_ADMIN: &str = "A space needs an active admin: make someone else an admin first";
pub const NOT_YOURSELF: &str = "You cannot suspend yourself; another admin can";
pub const OVER_LIMIT_OF_MEMBER: &str =
    "That is more than this member can pay now, with their balance and credit limit";
pub const PAYMENT_FORM_EXPIRED: &str =
    "This form has expired: check the details and record it again";

/// The title of a member's admin page, apart from their public profile's.
pub fn member_admin_title(name: &str) -> String {
    format!("{name} (admin)")
}

pub const LABEL_CURRENCY: &str = "The name of the space's credits";
pub const ENTER_CURRENCY: &str = "Enter what the space's credits are called, like hours";

pub const TITLE_REPORTS: &str = "Reports and moderation";
pub const TITLE_REPORT: &str = "Report it to the admins";
pub const LABEL_REPORT_REASON: &str = "What is wrong";
pub const LABEL_WHAT_WAS_DONE: &str = "What was done";
pub const LABEL_CLOSED_WITHOUT_HIDING: &str = "What was done, without hiding it";
pub const SAY_WHY_REPORT: &str = "Say what is wrong, so the admins can look at it";
pub const SAY_WHY_HIDE: &str = "Say why: its author sees this";
pub const SAY_WHAT_WAS_DONE: &str = "Say what was done, for the record";
pub const NOT_REPORTABLE: &str =
    "This cannot be reported: it is your own, or no longer to be seen.";

/// Reported things as admins and reporters read them.
pub fn reported_listing(title: &str) -> String {
    format!("a listing: “{title}”")
}

pub fn reported_kudos(from: &str, to: &str) -> String {
    format!("a kudos note from {from} to {to}")
}

pub fn reported_message(author: &str, trade: &str) -> String {
    format!("a message from {author} in “{trade}”")
}

pub fn reported_member(name: &str) -> String {
    format!("a member: {name}")
}

/// A hidden thing as its owner reads it.
pub fn your_listing(title: &str) -> String {
    format!("your listing “{title}”")
}

pub fn your_kudos(to: &str) -> String {
    format!("your kudos note for {to}")
}

/// The title of a thing's moderation page: "Moderate a listing: “A logo”".
pub fn moderate(thing: &str) -> String {
    format!("Moderate {thing}")
}
