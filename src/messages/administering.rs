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

pub const SETTLED_ON_LEAVING: &str = "Settled when leaving the space";
pub const TITLE_LEAVE: &str = "Leave this space";
pub const TITLE_DELETE_ACCOUNT: &str = "Delete your account";
pub const NOT_ASKED_TO_LEAVE: &str = "They have not asked to leave.";
pub const LAST_ADMIN_LEAVING: &str =
    "They are the space's last active admin: make someone else an admin first.";
pub const LEAVE_CHANGED: &str =
    "Credits moved for them meanwhile, so nothing was done. Look again and confirm.";

/// Why a member cannot leave yet, one line each.
pub fn still_holds(open_trades: i64, bookings: i64, held: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if open_trades > 0 {
        lines.push(format!(
            "{open_trades} open trade{}: finish, withdraw or cancel {}",
            if open_trades == 1 { "" } else { "s" },
            if open_trades == 1 { "it" } else { "them" }
        ));
    }
    if bookings > 0 {
        lines.push(format!(
            "{bookings} upcoming room booking{}: cancel {} first",
            if bookings == 1 { "" } else { "s" },
            if bookings == 1 { "it" } else { "them" }
        ));
    }
    if held {
        lines.push("Credits are held in a trade: they must be paid or released first".to_owned());
    }
    lines
}

/// The ledger refused to settle a leaving member's balance.
pub fn settle_refused(reason: &str) -> String {
    format!("The balance could not be settled with the space account: {reason}.")
}
pub const LEAVE_SPACES_FIRST: &str = "Leave every space first: see the list above.";
pub const MEMBER_LEFT: &str = "They left the space: their membership can no longer change.";

/// How old the overview's figures are, `minutes` after they were computed.
pub fn figures_age(minutes: i64) -> String {
    match minutes {
        0 => "These figures were computed just now; they are computed again every few minutes."
            .to_owned(),
        1 => "These figures were computed a minute ago; they are computed again every few minutes."
            .to_owned(),
        n => format!(
            "These figures were computed {n} minutes ago; they are computed again every few minutes."
        ),
    }
}
