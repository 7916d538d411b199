//! Profiles: anyone active in the space can see one; only its owner edits it.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::db as auth_db;
use crate::marketplace::db as market_db;
use crate::marketplace::views::price_text;
use crate::members::avatar::Avatar;
use crate::members::db;
use crate::members::model::Profile;
use crate::members::views::{EditProfilePage, ProfilePage, member_since, presence_choices};
use crate::members::views::{ListingLine, kudos_average};
use crate::messages;
use crate::skills::db as skills_db;
use crate::skills::views::SkillView;
use crate::spaces::model::{MembershipId, Status};
use crate::trades::db as trades_db;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Member, MemberOrApplicant, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choices, invalid, page};
use crate::web::state::AppState;

pub async fn view(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
) -> AppResult<Response> {
    let profile = db::profile(&state.db, member.space.id, MembershipId(id))
        .await?
        .filter(|p| p.status == Status::Active)
        .ok_or(AppError::NotFound)?;
    let space = member.space.id;
    let skills = skills_db::skills_of(&state.db, space, &[MembershipId(id)]).await?;
    let currency = &member.space.currency_name;
    let listings = market_db::listings_of(&state.db, space, MembershipId(id), true)
        .await?
        .iter()
        .map(|l| ListingLine {
            id: l.id,
            kind: l.kind.tag(),
            title: l.title.clone(),
            price: price_text(l.price_mode, l.price, l.hours_estimate, currency),
        })
        .collect();
    let kudos = trades_db::kudos_for(&state.db, space, MembershipId(id), 20).await?;
    page(&ProfilePage {
        layout: member.layout(profile.display_name.clone()),
        slug: member.space.slug.clone(),
        avatar: Avatar::new(id, &profile.display_name),
        display_name: profile.display_name.clone(),
        headline: profile.headline.clone(),
        bio_lines: profile.bio.lines().map(str::to_owned).collect(),
        presence: profile.presence.label(),
        here_today: profile.here_today,
        member_since: member_since(&profile),
        skills: skills.iter().map(SkillView::from).collect(),
        listings,
        kudos_count: profile.kudos_count,
        kudos_average: kudos_average(profile.kudos_stars, profile.kudos_count),
        kudos: kudos.into_iter().map(Into::into).collect(),
        id: MembershipId(id),
        is_me: member.membership.id == MembershipId(id),
        me: member.membership.id.0,
        is_admin: member.is_admin(),
    })
}

async fn own_profile(state: &AppState, member: &Member) -> AppResult<Profile> {
    db::profile(&state.db, member.space.id, member.membership.id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    MemberOrApplicant(member): MemberOrApplicant,
) -> AppResult<Response> {
    let profile = own_profile(&state, &member).await?;
    page(&EditProfilePage {
        layout: member.layout(messages::TITLE_PROFILE),
        slug: member.space.slug.clone(),
        me: member.membership.id,
        is_active: member.membership.status == Status::Active,
        display_name: profile.display_name,
        headline: profile.headline,
        bio: profile.bio,
        presences: presence_choices(Some(profile.presence)),
        here_today: profile.here_today,
        errors: Errors::default(),
    })
}

/// Saves the signed-in member's own profile; there is no way to name anyone else's.
pub async fn save(
    State(state): State<AppState>,
    MemberOrApplicant(member): MemberOrApplicant,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let name = errors.required(
        &form,
        "display_name",
        messages::LABEL_YOUR_NAME,
        80,
        messages::ENTER_NAME,
    );
    let headline = errors.optional(&form, "headline", messages::LABEL_HEADLINE, 120);
    // Keep the member's line breaks; only trim the ends.
    let bio = form.text("bio").trim().replace("\r\n", "\n");
    if bio.chars().count() > 2000 {
        errors.add("bio", messages::too_long(messages::ABOUT_YOU, 2000));
    }
    let presence = errors.choice(&form, "presence");
    let Some(presence) = presence.filter(|_| errors.is_empty()) else {
        let here_today = own_profile(&state, &member).await?.here_today;
        return invalid(&EditProfilePage {
            layout: member.layout(messages::TITLE_PROFILE),
            slug: member.space.slug.clone(),
            me: member.membership.id,
            is_active: member.membership.status == Status::Active,
            display_name: name,
            headline,
            bio,
            presences: presence_choices(presence),
            here_today,
            errors,
        });
    };
    let mut tx = state.db.begin().await?;
    db::update_profile(
        &mut *tx,
        member.space.id,
        member.membership.id,
        &headline,
        &bio,
        presence,
    )
    .await?;
    auth_db::set_display_name(&mut *tx, member.person.id, &name).await?;
    tx.commit().await?;
    member.ctx.flash("profile-saved");
    Ok(Redirect::to(&format!("/s/{}/profile", member.space.slug)).into_response())
}

/// Checks in as "here today", or out; it clears itself at midnight in the space's time zone.
pub async fn here_today(
    State(state): State<AppState>,
    member: Member,
    form: FormData,
) -> AppResult<Response> {
    let here = form.get("here") == Some("yes");
    db::set_here_today(&state.db, member.space.id, member.membership.id, here).await?;
    member
        .ctx
        .flash(if here { "checked-in" } else { "checked-out" });
    Ok(Redirect::to(&format!("/s/{}/profile", member.space.slug)).into_response())
}
