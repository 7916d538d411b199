//! The marketplace's and trades' words: titles, labels, validation, refusals, and what
//! a trade's held credits are doing.

pub const TITLE_MARKET: &str = "Marketplace";
pub const TITLE_NEW_LISTING: &str = "Post a listing";
pub const TITLE_MY_LISTINGS: &str = "Your listings";
pub const TITLE_TRADES: &str = "My trades";
pub const TITLE_PROPOSE: &str = "Propose a trade";
pub const EDIT_LISTING: &str = "Edit your listing";
pub const SAVE_LISTING: &str = "Save the listing";
pub const POST_LISTING: &str = "Post the listing";
pub const PAUSE: &str = "Pause";
pub const CLOSE: &str = "Close";
pub const REOPEN: &str = "Reopen";
pub const CHOOSE_STATUS: &str = "Choose open, paused or closed.";
pub const CHOOSE_LISTING_KIND: &str = "Choose offers or requests from the list";
pub const CHOOSE_OFFER_OR_REQUEST: &str = "Choose whether this is an offer or a request";
pub const CHOOSE_PRICE_MODE: &str = "Choose how it is priced: a fixed price or a price per hour";
pub const MAX_BELOW_MIN: &str = "The highest price must be at least the lowest";
pub const MARKET_PAGES: &str = "Marketplace pages";
pub const OFFERS_AND_REQUESTS: &str = "Offers and requests";
pub const ENTER_TERMS: &str =
    "Say what will be done, like \"A logo in two colours, with one round of changes\"";
pub const ENTER_NOTE: &str = "Say why, in a few words";
pub const ENTER_MESSAGE: &str = "Write your message";
pub const CHOOSE_STARS: &str = "Choose from 1 to 5 stars";
pub const DUE_DATE: &str = "Enter a due date from today on, like 2027-01-31, or leave it empty";
pub const CHOOSE_DIRECTION: &str = "Choose who does the work";
pub const KUDOS_NOT_YET: &str = "Kudos can be left once the trade is completed or resolved.";
pub const KUDOS_ALREADY: &str = "You have already left kudos for this trade.";
pub const MONEY_NOTHING_HELD: &str =
    "Nothing is held yet: the credits are held when the proposal is accepted.";
pub const MONEY_RESOLVED: &str = "An admin settled the held credits; the timeline says how.";
pub const UNKNOWN_ACTION: &str = "That is not something a trade can do.";
pub const NOTE: &str = "The note";
pub const MESSAGE: &str = "The message";

pub fn money_held(amount: &str) -> String {
    format!("{amount} held: the payer cannot spend it, and it is paid on confirmation.")
}

pub fn money_paid(amount: &str) -> String {
    format!("{amount} paid.")
}

pub fn money_returned(amount: &str) -> String {
    format!("{amount} was held and has gone back to the payer.")
}

pub fn trade_title(id: i64, description: &str) -> String {
    let short: String = description.chars().take(60).collect();
    format!("Trade #{id}: {short}")
}

pub fn they_do_the_work(name: &str) -> String {
    format!("{name} does something for me, and I pay")
}

pub fn i_do_the_work(name: &str) -> String {
    format!("I do something for {name}, and they pay")
}

pub fn offer_says(name: &str) -> String {
    format!("{name} offers this: they do the work, and you pay when you confirm it is done.")
}

pub fn request_says(name: &str) -> String {
    format!("{name} asked for this: you do the work, and they pay when they confirm it is done.")
}

pub fn propose_title(name: &str) -> String {
    format!("Propose a trade to {name}")
}

pub fn edit_listing_title(title: &str) -> String {
    format!("Edit the listing {title}")
}

pub fn listing_price_hint(currency: &str) -> String {
    format!("In {currency}: the whole price, or the price of one hour.")
}

pub fn amount_hint(currency: &str) -> String {
    format!("In {currency}, like 3 or 2.5.")
}

pub fn part_hint(currency: &str, held: &str) -> String {
    format!("In {currency}, less than the {held} held.")
}

pub fn market_search_title(query: &str) -> String {
    format!("Marketplace: {query}")
}

pub fn price_range_hint(currency: &str) -> String {
    format!("In {currency}, for the whole job.")
}

pub fn open_until(day: &str) -> String {
    format!("Open until the end of {day}")
}

pub fn closed_after(day: &str) -> String {
    format!("It closed at the end of {day}")
}

pub const ENTER_LISTING_TITLE: &str = "Enter a title, like \"Logo for your startup\"";
pub const DESCRIPTION: &str = "The description";
pub const ENTER_HOURS: &str = "Enter how many hours you expect it to take, like 2 or 1.5";
pub const TOTAL_TOO_LARGE: &str = "The price times the hours must come to at most 1,000,000";
pub const EXPIRY_DATE: &str =
    "Enter a date from today on, within five years, like 2027-03-31, or leave it empty";
pub const NO_TRADE_WITH_YOURSELF: &str = "You cannot trade with yourself.";
pub const LISTING_GONE: &str = "That listing is not here any more.";
pub const LISTING_NOT_OPEN: &str =
    "That listing is paused, closed or past its date, so it cannot be traded now.";
pub const TRADE_PARTY_NOT_ACTIVE: &str = "One of the members of this trade is not active in the space, so nothing can be done to it now.";
pub const COUNTER_NEEDS_TERMS: &str = "Give the terms you propose.";
pub const CHOOSE_RESOLUTION: &str = "Choose how to resolve the dispute.";
pub const NOTHING_HELD: &str = "No credits are held for this trade any more.";
pub const PART_WITHIN_HOLD: &str =
    "A part payment must be more than nothing and less than the amount held.";
pub const SUSPENDED_CANCELLED: &str =
    "A member of this trade was suspended, so the proposal was cancelled.";
pub const SUSPENDED_DISPUTED: &str = "A member of this trade was suspended. The credits stay held until an admin resolves the trade.";

/// Why credits could not be held at acceptance, to the member who tried.
pub fn payer_short_of_credit(i_pay: bool) -> String {
    if i_pay {
        "You do not have enough credit available to accept: the whole amount is held when you \
         accept. Earn or be granted more, or propose a smaller amount."
            .to_owned()
    } else {
        "The member who pays does not have enough credit available right now, so nothing was \
         held. Ask them to free some up, or propose a smaller amount."
            .to_owned()
    }
}
