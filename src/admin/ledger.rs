//! Admin ledger pages: all transfers with filters, reversals with a reason, and verify.
//! Every action goes to the audit log. Grants and limits are in `admin::limits`.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use uuid::Uuid;

use crate::admin::service;
use crate::admin::views::{LedgerPage, ReversePage, TransferRow, VerifyPage};
use crate::audit;
use crate::ledger;
use crate::ledger::db::{self as ledger_db, MemberAccount};
use crate::ledger::history::{self, TransferLine};
use crate::ledger::model::{Code, Kind, Outcome, Reason};
use crate::ledger::money::{format_amount, format_number};
use crate::ledger::statement::StatementQuery;
use crate::messages;
use crate::notify::inbox::{self, Notice};
use crate::notify::model::Kind as NoticeKind;
use crate::spaces::model::Status;
use crate::web::csv::{Cell, CsvFile};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp};
use crate::web::form::{Errors, FormData, encode_query};
use crate::web::html::{Choice, Choices, invalid, local_when, page};
use crate::web::pager::Pager;
use crate::web::state::AppState;

const PAGE_SIZE: i64 = 50;

fn transfer_row(t: &TransferLine, currency: &str) -> TransferRow {
    TransferRow {
        id: t.id.to_string(),
        when: local_when(t.local),
        kind: t.kind.label().to_owned(),
        code: t.code.label().to_owned(),
        from: t.debit_name.clone(),
        to: t.credit_name.clone(),
        amount: format_amount(t.amount, currency),
        memo: t.memo.clone(),
        reversible: matches!(t.kind, Kind::Single | Kind::Post)
            && t.code != Code::Reversal
            && !t.reversed,
        reversed: t.reversed,
    }
}

/// Active members to choose from, after a first option that chooses none.
pub fn member_choices(members: &[MemberAccount], chosen: &str, blank: &str) -> Vec<Choice> {
    std::iter::once(Choice::new("", blank, chosen.is_empty()))
        .chain(
            members
                .iter()
                .filter(|m| m.status == Status::Active)
                .map(|m| {
                    let value = m.membership_id.0.to_string();
                    let selected = value == chosen;
                    Choice::new(value, &m.display_name, selected)
                }),
        )
        .collect()
}

/// Every transfer in the space, newest first, filtered by date, kind and member.
/// The ledger page's filters, with the member chosen by membership; an unknown member is
/// an error beside its field.
fn read_filters(uri: &Uri, members: &[MemberAccount]) -> (StatementQuery, String) {
    let mut query = StatementQuery::parse(uri.query().unwrap_or(""));
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let member_raw = params.text("member").trim().to_owned();
    if !member_raw.is_empty() {
        match members
            .iter()
            .find(|m| m.membership_id.0.to_string() == member_raw)
        {
            Some(m) => query.filter.account = Some(m.account),
            None => query.errors.add("member", messages::CHOOSE_MEMBER),
        }
    }
    (query, member_raw)
}

/// Every transfer the page's filters find, newest first, as CSV (formula-safe cells).
pub async fn transfers_csv(
    State(state): State<AppState>,
    admin: Admin,
    uri: Uri,
) -> AppResult<Response> {
    let members = ledger_db::member_accounts(&state.db, admin.space.id).await?;
    let (query, _) = read_filters(&uri, &members);
    let rows = history::transfers(&state.db, admin.space.id, &query.filter, 100_000, 0).await?;
    let mut file = CsvFile::default();
    file.header(&[
        "When", "Reason", "Kind", "From", "To", "Amount", "Message", "Transfer",
    ])?;
    for t in &rows {
        let (when, id) = (local_when(t.local), t.id.to_string());
        file.row(&[
            Cell::Text(&when),
            Cell::Text(t.code.label()),
            Cell::Text(t.kind.as_str()),
            Cell::Text(&t.debit_name),
            Cell::Text(&t.credit_name),
            Cell::Number(format_number(t.amount)),
            Cell::Text(&t.memo),
            Cell::Text(&id),
        ])?;
    }
    Ok(file.download(&format!("ledger-{}.csv", admin.space.slug))?)
}

pub async fn transfers(
    State(state): State<AppState>,
    admin: Admin,
    uri: Uri,
) -> AppResult<Response> {
    let currency = admin.space.currency_name.clone();
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let members = ledger_db::member_accounts(&state.db, admin.space.id).await?;
    let (query, member_raw) = read_filters(&uri, &members);
    let total = history::transfer_count(&state.db, admin.space.id, &query.filter).await?;
    let filters = encode_query(&[
        ("from", &query.from),
        ("to", &query.to),
        ("kind", query.kind.map_or("", Code::as_str)),
        ("member", &member_raw),
    ]);
    let pager = Pager::new(query.page, PAGE_SIZE, total)
        .at(format!("/s/{}/admin/ledger", admin.space.slug), &filters)
        .named(messages::TRANSFER_PAGES, "transfers")
        .newest_first("#transfers");
    let rows = history::transfers(
        &state.db,
        admin.space.id,
        &query.filter,
        PAGE_SIZE,
        pager.offset(),
    )
    .await?;
    let notice = granted_notice(&state, &admin, params.get("granted")).await?;
    let ok = query.errors.is_empty();
    let view = LedgerPage {
        layout: admin.layout(pager.title(messages::TITLE_LEDGER)),
        notice,
        slug: admin.space.slug.clone(),
        space_note: space_note(&state, &admin).await?,
        rows: rows.iter().map(|t| transfer_row(t, &currency)).collect(),
        kinds: Code::filter_options(messages::ANY_KIND, query.kind),
        members: member_choices(&members, &member_raw, messages::ANYONE),
        filtered: !filters.is_empty(),
        filters: filters.clone(),
        pager,
        from: query.from,
        to: query.to,
        errors: query.errors,
    };
    if ok { page(&view) } else { invalid(&view) }
}

