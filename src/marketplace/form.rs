//! The listing form, read and checked: every problem beside its field, the input kept.

use time::Date;

use crate::ledger::money::{MAX_AMOUNT, format_number, parse_amount};
use crate::marketplace::db::ListingFields;
use crate::marketplace::model::{Listing, ListingKind, PriceMode, total_price};
use crate::messages;
use crate::skills::model::{Category, CategoryId};
use crate::web::form::{Errors, FormData};

pub const TITLE_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 4000;

/// The form as typed, for refilling it.
#[derive(Debug, Clone, Default)]
pub struct ListingInput {
    pub kind: Option<ListingKind>,
    pub title: String,
    pub description: String,
    pub category: String,
    pub price_mode: Option<PriceMode>,
    pub price: String,
    pub hours: String,
    pub expires_on: String,
}

impl ListingInput {
    /// A listing's values, to edit it.
    pub fn of(l: &Listing) -> Self {
        Self {
            kind: Some(l.kind),
            title: l.title.clone(),
            description: l.description.clone(),
            category: l.category_id.to_string(),
            price_mode: Some(l.price_mode),
            price: format_number(l.price),
            hours: l
                .hours_estimate
                .map(|h| format_number(i64::from(h)))
                .unwrap_or_default(),
            expires_on: l.expires_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

pub use crate::web::form::parse_date;

/// Reads a listing form against the space's categories (`keep`: the listing's own, which
/// may have been retired since) and `today` in the space's time zone.
pub fn read(
    form: &FormData,
    categories: &[Category],
    keep: Option<CategoryId>,
    today: Date,
) -> (ListingInput, Result<ListingFields, Errors>) {
    let mut errors = form.errors();
    let kind: Option<ListingKind> = errors.choice(form, "kind");
    let title = errors.required(
        form,
        "title",
        messages::LABEL_TITLE,
        TITLE_MAX,
        messages::ENTER_LISTING_TITLE,
    );
    // Line breaks are kept; only the ends are trimmed.
    let description = form.text("description").trim().replace("\r\n", "\n");
    if description.chars().count() > DESCRIPTION_MAX {
        errors.add(
            "description",
            messages::too_long(messages::DESCRIPTION, DESCRIPTION_MAX),
        );
    }
    let category_raw = form.text("category").to_owned();
    let category = read_category(&category_raw, categories, keep, &mut errors);
    let price_mode: Option<PriceMode> = errors.choice(form, "price_mode");
    let price_raw = form.text("price").trim().to_owned();
    let price = parse_amount(&price_raw)
        .map_err(|e| errors.add("price", e.message()))
        .ok();
    let hours_raw = form.text("hours").trim().to_owned();
    let hours = match price_mode {
        Some(PriceMode::Hourly) => parse_amount(&hours_raw)
            .ok()
            .and_then(|h| i32::try_from(h).ok())
            .filter(|h| *h <= 100_000)
            .or_else(|| {
                errors.add("hours", messages::ENTER_HOURS);
                None
            }),
        _ => None,
    };
    // Each number may be fine while the whole is more than any trade can carry.
    if let (Some(mode), Some(p), Some(h)) = (price_mode, price, hours)
        && total_price(mode, p, Some(h)) > MAX_AMOUNT
    {
        errors.add("price", messages::TOTAL_TOO_LARGE);
    }
    let expires_raw = form.text("expires_on").trim().to_owned();
    let expires_on = read_expiry(&expires_raw, today, &mut errors);
    let input = ListingInput {
        kind,
        title: title.clone(),
        description: description.clone(),
        category: category_raw,
        price_mode,
        price: price_raw,
        hours: hours_raw,
        expires_on: expires_raw,
    };
    let fields = match (kind, category, price_mode, price, errors.is_empty()) {
        (Some(kind), Some(category), Some(price_mode), Some(price), true) => Ok(ListingFields {
            kind,
            title,
            description,
            category,
            price_mode,
            price,
            hours_estimate: hours,
            expires_on,
        }),
        _ => Err(errors),
    };
    (input, fields)
}

/// One of the space's categories, not retired unless it is the listing's own (`keep`).
fn read_category(
    raw: &str,
    categories: &[Category],
    keep: Option<CategoryId>,
    errors: &mut Errors,
) -> Option<CategoryId> {
    let found = raw.parse::<i64>().ok().map(CategoryId).filter(|id| {
        categories
            .iter()
            .any(|c| c.id == *id && (!c.retired || Some(*id) == keep))
    });
    if found.is_none() {
        errors.add("category", messages::CHOOSE_CATEGORY);
    }
    found
}

/// An optional last day, from today up to five years ahead.
fn read_expiry(raw: &str, today: Date, errors: &mut Errors) -> Option<Date> {
    if raw.is_empty() {
        return None;
    }
    match parse_date(raw) {
        Some(d) if d >= today && d.year() <= today.year() + 5 => Some(d),
        _ => {
            errors.add("expires_on", messages::EXPIRY_DATE);
            None
        }
    }
}
