//! The directory: who can help, found by words (typos forgiven) and filters, all in the URL.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use crate::members::avatar::Avatar;
use crate::members::model::Presence;
use crate::messages;
use crate::skills::db::{self, Search};
use crate::skills::model::{Category, CategoryId, DirectoryRow, DirectorySort, Level, Skill};
use crate::skills::views::{Card, DirectoryPage, SearchNote, SkillView};
use crate::web::error::AppResult;
use crate::web::extract::Member;
use crate::web::form::{Errors, FormData, encode_query};
use crate::web::html::{Choice, Choices, invalid, page};
use crate::web::pager::Pager;
use crate::web::search::{Words, read_words};
use crate::web::state::AppState;

const PAGE_SIZE: i64 = 20;
const CARD_SKILLS: usize = 4;
/// A directory search as the URL asks for it, checked against the space's categories.
pub struct DirectoryQuery {
    pub q: String,
    pub category: Option<CategoryId>,
    pub level: Option<Level>,
    pub presence: Option<Presence>,
    pub here: bool,
    /// None: the default (best match when searching, newest otherwise).
    pub sort: Option<DirectorySort>,
    pub page: i64,
    pub errors: Errors,
}

impl DirectoryQuery {
    pub fn parse(query: &str, categories: &[Category]) -> Self {
        let params = FormData::parse(query.as_bytes());
        let mut errors = params.errors();
        let q = read_words(&params, &mut errors);
        let category =
            Category::filter(params.text("category"), categories, &mut errors, "category");
        let level = optional_choice(&params, "level", &mut errors, messages::CHOOSE_LEVEL);
        let presence = optional_choice(&params, "presence", &mut errors, messages::CHOOSE_PRESENCE);
        Self {
            q,
            category,
            level,
            presence,
            here: params.get("here") == Some("1"),
            sort: DirectorySort::parse(params.text("sort")),
            page: Pager::requested(&params),
            errors,
        }
    }

    /// The sort in effect.
    pub fn sort(&self) -> DirectorySort {
        match self.sort {
            Some(sort) => sort,
            None if self.q.is_empty() => DirectorySort::Newest,
            None => DirectorySort::Relevance,
        }
    }

    pub fn filtered(&self) -> bool {
        !self.q.is_empty()
            || self.category.is_some()
            || self.level.is_some()
            || self.presence.is_some()
            || self.here
    }

    /// What the database is asked for page `page`.
    pub fn search(&self, page: i64) -> Search {
        let Words { query, typos } = Words::of(&self.q);
        Search {
            typos,
            query,
            category: self.category,
            level: self.level,
            presence: self.presence,
            here_today: self.here,
            sort: self.sort(),
            limit: PAGE_SIZE,
            offset: Pager::offset_of(page, PAGE_SIZE),
        }
    }

    /// The search and filters as a query string, for page links.
    pub fn encoded(&self) -> String {
        let category = self.category.map(|c| c.to_string()).unwrap_or_default();
        encode_query(&[
            ("q", &self.q),
            ("category", &category),
            ("level", self.level.map_or("", Level::as_str)),
            ("presence", self.presence.map_or("", Presence::as_str)),
            ("here", if self.here { "1" } else { "" }),
            ("sort", self.sort.map_or("", DirectorySort::as_str)),
        ])
    }
}

/// An optional filter: empty means any; anything else must be one of the choices.
fn optional_choice<T: Choices>(
    params: &FormData,
    field: &str,
    errors: &mut Errors,
    message: &str,
) -> Option<T> {
    match params.text(field) {
        "" => None,
        raw => {
            let found = T::parse(raw);
            if found.is_none() {
                errors.add(field, message);
            }
            found
        }
    }
}

/// A member as a directory card: avatar, headline, presence and their best skills.
pub fn card(row: &DirectoryRow, skills: &[Skill]) -> Card {
    let mine: Vec<&Skill> = skills
        .iter()
        .filter(|s| s.membership_id == row.membership_id)
        .collect();
    Card {
        membership_id: row.membership_id,
        avatar: Avatar::new(row.membership_id.0, &row.display_name),
        display_name: row.display_name.clone(),
        headline: row.headline.clone(),
        presence: row.presence.label(),
        presence_class: row.presence.css_class(),
        here_today: row.here_today,
        more_skills: mine.len().saturating_sub(CARD_SKILLS),
        skills: mine
            .into_iter()
            .take(CARD_SKILLS)
            .map(SkillView::from)
            .collect(),
        matched_skill: row.matched_skill.clone(),
    }
}

pub async fn directory(
    State(state): State<AppState>,
    member: Member,
    uri: Uri,
) -> AppResult<Response> {
    let space = member.space.id;
    let categories = db::categories(&state.db, space).await?;
    let query = DirectoryQuery::parse(uri.query().unwrap_or(""), &categories);
    let mut rows = db::directory(&state.db, space, &query.search(query.page)).await?;
    let mut total = rows.first().map_or(0, |r| r.total);
    if rows.is_empty() && query.page > 1 {
        // Past the end (a bookmark from a bigger result): show the last page instead.
        let mut count = query.search(1);
        count.limit = 1;
        total = db::directory(&state.db, space, &count)
            .await?
            .first()
            .map_or(0, |r| r.total);
        let last = Pager::new(query.page, PAGE_SIZE, total).page;
        rows = db::directory(&state.db, space, &query.search(last)).await?;
    }
    let pager = Pager::new(query.page, PAGE_SIZE, total)
        .at(
            format!("/s/{}/directory", member.space.slug),
            query.encoded(),
        )
        .named(messages::DIRECTORY_PAGES, "members");
    let ids: Vec<_> = rows.iter().map(|r| r.membership_id).collect();
    let skills = db::skills_of(&state.db, space, &ids).await?;
    let title = if query.q.is_empty() {
        messages::TITLE_DIRECTORY.to_owned()
    } else {
        messages::directory_search_title(&query.q)
    };
    let view = DirectoryPage {
        layout: member.layout(pager.title(title)),
        slug: member.space.slug.clone(),
        categories: std::iter::once(Choice::new(
            "",
            messages::ANY_CATEGORY,
            query.category.is_none(),
        ))
        .chain(
            categories
                .iter()
                .filter(|c| !c.retired)
                .map(|c| Choice::new(c.id.to_string(), &c.name, Some(c.id) == query.category)),
        )
        .collect(),
        levels: Level::filter_options(messages::ANY_LEVEL, query.level),
        presences: Presence::filter_options(messages::ANYONE, query.presence),
        sorts: DirectorySort::default_options(query.sort, query.sort()),
        here: query.here,
        filtered: query.filtered(),
        cards: rows.iter().map(|r| card(r, &skills)).collect(),
        pager,
        note: rows.first().map_or_else(SearchNote::default, |r| {
            SearchNote::new(&query.q, r.corrected.as_ref(), r.fallback.as_ref())
        }),
        market_query: encode_query(&[("q", &query.q)]),
        q: query.q,
        errors: query.errors,
    };
    if view.errors.is_empty() {
        page(&view)
    } else {
        invalid(&view)
    }
}
