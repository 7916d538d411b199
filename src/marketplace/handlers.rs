//! Listings: post one, see one, and, for its owner only, edit, pause, reopen and close it.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use time::{Date, OffsetDateTime};

use crate::marketplace::db;
use crate::marketplace::form::{self, ListingInput};
use crate::marketplace::model::{Listing, ListingId, ListingKind, ListingStatus, PriceMode};
use crate::marketplace::views::{
    ListingFormPage, ListingPage, MyListingsPage, OwnListing, price_text,
};
use crate::members::avatar::Avatar;
use crate::messages;
use crate::skills::db as skills_db;
use crate::skills::model::{Category, CategoryId};
use crate::skills::views::category_choices;
use crate::spaces::db as spaces_db;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Member, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choices, invalid, page};
use crate::web::state::AppState;

fn form_page(
    member: &Member,
    categories: &[Category],
    keep: Option<CategoryId>,
    editing: Option<ListingId>,
    input: ListingInput,
    errors: Errors,
) -> ListingFormPage {
    let slug = &member.space.slug;
    let (title, action, heading, button) = match editing {
        Some(id) => (
            messages::edit_listing_title(&input.title),
            format!("/s/{slug}/market/{id}/edit"),
            messages::EDIT_LISTING,
            messages::SAVE_LISTING,
        ),
        None => (
            messages::TITLE_NEW_LISTING.to_owned(),
            format!("/s/{slug}/market"),
            messages::TITLE_NEW_LISTING,
            messages::POST_LISTING,
        ),
    };
    ListingFormPage {
        layout: member.layout(title),
        slug: slug.clone(),
        action,
        heading,
        button,
        kinds: ListingKind::options(input.kind),
        categories: category_choices(categories, &input.category, keep),
        modes: PriceMode::options(input.price_mode.or(Some(PriceMode::Fixed))),
        price_hint: messages::listing_price_hint(&member.space.currency_name),
        input,
        errors,
    }
}

async fn today(state: &AppState, member: &Member) -> AppResult<Date> {
    Ok(spaces_db::today(&state.db, member.space.id).await?)
}

