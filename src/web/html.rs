//! Rendering pages: the layout data every page carries, and askama glue.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::messages;
use crate::spaces::model::{Membership, Role, Space};
use crate::web::assets;
use crate::web::error::AppResult;
use crate::web::session::RequestSession;

/// What base.html needs: the page title, who is signed in, the current space, a one-off
/// notice and the CSRF token for forms (the sign-out button among them).
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub css: &'static str,
    pub favicon: &'static str,
    pub person_name: Option<String>,
    pub space: Option<NavSpace>,
    /// The CSRF token, masked afresh for this response (`web::csrf`).
    pub csrf: String,
    /// A notice shown once: after a redirect (`Ctx::flash`), or set by the page itself.
    pub flash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NavSpace {
    pub slug: String,
    pub name: String,
    pub accent: String,
    pub is_admin: bool,
    /// Notifications not yet read, shown beside the inbox link.
    pub unread: i32,
}

impl NavSpace {
    pub fn new(space: &Space, membership: &Membership) -> Self {
        Self {
            slug: space.slug.clone(),
            name: space.name.clone(),
            accent: space.accent_colour.clone(),
            is_admin: membership.role == Role::Admin,
            unread: membership.unread,
        }
    }

    /// The inbox link's words: its accessible name says the count in full.
    pub fn inbox_label(&self) -> String {
        match self.unread {
            0 => "Inbox".to_owned(),
            1 => "Inbox, 1 unread".to_owned(),
            n => format!("Inbox, {n} unread"),
        }
    }

    /// The space's own pages in the header, as (path under `/s/{slug}`, label).
    pub fn links(&self) -> Vec<(&'static str, &'static str)> {
        let mut links = vec![
            ("", "Home"),
            ("/market", "Marketplace"),
            ("/trades", "Your trades"),
            ("/directory", "Directory"),
            ("/credits", "Credits"),
            ("/rooms", "Rooms"),
            ("/profile", "Your profile"),
        ];
        if self.is_admin {
            links.push(("/admin", "Admin"));
        }
        links
    }
}

impl Layout {
    pub fn new(title: impl Into<String>, session: &RequestSession) -> Self {
        Self {
            title: title.into(),
            css: assets::css_url(),
            favicon: assets::favicon_url(),
            person_name: session.person().map(|p| p.display_name),
            space: None,
            csrf: crate::web::csrf::mask(&session.csrf()),
            flash: session.take_flash().map(str::to_owned),
        }
    }

    pub fn in_space(mut self, space: NavSpace) -> Self {
        self.space = Some(space);
        self
    }

    /// For a page whose form needs the token that `ensure_csrf` just made.
    pub fn with_csrf(mut self, csrf: String) -> Self {
        self.csrf = crate::web::csrf::mask(&csrf);
        self
    }
}

/// An option of a `<select>` (or a radio button).
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// A value with a fixed set of choices (stored as text where it is stored): it knows its
/// own words and its list, so no form or page keeps a hand-made list of them.
pub trait Choices: Copy + PartialEq + Sized + 'static {
    /// Every choice, in the order forms offer them.
    const ALL: &'static [Self];

    /// The value as stored and as sent by a form.
    fn as_str(self) -> &'static str;

    /// The words a person reads.
    fn label(self) -> &'static str;

    /// What a form says when none of the choices was sent.
    const CHOOSE: &'static str = messages::CHOOSE_ONE;

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == text)
    }

    /// Every choice as options, with `selected` marked.
    fn options(selected: Option<Self>) -> Vec<Choice> {
        Self::ALL
            .iter()
            .map(|c| Choice::new(c.as_str(), c.label(), Some(*c) == selected))
            .collect()
    }

    /// "Any …" first (the empty value), then every choice: for filters.
    fn filter_options(any: &str, selected: Option<Self>) -> Vec<Choice> {
        std::iter::once(Choice::new("", any, selected.is_none()))
            .chain(Self::options(selected))
            .collect()
    }

    /// Every choice, where the default in effect (`default`, when nothing was `chosen`) is
    /// sent as the empty value: submitted untouched, the form keeps asking for the default,
    /// which may differ for the next request (a sort that follows the search).
    fn default_options(chosen: Option<Self>, default: Self) -> Vec<Choice> {
        let current = chosen.unwrap_or(default);
        Self::ALL
            .iter()
            .map(|&c| {
                let value = if chosen.is_none() && c == default {
                    ""
                } else {
                    c.as_str()
                };
                Choice::new(value, c.label(), c == current)
            })
            .collect()
    }
}

/// A moment as pages show it: "2026-11-30 14:05" (UTC).
pub fn when(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    at.format(&format).unwrap_or_default()
}

/// At most `n` characters, with an ellipsis when cut.
pub fn truncate(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(n.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The text with its first letter in upper case: "A listing: …" for a heading, from the
/// "a listing: …" of a sentence.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A moment on a space's own clock, as pages show it: "2026-11-30 14:05".
pub fn local_when(at: time::PrimitiveDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    at.format(&format).unwrap_or_default()
}

/// Renders a template as a 200 page.
pub fn page<T: Template>(template: &T) -> AppResult<Response> {
    Ok(Html(template.render()?).into_response())
}

/// Renders a form that needs another look: 422, errors beside fields, input kept, and a
/// title that starts with "Error:" so a screen reader says so first (as GOV.UK does).
pub fn invalid<T: Template>(template: &T) -> AppResult<Response> {
    let html = template.render()?.replacen("<title>", "<title>Error: ", 1);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
}

/// A page with a heading, a paragraph and a link onwards: "check your email", "this link
/// has expired", "this space is invite only".
#[derive(Template)]
#[template(path = "notice.html")]
pub struct NoticePage {
    pub layout: Layout,
    pub heading: String,
    pub body: String,
    pub link_href: String,
    pub link_label: String,
}

impl NoticePage {
    pub fn new(
        layout: Layout,
        heading: impl Into<String>,
        body: impl Into<String>,
        (link_href, link_label): (&str, &str),
    ) -> Self {
        Self {
            layout,
            heading: heading.into(),
            body: body.into(),
            link_href: link_href.to_owned(),
            link_label: link_label.to_owned(),
        }
    }

    /// The page with a status other than 200.
    pub fn respond(&self, status: StatusCode) -> AppResult<Response> {
        Ok((status, Html(self.render()?)).into_response())
    }
}
