//! The rooms a member can book, and each room's day and week of free and booked slots.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use time::{Date, Duration, OffsetDateTime};

use crate::messages;
use crate::rooms::db;
use crate::rooms::form::parse_date;
use crate::rooms::grid;
use crate::rooms::model::{OpeningHours, Room, RoomId, day_text, short_day};
use crate::rooms::views::{DayPage, RoomCard, RoomsPage, WeekPage};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Member, PathId};
use crate::web::form::FormData;
use crate::web::html::page;
use crate::web::state::AppState;

/// The room's own opening hours, from all of the space's.
pub fn hours_of(all: &[(RoomId, OpeningHours)], room: RoomId) -> Vec<OpeningHours> {
    all.iter()
        .filter(|(r, _)| *r == room)
        .map(|(_, h)| *h)
        .collect()
}

pub async fn index(State(state): State<AppState>, member: Member) -> AppResult<Response> {
    let space = member.space.id;
    let rooms = db::rooms(&state.db, space, false).await?;
    let hours = db::hours(&state.db, space).await?;
    let (cutoff, _) = db::rules(&state.db, space).await?;
    let today = db::today(&state.db, space, OffsetDateTime::now_utc()).await?;
    page(&RoomsPage {
        layout: member.layout(messages::TITLE_ROOMS),
        slug: member.space.slug.clone(),
        rooms: rooms
            .iter()
            .map(|r| RoomCard::new(r, &hours_of(&hours, r.id), &member.space.currency_name))
            .collect(),
        today: today.to_string(),
        rule: messages::cutoff_rule(cutoff, None),
        is_admin: member.is_admin(),
    })
}

/// The room, even a retired one (its page says so), with its card.
async fn room_card(state: &AppState, member: &Member, id: i64) -> AppResult<(Room, RoomCard)> {
    let space = member.space.id;
    let room = db::room(&state.db, space, RoomId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let hours = db::hours(&state.db, space).await?;
    let card = RoomCard::new(
        &room,
        &hours_of(&hours, room.id),
        &member.space.currency_name,
    );
    Ok((room, card))
}

/// The day a grid shows: `?date=` (or `?from=`) within a year of today, else today.
fn chosen_day(uri: &Uri, field: &str, today: Date) -> Date {
    let query = FormData::parse(uri.query().unwrap_or("").as_bytes());
    parse_date(query.text(field))
        .filter(|d| (*d - today).whole_days().abs() <= 366)
        .unwrap_or(today)
}

pub async fn day(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
    uri: Uri,
) -> AppResult<Response> {
    let (room, card) = room_card(&state, &member, id).await?;
    let now = OffsetDateTime::now_utc();
    let today = db::today(&state.db, member.space.id, now).await?;
    let day = chosen_day(&uri, "date", today);
    let next_day = day + Duration::days(1);
    let slots = db::slots(
        &state.db,
        member.space.id,
        room.id,
        (day, next_day),
        member.membership.id,
        now,
    )
    .await?;
    let slug = &member.space.slug;
    let listed: Vec<_> = slots.iter().collect();
    page(&DayPage {
        layout: member.layout(messages::room_title(&room.name, &day_text(day))),
        slug: slug.clone(),
        slots: grid::day_views(slug, room.id, room.slot_minutes, &listed),
        retired: room.retired,
        day_name: day_text(day),
        date: day.to_string(),
        previous: (day - Duration::days(1)).to_string(),
        next: next_day.to_string(),
        is_today: day == today,
        room: card,
    })
}

pub async fn week(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
    uri: Uri,
) -> AppResult<Response> {
    let (room, card) = room_card(&state, &member, id).await?;
    let now = OffsetDateTime::now_utc();
    let today = db::today(&state.db, member.space.id, now).await?;
    let first = chosen_day(&uri, "from", today);
    let days: Vec<Date> = (0..7).map(|n| first + Duration::days(n)).collect();
    let slots = db::slots(
        &state.db,
        member.space.id,
        room.id,
        (first, first + Duration::days(7)),
        member.membership.id,
        now,
    )
    .await?;
    let slug = &member.space.slug;
    let (days, rows) = grid::week(slug, room.id, room.slot_minutes, &days, &slots);
    page(&WeekPage {
        layout: member.layout(messages::week_title(&room.name, &short_day(first))),
        slug: slug.clone(),
        retired: room.retired,
        first: first.to_string(),
        previous: (first - Duration::days(7)).to_string(),
        next: (first + Duration::days(7)).to_string(),
        days,
        rows,
        room: card,
    })
}
