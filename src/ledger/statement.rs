//! A statement's filters, read from the query string (dates as YYYY-MM-DD, a kind, a page):
//! the member's statement, its CSV and the admin's transfer list share them.

use time::Date;

use crate::ledger::history::Filter;
use crate::ledger::model::Code;
use crate::messages;
use crate::web::form::{Errors, FormData};
use crate::web::html::Choices;
use crate::web::pager::Pager;

pub struct StatementQuery {
    pub filter: Filter,
    pub from: String,
    pub to: String,
    pub kind: Option<Code>,
    pub page: i64,
    pub errors: Errors,
}

/// A date as YYYY-MM-DD, within years a statement can sensibly cover.
fn parse_date(text: &str) -> Option<Date> {
    crate::web::form::parse_date(text).filter(|d| (2000..=2999).contains(&d.year()))
}

impl StatementQuery {
    pub fn parse(query: &str) -> Self {
        let form = FormData::parse(query.as_bytes());
        let mut errors = form.errors();
        let from = form.text("from").trim().to_owned();
        let to = form.text("to").trim().to_owned();
        let mut filter = Filter::default();
        if !from.is_empty() {
            match parse_date(&from) {
                Some(d) => filter.from = Some(d),
                None => errors.add("from", messages::START_DATE),
            }
        }
        if !to.is_empty() {
            match parse_date(&to) {
                // Up to the end of that day.
                Some(d) => filter.until = d.next_day(),
                None => errors.add("to", messages::END_DATE),
            }
        }
        if let (Some(a), Some(b)) = (filter.from, filter.until)
            && a >= b
        {
            errors.add("to", messages::END_BEFORE_START);
            filter.until = None;
        }
        let kind = match form.text("kind").trim() {
            "" => None,
            raw => {
                let found = Code::parse(raw);
                if found.is_none() {
                    errors.add("kind", messages::CHOOSE_KIND);
                }
                found
            }
        };
        filter.code = kind;
        StatementQuery {
            filter,
            from,
            to,
            kind,
            page: Pager::requested(&form),
            errors,
        }
    }

    /// The filters as a query string, for page links and the CSV link.
    pub fn encoded(&self) -> String {
        crate::web::form::encode_query(&[
            ("from", &self.from),
            ("to", &self.to),
            ("kind", self.kind.map_or("", Code::as_str)),
        ])
    }
}
