//! Admin ledger pages: all transfers with filters, grants from the space account, credit
//! limits, reversals with a reason, and verify. Every action goes to the audit log.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use uuid::Uuid;

use crate::admin::views::{
    GrantPage, LedgerPage, LimitRow, LimitsPage, ReversePage, TransferRow, VerifyPage,
};
use crate::audit;
use crate::ledger::db::{self as ledger_db, MemberAccount, TransferLine};
use crate::ledger::handlers::statement_query;
use crate::ledger::model::{Code, Kind, Outcome, Reason};
use crate::ledger::money::{AmountError, format_amount, format_number, parse_amount};
use crate::ledger::views::{Choice, code_choices};
use crate::ledger::{self, Payment};
use crate::spaces::model::{MembershipId, Status};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp, PathId};
use crate::web::form::{Errors, FormData, encode_query};
use crate::web::html::{invalid, page};
use crate::web::state::AppState;

const PAGE_SIZE: i64 = 50;

fn when(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    at.format(&format).unwrap_or_default()
}

fn transfer_row(t: &TransferLine, currency: &str) -> TransferRow {
    TransferRow {
        id: t.id.to_string(),
        when: when(t.at),
        kind: Kind::label(&t.kind).to_owned(),
        code: Code::parse(&t.code)
            .map(Code::label)
            .unwrap_or("")
            .to_owned(),
        from: t.debit_name.clone(),
        to: t.credit_name.clone(),
        amount: format_amount(t.amount, currency),
        memo: t.memo.clone(),
        reversible: matches!(t.kind.as_str(), "single" | "post")
            && t.code != "reversal"
            && !t.reversed,
        reversed: t.reversed,
    }
}

fn member_choices(members: &[MemberAccount], chosen: &str, blank: &str) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: blank.to_owned(),
        selected: chosen.is_empty(),
    })
    .chain(
        members
            .iter()
            .filter(|m| m.status == Status::Active)
            .map(|m| Choice {
                value: m.membership_id.0.to_string(),
                label: m.display_name.clone(),
                selected: m.membership_id.0.to_string() == chosen,
            }),
    )
    .collect()
}

