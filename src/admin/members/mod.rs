//! The admin's members (SPEC §6.1): a searchable list, and each member's page where an
//! admin sets their credit limit, suspends or reactivates them, changes their role, or
//! records a payment for someone who cannot use the app.

pub mod db;
mod pay;
pub mod service;
pub mod views;

pub use pay::record_payment;

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::admin::limits::parse_limit;
use crate::admin::members::db::MemberFilter;
use crate::admin::members::service::{Change, Changed};
use crate::admin::members::views::{LeaveView, MemberForms, MemberPage, MemberView, MembersPage};
use crate::ledger;
use crate::ledger::db as ledger_db;
use crate::ledger::money::{format_amount, format_number};
use crate::members::leaving::db as leaving_db;
use crate::members::leaving::service::{self as leaving, Left};
use crate::messages;
use crate::spaces::model::{MembershipId, Role, Status};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choice, invalid, page};
use crate::web::pager::Pager;
use crate::web::state::AppState;

const PAGE_SIZE: i64 = 25;
const REASON_MAX: usize = 500;
const MEMO_MAX: usize = 200;

fn status_choices(chosen: Option<Status>) -> Vec<Choice> {
    [
        ("", "Any status", None),
        ("active", "Active", Some(Status::Active)),
    ]
    .into_iter()
    .chain([("suspended", "Suspended", Some(Status::Suspended))])
    .map(|(v, l, s)| Choice::new(v, l, s == chosen))
    .collect()
}

fn role_choices(chosen: Option<Role>) -> Vec<Choice> {
    [
        ("", "Any role", None),
        ("member", "Member", Some(Role::Member)),
        ("admin", "Admin", Some(Role::Admin)),
    ]
    .into_iter()
    .map(|(v, l, r)| Choice::new(v, l, r == chosen))
    .collect()
}

pub async fn list(State(state): State<AppState>, admin: Admin, uri: Uri) -> AppResult<Response> {
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let mut errors = params.errors();
    let status = match params.text("status") {
        "" => None,
        "active" => Some(Status::Active),
        "suspended" => Some(Status::Suspended),
        _ => {
            errors.add("status", messages::CHOOSE_ONE);
            None
        }
    };
    let role = match params.text("role") {
        "" => None,
        "member" => Some(Role::Member),
        "admin" => Some(Role::Admin),
        _ => {
            errors.add("role", messages::CHOOSE_ONE);
            None
        }
    };
    let filter = MemberFilter {
        words: params.text("q").trim().chars().take(100).collect(),
        status,
        role,
    };
    let space = &admin.space;
    let query = crate::web::form::encode_query(&[
        ("q", &filter.words),
        ("status", params.text("status")),
        ("role", params.text("role")),
    ]);
    let requested = Pager::requested(&params);
    let offset = Pager::offset_of(requested, PAGE_SIZE);
    let rows = db::members(&state.db, space.id, &filter, PAGE_SIZE, offset).await?;
    let total = rows.first().map_or(0, |r| r.total);
    let pager = Pager::new(requested, PAGE_SIZE, total)
        .at(format!("/s/{}/admin/members", space.slug), query)
        .named(messages::MEMBERS_PAGES, "members");
    let view = MembersPage {
        layout: admin.layout(pager.title(messages::TITLE_MEMBERS)),
        slug: space.slug.clone(),
        q: filter.words.clone(),
        statuses: status_choices(status),
        roles: role_choices(role),
        members: rows
            .iter()
            .map(|m| MemberView::new(m, &space.currency_name))
            .collect(),
        pager,
        errors,
    };
    if view.errors.is_empty() {
        page(&view)
    } else {
        invalid(&view)
    }
}

