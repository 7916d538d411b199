//! A trade's page: its terms, money, timeline and thread, and the actions the viewer may
//! take now; and the forms that take them.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::ledger::money::{format_amount, parse_amount};
use crate::messages;
use crate::trades::db::{self, Terms};
use crate::trades::model::{Action, Resolution, Trade, TradeId, TradeState};
use crate::trades::rules::{self, Facts, Viewer};
use crate::trades::service::{self, Done, Input, KudosDone};
use crate::trades::views::{ActionView, EventView, MessageView, TermsInput, TradePage};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Member, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choices, invalid, page};
use crate::web::state::AppState;

pub const MESSAGE_MAX: usize = 2000;
pub const NOTE_MAX: usize = 2000;
pub const KUDOS_MAX: usize = 280;

fn actor(member: &Member) -> service::Actor {
    service::Actor {
        space: member.space.id,
        member: member.membership.id,
        person: member.person.id,
        is_admin: member.is_admin(),
    }
}

/// The trade, if the member may see it: its parties, and admins while it is disputed or
/// once an admin resolved it. Anyone else is told it is not there.
async fn visible(state: &AppState, member: &Member, id: i64) -> AppResult<Trade> {
    let trade = db::trade(
        &state.db,
        member.space.id,
        TradeId(id),
        member.membership.id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let judging =
        member.is_admin() && matches!(trade.state, TradeState::Disputed | TradeState::Resolved);
    if trade.is_party(member.membership.id) || judging {
        Ok(trade)
    } else {
        Err(AppError::NotFound)
    }
}

/// Terms from a form: what, how much, by when (a date from `today` on).
pub fn read_terms(
    form: &FormData,
    errors: &mut Errors,
    today: time::Date,
) -> (TermsInput, Option<Terms>) {
    let description = form.text("description").trim().replace("\r\n", "\n");
    if description.is_empty() {
        errors.add("description", messages::ENTER_TERMS);
    } else if description.chars().count() > 2000 {
        errors.add(
            "description",
            messages::too_long(messages::DESCRIPTION, 2000),
        );
    }
    let amount_raw = form.text("amount").trim().to_owned();
    let amount = parse_amount(&amount_raw)
        .map_err(|e| errors.add("amount", e.message()))
        .ok();
    let due_raw = form.text("due_on").trim().to_owned();
    let due_on = match due_raw.as_str() {
        "" => None,
        raw => match crate::marketplace::form::parse_date(raw) {
            Some(d) if d >= today && d.year() <= today.year() + 5 => Some(d),
            _ => {
                errors.add("due_on", messages::DUE_DATE);
                None
            }
        },
    };
    let input = TermsInput {
        description: description.clone(),
        amount: amount_raw,
        due_on: due_raw,
    };
    let terms = amount.filter(|_| errors.is_empty()).map(|amount| Terms {
        description,
        amount,
        due_on,
    });
    (input, terms)
}

/// What a refused form brings back to the page.
#[derive(Default)]
struct Refill {
    input: TermsInput,
    note: String,
    message: String,
    errors: Errors,
}

async fn trade_page(
    state: &AppState,
    member: &Member,
    trade: Trade,
    refill: Refill,
) -> AppResult<TradePage> {
    let space = member.space.id;
    let me = member.membership.id;
    let currency = member.space.currency_name.clone();
    let events = db::events(&state.db, space, trade.id).await?;
    let messages = db::messages(&state.db, space, trade.id).await?;
    let facts = Facts {
        state: trade.state,
        cancel_requested: trade.cancel_requested,
        overdue: trade.overdue,
    };
    let is_party = trade.is_party(me);
    let viewer = Viewer::of(
        me,
        member.is_admin(),
        trade.payer_id,
        trade.payee_id,
        trade.proposer_id,
    );
    let kudos_left = is_party && trade.kudos_left;
    // The counter-proposal form starts from the terms as they stand.
    let input = if refill.input.amount.is_empty() && refill.input.description.is_empty() {
        TermsInput::of(&trade)
    } else {
        refill.input
    };
    Ok(TradePage {
        layout: member.layout(messages::trade_title(trade.id.0, &trade.description)),
        slug: member.space.slug.clone(),
        id: trade.id,
        listing: trade.listing_id.zip(trade.listing_title.clone()),
        payer: trade.payer_name.clone(),
        payee: trade.payee_name.clone(),
        amount: format_amount(trade.amount, &currency),
        due: trade.due_on.map(|d| d.to_string()).unwrap_or_default(),
        state: trade.state.label(),
        state_class: trade.state.as_str(),
        money: money_words(&trade, &currency),
        cancel_requested: trade.cancel_requested,
        events: events
            .iter()
            .map(|e| EventView::new(e, &currency))
            .collect(),
        messages: messages.iter().map(|m| MessageView::new(m, me)).collect(),
        is_party,
        actions: rules::available(facts, viewer)
            .into_iter()
            .map(ActionView::new)
            .collect(),
        may_leave_kudos: is_party
            && !kudos_left
            && matches!(trade.state, TradeState::Completed | TradeState::Resolved),
        kudos_left,
        kudos_hidden_reason: trade.kudos_hidden_reason.clone().unwrap_or_default(),
        description: trade.description,
        input,
        note: refill.note,
        message: refill.message,
        amount_hint: messages::amount_hint(&currency),
        part_hint: messages::part_hint(&currency, &format_amount(trade.amount, &currency)),
        errors: refill.errors,
    })
}

/// Where the trade's credits are, in words.
fn money_words(t: &Trade, currency: &str) -> String {
    let amount = format_amount(t.amount, currency);
    match (t.state, t.hold_id, t.settled_id) {
        (_, None, _) => messages::MONEY_NOTHING_HELD.to_owned(),
        (TradeState::Completed, _, Some(_)) => messages::money_paid(&amount),
        (TradeState::Resolved, _, Some(_)) => messages::MONEY_RESOLVED.to_owned(),
        (TradeState::Cancelled, _, _) => messages::money_returned(&amount),
        (_, Some(_), _) => messages::money_held(&amount),
    }
}

pub async fn view(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
) -> AppResult<Response> {
    let trade = visible(&state, &member, id).await?;
    page(&trade_page(&state, &member, trade, Refill::default()).await?)
}

fn back(member: &Member, id: TradeId, flash: &'static str) -> Response {
    member.ctx.flash(flash);
    Redirect::to(&format!("/s/{}/trades/{id}", member.space.slug)).into_response()
}

/// Why a form's action needs a note, if it does.
fn needs_note(action: Action) -> bool {
    matches!(
        action,
        Action::WithdrawFromWork
            | Action::AskToCancel
            | Action::Dispute
            | Action::Answer
            | Action::Resolve
    )
}

fn read_resolution(form: &FormData, errors: &mut Errors, held: i64) -> Option<Resolution> {
    match form.text("resolution") {
        "complete" => Some(Resolution::Complete),
        "void" => Some(Resolution::Void),
        "part" => match parse_amount(form.text("part")) {
            Ok(part) if part < held => Some(Resolution::Part(part)),
            Ok(_) => {
                errors.add("part", messages::PART_WITHIN_HOLD);
                None
            }
            Err(e) => {
                errors.add("part", e.message());
                None
            }
        },
        _ => {
            errors.add("resolution", messages::CHOOSE_RESOLUTION);
            None
        }
    }
}

/// Takes one action of SPEC §3.3a. A refusal says why and changes nothing.
pub async fn act(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let trade = visible(&state, &member, id).await?;
    let mut errors = form.errors();
    let Some(action) = Action::parse(form.text("action")) else {
        return Err(AppError::BadRequest(messages::UNKNOWN_ACTION.to_owned()));
    };
    let today = crate::spaces::db::today(&state.db, member.space.id).await?;
    let (input, terms) = if action == Action::Counter {
        read_terms(&form, &mut errors, today)
    } else {
        (TermsInput::default(), None)
    };
    let note = form.text("note").trim().replace("\r\n", "\n");
    if needs_note(action) && note.is_empty() {
        errors.add("note", messages::ENTER_NOTE);
    } else if note.chars().count() > NOTE_MAX {
        errors.add("note", messages::too_long(messages::NOTE, NOTE_MAX));
    }
    let resolution = if action == Action::Resolve {
        read_resolution(&form, &mut errors, trade.amount)
    } else {
        None
    };
    if !errors.is_empty() {
        let refill = Refill {
            input,
            note,
            message: String::new(),
            errors,
        };
        return invalid(&trade_page(&state, &member, trade, refill).await?);
    }
    let mut tx = state.db.begin().await?;
    let done = service::act(
        &mut tx,
        actor(&member),
        trade.id,
        action,
        &Input {
            terms,
            note: note.clone(),
            resolution,
        },
    )
    .await?;
    // A refused acceptance stays on record: the ledger keeps its refusal under its id.
    tx.commit().await?;
    match done {
        Done::Done => Ok(back(&member, trade.id, "trade-updated")),
        Done::NotFound => Err(AppError::NotFound),
        Done::Refused(why) => {
            let mut errors = Errors::default();
            errors.add("action", why);
            // Read again: the refusal may be on the timeline now.
            let trade = visible(&state, &member, id).await?;
            let refill = Refill {
                input,
                note,
                message: String::new(),
                errors,
            };
            Ok((
                axum::http::StatusCode::CONFLICT,
                axum::response::Html(askama::Template::render(
                    &trade_page(&state, &member, trade, refill).await?,
                )?),
            )
                .into_response())
        }
    }
}

/// A message in the trade's thread, from one of its parties.
pub async fn message(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let trade = visible(&state, &member, id).await?;
    if !trade.is_party(member.membership.id) {
        return Err(AppError::NotFound);
    }
    let mut errors = form.errors();
    let body = form.text("body").trim().replace("\r\n", "\n");
    if body.is_empty() {
        errors.add("body", messages::ENTER_MESSAGE);
    } else if body.chars().count() > MESSAGE_MAX {
        errors.add("body", messages::too_long(messages::MESSAGE, MESSAGE_MAX));
    }
    if !errors.is_empty() {
        let refill = Refill {
            message: body,
            errors,
            ..Refill::default()
        };
        return invalid(&trade_page(&state, &member, trade, refill).await?);
    }
    db::add_message(
        &state.db,
        member.space.id,
        trade.id,
        member.membership.id,
        &body,
    )
    .await?;
    Ok(back(&member, trade.id, "message-sent"))
}

/// Kudos for the other party, once the trade is completed or resolved.
pub async fn kudos(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let trade = visible(&state, &member, id).await?;
    let mut errors = form.errors();
    let stars = form
        .text("stars")
        .parse::<i32>()
        .ok()
        .filter(|s| (1..=5).contains(s));
    if stars.is_none() {
        errors.add("stars", messages::CHOOSE_STARS);
    }
    let note = errors.optional(&form, "kudos_note", messages::LABEL_KUDOS_NOTE, KUDOS_MAX);
    let Some(stars) = stars.filter(|_| errors.is_empty()) else {
        let refill = Refill {
            errors,
            ..Refill::default()
        };
        return invalid(&trade_page(&state, &member, trade, refill).await?);
    };
    let mut tx = state.db.begin().await?;
    let done = service::leave_kudos(&mut tx, actor(&member), trade.id, stars, &note).await?;
    tx.commit().await?;
    let refusal = match done {
        KudosDone::Left => return Ok(back(&member, trade.id, "kudos-left")),
        KudosDone::NotFound => return Err(AppError::NotFound),
        KudosDone::NotYet => messages::KUDOS_NOT_YET,
        KudosDone::AlreadyLeft => messages::KUDOS_ALREADY,
    };
    Err(AppError::Conflict(refusal.to_owned()))
}
