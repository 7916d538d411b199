//! Grants from the space account, and credit limits: the space's default and each
//! member's. Every change goes to the audit log in its own transaction.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use uuid::Uuid;

use crate::admin::ledger::member_choices;
use crate::admin::service::{self, Grant, Granted};
use crate::admin::views::{GrantPage, LimitRow, LimitsPage};
use crate::ledger;
use crate::ledger::db as ledger_db;
use crate::ledger::model::Outcome;
use crate::ledger::money::{AmountError, format_amount, format_number, parse_amount};
use crate::messages;
use crate::spaces::model::MembershipId;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{invalid, page};
use crate::web::state::AppState;

async fn grant_page(
    state: &AppState,
    admin: &Admin,
    member: &str,
    amount: &str,
    memo: &str,
    id: Uuid,
    errors: Errors,
) -> AppResult<GrantPage> {
    let members = ledger_db::member_accounts(&state.db, admin.space.id).await?;
    Ok(GrantPage {
        layout: admin.layout(messages::TITLE_GRANT),
        slug: admin.space.slug.clone(),
        members: member_choices(&members, member, messages::CHOOSE_A_MEMBER),
        amount: amount.to_owned(),
        memo: memo.to_owned(),
        id: id.to_string(),
        amount_hint: messages::grant_amount_hint(&admin.space.currency_name),
        errors,
    })
}

pub async fn grant_form(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    page(
        &grant_page(
            &state,
            &admin,
            "",
            "",
            "",
            ledger::new_id(),
            Errors::default(),
        )
        .await?,
    )
}

/// Credits from the space account to a member, say a welcome grant or a thank-you for
/// running the Friday lunch.
pub async fn grant(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let member_raw = form.text("member").trim().to_owned();
    let to = member_raw.parse::<i64>().ok().map(MembershipId);
    if to.is_none() {
        errors.add("member", messages::CHOOSE_ACTIVE_MEMBER);
    }
    let amount_raw = form.text("amount").trim().to_owned();
    let amount = parse_amount(&amount_raw)
        .map_err(|e| errors.add("amount", e.message()))
        .ok();
    let memo = errors.required(&form, "memo", 200, messages::SAY_WHAT_GRANT_IS_FOR);
    let id = Uuid::parse_str(form.text("id")).unwrap_or_else(|_| ledger::new_id());
    let refill = |errors: Errors, id: Uuid| {
        grant_page(&state, &admin, &member_raw, &amount_raw, &memo, id, errors)
    };
    let (Some(to), Some(amount), true) = (to, amount, errors.is_empty()) else {
        return invalid(&refill(errors, id).await?);
    };
    let grant = Grant {
        id,
        to,
        amount,
        memo: &memo,
    };
    let mut tx = state.db.begin().await?;
    let granted = service::grant(&mut tx, admin.actor(&ip), &grant).await?;
    tx.commit().await?;
    match granted {
        Granted::Ledger(Outcome::Applied(_) | Outcome::Duplicate(_)) => {}
        Granted::NoSuchMember => {
            errors.add("member", messages::CHOOSE_ACTIVE_MEMBER);
            return invalid(&refill(errors, id).await?);
        }
        Granted::Ledger(Outcome::Rejected(reason)) => {
            errors.add("amount", reason.message());
            return invalid(&refill(errors, ledger::new_id()).await?);
        }
        Granted::Ledger(Outcome::Conflict) => {
            return Err(AppError::Conflict(messages::GRANT_FORM_REUSED.to_owned()));
        }
    }
    admin.ctx.flash("granted");
    Ok(Redirect::to(&format!("/s/{}/admin/ledger", admin.space.slug)).into_response())
}

async fn limits_page(
    state: &AppState,
    admin: &Admin,
    errors: Errors,
    default_raw: Option<String>,
) -> AppResult<LimitsPage> {
    let currency = &admin.space.currency_name;
    let members = ledger_db::member_accounts(&state.db, admin.space.id).await?;
    let default = ledger_db::default_limit(&state.db, admin.space.id).await?;
    Ok(LimitsPage {
        layout: admin.layout(messages::TITLE_LIMITS),
        slug: admin.space.slug.clone(),
        default_limit: default_raw.unwrap_or_else(|| format_number(default)),
        rows: members
            .iter()
            .map(|m| LimitRow {
                membership_id: m.membership_id.0,
                name: m.display_name.clone(),
                balance: format_amount(m.balance, currency),
                limit: format_number(m.credit_limit),
                over_limit: m.available() < 0,
            })
            .collect(),
        currency: currency.clone(),
        limit_hint: messages::default_limit_hint(currency),
        errors,
    })
}

pub async fn limits(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    page(&limits_page(&state, &admin, Errors::default(), None).await?)
}

/// A credit limit as typed: zero is allowed here (no credit), unlike an amount to send.
fn parse_limit(raw: &str) -> Result<i64, &'static str> {
    match parse_amount(raw) {
        Ok(limit) => Ok(limit),
        Err(AmountError::Zero) => Ok(0),
        Err(e) => Err(e.message()),
    }
}

pub async fn set_limit(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let member =
        ledger_db::member_account_by_membership(&state.db, admin.space.id, MembershipId(id))
            .await?
            .ok_or(AppError::NotFound)?;
    let field = format!("limit-{id}");
    let mut errors = form.errors();
    let limit = match parse_limit(form.text("limit")) {
        Ok(l) => Some(l),
        Err(message) => {
            errors.add(&field, format!("{}: {message}", member.display_name));
            None
        }
    };
    let Some(limit) = limit.filter(|_| errors.is_empty()) else {
        return invalid(&limits_page(&state, &admin, errors, None).await?);
    };
    let mut tx = state.db.begin().await?;
    ledger_db::set_credit_limit(&mut *tx, admin.space.id, member.account, limit).await?;
    admin.actor(&ip).record(
        &mut *tx,
        "ledger.limit_set",
        &format!("membership:{id}"),
        json!({ "member": member.display_name, "from": format_number(member.credit_limit), "to": format_number(limit) }),
    )
    .await?;
    tx.commit().await?;
    admin.ctx.flash("limit-saved");
    Ok(Redirect::to(&format!("/s/{}/admin/ledger/limits", admin.space.slug)).into_response())
}

pub async fn set_default_limit(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let raw = form.text("default_limit").trim().to_owned();
    let limit = parse_limit(&raw)
        .map_err(|m| errors.add("default_limit", m))
        .ok();
    let Some(limit) = limit.filter(|_| errors.is_empty()) else {
        return invalid(&limits_page(&state, &admin, errors, Some(raw)).await?);
    };
    let mut tx = state.db.begin().await?;
    ledger_db::set_default_limit(&mut *tx, admin.space.id, limit).await?;
    admin
        .actor(&ip)
        .record(
            &mut *tx,
            "ledger.default_limit_set",
            &format!("space:{}", admin.space.slug),
            json!({ "to": format_number(limit) }),
        )
        .await?;
    tx.commit().await?;
    admin.ctx.flash("limit-saved");
    Ok(Redirect::to(&format!("/s/{}/admin/ledger/limits", admin.space.slug)).into_response())
}
