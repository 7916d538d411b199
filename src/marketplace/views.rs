//! Page structs for the marketplace and listings.

use askama::Template;

use crate::ledger::money::{format_amount, format_number};
use crate::marketplace::form::ListingInput;
use crate::marketplace::model::{ListingId, PriceMode};
use crate::members::avatar::Avatar;
use crate::skills::views::SearchNote;
use crate::spaces::model::MembershipId;
use crate::web::form::Errors;
use crate::web::html::{Choice, Layout};
use crate::web::pager::Pager;

/// A price in words: "6.00 hours", or "12.00 hours (4.00 hours an hour, about 3 hours)".
pub fn price_text(mode: PriceMode, price: i64, hours: Option<i32>, currency: &str) -> String {
    match (mode, hours) {
        (PriceMode::Hourly, Some(h)) => {
            let total = crate::marketplace::model::total_price(mode, price, Some(h));
            format!(
                "{} ({} an hour, about {} hours)",
                format_amount(total, currency),
                format_amount(price, currency),
                format_number(i64::from(h))
            )
        }
        _ => format_amount(price, currency),
    }
}

pub struct ListingCard {
    pub id: ListingId,
    pub kind: &'static str,
    pub kind_class: &'static str,
    pub title: String,
    pub category: String,
    pub owner_id: MembershipId,
    pub owner: String,
    pub price: String,
    pub here_today: bool,
}

#[derive(Template)]
#[template(path = "marketplace/search.html")]
pub struct MarketPage {
    pub layout: Layout,
    pub slug: String,
    pub q: String,
    pub kinds: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub sorts: Vec<Choice>,
    pub min: String,
    pub max: String,
    pub price_hint: String,
    pub here: bool,
    pub filtered: bool,
    pub cards: Vec<ListingCard>,
    pub pager: Pager,
    pub note: SearchNote,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "marketplace/listing.html")]
pub struct ListingPage {
    pub layout: Layout,
    pub slug: String,
    pub id: ListingId,
    pub kind: &'static str,
    pub kind_class: &'static str,
    pub is_offer: bool,
    pub title: String,
    /// The description split into lines, so line breaks show without any HTML.
    pub description_lines: Vec<String>,
    pub category: String,
    pub price: String,
    pub status: &'static str,
    pub is_open: bool,
    pub expires: String,
    pub owner_id: MembershipId,
    pub owner: String,
    pub owner_headline: String,
    pub avatar: Avatar,
    pub is_mine: bool,
    pub is_admin: bool,
    /// Why an admin hid it; shown to its owner and the admins, the only ones who see it.
    pub hidden_reason: String,
}

#[derive(Template)]
#[template(path = "marketplace/form.html")]
pub struct ListingFormPage {
    pub layout: Layout,
    pub slug: String,
    /// Where the form posts: a new listing, or this one's edit.
    pub action: String,
    pub heading: &'static str,
    pub button: &'static str,
    pub kinds: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub modes: Vec<Choice>,
    pub input: ListingInput,
    /// "In hours: the whole price, or the price of one hour."
    pub price_hint: String,
    pub errors: Errors,
}

/// One of the member's own listings, with what they can do to it.
pub struct OwnListing {
    pub id: ListingId,
    pub kind: &'static str,
    pub title: String,
    pub price: String,
    pub status: &'static str,
    /// The status changes on offer: (value, button words).
    pub moves: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "marketplace/mine.html")]
pub struct MyListingsPage {
    pub layout: Layout,
    pub slug: String,
    pub listings: Vec<OwnListing>,
}
