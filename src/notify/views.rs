//! Page and email structs for notifications.

use askama::Template;

use crate::notify::EmailSubject;
use crate::notify::model::Group;
use crate::web::form::Errors;
use crate::web::html::{Choice, Layout};
use crate::web::pager::Pager;

/// One inbox line, ready to show.
#[derive(Debug, Clone)]
pub struct EntryView {
    pub id: i64,
    pub sentence: String,
    pub href: String,
    pub at: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "notify/inbox.html")]
pub struct InboxPage {
    pub layout: Layout,
    pub slug: String,
    pub unread: i32,
    pub entries: Vec<EntryView>,
    pub pager: Pager,
}

/// One group on the email page, with its three choices.
#[derive(Debug, Clone)]
pub struct ChoiceRow {
    pub name: &'static str,
    pub label: &'static str,
    pub modes: Vec<Choice>,
}

impl ChoiceRow {
    pub fn new(group: Group, modes: Vec<Choice>) -> Self {
        Self {
            name: group.as_str(),
            label: group.label(),
            modes,
        }
    }
}

#[derive(Template)]
#[template(path = "notify/email_choices.html")]
pub struct EmailChoicesPage {
    pub layout: Layout,
    pub slug: String,
    pub rows: Vec<ChoiceRow>,
    pub errors: Errors,
}

/// One notification by email, as its member chose for its group.
#[derive(Template)]
#[template(path = "email/notification.txt")]
pub struct NotificationEmail {
    pub display_name: String,
    pub space_name: String,
    pub sentence: String,
    pub link: String,
    pub choices_link: String,
    pub unsubscribe_link: String,
    pub group: &'static str,
}

impl EmailSubject for NotificationEmail {
    fn subject(&self) -> String {
        format!("{} · {}", self.sentence, self.space_name)
    }
}

/// A line of the daily digest.
#[derive(Debug, Clone)]
pub struct DigestLine {
    pub at: String,
    pub sentence: String,
    pub link: String,
}

/// The digest's lines of one group.
#[derive(Debug, Clone)]
pub struct DigestGroup {
    pub heading: &'static str,
    pub lines: Vec<DigestLine>,
    pub unsubscribe_link: String,
}

#[derive(Template)]
#[template(path = "email/digest.txt")]
pub struct DigestEmail {
    pub display_name: String,
    pub space_name: String,
    pub count: usize,
    pub groups: Vec<DigestGroup>,
    pub inbox_link: String,
    pub choices_link: String,
}

impl EmailSubject for DigestEmail {
    fn subject(&self) -> String {
        match self.count {
            1 => format!("Your day at {}: 1 notification", self.space_name),
            n => format!("Your day at {}: {n} notifications", self.space_name),
        }
    }
}
