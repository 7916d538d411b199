//! The space home (SPEC §3.6): an applicant's status, or a member's dashboard: their
//! credits, trades waiting for them, requests their skills fit, members whose skills fit
//! their requests, kudos, their room bookings today and who is in today.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use time::OffsetDateTime;

use crate::ledger::db as ledger_db;
use crate::ledger::money::format_amount;
use crate::marketplace::db::{self as market_db, MemberMatch, RequestMatch};
use crate::marketplace::model::{ListingId, ListingKind};
use crate::members::db as members_db;
use crate::messages;
use crate::rooms::db::{self as rooms_db, Which};
use crate::rooms::model::hour_minute;
use crate::spaces::db::{self, FirstSteps};
use crate::spaces::model::{MembershipId, Role, Status};
use crate::trades::db as trades_db;
use crate::trades::views::{KudosLine, TradeLine, line};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Visitor;
use crate::web::html::{Layout, page};
use crate::web::state::AppState;

const SUGGESTIONS: i32 = 5;

#[derive(Template)]
#[template(path = "spaces/applicant.html")]
pub struct ApplicantPage {
    pub layout: Layout,
    pub slug: String,
    pub space_name: String,
    pub display_name: String,
}

pub struct RequestView {
    pub id: ListingId,
    pub title: String,
    pub owner_id: MembershipId,
    pub owner: String,
    pub price: String,
    pub because: String,
}

impl RequestView {
    fn new(r: RequestMatch, currency: &str) -> Self {
        Self {
            id: r.listing_id,
            title: r.title,
            owner_id: r.owner_id,
            owner: r.owner_name,
            price: format_amount(r.total_price, currency),
            because: r.because,
        }
    }
}

pub struct MemberView {
    pub id: MembershipId,
    pub name: String,
    pub headline: String,
    pub skills: String,
    pub request: String,
}

impl From<MemberMatch> for MemberView {
    fn from(m: MemberMatch) -> Self {
        Self {
            id: m.membership_id,
            name: m.display_name,
            headline: m.headline,
            skills: m.skills,
            request: m.request_title,
        }
    }
}

#[derive(Template)]
#[template(path = "spaces/home.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub slug: String,
    pub space_name: String,
    pub display_name: String,
    pub balance: String,
    pub available: String,
    pub waiting: Vec<TradeLine>,
    pub requests: Vec<RequestView>,
    pub members: Vec<MemberView>,
    pub has_requests: bool,
    pub kudos: Vec<KudosLine>,
    pub here: Vec<(MembershipId, String)>,
    pub pending_applications: usize,
    /// The checklist of a member who has not done every first step yet.
    pub first_steps: Option<FirstSteps>,
    /// The member's room bookings today: (room, from, to).
    pub bookings_today: Vec<(String, String, String)>,
}

pub async fn home(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let Some(membership) = &visitor.membership else {
        return Err(AppError::Forbidden(messages::NOT_A_MEMBER));
    };
    match membership.status {
        Status::Suspended => Err(AppError::Forbidden(messages::SUSPENDED)),
        Status::Left => Err(AppError::Forbidden(messages::LEFT_SPACE)),
        Status::Pending => page(&ApplicantPage {
            layout: visitor.layout(visitor.space.name.clone()),
            slug: visitor.space.slug.clone(),
            space_name: visitor.space.name.clone(),
            display_name: visitor.person.display_name.clone(),
        }),
        Status::Active => page(&dashboard(&state, &visitor, membership.id, membership.role).await?),
    }
}

async fn dashboard(
    state: &AppState,
    visitor: &Visitor,
    me: MembershipId,
    role: Role,
) -> AppResult<DashboardPage> {
    let space = visitor.space.id;
    let currency = &visitor.space.currency_name;
    let balance = match ledger_db::member_account(&state.db, space, me).await? {
        Some(account) => ledger_db::balance(&state.db, account).await?,
        None => None,
    };
    let trades = trades_db::trades_of(&state.db, space, me).await?;
    let requests = market_db::requests_for(&state.db, space, me, SUGGESTIONS).await?;
    let members = market_db::members_for(&state.db, space, me, SUGGESTIONS).await?;
    let has_requests = market_db::listings_of(&state.db, space, me, true)
        .await?
        .iter()
        .any(|l| l.kind == ListingKind::Request);
    let today = rooms_db::today(&state.db, space, OffsetDateTime::now_utc()).await?;
    let bookings_today = rooms_db::bookings(&state.db, space, Which::MemberOn(me, today))
        .await?
        .into_iter()
        .map(|b| {
            (
                b.room_name,
                hour_minute(b.local_start),
                hour_minute(b.local_end),
            )
        })
        .collect();
    let pending_applications = if role == Role::Admin {
        db::pending_applicants(&state.db, space).await?.len()
    } else {
        0
    };
    Ok(DashboardPage {
        layout: visitor.layout(visitor.space.name.clone()),
        slug: visitor.space.slug.clone(),
        space_name: visitor.space.name.clone(),
        display_name: visitor.person.display_name.clone(),
        balance: format_amount(balance.as_ref().map_or(0, |b| b.balance()), currency),
        available: format_amount(
            balance.as_ref().map_or(0, |b| b.available().max(0)),
            currency,
        ),
        waiting: trades
            .iter()
            .map(|t| line(t, me, currency))
            .filter(|l| l.needs_me)
            .take(5)
            .collect(),
        requests: requests
            .into_iter()
            .map(|r| RequestView::new(r, currency))
            .collect(),
        members: members.into_iter().map(MemberView::from).collect(),
        has_requests,
        kudos: trades_db::kudos_for(&state.db, space, me, 3)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        here: members_db::here_today(&state.db, space, 24).await?,
        pending_applications,
        first_steps: Some(db::first_steps(&state.db, space, me).await?).filter(|s| !s.all_done()),
        bookings_today,
    })
}