async fn member_page(
    state: &AppState,
    admin: &Admin,
    id: MembershipId,
    mut forms: MemberForms,
    errors: Errors,
) -> AppResult<MemberPage> {
    let space = &admin.space;
    let row = db::member(&state.db, space.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let payees = ledger_db::member_accounts(&state.db, space.id)
        .await?
        .into_iter()
        .filter(|a| a.membership_id != id && a.status == Status::Active)
        .map(|a| {
            let value = a.membership_id.0.to_string();
            let chosen = forms.pay_to == value;
            Choice::new(value, a.display_name, chosen)
        });
    let payees = std::iter::once(Choice::new("", "Choose a member", forms.pay_to.is_empty()))
        .chain(payees)
        .collect();
    if forms.pay_id.is_empty() {
        forms.pay_id = ledger::new_id().to_string();
    }
    let standing = leaving_db::standing(&state.db, space.id, id).await?;
    let leave = LeaveView {
        // A suspended member cannot ask (their pages are closed), so an admin may close
        // their membership without it.
        asked: standing.leave_requested || row.status == Status::Suspended,
        left: row.status == Status::Left,
        blockers: messages::still_holds(
            standing.open_trades,
            standing.upcoming_bookings,
            standing.held > 0,
        ),
        balance: format_amount(standing.balance, &space.currency_name),
    };
    Ok(MemberPage {
        leave,
        layout: admin.layout(messages::member_admin_title(&row.display_name)),
        slug: space.slug.clone(),
        m: MemberView::new(&row, &space.currency_name),
        is_me: id == admin.membership.id,
        currency: space.currency_name.clone(),
        forms,
        payees,
        errors,
    })
}

/// A member's page; after a limit's save (`?limit=saved`, or `kept` when it was already so)
/// it says whose limit is now what.
pub async fn view(
    State(state): State<AppState>,
    admin: Admin,
    PathId(id): PathId,
    uri: Uri,
) -> AppResult<Response> {
    let id = MembershipId(id);
    let mut view = member_page(
        &state,
        &admin,
        id,
        MemberForms::default(),
        Errors::default(),
    )
    .await?;
    view.layout.flash = match uri.query() {
        Some("limit=saved") => Some(messages::limit_changed(&view.m.name, &view.m.limit)),
        Some("limit=kept") => Some(messages::limit_unchanged(&view.m.name, &view.m.limit)),
        _ => view.layout.flash,
    };
    page(&view)
}

fn back(admin: &Admin, id: MembershipId, flash: &'static str) -> Response {
    admin.ctx.flash(flash);
    Redirect::to(&format!("/s/{}/admin/members/{id}", admin.space.slug)).into_response()
}

/// Suspends, reactivates or changes the role of a member, for a reason.
async fn change_member(
    state: &AppState,
    admin: &Admin,
    ip: &ClientIp,
    id: MembershipId,
    change: Change,
    form: &FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let reason = if matches!(change, Change::Role(_)) {
        errors.optional(form, "reason", messages::LABEL_REASON, REASON_MAX)
    } else {
        errors.required(
            form,
            "reason",
            messages::LABEL_REASON,
            REASON_MAX,
            messages::SAY_WHY_MEMBER,
        )
    };
    if errors.is_empty() {
        let mut tx = state.db.begin().await?;
        let done = service::change(
            &mut tx,
            admin.actor(ip),
            admin.membership.id,
            id,
            change,
            &reason,
        )
        .await?;
        tx.commit().await?;
        match done {
            Changed::Done => {
                let flash = match change {
                    Change::Suspend => "member-suspended",
                    Change::Reactivate => "member-reactivated",
                    Change::Role(_) => "role-changed",
                };
                return Ok(back(admin, id, flash));
            }
            Changed::Unchanged => return Ok(back(admin, id, "member-unchanged")),
            Changed::NotFound => return Err(AppError::NotFound),
            Changed::NotAdmin => return Err(AppError::Forbidden(messages::ADMINS_ONLY)),
            Changed::LastAdmin => errors.add("reason", messages::LAST_ADMIN),
            Changed::Yourself => errors.add("reason", messages::NOT_YOURSELF),
            Changed::Left => errors.add("reason", messages::MEMBER_LEFT),
        }
    }
    let forms = MemberForms {
        reason,
        ..MemberForms::default()
    };
    invalid(&member_page(state, admin, id, forms, errors).await?)
}

pub async fn suspend(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    change_member(
        &state,
        &admin,
        &ip,
        MembershipId(id),
        Change::Suspend,
        &form,
    )
    .await
}

pub async fn reactivate(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    change_member(
        &state,
        &admin,
        &ip,
        MembershipId(id),
        Change::Reactivate,
        &form,
    )
    .await
}

pub async fn set_role(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let role = match form.text("role") {
        "admin" => Role::Admin,
        "member" => Role::Member,
        _ => return Err(AppError::BadRequest(messages::CHOOSE_ONE.to_owned())),
    };
    change_member(
        &state,
        &admin,
        &ip,
        MembershipId(id),
        Change::Role(role),
        &form,
    )
    .await
}

pub async fn set_limit(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let id = MembershipId(id);
    let member = ledger_db::member_account_by_membership(&state.db, admin.space.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let raw = form.text("limit").trim().to_owned();
    let mut errors = form.errors();
    let limit = parse_limit(&raw).map_err(|m| errors.add("limit", m)).ok();
    if member.status == Status::Left {
        errors.add("limit", messages::MEMBER_LEFT);
    }
    let Some(limit) = limit.filter(|_| errors.is_empty()) else {
        let forms = MemberForms {
            limit: Some(raw),
            ..MemberForms::default()
        };
        return invalid(&member_page(&state, &admin, id, forms, errors).await?);
    };
    let slug = &admin.space.slug;
    if limit == member.credit_limit {
        let kept = format!("/s/{slug}/admin/members/{id}?limit=kept");
        return Ok(Redirect::to(&kept).into_response());
    }
    let mut tx = state.db.begin().await?;
    ledger_db::set_credit_limit(&mut *tx, admin.space.id, member.account, limit).await?;
    let detail = json!({
        "member": member.display_name,
        "from": format_number(member.credit_limit),
        "to": format_number(limit),
    });
    admin
        .actor(&ip)
        .record(
            &mut *tx,
            "ledger.limit_set",
            &format!("membership:{id}"),
            detail,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/s/{slug}/admin/members/{id}?limit=saved")).into_response())
}

/// Confirms a member's request to leave: their balance settled with the space account,
/// their ledger account closed (`members::leaving::service::confirm`).
pub async fn confirm_leave(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
) -> AppResult<Response> {
    let id = MembershipId(id);
    let mut tx = state.db.begin().await?;
    let left = leaving::confirm(&mut tx, admin.actor(&ip), admin.membership.id, id).await?;
    let problem = match left {
        Left::Done { .. } => {
            tx.commit().await?;
            return Ok(back(&admin, id, "member-left"));
        }
        Left::Unchanged => return Ok(back(&admin, id, "member-unchanged")),
        Left::NotFound => return Err(AppError::NotFound),
        Left::NotAdmin => return Err(AppError::Forbidden(messages::ADMINS_ONLY)),
        Left::NotAsked => messages::NOT_ASKED_TO_LEAVE.to_owned(),
        Left::LastAdmin => messages::LAST_ADMIN_LEAVING.to_owned(),
        Left::Holds(s) => {
            messages::still_holds(s.open_trades, s.upcoming_bookings, s.held > 0).join("; ")
        }
        Left::Refused(reason) => messages::settle_refused(reason.message()),
        Left::Changed => messages::LEAVE_CHANGED.to_owned(),
    };
    tx.rollback().await?;
    let mut errors = Errors::default();
    errors.add("leave", problem);
    invalid(&member_page(&state, &admin, id, MemberForms::default(), errors).await?)
}
