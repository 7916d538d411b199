//! The landing page, the chooser, the space home, joining and invitations.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::service::queue_verification;
use crate::auth::{db as auth_db, throttle};
use crate::messages;
use crate::notify;
use crate::spaces::db;
use crate::spaces::model::{Role, SignupMode, Space, Status, valid_slug};
use crate::spaces::views::{
    AccountExistsEmail, ChooserPage, HomePage, JoinPage, LandingPage, NewApplicationEmail,
};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{ClientIp, Visitor};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Layout, NoticePage, invalid, page};
use crate::web::session::{Ctx, hash_token};
use crate::web::state::AppState;

/// `/`: the landing page, or straight to your space, or a chooser when you have several.
pub async fn landing(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let Some(person) = ctx.person() else {
        return page(&LandingPage {
            layout: Layout::new("A barter marketplace for co-working spaces", &ctx),
        });
    };
    let spaces = db::spaces_of(&state.db, person.id).await?;
    if let [only] = spaces.as_slice() {
        return Ok(Redirect::to(&format!("/s/{}", only.slug)).into_response());
    }
    page(&ChooserPage {
        layout: Layout::new("Your spaces", &ctx),
        spaces,
    })
}

/// The space home: a placeholder for the dashboard, showing the space, your role and status.
pub async fn home(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let Some(membership) = &visitor.membership else {
        return Err(AppError::Forbidden(messages::NOT_A_MEMBER));
    };
    if membership.status == Status::Suspended {
        return Err(AppError::Forbidden(messages::SUSPENDED));
    }
    let pending_applications =
        if membership.role == Role::Admin && membership.status == Status::Active {
            db::pending_applicants(&state.db, visitor.space.id)
                .await?
                .len() as i64
        } else {
            0
        };
    page(&HomePage {
        layout: visitor.layout(visitor.space.name.clone()),
        space_name: visitor.space.name.clone(),
        slug: visitor.space.slug.clone(),
        display_name: visitor.person.display_name.clone(),
        role: membership.role,
        status: membership.status,
        currency_name: visitor.space.currency_name.clone(),
        pending_applications,
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
        Layout::new(format!("Join {}", space.name), ctx),
        format!("{} is invite only", space.name),
        "You can join this space through an invitation link from one of its admins. Ask them for one.",
        ("/", "Go to the start page"),
    )
    .respond(StatusCode::FORBIDDEN)
}

fn join_page(ctx: &Ctx, space: &Space, action: String, csrf: String) -> JoinPage {
    JoinPage {
        layout: Layout::new(format!("Join {}", space.name), ctx).with_csrf(csrf),
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
    match ctx.person() {
        Some(person) => {
            let status = match space.signup_mode {
                SignupMode::Open => Status::Active,
                _ => Status::Pending,
            };
            let mut tx = state.db.begin().await?;
            if db::add_membership(&mut tx, space.id, person.id, Role::Member, status)
                .await?
                .is_some()
                && status == Status::Pending
            {
                notify_admins(&state, &mut tx, &space, &person.display_name).await?;
            }
            tx.commit().await?;
            ctx.flash(if status == Status::Active {
                "joined"
            } else {
                "applied"
            });
            Ok(Redirect::to(&format!("/s/{slug}")).into_response())
        }
        None => register(&state, &ctx, &ip, &space, None, &form).await,
    }
}

pub async fn invite_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(space) = db::invitation_space(&state.db, &hash_token(&token)).await? else {
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
    page(&join)
}

pub async fn accept_invite(
    State(state): State<AppState>,
    ctx: Ctx,
    ip: ClientIp,
    Path(token): Path<String>,
    form: FormData,
) -> AppResult<Response> {
    let Some(space) = db::invitation_space(&state.db, &hash_token(&token)).await? else {
        return invite_invalid(&ctx);
    };
    let Some(person) = ctx.person() else {
        return register(&state, &ctx, &ip, &space, Some(&token), &form).await;
    };
    let mut tx = state.db.begin().await?;
    if db::use_invitation(&mut tx, &hash_token(&token), person.id)
        .await?
        .is_none()
    {
        return invite_invalid(&ctx);
    }
    if db::add_membership(&mut tx, space.id, person.id, Role::Member, Status::Active)
        .await?
        .is_none()
    {
        // Already a member: keep the invitation for someone else.
        return Ok(Redirect::to(&format!("/s/{}", space.slug)).into_response());
    }
    tx.commit().await?;
    ctx.flash("joined");
    Ok(Redirect::to(&format!("/s/{}", space.slug)).into_response())
}

fn invite_invalid(ctx: &Ctx) -> AppResult<Response> {
    NoticePage::new(
        Layout::new("Invitation not valid", ctx),
        "This invitation is not valid",
        messages::INVITE_INVALID,
        ("/", "Go to the start page"),
    )
    .respond(StatusCode::NOT_FOUND)
}

/// Registers a visitor by name and address only: a new account without a password, or an
/// unconfirmed one mailed a fresh link (every earlier link retired), each with its
/// membership; or, when the address already has a confirmed account, an email saying so.
/// All answer with the same page, so nobody learns which addresses have accounts (SPEC
/// §8.1), and only the holder of the mailed link ever chooses the password.
async fn register(
    state: &AppState,
    ctx: &Ctx,
    ip: &ClientIp,
    space: &Space,
    invite: Option<&str>,
    form: &FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let name = errors.required(form, "display_name", 80, messages::ENTER_NAME);
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
    throttle::charge(
        &state.db,
        &[
            (
                &throttle::key("join", "account", &email),
                throttle::MAIL_ACCOUNT,
            ),
            (
                &throttle::key("join", "addr", &ip.key()),
                throttle::MAIL_ADDRESS,
            ),
        ],
    )
    .await?;

    let mut tx = state.db.begin().await?;
    let person = match auth_db::create_person(&mut tx, &email, &name, None, false).await? {
        Some(person) => Some(person),
        None => match auth_db::credentials_by_email(&mut *tx, &email).await? {
            Some(existing) if !existing.verified => {
                // Nobody has proved they own this address yet: the newest registration
                // names it, and only the newest link will work.
                auth_db::set_display_name(&mut *tx, existing.id, &name).await?;
                Some(existing.id)
            }
            _ => None,
        },
    };
    match person {
        Some(person) => {
            let status = match (invite, space.signup_mode) {
                (Some(token), _) => {
                    if db::use_invitation(&mut tx, &hash_token(token), person)
                        .await?
                        .is_none()
                    {
                        return invite_invalid(ctx);
                    }
                    Status::Active
                }
                (None, SignupMode::Open) => Status::Active,
                (None, _) => Status::Pending,
            };
            let joined = db::add_membership(&mut tx, space.id, person, Role::Member, status)
                .await?
                .is_some();
            queue_verification(
                &mut tx,
                &state.settings.base_url,
                person,
                &email,
                &name,
                &space.name,
            )
            .await?;
            if joined && status == Status::Pending {
                notify_admins(state, &mut tx, space, &name).await?;
            }
        }
        None => {
            let base = &state.settings.base_url;
            let message = AccountExistsEmail {
                space_name: space.name.clone(),
                signin_link: format!("{base}/signin"),
                join_link: match invite {
                    Some(token) => format!("{base}/invite/{token}"),
                    None => format!("{base}/s/{}/join", space.slug),
                },
            };
            notify::send(&mut tx, Some(space.id), &email, &message).await?;
        }
    }
    tx.commit().await?;
    page(&NoticePage::new(
        Layout::new("Check your email", ctx),
        "Check your email",
        format!(
            "We have sent a message to {email}. Open the link in it to confirm the address \
             and choose your password for {}. If nothing arrives in a few minutes, check your \
             spam folder.",
            space.name
        ),
        ("/", "Go to the start page"),
    ))
}

async fn notify_admins(
    state: &AppState,
    conn: &mut sqlx::PgConnection,
    space: &Space,
    applicant: &str,
) -> AppResult<()> {
    let message = NewApplicationEmail {
        space_name: space.name.clone(),
        applicant: applicant.to_owned(),
        link: format!(
            "{}/s/{}/admin/applications",
            state.settings.base_url, space.slug
        ),
    };
    for admin in db::admin_emails(&mut *conn, space.id).await? {
        notify::send(conn, Some(space.id), &admin, &message).await?;
    }
    Ok(())
}
