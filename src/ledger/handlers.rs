//! "My credits" (balance, chart, statement, CSV) and "Send credits" (a gift or tip, with a
//! confirmation step, paid once however often the form is submitted).

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use time::{OffsetDateTime, PrimitiveDateTime, Time};

use crate::ledger::chart::{balance_chart, default_window};
use crate::ledger::db;
use crate::ledger::history::{self, StatementLine};
use crate::ledger::model::Code;
use crate::ledger::money::{format_amount, format_number};
use crate::ledger::statement::StatementQuery;
use crate::ledger::views::{CreditsPage, LineView, available_breakdown, sentence};
use crate::messages;
use crate::web::csv::{Cell, CsvFile};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Member;
use crate::web::html::{Choices, invalid, local_when, page};
use crate::web::pager::Pager;
use crate::web::state::AppState;

const PAGE_SIZE: i64 = 25;

/// A moment on the space's clock, as exports give it: "2026-11-30 14:05:09".
fn csv_time(at: PrimitiveDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    at.format(&format).unwrap_or_default()
}

fn line_view(line: &StatementLine, currency: &str) -> LineView {
    let code = line.code.label();
    let hold_note = match line.pending_delta {
        0 => String::new(),
        d if d > 0 => format!("{} held", format_amount(d, currency)),
        d => format!("{} released from hold", format_amount(-d, currency)),
    };
    LineView {
        date: local_when(line.local),
        what: format!("{code}: {}", line.kind.label()),
        with: line.counterparty.clone(),
        memo: line.memo.clone(),
        amount: match line.posted_delta {
            0 => String::new(),
            d if d > 0 => format!("+{}", format_amount(d, currency)),
            d => format_amount(d, currency),
        },
        incoming: line.posted_delta > 0,
        hold_note,
        balance: format_amount(line.balance_after, currency),
    }
}

async fn my_account(
    state: &AppState,
    member: &Member,
) -> AppResult<crate::ledger::model::AccountId> {
    db::member_account(&state.db, member.space.id, member.membership.id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("member has no ledger account")))
}

pub async fn credits(
    State(state): State<AppState>,
    member: Member,
    uri: Uri,
) -> AppResult<Response> {
    let currency = member.space.currency_name.clone();
    let account = my_account(&state, &member).await?;
    let balance = db::balance(&state.db, account)
        .await?
        .ok_or(AppError::NotFound)?;
    let query = StatementQuery::parse(uri.query().unwrap_or(""));

    let total = history::statement_count(&state.db, account, &query.filter).await?;
    let pager = Pager::new(query.page, PAGE_SIZE, total)
        .at(format!("/s/{}/credits", member.space.slug), query.encoded())
        .named(messages::STATEMENT_PAGES, "lines")
        .newest_first("#statement");
    let lines =
        history::statement(&state.db, account, &query.filter, PAGE_SIZE, pager.offset()).await?;

    let today = OffsetDateTime::now_utc().date();
    let (default_start, default_end) = default_window(today);
    let start = query.filter.from.unwrap_or(default_start);
    let end = query
        .filter
        .until
        .map(|d| d - time::Duration::days(1))
        .unwrap_or(default_end)
        .max(start);
    let since = start.with_time(Time::MIDNIGHT).assume_utc();
    let opening = history::balance_before(&state.db, account, since).await?;
    let daily = history::daily_balances(&state.db, account, since).await?;
    let chart = balance_chart(start, end, opening, &daily, &currency);

    let status_ok = query.errors.is_empty();
    let view = CreditsPage {
        layout: member.layout(pager.title(messages::TITLE_CREDITS)),
        slug: member.space.slug.clone(),
        balance: format_amount(balance.balance(), &currency),
        held: format_amount(balance.held(), &currency),
        incoming: format_amount(balance.incoming(), &currency),
        available: format_amount(balance.available().max(0), &currency),
        available_breakdown: sentence(&available_breakdown(
            balance.balance(),
            balance.held(),
            balance.credit_limit,
            &currency,
        )),
        credit_limit: format_amount(balance.credit_limit, &currency),
        chart,
        lines: lines.iter().map(|l| line_view(l, &currency)).collect(),
        kinds: Code::filter_options(messages::ANY_KIND, query.kind),
        csv_query: query.encoded(),
        pager,
        from: query.from,
        to: query.to,
        errors: query.errors,
    };
    if status_ok {
        page(&view)
    } else {
        invalid(&view)
    }
}

/// The statement as CSV, with the same filters as the page.
pub async fn statement_csv(
    State(state): State<AppState>,
    member: Member,
    uri: Uri,
) -> AppResult<Response> {
    let account = my_account(&state, &member).await?;
    let query = StatementQuery::parse(uri.query().unwrap_or(""));
    if !query.errors.is_empty() {
        return Err(AppError::BadRequest(
            query
                .errors
                .iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join(". "),
        ));
    }
    // Newest first, as the page lists them.
    let lines = history::statement(&state.db, account, &query.filter, 50_000, 0).await?;
    let time_zone = history::time_zone(&state.db, member.space.id).await?;
    let mut file = CsvFile::default();
    let currency = &member.space.currency_name;
    file.header(&[
        &format!("time ({time_zone})"),
        "type",
        "what happened",
        "with",
        "message",
        &format!("amount ({currency})"),
        &format!("change in held ({currency})"),
        &format!("balance after ({currency})"),
        "transfer id",
    ])?;
    for line in &lines {
        file.row(&[
            Cell::Number(csv_time(line.local)),
            Cell::Text(line.code.label()),
            Cell::Text(line.kind.label()),
            Cell::Text(&line.counterparty),
            Cell::Text(&line.memo),
            Cell::Number(format_number(line.posted_delta)),
            Cell::Number(format_number(line.pending_delta)),
            Cell::Number(format_number(line.balance_after)),
            Cell::Number(line.transfer_id.to_string()),
        ])?;
    }
    let filename = format!(
        "statement-{}-{}.csv",
        member.space.slug,
        OffsetDateTime::now_utc().date()
    );
    Ok(file.download(&filename)?)
}
