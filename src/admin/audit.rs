//! The space's audit log (SPEC §6.7): who did what and when, newest first, filtered by
//! person, action and days, a page at a time or all at once as CSV (formula-safe cells).

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use crate::admin::db::{self, AuditFilter, AuditLine};
use crate::messages;
use crate::web::csv::{Cell, CsvFile};
use crate::web::error::AppResult;
use crate::web::extract::Admin;
use crate::web::form::{Errors, FormData, encode_query, parse_date};
use crate::web::html::{Choice, Layout, invalid, local_when, page};
use crate::web::pager::Pager;
use crate::web::state::AppState;

const PAGE_SIZE: i64 = 50;
/// The most lines one CSV holds; a longer log is exported a date range at a time.
const CSV_MAX: i64 = 100_000;

pub struct LineView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub layout: Layout,
    pub slug: String,
    pub people: Vec<Choice>,
    pub actions: Vec<Choice>,
    pub from: String,
    pub to: String,
    pub lines: Vec<LineView>,
    pub pager: Pager,
    pub query: String,
    pub errors: Errors,
}

/// The filters from the query string, with an error for each that makes no sense.
fn read_filter(params: &FormData, errors: &mut Errors) -> AuditFilter {
    let who = match params.text("who") {
        "" => None,
        raw => raw.parse::<i64>().ok().or_else(|| {
            errors.add("who", messages::CHOOSE_ONE);
            None
        }),
    };
    let mut date = |field: &str| match params.text(field) {
        "" => None,
        raw => parse_date(raw).or_else(|| {
            errors.add(field, messages::DATE_FORMAT);
            None
        }),
    };
    let (from, to) = (date("from"), date("to"));
    AuditFilter {
        who,
        what: params.text("what").chars().take(60).collect(),
        from,
        to,
    }
}

fn encoded(params: &FormData) -> String {
    encode_query(&[
        ("who", params.text("who")),
        ("what", params.text("what")),
        ("from", params.text("from")),
        ("to", params.text("to")),
    ])
}

pub async fn log(State(state): State<AppState>, admin: Admin, uri: Uri) -> AppResult<Response> {
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let mut errors = params.errors();
    let filter = read_filter(&params, &mut errors);
    let space = &admin.space;
    let requested = Pager::requested(&params);
    let offset = Pager::offset_of(requested, PAGE_SIZE);
    let rows = db::audit_log(&state.db, space.id, &filter, PAGE_SIZE, offset).await?;
    let total = rows.first().map_or(0, |r| r.total);
    let query = encoded(&params);
    let pager = Pager::new(requested, PAGE_SIZE, total)
        .at(format!("/s/{}/admin/audit", space.slug), query.clone())
        .named(messages::AUDIT_PAGES, "events")
        .newest_first("#log");
    let people = std::iter::once(Choice::new("", "Anyone", filter.who.is_none()))
        .chain(
            db::space_people(&state.db, space.id)
                .await?
                .into_iter()
                .map(|(id, name)| Choice::new(id.to_string(), name, Some(id) == filter.who)),
        )
        .collect();
    let actions = std::iter::once(Choice::new("", "Any action", filter.what.is_empty()))
        .chain(
            db::audit_actions(&state.db, space.id)
                .await?
                .into_iter()
                .map(|a| Choice::new(a.clone(), a.clone(), a == filter.what)),
        )
        .collect();
    let view = AuditPage {
        layout: admin.layout(pager.title(messages::TITLE_AUDIT)),
        slug: space.slug.clone(),
        people,
        actions,
        from: params.text("from").to_owned(),
        to: params.text("to").to_owned(),
        lines: rows.iter().map(line_view).collect(),
        pager,
        query,
        errors,
    };
    if view.errors.is_empty() {
        page(&view)
    } else {
        invalid(&view)
    }
}

fn line_view(l: &AuditLine) -> LineView {
    LineView {
        at: local_when(l.at),
        actor: if l.actor.is_empty() {
            "—".to_owned()
        } else {
            l.actor.clone()
        },
        action: l.action.clone(),
        subject: l.subject.clone(),
        detail: if l.detail == "{}" {
            String::new()
        } else {
            l.detail.clone()
        },
        ip: l.ip.clone(),
    }
}

/// The filtered log as CSV, newest first.
pub async fn csv(State(state): State<AppState>, admin: Admin, uri: Uri) -> AppResult<Response> {
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let mut errors = params.errors();
    let filter = read_filter(&params, &mut errors);
    let rows = db::audit_log(&state.db, admin.space.id, &filter, CSV_MAX, 0).await?;
    let mut file = CsvFile::default();
    file.header(&["When", "Who", "Action", "Subject", "Detail", "IP address"])?;
    for l in &rows {
        let when = local_when(l.at);
        file.row(&[
            Cell::Text(&when),
            Cell::Text(&l.actor),
            Cell::Text(&l.action),
            Cell::Text(&l.subject),
            Cell::Text(&l.detail),
            Cell::Text(&l.ip),
        ])?;
    }
    Ok(file.download(&format!("audit-{}.csv", admin.space.slug))?)
}