pub async fn new_form(
    State(state): State<AppState>,
    member: Member,
    uri: axum::http::Uri,
) -> AppResult<Response> {
    let categories = skills_db::categories(&state.db, member.space.id).await?;
    let asked = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let input = ListingInput {
        kind: ListingKind::parse(asked.text("kind")).or(Some(ListingKind::Offer)),
        ..ListingInput::default()
    };
    page(&form_page(
        &member,
        &categories,
        None,
        None,
        input,
        Errors::default(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    member: Member,
    form: FormData,
) -> AppResult<Response> {
    let categories = skills_db::categories(&state.db, member.space.id).await?;
    let today = today(&state, &member).await?;
    let (input, fields) = form::read(&form, &categories, None, today);
    let mut errors = match fields {
        Ok(fields) => {
            let space = member.space.id;
            match db::create(&state.db, space, member.membership.id, &fields).await? {
                Some(id) => {
                    member.ctx.flash("listing-posted");
                    return Ok(to_listing(&member, id));
                }
                None => Errors::default(),
            }
        }
        Err(errors) => errors,
    };
    if errors.is_empty() {
        errors.add("category", messages::CHOOSE_CATEGORY);
    }
    invalid(&form_page(&member, &categories, None, None, input, errors))
}

fn to_listing(member: &Member, id: ListingId) -> Response {
    Redirect::to(&format!("/s/{}/market/{id}", member.space.slug)).into_response()
}

/// A listing of this space, if its owner is active here: nobody sees a suspended or
/// departed member's listings. A hidden one only its owner and the admins see.
async fn visible(state: &AppState, member: &Member, id: ListingId) -> AppResult<Listing> {
    let listing = db::listing(&state.db, member.space.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mine = listing.membership_id == member.membership.id;
    if !mine && listing.hidden_reason.is_some() && !member.is_admin() {
        return Err(AppError::NotFound);
    }
    if !mine && !spaces_db::is_active(&state.db, member.space.id, listing.membership_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(listing)
}

pub async fn view(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
) -> AppResult<Response> {
    let listing = visible(&state, &member, ListingId(id)).await?;
    let currency = &member.space.currency_name;
    let status = listing.status_at(OffsetDateTime::now_utc());
    let is_open = status == ListingStatus::Open && listing.hidden_reason.is_none();
    page(&ListingPage {
        layout: member.layout(listing.title.clone()),
        slug: member.space.slug.clone(),
        id: listing.id,
        kind: listing.kind.tag(),
        kind_class: listing.kind.as_str(),
        is_offer: listing.kind == ListingKind::Offer,
        description_lines: listing.description.lines().map(str::to_owned).collect(),
        category: listing.category.clone(),
        price: price_text(
            listing.price_mode,
            listing.price,
            listing.hours_estimate,
            currency,
        ),
        status: status.label(),
        is_open,
        expires: match (listing.expires_on, is_open) {
            (Some(day), true) => messages::open_until(&day.to_string()),
            (Some(day), false) if listing.status == ListingStatus::Open => {
                messages::closed_after(&day.to_string())
            }
            _ => String::new(),
        },
        owner_id: listing.membership_id,
        avatar: Avatar::new(listing.membership_id.0, &listing.owner_name),
        owner: listing.owner_name.clone(),
        owner_headline: listing.owner_headline.clone(),
        is_mine: listing.membership_id == member.membership.id,
        is_admin: member.is_admin(),
        hidden_reason: listing.hidden_reason.unwrap_or_default(),
        title: listing.title,
    })
}

/// The member's own listing, or not found: nobody else's can be named here.
async fn own(state: &AppState, member: &Member, id: i64) -> AppResult<Listing> {
    db::listing(&state.db, member.space.id, ListingId(id))
        .await?
        .filter(|l| l.membership_id == member.membership.id)
        .ok_or(AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
) -> AppResult<Response> {
    let listing = own(&state, &member, id).await?;
    let categories = skills_db::categories(&state.db, member.space.id).await?;
    let input = ListingInput::of(&listing);
    let keep = Some(listing.category_id);
    page(&form_page(
        &member,
        &categories,
        keep,
        Some(listing.id),
        input,
        Errors::default(),
    ))
}

pub async fn save(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let listing = own(&state, &member, id).await?;
    let categories = skills_db::categories(&state.db, member.space.id).await?;
    let today = today(&state, &member).await?;
    let keep = Some(listing.category_id);
    let (input, fields) = form::read(&form, &categories, keep, today);
    let errors = match fields {
        Ok(fields) => {
            let space = member.space.id;
            if db::update(&state.db, space, member.membership.id, listing.id, &fields).await? {
                member.ctx.flash("listing-saved");
                return Ok(to_listing(&member, listing.id));
            }
            let mut errors = Errors::default();
            errors.add("category", messages::CHOOSE_CATEGORY);
            errors
        }
        Err(errors) => errors,
    };
    invalid(&form_page(
        &member,
        &categories,
        keep,
        Some(listing.id),
        input,
        errors,
    ))
}

/// Pauses, reopens or closes the member's own listing.
pub async fn set_status(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let listing = own(&state, &member, id).await?;
    let Some(status) = ListingStatus::parse(form.text("status")) else {
        return Err(AppError::BadRequest(messages::CHOOSE_STATUS.to_owned()));
    };
    db::set_status(
        &state.db,
        member.space.id,
        member.membership.id,
        listing.id,
        status,
    )
    .await?;
    member.ctx.flash("listing-saved");
    Ok(to_listing(&member, listing.id))
}

/// The status changes a listing in this status offers.
fn moves(status: ListingStatus) -> Vec<(&'static str, &'static str)> {
    match status {
        ListingStatus::Open => vec![("paused", messages::PAUSE), ("closed", messages::CLOSE)],
        ListingStatus::Paused => vec![("open", messages::REOPEN), ("closed", messages::CLOSE)],
        ListingStatus::Closed => vec![("open", messages::REOPEN)],
    }
}

pub async fn mine(State(state): State<AppState>, member: Member) -> AppResult<Response> {
    let listings = db::listings_of(&state.db, member.space.id, member.membership.id, false).await?;
    let currency = &member.space.currency_name;
    let now = OffsetDateTime::now_utc();
    page(&MyListingsPage {
        layout: member.layout(messages::TITLE_MY_LISTINGS),
        slug: member.space.slug.clone(),
        listings: listings
            .iter()
            .map(|l| OwnListing {
                id: l.id,
                kind: l.kind.tag(),
                title: l.title.clone(),
                price: price_text(l.price_mode, l.price, l.hours_estimate, currency),
                status: l.status_at(now).label(),
                moves: moves(l.status_at(now)),
            })
            .collect(),
    })
}
