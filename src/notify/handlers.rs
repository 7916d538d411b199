//! The inbox: a member's notifications in this space, newest first, marked read one at a
//! time or all at once; and their email choices for each group.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};

use crate::messages;
use crate::notify::inbox;
use crate::notify::model::{Group, Kind, Mode};
use crate::notify::views::{ChoiceRow, EmailChoicesPage, EntryView, InboxPage};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Member, PathId};
use crate::web::form::FormData;
use crate::web::html::{Choices, invalid, local_when, page};
use crate::web::pager::Pager;
use crate::web::state::AppState;

const PAGE_SIZE: i64 = 20;

pub async fn inbox(State(state): State<AppState>, member: Member, uri: Uri) -> AppResult<Response> {
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let me = member.membership.id;
    let total = inbox::count(&state.db, me).await?;
    let pager = Pager::new(Pager::requested(&params), PAGE_SIZE, total)
        .at(format!("/s/{}/inbox", member.space.slug), "")
        .named(messages::INBOX_PAGES, "notifications")
        .newest_first("#inbox");
    let entries = inbox::entries(&state.db, me, PAGE_SIZE, pager.offset()).await?;
    let slug = &member.space.slug;
    let currency = &member.space.currency_name;
    let entries = entries
        .into_iter()
        .map(|e| {
            let sentence = Kind::parse(&e.kind)
                .map_or_else(String::new, |k| k.sentence(&e.actor, &e.about, currency));
            EntryView {
                id: e.id,
                sentence,
                href: format!("/s/{slug}/{}", e.link),
                at: local_when(e.at),
                read: e.read,
            }
        })
        .collect();
    page(&InboxPage {
        layout: member.layout(pager.title(messages::TITLE_INBOX)),
        slug: slug.clone(),
        unread: member.membership.unread,
        entries,
        pager,
    })
}

/// Marks one notification read; another member's is not found.
pub async fn mark_read(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
) -> AppResult<Response> {
    let me = member.membership.id;
    if inbox::link_of(&state.db, me, id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    inbox::mark_read(&state.db, me, Some(id)).await?;
    member.ctx.flash("marked-read");
    Ok(Redirect::to(&format!("/s/{}/inbox", member.space.slug)).into_response())
}

pub async fn mark_all_read(State(state): State<AppState>, member: Member) -> AppResult<Response> {
    inbox::mark_read(&state.db, member.membership.id, None).await?;
    member.ctx.flash("all-read");
    Ok(Redirect::to(&format!("/s/{}/inbox", member.space.slug)).into_response())
}

/// The groups a member may choose for: admins also choose for admin notices.
fn groups(member: &Member) -> Vec<Group> {
    Group::CHOSEN
        .into_iter()
        .filter(|g| *g != Group::Admin || member.is_admin())
        .collect()
}

fn choices_page(
    member: &Member,
    rows: Vec<ChoiceRow>,
    errors: crate::web::form::Errors,
) -> EmailChoicesPage {
    EmailChoicesPage {
        layout: member.layout(messages::TITLE_EMAIL_CHOICES),
        slug: member.space.slug.clone(),
        rows,
        errors,
    }
}

pub async fn email_form(State(state): State<AppState>, member: Member) -> AppResult<Response> {
    let chosen = inbox::preferences(&state.db, member.membership.id).await?;
    let rows = groups(&member)
        .into_iter()
        .map(|g| {
            let mode = chosen
                .iter()
                .find(|(group, _)| *group == g)
                .map_or(g.default_mode(), |(_, m)| *m);
            ChoiceRow::new(g, Mode::options(Some(mode)))
        })
        .collect();
    page(&choices_page(
        &member,
        rows,
        crate::web::form::Errors::default(),
    ))
}

/// Saves every group's choice at once, or none when one is missing.
pub async fn save_email(
    State(state): State<AppState>,
    member: Member,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let mut picked = Vec::new();
    let mut rows = Vec::new();
    for g in groups(&member) {
        let mode = Mode::parse(form.text(g.as_str()));
        if mode.is_none() {
            errors.add(g.as_str(), messages::CHOOSE_EMAIL_MODE);
        }
        rows.push(ChoiceRow::new(g, Mode::options(mode)));
        picked.extend(mode.map(|m| (g, m)));
    }
    if !errors.is_empty() {
        return invalid(&choices_page(&member, rows, errors));
    }
    let mut tx = state.db.begin().await?;
    for (g, m) in picked {
        inbox::set_preference(&mut *tx, member.membership.id, g, m).await?;
    }
    tx.commit().await?;
    member.ctx.flash("email-choices-saved");
    Ok(Redirect::to(&format!("/s/{}/inbox/email", member.space.slug)).into_response())
}
