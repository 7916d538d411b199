//! The admin's rooms: the list, a room's form (new or edit) with its upcoming bookings,
//! retiring and restoring.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use time::OffsetDateTime;

use crate::messages;
use crate::rooms::db::{self, Which};
use crate::rooms::form::{RoomInput, SLOTS, read_room};
use crate::rooms::handlers::hours_of;
use crate::rooms::model::{RoomId, length_text};
use crate::rooms::setup::{self, Change};
use crate::rooms::views::{
    AdminRoomLine, AdminRoomsPage, BookingLine, RetireRoomPage, RoomCard, RoomFormPage,
};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choice, invalid, page};
use crate::web::state::AppState;

pub async fn list(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    let space = admin.space.id;
    let rooms = db::rooms(&state.db, space, true).await?;
    let hours = db::hours(&state.db, space).await?;
    let upcoming = db::upcoming_counts(&state.db, space, OffsetDateTime::now_utc()).await?;
    let lines = rooms
        .iter()
        .map(|r| AdminRoomLine {
            card: RoomCard::new(r, &hours_of(&hours, r.id), &admin.space.currency_name),
            retired: r.retired,
            upcoming: upcoming.get(&r.id).copied().unwrap_or(0),
        })
        .collect();
    page(&AdminRoomsPage {
        layout: admin.layout(messages::TITLE_ADMIN_ROOMS),
        slug: admin.space.slug.clone(),
        rooms: lines,
    })
}

async fn form_page(
    state: &AppState,
    admin: &Admin,
    editing: Option<(RoomId, bool)>,
    input: RoomInput,
    errors: Errors,
) -> AppResult<RoomFormPage> {
    let slug = &admin.space.slug;
    let currency = &admin.space.currency_name;
    let (heading, action, button) = match editing {
        Some((id, _)) => (
            messages::edit_room_title(&input.name),
            format!("/s/{slug}/admin/rooms/{id}"),
            "Save the room",
        ),
        None => (
            messages::TITLE_NEW_ROOM.to_owned(),
            format!("/s/{slug}/admin/rooms"),
            "Add the room",
        ),
    };
    let bookings = match editing {
        Some((id, _)) => db::bookings(
            &state.db,
            admin.space.id,
            Which::RoomUpcoming(id, OffsetDateTime::now_utc()),
        )
        .await?
        .iter()
        .map(|b| BookingLine::new(b, currency))
        .collect(),
        None => Vec::new(),
    };
    Ok(RoomFormPage {
        layout: admin.layout(heading.clone()),
        slug: slug.clone(),
        heading,
        action,
        button,
        slots: SLOTS
            .iter()
            .map(|m| Choice::new(m.to_string(), length_text(*m), input.slot == m.to_string()))
            .collect(),
        input,
        price_hint: format!("In {currency}, like 3 or 1.50. 0 makes the room free."),
        editing,
        bookings,
        errors,
    })
}

pub async fn new_form(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    page(
        &form_page(
            &state,
            &admin,
            None,
            RoomInput::new_room(),
            Errors::default(),
        )
        .await?,
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    admin: Admin,
    PathId(id): PathId,
) -> AppResult<Response> {
    let space = admin.space.id;
    let room = db::room(&state.db, space, RoomId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let hours = db::hours(&state.db, space).await?;
    let input = RoomInput::of(&room, &hours_of(&hours, room.id));
    let editing = Some((room.id, room.retired));
    page(&form_page(&state, &admin, editing, input, Errors::default()).await?)
}

async fn save(
    state: &AppState,
    admin: &Admin,
    ip: &ClientIp,
    id: Option<RoomId>,
    form: &FormData,
) -> AppResult<Response> {
    let editing = match id {
        Some(id) => {
            let room = db::room(&state.db, admin.space.id, id)
                .await?
                .ok_or(AppError::NotFound)?;
            Some((room.id, room.retired))
        }
        None => None,
    };
    let (input, fields) = read_room(form);
    let mut errors = match fields {
        Ok(fields) => {
            let mut tx = state.db.begin().await?;
            let done = setup::save_room(&mut tx, admin.actor(ip), id, &fields).await?;
            tx.commit().await?;
            match done {
                Change::Done(room) => {
                    admin.ctx.flash("room-saved");
                    let to = format!("/s/{}/admin/rooms/{room}", admin.space.slug);
                    return Ok(Redirect::to(&to).into_response());
                }
                Change::NotFound => return Err(AppError::NotFound),
                Change::NameTaken => Errors::default(),
            }
        }
        Err(errors) => errors,
    };
    if errors.is_empty() {
        errors.add("name", messages::ROOM_NAME_TAKEN);
    }
    invalid(&form_page(state, admin, editing, input, errors).await?)
}

pub async fn create(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    save(&state, &admin, &ip, None, &form).await
}

pub async fn update(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    save(&state, &admin, &ip, Some(RoomId(id)), &form).await
}

/// Asks before retiring (SPEC §10.4): what retiring does, and to how many bookings.
pub async fn retire_form(
    State(state): State<AppState>,
    admin: Admin,
    PathId(id): PathId,
) -> AppResult<Response> {
    let space = admin.space.id;
    let room = db::room(&state.db, space, RoomId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let upcoming = db::upcoming_counts(&state.db, space, OffsetDateTime::now_utc())
        .await?
        .get(&room.id)
        .copied()
        .unwrap_or(0);
    page(&RetireRoomPage {
        layout: admin.layout(messages::retire_room_title(&room.name)),
        slug: admin.space.slug.clone(),
        id: room.id,
        name: room.name,
        upcoming,
    })
}

async fn set_retired(
    state: &AppState,
    admin: &Admin,
    ip: &ClientIp,
    id: i64,
    retired: bool,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let done = setup::set_retired(&mut tx, admin.actor(ip), RoomId(id), retired).await?;
    tx.commit().await?;
    match done {
        Change::Done(room) => {
            admin.ctx.flash(if retired {
                "room-retired"
            } else {
                "room-restored"
            });
            let to = format!("/s/{}/admin/rooms/{room}", admin.space.slug);
            Ok(Redirect::to(&to).into_response())
        }
        Change::NotFound | Change::NameTaken => Err(AppError::NotFound),
    }
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
