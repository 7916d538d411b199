//! The words typed into a search box, read the same way by every search (the directory and
//! the marketplace): trimmed, bounded, and asked of the database with or without typos.

use crate::messages;
use crate::web::form::{Errors, FormData};

/// The longest search anyone can type; longer is refused with a message, not searched.
pub const MAX_QUERY: usize = 200;

/// Reads `q`, noting an error when it is too long.
pub fn read_words(params: &FormData, errors: &mut Errors) -> String {
    let q = params.text("q").trim().to_owned();
    if q.chars().count() > MAX_QUERY {
        errors.add("q", messages::too_long_search(MAX_QUERY));
    }
    q
}

/// What the database is asked for the words `q`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// The words, or nothing when they were too long to search.
    pub query: String,
    /// Whether near spellings count: a "quoted phrase" or an excluded -word asks for
    /// precision, so no fuzzy matching then.
    pub typos: bool,
}

impl Words {
    pub fn of(q: &str) -> Self {
        let query = if q.chars().count() > MAX_QUERY {
            String::new()
        } else {
            q.to_owned()
        };
        Self {
            typos: !query.is_empty()
                && !query.contains('"')
                && !query.split_whitespace().any(|w| w.starts_with('-')),
            query,
        }
    }
}
