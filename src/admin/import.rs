//! Bulk invitations from a CSV upload (SPEC §6.1): the form, a preview of every row's fate
//! before anything is written, and the import, in one transaction with its audit record.
//!
//! The preview carries the file's text forward in the confirmation form. The confirm step
//! trusts nothing of it: it reads and judges the file again against the database, and
//! compares a digest of who would be invited with the one the preview showed. If they
//! differ, nothing is sent and the new preview is shown.

pub mod db;
pub mod parse;
pub mod service;
pub mod views;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::admin::import::parse::{FileProblem, Row};
use crate::admin::import::service::{Importer, LINK_DAYS, Preview};
use crate::admin::import::views::{ImportDonePage, ImportPage, PreviewPage};
use crate::messages;
use crate::web::error::AppResult;
use crate::web::extract::{Admin, ClientIp};
use crate::web::form::Errors;
use crate::web::html::{invalid, page};
use crate::web::state::AppState;
use crate::web::upload::{MAX_FILE_BYTES, MAX_UPLOAD_BYTES, Upload};

pub async fn form(admin: Admin) -> AppResult<Response> {
    page(&import_page(&admin, Errors::default()))
}

/// Reads the uploaded file and shows what importing it would do; writes nothing.
pub async fn preview(
    State(state): State<AppState>,
    admin: Admin,
    upload: Upload,
) -> AppResult<Response> {
    let file = upload
        .part("file")
        .filter(|f| !f.data.is_empty() || f.file_name.as_deref().is_some_and(|n| !n.is_empty()));
    let Some(file) = file else {
        return refuse(&admin, messages::IMPORT_NO_FILE.to_owned());
    };
    let (text, rows) = match read(&file.data, MAX_FILE_BYTES) {
        Ok(read) => read,
        Err(problem) => return refuse(&admin, problem.message()),
    };
    let mut conn = state.db.acquire().await?;
    let preview = service::preview(&mut conn, &admin.space, rows).await?;
    page(&preview_page(&admin, preview, text, None))
}

/// Imports the file the preview carried forward, judged again here, in one transaction.
pub async fn confirm(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    upload: Upload,
) -> AppResult<Response> {
    let sent = upload
        .part("csv")
        .map(|p| p.data.clone())
        .unwrap_or_default();
    let (text, rows) = match read(&sent, MAX_UPLOAD_BYTES) {
        Ok(read) => read,
        Err(problem) => return refuse(&admin, problem.message()),
    };
    let mut tx = state.db.begin().await?;
    let preview = service::preview(&mut tx, &admin.space, rows).await?;
    if preview.digest() != upload.text("digest") {
        tx.rollback().await?;
        let changed = preview_page(&admin, preview, text, Some(messages::IMPORT_CHANGED));
        return Ok((StatusCode::CONFLICT, Html(changed.render()?)).into_response());
    }
    let importer = Importer {
        actor: admin.actor(&ip),
        name: &admin.person.display_name,
        base_url: &state.settings.base_url,
    };
    let counts = service::import(&mut tx, &importer, &admin.space, &preview).await?;
    tx.commit().await?;
    page(&ImportDonePage {
        layout: admin.layout(messages::TITLE_IMPORT_DONE),
        slug: admin.space.slug.clone(),
        counts,
        skipped: preview.skipped().cloned().collect(),
    })
}

/// The file's text and its rows, or why the whole file is refused.
fn read(bytes: &[u8], max: usize) -> Result<(String, Vec<Row>), FileProblem> {
    let text = parse::text(bytes, max)?;
    let rows = parse::rows(&text)?;
    Ok((text, rows))
}

fn import_page(admin: &Admin, errors: Errors) -> ImportPage {
    ImportPage {
        layout: admin.layout(messages::TITLE_IMPORT),
        slug: admin.space.slug.clone(),
        days: LINK_DAYS,
        errors,
    }
}

/// The upload form again, 422, with why the file was refused beside its field.
fn refuse(admin: &Admin, why: String) -> AppResult<Response> {
    let mut errors = Errors::default();
    errors.add("file", why);
    invalid(&import_page(admin, errors))
}

fn preview_page(
    admin: &Admin,
    preview: Preview,
    csv: String,
    warning: Option<&'static str>,
) -> PreviewPage {
    PreviewPage {
        layout: admin.layout(messages::TITLE_IMPORT_PREVIEW),
        slug: admin.space.slug.clone(),
        counts: preview.counts(),
        digest: preview.digest(),
        preview,
        csv,
        warning,
    }
}
