//! The marketplace: the space's open listings, found by words (typos forgiven) and filters,
//! all in the URL.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use crate::ledger::money::{format_number, parse_amount};
use crate::marketplace::db::{self, MarketSearch};
use crate::marketplace::model::{ListingKind, ListingRow, MarketSort};
use crate::marketplace::views::{ListingCard, MarketPage};
use crate::messages;
use crate::skills::db as skills_db;
use crate::skills::model::{Category, CategoryId};
use crate::skills::views::SearchNote;
use crate::web::error::AppResult;
use crate::web::extract::Member;
use crate::web::form::{Errors, FormData, encode_query};
use crate::web::html::{Choice, Choices, invalid, page};
use crate::web::pager::Pager;
use crate::web::search::{Words, read_words};
use crate::web::state::AppState;

const PAGE_SIZE: i64 = 20;
/// A marketplace search as the URL asks for it, checked.
pub struct MarketQuery {
    pub q: String,
    pub kind: Option<ListingKind>,
    pub category: Option<CategoryId>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// As typed, for refilling the form.
    pub min_raw: String,
    pub max_raw: String,
    pub here: bool,
    pub sort: Option<MarketSort>,
    pub page: i64,
    pub errors: Errors,
}

/// An optional price bound: empty is none; otherwise an amount.
fn price_bound(params: &FormData, field: &str, errors: &mut Errors) -> (Option<i64>, String) {
    let raw = params.text(field).trim().to_owned();
    if raw.is_empty() {
        return (None, raw);
    }
    match parse_amount(&raw) {
        Ok(amount) => (Some(amount), raw),
        Err(e) => {
            errors.add(field, e.message());
            (None, raw)
        }
    }
}

impl MarketQuery {
    pub fn parse(query: &str, categories: &[Category]) -> Self {
        let params = FormData::parse(query.as_bytes());
        let mut errors = params.errors();
        let q = read_words(&params, &mut errors);
        let kind = match params.text("kind") {
            "" => None,
            raw => {
                let found = ListingKind::parse(raw);
                if found.is_none() {
                    errors.add("kind", messages::CHOOSE_LISTING_KIND);
                }
                found
            }
        };
        let category =
            Category::filter(params.text("category"), categories, &mut errors, "category");
        let (min, min_raw) = price_bound(&params, "min", &mut errors);
        let (max, max_raw) = price_bound(&params, "max", &mut errors);
        if let (Some(a), Some(b)) = (min, max)
            && a > b
        {
            errors.add("max", messages::MAX_BELOW_MIN);
        }
        Self {
            q,
            kind,
            category,
            min,
            max,
            min_raw,
            max_raw,
            here: params.get("here") == Some("1"),
            sort: MarketSort::parse(params.text("sort")),
            page: Pager::requested(&params),
            errors,
        }
    }

    pub fn sort(&self) -> MarketSort {
        match self.sort {
            Some(sort) => sort,
            None if self.q.is_empty() => MarketSort::Newest,
            None => MarketSort::Relevance,
        }
    }

    pub fn filtered(&self) -> bool {
        !self.q.is_empty()
            || self.kind.is_some()
            || self.category.is_some()
            || self.min.is_some()
            || self.max.is_some()
            || self.here
    }

    pub fn search(&self, page: i64) -> MarketSearch {
        let Words { query, typos } = Words::of(&self.q);
        MarketSearch {
            typos,
            query,
            kind: self.kind,
            category: self.category,
            min_price: self.min,
            max_price: self.max,
            here_today: self.here,
            sort: self.sort(),
            limit: PAGE_SIZE,
            offset: Pager::offset_of(page, PAGE_SIZE),
        }
    }

    pub fn encoded(&self) -> String {
        let category = self.category.map(|c| c.to_string()).unwrap_or_default();
        encode_query(&[
            ("q", &self.q),
            ("kind", self.kind.map_or("", ListingKind::as_str)),
            ("category", &category),
            ("min", &self.min.map(format_number).unwrap_or_default()),
            ("max", &self.max.map(format_number).unwrap_or_default()),
            ("here", if self.here { "1" } else { "" }),
            ("sort", self.sort.map_or("", MarketSort::as_str)),
        ])
    }
}

/// A listing as a card: what, by whom, for how much.
pub fn card(row: &ListingRow, currency: &str) -> ListingCard {
    ListingCard {
        id: row.listing_id,
        kind: row.kind.tag(),
        kind_class: row.kind.as_str(),
        title: row.title.clone(),
        category: row.category.clone(),
        owner_id: row.membership_id,
        owner: row.display_name.clone(),
        price: crate::marketplace::views::price_text(
            row.price_mode,
            row.price,
            row.hours_estimate,
            currency,
        ),
        here_today: row.here_today,
    }
}

pub async fn marketplace(
    State(state): State<AppState>,
    member: Member,
    uri: Uri,
) -> AppResult<Response> {
    let space = member.space.id;
    let categories = skills_db::categories(&state.db, space).await?;
    let query = MarketQuery::parse(uri.query().unwrap_or(""), &categories);
    let mut rows = db::search(&state.db, space, &query.search(query.page)).await?;
    let mut total = rows.first().map_or(0, |r| r.total);
    if rows.is_empty() && query.page > 1 {
        // Past the end: show the last page instead.
        let mut count = query.search(1);
        count.limit = 1;
        total = db::search(&state.db, space, &count)
            .await?
            .first()
            .map_or(0, |r| r.total);
        let last = Pager::new(query.page, PAGE_SIZE, total).page;
        rows = db::search(&state.db, space, &query.search(last)).await?;
    }
    let pager = Pager::new(query.page, PAGE_SIZE, total)
        .at(format!("/s/{}/market", member.space.slug), query.encoded())
        .named(messages::MARKET_PAGES, "listings");
    let title = if query.q.is_empty() {
        messages::TITLE_MARKET.to_owned()
    } else {
        messages::market_search_title(&query.q)
    };
    let currency = &member.space.currency_name;
    let view = MarketPage {
        layout: member.layout(pager.title(title)),
        slug: member.space.slug.clone(),
        kinds: ListingKind::filter_options(messages::OFFERS_AND_REQUESTS, query.kind),
        categories: std::iter::once(Choice::new(
            "",
            messages::ANY_CATEGORY,
            query.category.is_none(),
        ))
        .chain(
            categories
                .iter()
                .filter(|c| !c.retired)
                .map(|c| Choice::new(c.id.to_string(), &c.name, Some(c.id) == query.category)),
        )
        .collect(),
        sorts: MarketSort::default_options(query.sort, query.sort()),
        min: query.min_raw.clone(),
        max: query.max_raw.clone(),
        here: query.here,
        filtered: query.filtered(),
        cards: rows.iter().map(|r| card(r, currency)).collect(),
        price_hint: messages::price_range_hint(currency),
        pager,
        note: rows.first().map_or_else(SearchNote::default, |r| {
            SearchNote::new(&query.q, r.corrected.as_ref(), r.fallback.as_ref())
        }),
        q: query.q,
        errors: query.errors,
    };
    if view.errors.is_empty() {
        page(&view)
    } else {
        invalid(&view)
    }
}
