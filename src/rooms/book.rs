//! Booking a room: pick a room, a day, a start and a length (the grids fill these in);
//! see the price and the cancellation rule; confirm. The confirmation carries the booking's
//! id from the start, so sending it twice books and pays once.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::ledger::db as ledger_db;
use crate::ledger::money::format_amount;
use crate::messages;
use crate::rooms::db;
use crate::rooms::form::{BookingInput, read_booking};
use crate::rooms::model::{BookingId, Room, length_text, moment_text, span_text};
use crate::rooms::service::{self, Ask, Booked, Booker, Plan};
use crate::rooms::views::{BookPage, ConfirmBookingPage};
use crate::web::error::AppResult;
use crate::web::extract::Member;
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choice, invalid, page};
use crate::web::state::AppState;

async fn book_page(
    state: &AppState,
    member: &Member,
    mut input: BookingInput,
    errors: Errors,
) -> AppResult<BookPage> {
    let space = member.space.id;
    let rooms = db::rooms(&state.db, space, false).await?;
    let (cutoff, _) = db::rules(&state.db, space).await?;
    if input.date.is_empty() {
        input.date = db::today(&state.db, space, OffsetDateTime::now_utc())
            .await?
            .to_string();
    }
    let chosen: Option<&Room> = rooms.iter().find(|r| r.id.to_string() == input.room);
    let mut choices = vec![Choice::new("", "Choose a room", chosen.is_none())];
    choices.extend(rooms.iter().map(|r| {
        let label = format!("{} (up to {} people)", r.name, r.capacity);
        Choice::new(r.id.to_string(), label, Some(r.id) == chosen.map(|c| c.id))
    }));
    // Lengths in whole slots of the chosen room (of the first room, until one is chosen).
    let lengths = chosen
        .or(rooms.first())
        .map(|r| {
            r.lengths()
                .into_iter()
                .map(|m| Choice::new(m.to_string(), length_text(m), input.length == m.to_string()))
                .collect()
        })
        .unwrap_or_default();
    Ok(BookPage {
        layout: member.layout(messages::TITLE_BOOK),
        slug: member.space.slug.clone(),
        rooms: choices,
        lengths,
        input,
        rule: messages::cutoff_rule(cutoff, None),
        errors,
    })
}

pub async fn book_form(
    State(state): State<AppState>,
    member: Member,
    uri: Uri,
) -> AppResult<Response> {
    let query = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let input = BookingInput::of(&query);
    page(&book_page(&state, &member, input, Errors::default()).await?)
}

/// The form back with one problem on its field.
async fn refused(
    state: &AppState,
    member: &Member,
    input: BookingInput,
    field: &str,
    message: String,
) -> AppResult<Response> {
    let mut errors = Errors::default();
    errors.add(field, message);
    invalid(&book_page(state, member, input, errors).await?)
}

/// Checks the booking, free and within the rules; Err: the form back with why.
async fn checked(
    state: &AppState,
    member: &Member,
    form: &FormData,
) -> AppResult<Result<(BookingInput, Ask, Plan), Response>> {
    let (input, ask) = read_booking(form);
    let ask = match ask {
        Ok(ask) => ask,
        Err(errors) => {
            return Ok(Err(invalid(
                &book_page(state, member, input, errors).await?,
            )?));
        }
    };
    let space = member.space.id;
    let mut conn = state.db.acquire().await?;
    let plan = match service::plan(&mut conn, space, &ask, OffsetDateTime::now_utc(), false).await?
    {
        Ok(plan) => plan,
        Err(r) => {
            // The page reads through the pool: give this connection back first.
            drop(conn);
            return Ok(Err(
                refused(state, member, input, r.field(), r.message()).await?
            ));
        }
    };
    if !db::is_free(
        &mut *conn,
        space,
        plan.room.id,
        plan.starts_at,
        plan.ends_at,
    )
    .await?
    {
        drop(conn);
        let r = service::Refusal::Taken;
        return Ok(Err(
            refused(state, member, input, r.field(), r.message()).await?
        ));
    }
    Ok(Ok((input, ask, plan)))
}

/// The price and the rule, with a button that books.
pub async fn review(
    State(state): State<AppState>,
    member: Member,
    form: FormData,
) -> AppResult<Response> {
    let (input, ask, plan) = match checked(&state, &member, &form).await? {
        Ok(checked) => checked,
        Err(page) => return Ok(page),
    };
    let space = member.space.id;
    let currency = &member.space.currency_name;
    let (cutoff, _) = db::rules(&state.db, space).await?;
    let local_start = db::local(&state.db, space, plan.starts_at).await?;
    let local_end = db::local(&state.db, space, plan.ends_at).await?;
    let deadline = db::local(
        &state.db,
        space,
        plan.starts_at - Duration::hours(i64::from(cutoff)),
    )
    .await?;
    let available = ledger_db::member_account_by_membership(&state.db, space, member.membership.id)
        .await?
        .map_or(0, |a| a.available().max(0));
    page(&ConfirmBookingPage {
        layout: member.layout(messages::TITLE_CHECK_BOOKING),
        slug: member.space.slug.clone(),
        id: Uuid::now_v7().to_string(),
        room: plan.room.name.clone(),
        when: span_text(local_start, local_end),
        length: length_text(ask.minutes),
        price: format_amount(plan.price, currency),
        free: plan.price == 0,
        available: format_amount(available, currency),
        rule: messages::cutoff_rule(cutoff, Some(&moment_text(deadline))),
        change_href: format!("/s/{}/rooms/book?{}", member.space.slug, input.query()),
        input,
    })
}

/// Books and pays; the form back with why, if not.
pub async fn confirm(
    State(state): State<AppState>,
    member: Member,
    form: FormData,
) -> AppResult<Response> {
    let (input, ask) = read_booking(&form);
    let ask = match ask {
        Ok(ask) => ask,
        Err(errors) => return invalid(&book_page(&state, &member, input, errors).await?),
    };
    let Ok(id) = Uuid::parse_str(form.text("id")) else {
        return refused(
            &state,
            &member,
            input,
            "length",
            messages::FORM_OUT_OF_DATE.to_owned(),
        )
        .await;
    };
    let who = Booker {
        space: member.space.id,
        member: member.membership.id,
        person: member.person.id,
    };
    let mut conn = state.db.acquire().await?;
    let done = service::book(
        &mut conn,
        who,
        BookingId(id),
        &ask,
        OffsetDateTime::now_utc(),
    )
    .await?;
    drop(conn);
    match done {
        Ok(Booked::New { price, .. }) => {
            member
                .ctx
                .flash(if price == 0 { "booked-free" } else { "booked" });
        }
        Ok(Booked::Again { .. }) => member.ctx.flash("booked"),
        Err(r) => return refused(&state, &member, input, r.field(), r.message()).await,
    }
    Ok(Redirect::to(&format!("/s/{}/rooms/bookings", member.space.slug)).into_response())
}
