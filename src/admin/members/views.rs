//! Page structs of the admin's members pages.

use askama::Template;

use crate::admin::members::db::MemberRow;
use crate::ledger::money::{format_amount, format_number};
use crate::spaces::model::{Role, Status};
use crate::web::form::Errors;
use crate::web::html::{Choice, Layout, local_when};
use crate::web::pager::Pager;

/// A member as the admin pages show them.
#[derive(Debug, Clone)]
pub struct MemberView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub status: &'static str,
    pub suspended: bool,
    pub role: &'static str,
    pub admin: bool,
    pub balance: String,
    pub held: String,
    pub limit: String,
    /// The limit as the form shows it, without the currency.
    pub limit_number: String,
    pub near_limit: bool,
    pub last_seen: String,
    pub trades: i64,
}

impl MemberView {
    pub fn new(m: &MemberRow, currency: &str) -> Self {
        let available = crate::ledger::model::available(m.balance, m.held, m.credit_limit);
        Self {
            id: m.id.0,
            name: m.display_name.clone(),
            email: m.email.clone(),
            status: m.status.label(),
            suspended: m.status == Status::Suspended,
            role: m.role.label(),
            admin: m.role == Role::Admin,
            balance: format_amount(m.balance, currency),
            held: format_amount(m.held, currency),
            limit: format_amount(m.credit_limit, currency),
            limit_number: format_number(m.credit_limit),
            near_limit: m.credit_limit > 0 && available * 10 < m.credit_limit,
            last_seen: m
                .last_seen
                .map_or_else(|| "Not signed in".to_owned(), local_when),
            trades: m.trades,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/members.html")]
pub struct MembersPage {
    pub layout: Layout,
    pub slug: String,
    pub q: String,
    pub statuses: Vec<Choice>,
    pub roles: Vec<Choice>,
    pub members: Vec<MemberView>,
    pub pager: Pager,
    pub errors: Errors,
}

/// What the member's admin page's forms hold.
#[derive(Debug, Clone, Default)]
pub struct MemberForms {
    pub reason: String,
    pub limit: Option<String>,
    pub pay_id: String,
    pub pay_to: String,
    pub pay_amount: String,
    pub pay_memo: String,
}

#[derive(Template)]
#[template(path = "admin/member.html")]
pub struct MemberPage {
    pub layout: Layout,
    pub slug: String,
    pub m: MemberView,
    pub leave: LeaveView,
    pub is_me: bool,
    pub currency: String,
    pub forms: MemberForms,
    pub payees: Vec<Choice>,
    pub errors: Errors,
}

/// A member's leaving, as their admin page shows it.
#[derive(Debug, Clone, Default)]
pub struct LeaveView {
    pub asked: bool,
    pub left: bool,
    /// What still holds them, one line each.
    pub blockers: Vec<String>,
    /// Their balance, which leaving settles with the space account.
    pub balance: String,
}
