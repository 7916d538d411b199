//! Starting a trade, on a listing ("I'd like this", "I can do this") or from a profile
//! ("Propose a trade", with free terms); and "My trades".

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};

use crate::ledger::money::format_number;
use crate::marketplace::db as market_db;
use crate::marketplace::model::{Listing, ListingId, ListingKind};
use crate::members::db as members_db;
use crate::messages;
use crate::spaces::db as spaces_db;
use crate::spaces::model::{MembershipId, Status};
use crate::trades::db;
use crate::trades::handlers::read_terms;
use crate::trades::model::TradeState;
use crate::trades::service;
use crate::trades::views::{ProposePage, TermsInput, TradeGroup, TradesPage, line};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Member;
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choice, Choices, invalid, page};
use crate::web::state::AppState;

/// Who a trade is with, and on which listing, as the form or the URL names them.
struct Counterparty {
    with: MembershipId,
    name: String,
    listing: Option<Listing>,
}

async fn counterparty(
    state: &AppState,
    member: &Member,
    asked: &FormData,
) -> AppResult<Counterparty> {
    let space = member.space.id;
    if let Ok(id) = asked.text("listing").parse::<i64>() {
        let listing = market_db::listing(&state.db, space, ListingId(id))
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(Counterparty {
            with: listing.membership_id,
            name: listing.owner_name.clone(),
            listing: Some(listing),
        });
    }
    let with = asked
        .text("with")
        .parse::<i64>()
        .ok()
        .map(MembershipId)
        .ok_or(AppError::NotFound)?;
    let profile = members_db::profile(&state.db, space, with)
        .await?
        .filter(|p| p.status == Status::Active)
        .ok_or(AppError::NotFound)?;
    Ok(Counterparty {
        with,
        name: profile.display_name,
        listing: None,
    })
}

fn directions(name: &str, i_pay: Option<bool>) -> Vec<Choice> {
    vec![
        Choice::new(
            "they",
            messages::they_do_the_work(name),
            i_pay == Some(true),
        ),
        Choice::new("me", messages::i_do_the_work(name), i_pay == Some(false)),
    ]
}

fn propose_page(
    member: &Member,
    c: &Counterparty,
    i_pay: Option<bool>,
    input: TermsInput,
    errors: Errors,
) -> ProposePage {
    let listing_says = match &c.listing {
        Some(l) if l.kind == ListingKind::Offer => messages::offer_says(&c.name),
        Some(_) => messages::request_says(&c.name),
        None => String::new(),
    };
    ProposePage {
        layout: member.layout(messages::propose_title(&c.name)),
        slug: member.space.slug.clone(),
        with_id: c.with,
        with_name: c.name.clone(),
        listing: c.listing.as_ref().map(|l| (l.id, l.title.clone())),
        listing_says,
        directions: directions(&c.name, i_pay),
        input,
        amount_hint: messages::amount_hint(&member.space.currency_name),
        errors,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    member: Member,
    uri: Uri,
) -> AppResult<Response> {
    let asked = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let c = counterparty(&state, &member, &asked).await?;
    if c.with == member.membership.id {
        return Err(AppError::Conflict(
            messages::NO_TRADE_WITH_YOURSELF.to_owned(),
        ));
    }
    let input = match &c.listing {
        Some(l) => TermsInput {
            description: l.title.clone(),
            amount: format_number(l.total_price()),
            due_on: String::new(),
        },
        None => TermsInput::default(),
    };
    page(&propose_page(&member, &c, None, input, Errors::default()))
}

pub async fn create(
    State(state): State<AppState>,
    member: Member,
    form: FormData,
) -> AppResult<Response> {
    let c = counterparty(&state, &member, &form).await?;
    let mut errors = form.errors();
    let today = spaces_db::today(&state.db, member.space.id).await?;
    let (input, terms) = read_terms(&form, &mut errors, today);
    let i_pay = match (&c.listing, form.text("direction")) {
        (Some(_), _) => Some(true),
        (None, "they") => Some(true),
        (None, "me") => Some(false),
        (None, _) => {
            errors.add("direction", messages::CHOOSE_DIRECTION);
            None
        }
    };
    let (Some(terms), Some(i_pay), true) = (terms, i_pay, errors.is_empty()) else {
        return invalid(&propose_page(&member, &c, i_pay, input, errors));
    };
    let actor = service::Actor {
        space: member.space.id,
        member: member.membership.id,
        person: member.person.id,
        is_admin: member.is_admin(),
    };
    let mut tx = state.db.begin().await?;
    let listing = c.listing.as_ref().map(|l| l.id);
    match service::propose(&mut tx, actor, c.with, i_pay, listing, &terms).await? {
        Ok(id) => {
            tx.commit().await?;
            member.ctx.flash("trade-proposed");
            Ok(Redirect::to(&format!("/s/{}/trades/{id}", member.space.slug)).into_response())
        }
        Err(why) => {
            errors.add("description", why);
            invalid(&propose_page(&member, &c, Some(i_pay), input, errors))
        }
    }
}

/// "My trades": those waiting for me first, then every trade grouped by state.
pub async fn list(State(state): State<AppState>, member: Member) -> AppResult<Response> {
    let me = member.membership.id;
    let currency = &member.space.currency_name;
    let trades = db::trades_of(&state.db, member.space.id, me).await?;
    let waiting = trades
        .iter()
        .map(|t| line(t, me, currency))
        .filter(|l| l.needs_me)
        .collect();
    let groups = TradeState::ALL
        .iter()
        .map(|state| TradeGroup {
            state: state.label(),
            trades: trades
                .iter()
                .filter(|t| t.state == *state)
                .map(|t| line(t, me, currency))
                .collect(),
        })
        .filter(|g| !g.trades.is_empty())
        .collect();
    page(&TradesPage {
        layout: member.layout(messages::TITLE_TRADES),
        slug: member.space.slug.clone(),
        waiting,
        groups,
        total: trades.len(),
    })
}
