//! Listings (SPEC §3.1): offers and requests, their prices and states.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::messages;
use crate::skills::model::CategoryId;
use crate::spaces::model::MembershipId;
use crate::web::html::Choices;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct ListingId(pub i64);

impl std::fmt::Display for ListingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An offer ("I can do this") or a request ("I need this").
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum ListingKind {
    Offer,
    Request,
}

impl Choices for ListingKind {
    const ALL: &'static [ListingKind] = &[ListingKind::Offer, ListingKind::Request];
    const CHOOSE: &'static str = messages::CHOOSE_OFFER_OR_REQUEST;

    fn as_str(self) -> &'static str {
        match self {
            ListingKind::Offer => "offer",
            ListingKind::Request => "request",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ListingKind::Offer => "Offer: I can do this",
            ListingKind::Request => "Request: I need this",
        }
    }
}

impl ListingKind {
    /// The one word on a card: "Offer", "Request".
    pub fn tag(self) -> &'static str {
        match self {
            ListingKind::Offer => "Offer",
            ListingKind::Request => "Request",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum ListingStatus {
    Open,
    Paused,
    Closed,
}

impl Choices for ListingStatus {
    const ALL: &'static [ListingStatus] = &[
        ListingStatus::Open,
        ListingStatus::Paused,
        ListingStatus::Closed,
    ];

    fn as_str(self) -> &'static str {
        match self {
            ListingStatus::Open => "open",
            ListingStatus::Paused => "paused",
            ListingStatus::Closed => "closed",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ListingStatus::Open => "Open",
            ListingStatus::Paused => "Paused",
            ListingStatus::Closed => "Closed",
        }
    }
}

/// A fixed price for the whole thing, or a price per hour with an estimate of the hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum PriceMode {
    Fixed,
    Hourly,
}

impl Choices for PriceMode {
    const ALL: &'static [PriceMode] = &[PriceMode::Fixed, PriceMode::Hourly];
    const CHOOSE: &'static str = messages::CHOOSE_PRICE_MODE;

    fn as_str(self) -> &'static str {
        match self {
            PriceMode::Fixed => "fixed",
            PriceMode::Hourly => "hourly",
        }
    }

    fn label(self) -> &'static str {
        match self {
            PriceMode::Fixed => "A fixed price",
            PriceMode::Hourly => "A price per hour",
        }
    }
}

/// How the marketplace orders listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarketSort {
    Relevance,
    Newest,
    Price,
}

impl Choices for MarketSort {
    const ALL: &'static [MarketSort] =
        &[MarketSort::Relevance, MarketSort::Newest, MarketSort::Price];

    fn as_str(self) -> &'static str {
        match self {
            MarketSort::Relevance => "relevance",
            MarketSort::Newest => "newest",
            MarketSort::Price => "price",
        }
    }

    fn label(self) -> &'static str {
        match self {
            MarketSort::Relevance => "Best match",
            MarketSort::Newest => "Newest",
            MarketSort::Price => "Lowest price",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Listing {
    pub id: ListingId,
    pub membership_id: MembershipId,
    pub owner_name: String,
    pub owner_headline: String,
    pub kind: ListingKind,
    pub title: String,
    pub description: String,
    pub category_id: CategoryId,
    pub category: String,
    pub price_mode: PriceMode,
    pub price: i64,
    pub hours_estimate: Option<i32>,
    pub status: ListingStatus,
    pub expires_at: Option<OffsetDateTime>,
    /// The last day it is open, in the space's time zone.
    pub expires_on: Option<time::Date>,
    pub created_at: OffsetDateTime,
    /// Why an admin hid it (SPEC §6.3): then only its owner and the admins see it.
    pub hidden_reason: Option<String>,
}

impl Listing {
    /// Its status at `now`: past its date it is closed, even before the expiry job has run.
    pub fn status_at(&self, now: OffsetDateTime) -> ListingStatus {
        match self.expires_at {
            Some(at) if at <= now => ListingStatus::Closed,
            _ => self.status,
        }
    }

    /// The whole price: the fixed price, or the hourly price times the estimated hours.
    pub fn total_price(&self) -> i64 {
        total_price(self.price_mode, self.price, self.hours_estimate)
    }
}

/// The whole price of a listing, in hundredths (hours are in hundredths too).
pub fn total_price(mode: PriceMode, price: i64, hours: Option<i32>) -> i64 {
    match (mode, hours) {
        (PriceMode::Hourly, Some(h)) => price * i64::from(h) / 100,
        _ => price,
    }
}

/// A listing as the marketplace lists it.
#[derive(Debug, Clone)]
pub struct ListingRow {
    pub listing_id: ListingId,
    pub membership_id: MembershipId,
    pub display_name: String,
    pub kind: ListingKind,
    pub title: String,
    pub category: String,
    pub price_mode: PriceMode,
    pub price: i64,
    pub hours_estimate: Option<i32>,
    pub total_price: i64,
    pub created_at: OffsetDateTime,
    pub here_today: bool,
    pub rank: f32,
    pub total: i64,
    /// As on `DirectoryRow`: the same on every row.
    pub corrected: Option<String>,
    pub fallback: Option<Vec<String>>,
}
