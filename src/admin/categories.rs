//! Skill categories: admins create, rename, retire and restore them. A retired category
//! keeps its skills and is no longer offered.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::admin::views::{CategoriesPage, RetireCategoryPage};
use crate::messages;
use crate::skills::db;
use crate::skills::model::CategoryId;
use crate::skills::service::{self, Change};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{invalid, page};
use crate::web::state::AppState;

async fn categories_page(
    state: &AppState,
    admin: &Admin,
    name: String,
    errors: Errors,
) -> AppResult<CategoriesPage> {
    Ok(CategoriesPage {
        layout: admin.layout(messages::TITLE_CATEGORIES),
        slug: admin.space.slug.clone(),
        categories: {
            let counts = db::category_skill_counts(&state.db, admin.space.id).await?;
            db::categories(&state.db, admin.space.id)
                .await?
                .into_iter()
                .map(|c| {
                    let n = counts
                        .iter()
                        .find(|(id, _)| *id == c.id)
                        .map_or(0, |(_, n)| *n);
                    (c, n)
                })
                .collect()
        },
        new_name: name,
        errors,
    })
}

fn back(admin: &Admin) -> Response {
    admin.ctx.flash("category-saved");
    Redirect::to(&format!("/s/{}/admin/categories", admin.space.slug)).into_response()
}

pub async fn list(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    page(&categories_page(&state, &admin, String::new(), Errors::default()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let name = errors.required(
        &form,
        "name",
        messages::CATEGORY_NAME,
        60,
        messages::ENTER_CATEGORY,
    );
    if errors.is_empty() {
        let mut tx = state.db.begin().await?;
        let done = service::create_category(&mut tx, admin.actor(&ip), &name).await?;
        tx.commit().await?;
        match done {
            Change::Done(_) => return Ok(back(&admin)),
            Change::NameTaken | Change::NotFound => errors.add("name", messages::CATEGORY_TAKEN),
        }
    }
    invalid(&categories_page(&state, &admin, name, errors).await?)
}

pub async fn rename(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let field = format!("name-{id}");
    let mut errors = form.errors();
    let name = form.text("name").trim().to_owned();
    if name.is_empty() {
        errors.add(&field, messages::ENTER_CATEGORY_RENAME);
    } else if name.chars().count() > 60 {
        errors.add(&field, messages::too_long(messages::CATEGORY_NAME, 60));
    }
    if errors.is_empty() {
        let mut tx = state.db.begin().await?;
        let done =
            service::rename_category(&mut tx, admin.actor(&ip), CategoryId(id), &name).await?;
        tx.commit().await?;
        match done {
            Change::Done(_) => return Ok(back(&admin)),
            Change::NotFound => return Err(AppError::NotFound),
            Change::NameTaken => errors.add(&field, messages::CATEGORY_TAKEN),
        }
    }
    invalid(&categories_page(&state, &admin, String::new(), errors).await?)
}

async fn set_retired(
    state: &AppState,
    admin: &Admin,
    ip: &ClientIp,
    id: i64,
    retired: bool,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let done =
        service::set_category_retired(&mut tx, admin.actor(ip), CategoryId(id), retired).await?;
    tx.commit().await?;
    match done {
        Change::Done(_) => Ok(back(admin)),
        Change::NotFound | Change::NameTaken => Err(AppError::NotFound),
    }
}

/// Asks before retiring (SPEC §10.4): what retiring does, and to how many skills.
pub async fn retire_form(
    State(state): State<AppState>,
    admin: Admin,
    PathId(id): PathId,
) -> AppResult<Response> {
    let category = db::categories(&state.db, admin.space.id)
        .await?
        .into_iter()
        .find(|c| c.id == CategoryId(id))
        .ok_or(AppError::NotFound)?;
    if category.retired {
        return Ok(
            Redirect::to(&format!("/s/{}/admin/categories", admin.space.slug)).into_response(),
        );
    }
    let skills = db::category_skill_counts(&state.db, admin.space.id)
        .await?
        .into_iter()
        .find(|(c, _)| *c == category.id)
        .map_or(0, |(_, n)| n);
    page(&RetireCategoryPage {
        layout: admin.layout(messages::retire_category_title(&category.name)),
        slug: admin.space.slug.clone(),
        id: category.id.0,
        name: category.name,
        skills,
    })
}

pub async fn retire(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
) -> AppResult<Response> {
    set_retired(&state, &admin, &ip, id, true).await
}

pub async fn restore(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
) -> AppResult<Response> {
    set_retired(&state, &admin, &ip, id, false).await
}
