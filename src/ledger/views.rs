//! Page structs for "My credits" and "Send credits".

use askama::Template;

use crate::ledger::chart::Chart;
use crate::ledger::money::format_amount;
use crate::members::avatar::Avatar;
use crate::messages;
use crate::web::form::Errors;
use crate::web::html::{Choice, Layout};
use crate::web::pager::Pager;

/// One line of a statement, ready to show.
pub struct LineView {
    pub date: String,
    pub what: String,
    pub with: String,
    pub memo: String,
    /// Signed and formatted; empty when the line only moved a hold.
    pub amount: String,
    pub incoming: bool,
    pub hold_note: String,
    pub balance: String,
}

#[derive(Template)]
#[template(path = "ledger/credits.html")]
pub struct CreditsPage {
    pub layout: Layout,
    pub slug: String,
    pub balance: String,
    pub held: String,
    pub incoming: String,
    pub available: String,
    /// Where `available` comes from, as a sentence.
    pub available_breakdown: String,
    pub credit_limit: String,
    pub chart: Chart,
    pub lines: Vec<LineView>,
    pub from: String,
    pub to: String,
    pub kinds: Vec<Choice>,
    pub pager: Pager,
    /// The filter as a query string, for the CSV link.
    pub csv_query: String,
    pub errors: Errors,
}

/// Where an account's "available to spend" comes from, in words: "your balance of 16.00
/// hours plus your credit line of 20.00 hours".
pub fn available_breakdown(balance: i64, held: i64, credit_limit: i64, currency: &str) -> String {
    let held = (held > 0).then(|| format_amount(held, currency));
    let line = (credit_limit > 0).then(|| format_amount(credit_limit, currency));
    messages::available_breakdown(
        &format_amount(balance.abs(), currency),
        balance < 0,
        held.as_deref(),
        line.as_deref(),
    )
}

/// The same words to start a sentence: "Your balance of …".
pub fn sentence(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A member one could pay, with what tells them apart from a namesake.
pub struct RecipientView {
    pub id: String,
    pub name: String,
    pub headline: String,
    pub avatar: Avatar,
    /// The send form with this member chosen and the rest of the draft kept.
    pub href: String,
}

/// "Send credits": first whom (a search by name), then how much. `recipient` is set once
/// a member is chosen; until then the page searches.
#[derive(Template)]
#[template(path = "ledger/send.html")]
pub struct SendPage {
    pub layout: Layout,
    pub slug: String,
    pub available: String,
    pub available_breakdown: String,
    /// Whether anyone else could be paid at all.
    pub anyone: bool,
    pub recipient: Option<RecipientView>,
    pub query: String,
    pub searched: bool,
    pub matches: Vec<RecipientView>,
    /// Matches past those listed.
    pub more: i64,
    pub amount: String,
    pub memo: String,
    pub id: String,
    /// The draft (amount, message, id) as a query string, kept across the search.
    pub draft: String,
    pub amount_hint: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "ledger/send_confirm.html")]
pub struct ConfirmSendPage {
    pub layout: Layout,
    pub slug: String,
    pub recipient: RecipientView,
    pub amount: String,
    pub amount_text: String,
    pub memo: String,
    pub id: String,
    /// The send form again, with every answer kept.
    pub change_href: String,
}
