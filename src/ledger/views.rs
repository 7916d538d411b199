//! Page structs for "My credits" and "Send credits".

use askama::Template;

use crate::ledger::chart::Chart;
use crate::web::form::Errors;
use crate::web::html::Layout;

/// An option of a <select>.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// "Any kind" and every transfer code, for filtering statements and transfer lists.
pub fn code_choices(selected: &str) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: "Any kind".to_owned(),
        selected: selected.is_empty(),
    })
    .chain(crate::ledger::model::Code::ALL.iter().map(|c| Choice {
        value: c.as_str().to_owned(),
        label: c.label().to_owned(),
        selected: selected == c.as_str(),
    }))
    .collect()
}

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
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// The filter as a query string, for page links and the CSV link.
    pub query: String,
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
