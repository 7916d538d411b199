//! Pages of a long list: which page, how many, and the links between them, kept in the URL
//! with the list's filters. Every paged list shows them through `partials/pager.html`.

use crate::web::form::FormData;

/// The most pages anyone can ask for; past the end shows the last page.
const MAX_PAGE: i64 = 10_000;

#[derive(Debug, Clone)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    per_page: i64,
    /// The list's address with its filters, without `page`.
    path: String,
    query: String,
    /// Where on the page the list starts ("#statement"), or "".
    anchor: &'static str,
    /// The navigation's accessible name: "Directory pages".
    pub label: &'static str,
    /// What is counted: "members", "lines".
    pub noun: &'static str,
    /// One of them: "member", "line".
    one: &'static str,
    /// "Previous"/"Next", or "Newer"/"Older" for lists newest first.
    pub back_word: &'static str,
    pub on_word: &'static str,
}

impl Pager {
    /// The page asked for in a query string: 1 when missing or unreadable.
    pub fn requested(params: &FormData) -> i64 {
        params
            .text("page")
            .parse::<i64>()
            .unwrap_or(1)
            .clamp(1, MAX_PAGE)
    }

    /// Page `requested` of `total` items, `per_page` to a page; a page past the end is the
    /// last one.
    pub fn new(requested: i64, per_page: i64, total: i64) -> Self {
        let pages = ((total + per_page - 1) / per_page).max(1);
        Self {
            page: requested.clamp(1, pages),
            pages,
            total,
            per_page,
            path: String::new(),
            query: String::new(),
            anchor: "",
            label: "Pages",
            noun: "",
            one: "",
            back_word: "Previous",
            on_word: "Next",
        }
    }

    /// Where page `requested`'s items start, before the total is known.
    pub fn offset_of(requested: i64, per_page: i64) -> i64 {
        (requested.clamp(1, MAX_PAGE) - 1) * per_page
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// The list lives at `path` with filters `query` (encoded, without `page`).
    pub fn at(mut self, path: impl Into<String>, query: impl Into<String>) -> Self {
        self.path = path.into();
        self.query = query.into();
        self
    }

    /// Names the navigation and what it counts, a plural that ends in "s" ("lines").
    pub fn named(mut self, label: &'static str, noun: &'static str) -> Self {
        self.label = label;
        self.noun = noun;
        self.one = noun.strip_suffix('s').unwrap_or(noun);
        self
    }

    /// How many there are, in words: "1 line", "31 lines"; "" when nothing is counted.
    pub fn count(&self) -> String {
        match (self.noun, self.total) {
            ("", _) => String::new(),
            (_, 1) => format!("1 {}", self.one),
            (noun, n) => format!("{n} {noun}"),
        }
    }

    /// For lists that show the newest first: "Newer" and "Older", and where they start.
    pub fn newest_first(mut self, anchor: &'static str) -> Self {
        self.back_word = "Newer";
        self.on_word = "Older";
        self.anchor = anchor;
        self
    }

    fn href(&self, page: i64) -> String {
        let sep = if self.query.is_empty() { "" } else { "&" };
        format!(
            "{}?{}{sep}page={page}{}",
            self.path, self.query, self.anchor
        )
    }

    pub fn back_href(&self) -> Option<String> {
        (self.page > 1).then(|| self.href(self.page - 1))
    }

    pub fn on_href(&self) -> Option<String> {
        (self.page < self.pages).then(|| self.href(self.page + 1))
    }

    /// A page title of its own for every page: "Directory", "Directory, page 2".
    pub fn title(&self, base: impl Into<String>) -> String {
        let base = base.into();
        if self.page > 1 {
            format!("{base}, page {}", self.page)
        } else {
            base
        }
    }
}