/// Every transfer in the space, newest first, filtered by date, kind and member.
pub async fn transfers(
    State(state): State<AppState>,
    admin: Admin,
    uri: Uri,
) -> AppResult<Response> {
    let currency = admin.space.currency_name.clone();
    let mut query = statement_query(&uri);
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let member_raw = params.text("member").trim().to_owned();
    let members = ledger_db::member_accounts(&state.db, admin.space.id).await?;
    if !member_raw.is_empty() {
        match members
            .iter()
            .find(|m| m.membership_id.0.to_string() == member_raw)
        {
            Some(m) => query.filter.account = Some(m.account),
            None => query.errors.add("member", "Choose a member from the list"),
        }
    }
    let total = ledger_db::transfer_count(&state.db, admin.space.id, &query.filter).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page_no = query.page.min(pages);
    let rows = ledger_db::transfers(
        &state.db,
        admin.space.id,
        &query.filter,
        PAGE_SIZE,
        (page_no - 1) * PAGE_SIZE,
    )
    .await?;
    let space_account = ledger_db::space_account(&state.db, admin.space.id).await?;
    let space_balance = ledger_db::balance(&state.db, space_account)
        .await?
        .map(|b| b.balance())
        .unwrap_or(0);
    let kinds = code_choices(&query.kind);
    let ok = query.errors.is_empty();
    let view = LedgerPage {
        layout: admin.layout("Ledger"),
        slug: admin.space.slug.clone(),
        space_balance: format_amount(space_balance, &currency),
        rows: rows.iter().map(|t| transfer_row(t, &currency)).collect(),
        from: query.from.clone(),
        to: query.to.clone(),
        kinds,
        members: member_choices(&members, &member_raw, "Anyone"),
        page: page_no,
        pages,
        total,
        query: encode_query(&[
            ("from", &query.from),
            ("to", &query.to),
            ("kind", &query.kind),
            ("member", &member_raw),
        ]),
        errors: query.errors,
    };
    if ok { page(&view) } else { invalid(&view) }
}

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
        layout: admin.layout("Grant credits"),
        slug: admin.space.slug.clone(),
        members: member_choices(&members, member, "Choose a member"),
        amount: amount.to_owned(),
        memo: memo.to_owned(),
        id: id.to_string(),
        amount_hint: format!("In {}, like 5 or 2.5.", admin.space.currency_name),
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
    let recipient = match member_raw.parse::<i64>() {
        Ok(id) => {
            ledger_db::member_account_by_membership(&state.db, admin.space.id, MembershipId(id))
                .await?
                .filter(|m| m.status == Status::Active)
        }
        Err(_) => None,
    };
    if recipient.is_none() {
        errors.add("member", "Choose an active member of this space");
    }
    let amount_raw = form.text("amount").trim().to_owned();
    let amount = parse_amount(&amount_raw)
        .map_err(|e| errors.add("amount", e.message()))
        .ok();
    let memo = errors.required(&form, "memo", 200, "Say what the grant is for");
    let id = Uuid::parse_str(form.text("id")).unwrap_or_else(|_| ledger::new_id());
    let (Some(recipient), Some(amount), true) = (recipient, amount, errors.is_empty()) else {
        return invalid(
            &grant_page(&state, &admin, &member_raw, &amount_raw, &memo, id, errors).await?,
        );
    };
    let space_account = ledger_db::space_account(&state.db, admin.space.id).await?;
    let payment = Payment {
        id,
        space: admin.space.id,
        from: space_account,
        to: recipient.account,
        amount,
        code: Code::Grant,
        memo: &memo,
        by: Some(admin.person.id),
    };
    let outcome = ledger::transfer(&state.db, &payment).await?;
    match outcome {
        Outcome::Applied(_) => {
            audit::record(
                &state.db,
                Some(admin.space.id),
                Some(admin.person.id),
                "ledger.grant",
                &format!("transfer:{id}"),
                json!({ "to": recipient.display_name, "amount": format_number(amount), "memo": memo }),
                ip.0,
            )
            .await?;
        }
        Outcome::Duplicate(_) => {}
        Outcome::Rejected(reason) => {
            errors.add("amount", reason.message());
            return invalid(
                &grant_page(
                    &state,
                    &admin,
                    &member_raw,
                    &amount_raw,
                    &memo,
                    ledger::new_id(),
                    errors,
                )
                .await?,
            );
        }
        Outcome::Conflict => {
            return Err(AppError::Conflict(
                "This grant form was already used for a different grant. Nothing more was granted."
                    .to_owned(),
            ));
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
        layout: admin.layout("Credit limits"),
        slug: admin.space.slug.clone(),
        default_limit: default_raw.unwrap_or_else(|| format_number(default)),
        rows: members
            .iter()
            .map(|m| LimitRow {
                membership_id: m.membership_id.0,
                name: m.display_name.clone(),
                balance: format_amount(m.balance, currency),
                limit: format_number(m.credit_limit),
                over_limit: m.balance - m.held + m.credit_limit < 0,
            })
            .collect(),
        currency: currency.clone(),
        limit_hint: format!("In {currency}. Existing members keep theirs."),
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
    audit::record(
        &mut *tx,
        Some(admin.space.id),
        Some(admin.person.id),
        "ledger.limit_set",
        &format!("membership:{id}"),
        json!({ "member": member.display_name, "from": format_number(member.credit_limit), "to": format_number(limit) }),
        ip.0,
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
    audit::record(
        &mut *tx,
        Some(admin.space.id),
        Some(admin.person.id),
        "ledger.default_limit_set",
        &format!("space:{}", admin.space.slug),
        json!({ "to": format_number(limit) }),
        ip.0,
    )
    .await?;
    tx.commit().await?;
    admin.ctx.flash("limit-saved");
    Ok(Redirect::to(&format!("/s/{}/admin/ledger/limits", admin.space.slug)).into_response())
}

async fn reversible(state: &AppState, admin: &Admin, raw: &str) -> AppResult<TransferLine> {
    let id = Uuid::parse_str(raw).map_err(|_| AppError::NotFound)?;
    ledger_db::transfer(&state.db, admin.space.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn reverse_page(
    admin: &Admin,
    t: &TransferLine,
    reason: &str,
    force: bool,
    errors: Errors,
) -> ReversePage {
    ReversePage {
        layout: admin.layout("Reverse a transfer"),
        slug: admin.space.slug.clone(),
        transfer: transfer_row(t, &admin.space.currency_name),
        reason: reason.to_owned(),
        force,
        id: ledger::new_id().to_string(),
        errors,
    }
}

pub async fn reverse_form(
    State(state): State<AppState>,
    admin: Admin,
    Path((_, raw)): Path<(String, String)>,
) -> AppResult<Response> {
    let t = reversible(&state, &admin, &raw).await?;
    page(&reverse_page(&admin, &t, "", false, Errors::default()))
}

pub async fn reverse(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    Path((_, raw)): Path<(String, String)>,
    form: FormData,
) -> AppResult<Response> {
    let t = reversible(&state, &admin, &raw).await?;
    let mut errors = form.errors();
    let reason = errors.required(&form, "reason", 200, "Say why this transfer is reversed");
    let force = form.get("override") == Some("yes");
    let id = Uuid::parse_str(form.text("id")).unwrap_or_else(|_| ledger::new_id());
    if !errors.is_empty() {
        return invalid(&reverse_page(&admin, &t, &reason, force, errors));
    }
    match ledger::reverse(
        &state.db,
        admin.space.id,
        id,
        t.id,
        &reason,
        force,
        Some(admin.person.id),
    )
    .await?
    {
        Outcome::Applied(_) => {
            audit::record(
                &state.db,
                Some(admin.space.id),
                Some(admin.person.id),
                "ledger.reversal",
                &format!("transfer:{}", t.id),
                json!({ "reversal": id, "reason": reason, "override_limits": force }),
                ip.0,
            )
            .await?;
        }
        Outcome::Duplicate(_) => {}
        Outcome::Rejected(r) => {
            let message = if r == Reason::InsufficientFunds {
                format!(
                    "{} no longer has enough available to give this back. Tick the override to take their account past its limit",
                    t.credit_name
                )
            } else {
                r.message().to_owned()
            };
            errors.add("reason", message);
            return invalid(&reverse_page(&admin, &t, &reason, force, errors));
        }
        Outcome::Conflict => {
            return Err(AppError::Conflict("That form was already used.".to_owned()));
        }
    }
    admin.ctx.flash("reversed");
    Ok(Redirect::to(&format!("/s/{}/admin/ledger", admin.space.slug)).into_response())
}

pub async fn verify_form(admin: Admin) -> AppResult<Response> {
    page(&VerifyPage {
        layout: admin.layout("Verify the ledger"),
        slug: admin.space.slug.clone(),
        report: None,
        ok: false,
    })
}

pub async fn verify(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
) -> AppResult<Response> {
    let report = ledger::verify(&state.db, Some(admin.space.id)).await?;
    audit::record(
        &state.db,
        Some(admin.space.id),
        Some(admin.person.id),
        "ledger.verify",
        &format!("space:{}", admin.space.slug),
        json!({ "ok": report.ok() }),
        ip.0,
    )
    .await?;
    page(&VerifyPage {
        layout: admin.layout("Verify the ledger"),
        slug: admin.space.slug.clone(),
        ok: report.ok(),
        report: Some(report.text()),
    })
}
