//! Skill categories: admins create, rename, retire and restore them. A retired category
//! keeps its skills and is no longer offered.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::audit;
use crate::skills::db;
use crate::skills::views::CategoriesPage;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{invalid, page};
use crate::web::state::AppState;

const TAKEN: &str = "A category with that name already exists";

async fn categories_page(
    state: &AppState,
    admin: &Admin,
    name: String,
    errors: Errors,
) -> AppResult<CategoriesPage> {
    Ok(CategoriesPage {
        layout: admin.layout("Skill categories"),
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

async fn record(
    state: &AppState,
    admin: &Admin,
    ip: &ClientIp,
    action: &str,
    id: i64,
    detail: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        &state.db,
        Some(admin.space.id),
        Some(admin.person.id),
        action,
        &format!("category:{id}"),
        detail,
        ip.0,
    )
    .await?;
    Ok(())
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
    let name = errors.required(&form, "name", 60, "Enter the category's name");
    if errors.is_empty() {
        match db::create_category(&state.db, admin.space.id, &name).await? {
            Some(id) => {
                record(
                    &state,
                    &admin,
                    &ip,
                    "category.created",
                    id,
                    json!({ "name": name }),
                )
                .await?;
                return Ok(back(&admin));
            }
            None => errors.add("name", TAKEN),
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
        errors.add(&field, "Enter the category's new name");
    } else if name.chars().count() > 60 {
        errors.add(&field, "Use at most 60 characters for a category's name");
    }
    if errors.is_empty() {
        match db::rename_category(&state.db, admin.space.id, id, &name).await? {
            Ok(true) => {
                record(
                    &state,
                    &admin,
                    &ip,
                    "category.renamed",
                    id,
                    json!({ "name": name }),
                )
                .await?;
                return Ok(back(&admin));
            }
            Ok(false) => return Err(AppError::NotFound),
            Err(()) => errors.add(&field, TAKEN),
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
    if !db::set_category_retired(&state.db, admin.space.id, id, retired).await? {
        return Err(AppError::NotFound);
    }
    let action = if retired {
        "category.retired"
    } else {
        "category.restored"
    };
    record(state, admin, ip, action, id, json!({})).await?;
    Ok(back(admin))
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
