//! Page structs for "My credits" and "Send credits".

use askama::Template;

use crate::ledger::chart::Chart;
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

#[derive(Template)]
#[template(path = "ledger/send.html")]
pub struct SendPage {
    pub layout: Layout,
    pub slug: String,
    pub members: Vec<Choice>,
    pub amount: String,
    pub memo: String,
    pub id: String,
    pub available: String,
    pub amount_hint: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "ledger/send_confirm.html")]
pub struct ConfirmSendPage {
    pub layout: Layout,
    pub slug: String,
    pub recipient_id: String,
    pub recipient_name: String,
    pub amount: String,
    pub amount_text: String,
    pub memo: String,
    pub id: String,
}
