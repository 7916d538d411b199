//! Page structs for the admin pages.

use askama::Template;

use crate::members::avatar::Avatar;
use crate::messages;
use crate::notify::outbox::Delivery;
use crate::spaces::model::Applicant;
use crate::spaces::model::{Invitation, SignupMode};
use crate::web::form::Errors;
use crate::web::html::{Choice, Layout};
use crate::web::pager::Pager;

#[derive(Template)]
#[template(path = "admin/index.html")]
pub struct AdminIndexPage {
    pub layout: Layout,
    pub slug: String,
    pub pending: usize,
    pub join: JoinLink,
}

/// The space's join address, as admins see it to hand out.
pub struct JoinLink {
    pub url: String,
    pub mode: SignupMode,
}

impl JoinLink {
    pub fn new(base_url: &str, slug: &str, mode: SignupMode) -> Self {
        Self {
            url: format!("{base_url}/s/{slug}/join"),
            mode,
        }
    }

    pub fn invite_only(&self) -> bool {
        self.mode == SignupMode::Invite
    }

    /// What the address does, in the space's signup mode.
    pub fn says(&self) -> &'static str {
        match self.mode {
            SignupMode::Open => messages::JOIN_LINK_OPEN,
            SignupMode::Approval => messages::JOIN_LINK_APPROVAL,
            SignupMode::Invite => messages::JOIN_LINK_INVITE,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/applications.html")]
pub struct ApplicationsPage {
    pub layout: Layout,
    pub slug: String,
    pub applicants: Vec<Applicant>,
}

#[derive(Template)]
#[template(path = "admin/decline.html")]
pub struct DeclinePage {
    pub reason: String,
    pub errors: Errors,
    pub layout: Layout,
    pub slug: String,
    pub applicant: Applicant,
}

#[derive(Template)]
#[template(path = "admin/invitations.html")]
pub struct InvitationsPage {
    pub layout: Layout,
    pub slug: String,
    pub invitations: Vec<Invitation>,
    /// The link just made; shown once.
    pub new_link: Option<String>,
    pub note: String,
    pub days: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
pub struct SettingsPage {
    pub layout: Layout,
    /// Where the space is now: the form posts here.
    pub slug: String,
    /// Not `name`: the form macros have a parameter of that name.
    pub space_name: String,
    /// The address field: the slug as saved, or as the admin typed it.
    pub address: String,
    pub address_hint: String,
    pub time_zone: String,
    pub modes: Vec<Choice>,
    pub auto_complete_days: String,
    pub listed: bool,
    pub cancel_cutoff_hours: String,
    pub currency_name: String,
    pub accents: Vec<Choice>,
    pub default_credit_limit: String,
    pub space_limit: String,
    pub join: JoinLink,
    pub errors: Errors,
}

/// The stylesheet's accent colours, each with 4.5:1 or better against white text; the
/// database's check allows exactly these.
pub const ACCENTS: [(&str, &str); 8] = [
    ("teal", "Teal"),
    ("indigo", "Indigo"),
    ("plum", "Plum"),
    ("rust", "Rust"),
    ("forest", "Forest green"),
    ("slate", "Slate"),
    ("ocean", "Ocean blue"),
    ("berry", "Berry"),
];

/// The palette as radio choices, `chosen` checked.
pub fn accent_choices(chosen: &str) -> Vec<Choice> {
    ACCENTS
        .iter()
        .map(|(value, label)| Choice::new(*value, *label, *value == chosen))
        .collect()
}

/// A transfer as the admin's ledger lists it.
pub struct TransferRow {
    pub id: String,
    pub when: String,
    pub kind: String,
    pub code: String,
    pub from: String,
    pub to: String,
    pub amount: String,
    pub memo: String,
    pub reversible: bool,
    pub reversed: bool,
}

#[derive(Template)]
#[template(path = "admin/ledger.html")]
pub struct LedgerPage {
    pub layout: Layout,
    /// Who a grant just made got, and how much.
    pub notice: Option<String>,
    pub slug: String,
    /// The space account's balance, and why it is where it is.
    pub space_note: String,
    pub rows: Vec<TransferRow>,
    pub from: String,
    pub to: String,
    pub kinds: Vec<Choice>,
    pub members: Vec<Choice>,
    pub pager: Pager,
    /// Whether any filter is set (the empty state says so).
    pub filtered: bool,
    /// The filters as a query string, for the CSV link.
    pub filters: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "admin/grant.html")]
pub struct GrantPage {
    pub layout: Layout,
    pub slug: String,
    pub members: Vec<Choice>,
    pub amount: String,
    pub memo: String,
    pub id: String,
    pub amount_hint: String,
    pub errors: Errors,
}

/// A grant checked, before it is made: who gets how much, and one button.
#[derive(Template)]
#[template(path = "admin/grant_check.html")]
pub struct GrantCheckPage {
    pub layout: Layout,
    pub slug: String,
    pub member: String,
    pub name: String,
    pub headline: String,
    pub avatar: Avatar,
    pub amount: String,
    pub amount_text: String,
    pub memo: String,
    pub id: String,
    /// The form again, with every answer kept.
    pub change_href: String,
}

pub struct LimitRow {
    pub membership_id: i64,
    pub name: String,
    pub balance: String,
    pub limit: String,
    pub over_limit: bool,
}

#[derive(Template)]
#[template(path = "admin/limits.html")]
pub struct LimitsPage {
    pub layout: Layout,
    /// Whose limit a save just changed, or kept.
    pub notice: Option<String>,
    pub slug: String,
    pub default_limit: String,
    pub rows: Vec<LimitRow>,
    pub currency: String,
    pub limit_hint: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "admin/reverse.html")]
pub struct ReversePage {
    pub layout: Layout,
    pub slug: String,
    pub transfer: TransferRow,
    pub reason: String,
    pub force: bool,
    pub id: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "admin/verify.html")]
