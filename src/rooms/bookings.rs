//! "My bookings": upcoming and past, each upcoming one as a calendar file; and cancelling,
//! by the member (refunded before the cutoff) or by an admin (always refunded).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use time::OffsetDateTime;

use crate::ledger::money::format_amount;
use crate::messages;
use crate::rooms::db::{self, Which};
use crate::rooms::ics;
use crate::rooms::model::{Booking, BookingId, refundable, span_text};
use crate::rooms::service::{self, Booker, Cancelled};
use crate::rooms::views::{BookingLine, CancelPage, MyBookingsPage};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, Member, PathUuid};
use crate::web::html::page;
use crate::web::state::AppState;

pub async fn mine(State(state): State<AppState>, member: Member) -> AppResult<Response> {
    let space = member.space.id;
    let all = db::bookings(&state.db, space, Which::Member(member.membership.id)).await?;
    let now = OffsetDateTime::now_utc();
    let currency = &member.space.currency_name;
    let (mut upcoming, past): (Vec<&Booking>, Vec<&Booking>) =
        all.iter().partition(|b| !b.cancelled && b.ends_at > now);
    upcoming.reverse();
    let (cutoff, _) = db::rules(&state.db, space).await?;
    page(&MyBookingsPage {
        layout: member.layout(messages::TITLE_MY_BOOKINGS),
        slug: member.space.slug.clone(),
        upcoming: upcoming
            .into_iter()
            .map(|b| BookingLine::new(b, currency))
            .collect(),
        past: past
            .into_iter()
            .map(|b| BookingLine::new(b, currency))
            .collect(),
        rule: messages::cutoff_rule(cutoff, None),
    })
}

/// A booking of the space; only the member's own unless `any`.
async fn booking(
    state: &AppState,
    member: &Member,
    id: BookingId,
    any: bool,
) -> AppResult<Booking> {
    db::bookings(&state.db, member.space.id, Which::One(id))
        .await?
        .pop()
        .filter(|b| any || b.membership_id == member.membership.id)
        .ok_or(AppError::NotFound)
}

/// The confirmation page: what cancelling will do, or why it cannot be done.
async fn cancel_page(
    state: &AppState,
    member: &Member,
    b: &Booking,
    as_admin: bool,
) -> AppResult<CancelPage> {
    let slug = &member.space.slug;
    let when = span_text(b.local_start, b.local_end);
    let price = format_amount(b.price, &member.space.currency_name);
    let now = OffsetDateTime::now_utc();
    let (cutoff, _) = db::rules(&state.db, member.space.id).await?;
    let (title, action, back_href) = if as_admin {
        (
            messages::admin_cancel_title(&b.member_name, &b.room_name, &when),
            format!("/s/{slug}/admin/rooms/bookings/{}/cancel", b.id),
            format!("/s/{slug}/admin/rooms/{}", b.room_id),
        )
    } else {
        (
            messages::cancel_title(&b.room_name, &when),
            format!("/s/{slug}/rooms/bookings/{}/cancel", b.id),
            format!("/s/{slug}/rooms/bookings"),
        )
    };
    let (effect, button) = match (b.price, as_admin, refundable(b.starts_at, cutoff, now)) {
        (0, _, _) => (
            "The booking is free, so no credits move.".to_owned(),
            "Cancel the booking".to_owned(),
        ),
        (_, true, _) => (
            format!("{} gets {price} back in full, and is told.", b.member_name),
            format!("Cancel the booking and refund {price}"),
        ),
        (_, false, true) => (
            format!(
                "It is more than {cutoff} hours before the start, so you get {price} back in full."
            ),
            format!("Cancel the booking and get {price} back"),
        ),
        (_, false, false) => (
            format!(
                "It is less than {cutoff} hours before the start, so cancelling refunds nothing: the {price} stays with the space."
            ),
            "Cancel the booking without a refund".to_owned(),
        ),
    };
    let refusal = if b.cancelled {
        messages::CANCEL_ALREADY
    } else if b.starts_at <= now {
        messages::CANCEL_STARTED
    } else {
        ""
    };
    Ok(CancelPage {
        layout: member.layout(title.clone()),
        heading: title,
        action,
        back_href,
        effect,
        button,
        refusal: refusal.to_owned(),
    })
}

async fn do_cancel(
    state: &AppState,
    member: &Member,
    id: BookingId,
    as_admin: bool,
) -> AppResult<Response> {
    let b = booking(state, member, id, as_admin).await?;
    let who = Booker {
        space: member.space.id,
        member: member.membership.id,
        person: member.person.id,
    };
    let mut conn = state.db.acquire().await?;
    let done = service::cancel(&mut conn, who, as_admin, id, OffsetDateTime::now_utc()).await?;
    let slug = &member.space.slug;
    let back = if as_admin {
        format!("/s/{slug}/admin/rooms/{}", b.room_id)
    } else {
        format!("/s/{slug}/rooms/bookings")
    };
    match done {
        Cancelled::Refunded(_) => member.ctx.flash("booking-refunded"),
        Cancelled::NotRefunded if b.price == 0 => member.ctx.flash("booking-cancelled-free"),
        Cancelled::NotRefunded => member.ctx.flash("booking-cancelled"),
        Cancelled::AlreadyCancelled => member.ctx.flash("booking-was-cancelled"),
        Cancelled::NotFound => return Err(AppError::NotFound),
        Cancelled::Started => return Err(AppError::Conflict(messages::CANCEL_STARTED.to_owned())),
        Cancelled::RefundRefused(why) => {
            return Err(AppError::Conflict(messages::refund_refused(&why)));
        }
    }
    Ok(Redirect::to(&back).into_response())
}

pub async fn cancel_form(
    State(state): State<AppState>,
    member: Member,
    PathUuid(id): PathUuid,
) -> AppResult<Response> {
    let b = booking(&state, &member, BookingId(id), false).await?;
    page(&cancel_page(&state, &member, &b, false).await?)
}

pub async fn cancel(
    State(state): State<AppState>,
    member: Member,
    PathUuid(id): PathUuid,
) -> AppResult<Response> {
    do_cancel(&state, &member, BookingId(id), false).await
}

pub async fn admin_cancel_form(
    State(state): State<AppState>,
    admin: Admin,
    PathUuid(id): PathUuid,
) -> AppResult<Response> {
    let b = booking(&state, &admin, BookingId(id), true).await?;
    page(&cancel_page(&state, &admin, &b, true).await?)
}

pub async fn admin_cancel(
    State(state): State<AppState>,
    admin: Admin,
    PathUuid(id): PathUuid,
) -> AppResult<Response> {
    do_cancel(&state, &admin, BookingId(id), true).await
}

/// The member's own booking as a calendar file.
pub async fn calendar(
    State(state): State<AppState>,
    member: Member,
    PathUuid(id): PathUuid,
) -> AppResult<Response> {
    let b = booking(&state, &member, BookingId(id), false).await?;
    if b.cancelled {
        return Err(AppError::NotFound);
    }
    let base = &state.settings.base_url;
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or(base)
        .trim_end_matches('/');
    let body = ics::calendar(&b, &member.space.name, host, OffsetDateTime::now_utc());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"booking.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}
