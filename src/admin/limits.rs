//! Credit limits: the space's default and each member's. Every change goes to the audit
//! log in the transaction that makes it.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::admin::views::{LimitRow, LimitsPage};
use crate::ledger::db as ledger_db;
use crate::ledger::money::{AmountError, format_amount, format_number, parse_amount};
use crate::messages;
use crate::web::error::AppResult;
use crate::web::extract::{Admin, ClientIp};
use crate::web::form::{Errors, FormData};
use crate::web::html::{invalid, page};
use crate::web::state::AppState;

/// What the page says after the default's save (`saved=default`), looked up afresh.
fn saved_notice(query: &FormData, default: i64, currency: &str) -> Option<String> {
    (query.get("saved") == Some("default"))
        .then(|| messages::default_limit_changed(&format_amount(default, currency)))
}

async fn limits_page(
    state: &AppState,
    admin: &Admin,
    errors: Errors,
    default_raw: Option<String>,
    query: &FormData,
) -> AppResult<LimitsPage> {
    let currency = &admin.space.currency_name;
    let members = ledger_db::member_accounts(&state.db, admin.space.id).await?;
    let default = ledger_db::default_limit(&state.db, admin.space.id).await?;
    Ok(LimitsPage {
        layout: admin.layout(messages::TITLE_LIMITS),
        notice: saved_notice(query, default, currency),
        slug: admin.space.slug.clone(),
        default_limit: default_raw.unwrap_or_else(|| format_number(default)),
        rows: members
            .iter()
            .map(|m| LimitRow {
                membership_id: m.membership_id.0,
                name: m.display_name.clone(),
                balance: format_amount(m.balance, currency),
                limit: format_amount(m.credit_limit, currency),
                over_limit: m.available() < 0,
            })
            .collect(),
        currency: currency.clone(),
        limit_hint: messages::default_limit_hint(currency),
        errors,
    })
}

pub async fn limits(State(state): State<AppState>, admin: Admin, uri: Uri) -> AppResult<Response> {
    let query = FormData::parse(uri.query().unwrap_or("").as_bytes());
    page(&limits_page(&state, &admin, Errors::default(), None, &query).await?)
}

fn back(admin: &Admin, query: &str) -> Response {
    Redirect::to(&format!(
        "/s/{}/admin/ledger/limits?{query}",
        admin.space.slug
    ))
    .into_response()
}

/// A credit limit as typed: zero is allowed here (no credit), unlike an amount to send.
pub(crate) fn parse_limit(raw: &str) -> Result<i64, &'static str> {
    match parse_amount(raw) {
        Ok(limit) => Ok(limit),
        Err(AmountError::Zero) => Ok(0),
        Err(e) => Err(e.message()),
    }
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
        return invalid(
            &limits_page(&state, &admin, errors, Some(raw), &FormData::default()).await?,
        );
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
    Ok(back(&admin, "saved=default"))
}