pub struct VerifyPage {
    pub layout: Layout,
    pub slug: String,
    /// Why the space account is where it is, below zero as a rule.
    pub space_note: String,
    pub report: Option<crate::ledger::verify::Report>,
}

#[derive(Template)]
#[template(path = "admin/categories.html")]
pub struct CategoriesPage {
    pub layout: Layout,
    pub slug: String,
    /// Each category with the number of skills filed under it.
    pub categories: Vec<(crate::skills::model::Category, i64)>,
    pub new_name: String,
    pub errors: Errors,
}

/// "Retire Design?": what retiring does, before it is done.
#[derive(Template)]
#[template(path = "admin/retire_category.html")]
pub struct RetireCategoryPage {
    pub layout: Layout,
    pub slug: String,
    pub id: i64,
    pub name: String,
    /// Skills filed under it, which keep it.
    pub skills: i64,
}

/// An email as the outbox lists it.
pub struct OutboxRow {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub delivery: Delivery,
    pub attempts: i32,
    /// The last error, shortened for the list; the email's page has all of it.
    pub error: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
pub struct OutboxPage {
    pub layout: Layout,
    pub slug: String,
    pub rows: Vec<OutboxRow>,
    pub statuses: Vec<Choice>,
    /// Whether the list is filtered (the empty state says so).
    pub filtered: bool,
    pub pager: Pager,
    pub errors: Errors,
}

/// One email: what it is, where it stands, and its text unless that is not to be shown.
#[derive(Template)]
#[template(path = "admin/outbox_email.html")]
pub struct OutboxEmailPage {
    pub layout: Layout,
    pub slug: String,
    pub email: OutboxRow,
    pub error: Option<String>,
    pub sent: Option<String>,
    /// When the mailer tries next, while it still tries.
    pub next_attempt: Option<String>,
    pub text: EmailText,
}

/// What the page shows of an email's text.
pub enum EmailText {
    Shown(String),
    /// An account email: its sign-in link is never shown (SPEC §7).
    AccountEmail,
    /// Delivered a week ago or more: `notify::retention` cleared it.
    Cleared,
}
