//! The landing page, the chooser, the space home, joining and invitations.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::throttle;
use crate::messages;
use crate::spaces::model::{SignupMode, Space, Status, valid_slug};
use crate::spaces::service::{self, Invited, Registered};
use crate::spaces::views::{ChooserPage, JoinPage, LandingPage};
use crate::spaces::{db, invitations};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::ClientIp;
use crate::web::form::{Errors, FormData};
use crate::web::html::{Layout, NoticePage, invalid, page};
use crate::web::session::{Ctx, hash_token};
use crate::web::state::AppState;

/// `/`: the landing page, or straight to your space, or a chooser when you have several.
pub async fn landing(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let Some(person) = ctx.person() else {
        return page(&LandingPage {
            layout: Layout::new(messages::TITLE_LANDING, &ctx),
            listed: db::listed_spaces(&state.db, None).await?,
        });
    };
    let spaces = db::spaces_of(&state.db, person.id).await?;
    if let [only] = spaces.as_slice() {
        return Ok(Redirect::to(&format!("/s/{}", only.slug)).into_response());
    }
    page(&ChooserPage {
        layout: Layout::new(messages::TITLE_SPACES, &ctx),
        spaces,
        listed: db::listed_spaces(&state.db, Some(person.id)).await?,
    })
}

async fn find_space(state: &AppState, slug: &str) -> AppResult<Space> {
    if !valid_slug(slug) {
        return Err(AppError::NotFound);
    }
    db::space_by_slug(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound)
}

fn invite_only(ctx: &Ctx, space: &Space) -> AppResult<Response> {
    NoticePage::new(
        Layout::new(messages::join_title(&space.name), ctx),
        format!("{} is invite only", space.name),
        messages::INVITE_ONLY,
        ("/", messages::GO_TO_START),
    )
    .respond(StatusCode::FORBIDDEN)
}

fn join_page(ctx: &Ctx, space: &Space, action: String, csrf: String) -> JoinPage {
    JoinPage {
        layout: Layout::new(messages::join_title(&space.name), ctx).with_csrf(csrf),
        space_name: space.name.clone(),
        action,
        signed_in: ctx.person().is_some(),
        needs_approval: space.signup_mode == SignupMode::Approval,
        display_name: String::new(),
        email: String::new(),
        errors: Errors::default(),
    }
}

pub async fn join_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let space = find_space(&state, &slug).await?;
    if let Some(person) = ctx.person()
        && db::space_with_membership(&state.db, &slug, person.id)
            .await?
            .is_some_and(|(_, m)| m.is_some())
    {
        return Ok(Redirect::to(&format!("/s/{slug}")).into_response());
    }
    if space.signup_mode == SignupMode::Invite {
        return invite_only(&ctx, &space);
    }
    let csrf = ctx.ensure_csrf();
    page(&join_page(&ctx, &space, format!("/s/{slug}/join"), csrf))
}

pub async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    ip: ClientIp,
    Path(slug): Path<String>,
    form: FormData,
) -> AppResult<Response> {
    let space = find_space(&state, &slug).await?;
    if space.signup_mode == SignupMode::Invite {
        return invite_only(&ctx, &space);
    }
    let Some(person) = ctx.person() else {
        return register(&state, &ctx, &ip, &space, None, &form).await;
    };
    let mut tx = state.db.begin().await?;
    let joined = service::join(&mut tx, &space, person.id, &person.display_name).await?;
    tx.commit().await?;
    match joined {
        Some(Status::Active) => ctx.flash("joined"),
        Some(_) => ctx.flash("applied"),
        None => {}
    }
    Ok(Redirect::to(&format!("/s/{slug}")).into_response())
}

pub async fn invite_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(space) = invitations::invitation_space(&state.db, &hash_token(&token)).await? else {
        return invite_invalid(&ctx);
    };
    if let Some(person) = ctx.person()
        && db::space_with_membership(&state.db, &space.slug, person.id)
            .await?
            .is_some_and(|(_, m)| m.is_some())
    {
        return Ok(Redirect::to(&format!("/s/{}", space.slug)).into_response());
    }
    let csrf = ctx.ensure_csrf();
    let mut join = join_page(&ctx, &space, format!("/invite/{token}"), csrf);
    join.needs_approval = false;
    join.layout.title = messages::invited_title(&space.name);
    page(&join)
}

pub async fn accept_invite(
    State(state): State<AppState>,
    ctx: Ctx,
    ip: ClientIp,
    Path(token): Path<String>,
    form: FormData,
) -> AppResult<Response> {
    let Some(space) = invitations::invitation_space(&state.db, &hash_token(&token)).await? else {
        return invite_invalid(&ctx);
    };
    let Some(person) = ctx.person() else {
        return register(&state, &ctx, &ip, &space, Some(&token), &form).await;
    };
    let mut tx = state.db.begin().await?;
    let accepted = service::accept_invitation(&mut tx, &space, &token, person.id).await?;
    match accepted {
        Invited::Invalid => return invite_invalid(&ctx),
        // Already a member: keep the invitation for someone else.
        Invited::AlreadyMember => {}
        Invited::Joined => {
            tx.commit().await?;
            ctx.flash("joined");
        }
    }
    Ok(Redirect::to(&format!("/s/{}", space.slug)).into_response())
}

fn invite_invalid(ctx: &Ctx) -> AppResult<Response> {
    NoticePage::new(
        Layout::new(messages::INVITATION_NOT_VALID_TITLE, ctx),
        messages::INVITATION_NOT_VALID,
        messages::INVITE_INVALID,
        ("/", messages::GO_TO_START),
    )
    .respond(StatusCode::NOT_FOUND)
}

/// Registers a visitor (`service::register`). Every outcome answers with the same page, so
/// nobody learns from it which addresses have accounts (SPEC §8.1).
async fn register(
    state: &AppState,
    ctx: &Ctx,
    ip: &ClientIp,
    space: &Space,
    invite: Option<&str>,
    form: &FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let name = errors.required(
        form,
        "display_name",
        messages::LABEL_YOUR_NAME,
        80,
        messages::ENTER_NAME,
    );
    let email = errors.email(form, "email");
    if !errors.is_empty() {
        let action = match invite {
            Some(token) => format!("/invite/{token}"),
            None => format!("/s/{}/join", space.slug),
        };
        let mut join = join_page(ctx, space, action, ctx.csrf());
        join.needs_approval = invite.is_none() && space.signup_mode == SignupMode::Approval;
        join.display_name = name;
        join.email = email;
        join.errors = errors;
        return invalid(&join);
    }
    throttle::charge_mail(&state.db, "join", &email, &ip.key()).await?;

    let mut tx = state.db.begin().await?;
    let base = &state.settings.base_url;
    let registered = service::register(&mut tx, base, space, invite, &name, &email).await?;
    if registered == Registered::InvitationInvalid {
        return invite_invalid(ctx);
    }
    tx.commit().await?;
    page(&NoticePage::new(
        Layout::new(messages::CHECK_YOUR_EMAIL, ctx),
        messages::CHECK_YOUR_EMAIL,
        messages::joining_link_sent(&email, &space.name),
        ("/", messages::GO_TO_START),
    ))
}