/// After a grant (`granted=<transfer>`): who got how much, read from the ledger itself.
async fn granted_notice(
    state: &AppState,
    admin: &Admin,
    raw: Option<&str>,
) -> AppResult<Option<String>> {
    let Some(id) = raw.and_then(|r| Uuid::parse_str(r).ok()) else {
        return Ok(None);
    };
    let found = history::transfer(&state.db, admin.space.id, id).await?;
    Ok(found.filter(|t| t.code == Code::Grant).map(|t| {
        messages::granted(
            &t.credit_name,
            &format_amount(t.amount, &admin.space.currency_name),
        )
    }))
}

async fn reversible(state: &AppState, admin: &Admin, raw: &str) -> AppResult<TransferLine> {
    let id = Uuid::parse_str(raw).map_err(|_| AppError::NotFound)?;
    history::transfer(&state.db, admin.space.id, id)
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
    let transfer = transfer_row(t, &admin.space.currency_name);
    ReversePage {
        layout: admin.layout(messages::reverse_title(
            &transfer.amount,
            &transfer.from,
            &transfer.to,
            &transfer.when,
        )),
        slug: admin.space.slug.clone(),
        transfer,
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
    let reason = errors.required(
        &form,
        "reason",
        messages::LABEL_REASON,
        200,
        messages::SAY_WHY_REVERSED,
    );
    let force = form.get("override") == Some("yes");
    let id = Uuid::parse_str(form.text("id")).unwrap_or_else(|_| ledger::new_id());
    if !errors.is_empty() {
        return invalid(&reverse_page(&admin, &t, &reason, force, errors));
    }
    let mut tx = state.db.begin().await?;
    let outcome = service::reverse(
        &mut tx,
        admin.actor(&ip),
        admin.membership.id,
        id,
        t.id,
        &reason,
        force,
    )
    .await?;
    tx.commit().await?;
    match outcome {
        Outcome::Applied(_) | Outcome::Duplicate(_) => {}
        Outcome::Rejected(r) => {
            let message = if r == Reason::InsufficientFunds {
                messages::reversal_short_of_funds(&t.credit_name)
            } else {
                r.message().to_owned()
            };
            errors.add("reason", message);
            return invalid(&reverse_page(&admin, &t, &reason, force, errors));
        }
        Outcome::Conflict => {
            return Err(AppError::Conflict(messages::FORM_REUSED.to_owned()));
        }
    }
    admin.ctx.flash("reversed");
    Ok(Redirect::to(&format!("/s/{}/admin/ledger", admin.space.slug)).into_response())
}

/// The space account's balance, with why it is normally below zero.
async fn space_note(state: &AppState, admin: &Admin) -> AppResult<String> {
    let account = ledger_db::space_account(&state.db, admin.space.id).await?;
    let balance = ledger_db::balance(&state.db, account)
        .await?
        .map_or(0, |b| b.balance());
    Ok(messages::space_balance_explained(
        &format_amount(balance, &admin.space.currency_name),
        balance < 0,
    ))
}

pub async fn verify_form(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    page(&VerifyPage {
        layout: admin.layout(messages::TITLE_VERIFY),
        slug: admin.space.slug.clone(),
        space_note: space_note(&state, &admin).await?,
        report: None,
    })
}

pub async fn verify(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
) -> AppResult<Response> {
    let report = ledger::verify(&state.db, Some(admin.space.id)).await?;
    let mut tx = state.db.begin().await?;
    audit::record(
        &mut *tx,
        Some(admin.space.id),
        Some(admin.person.id),
        "ledger.verify",
        &format!("space:{}", admin.space.slug),
        json!({ "ok": report.ok() }),
        ip.0,
    )
    .await?;
    if !report.ok() {
        // The other admins hear of it; this one is reading the report.
        let notice = Notice {
            space: admin.space.id,
            to: &[],
            admins: true,
            kind: NoticeKind::AdminVerifyFailed,
            actor: Some(admin.membership.id),
            link: "admin/ledger/verify".to_owned(),
            about: "",
        };
        inbox::notify(&mut *tx, &notice).await?;
    }
    tx.commit().await?;
    page(&VerifyPage {
        layout: admin.layout(messages::TITLE_VERIFY),
        slug: admin.space.slug.clone(),
        space_note: space_note(&state, &admin).await?,
        report: Some(report),
    })
}
