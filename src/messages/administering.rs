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
