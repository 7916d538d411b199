//! Page structs of reporting and moderating.

use askama::Template;

use crate::moderation::db::{Hidden, Report};
use crate::moderation::model::Thing;
use crate::web::form::Errors;
use crate::web::html::{Layout, capitalised, when};

/// A thing as the report form and the admin's page show it.
pub struct ThingView {
    pub subject: &'static str,
    pub id: i64,
    pub describe: String,
    pub owner: String,
    pub owner_id: i64,
    pub body_lines: Vec<String>,
    pub stars: i32,
    /// Where it is seen, after /s/{slug}.
    pub path: String,
    pub hidden_reason: String,
    pub hidden: bool,
    pub hideable: bool,
    pub is_member: bool,
}

impl From<&Thing> for ThingView {
    fn from(t: &Thing) -> Self {
        Self {
            subject: t.subject.as_str(),
            id: t.id,
            describe: t.describe(),
            owner: t.owner_name.clone(),
            owner_id: t.owner.0,
            body_lines: t.body.lines().map(str::to_owned).collect(),
            stars: t.stars.unwrap_or(0),
            path: t.path.clone(),
            hidden_reason: t.hidden_reason.clone().unwrap_or_default(),
            hidden: t.is_hidden(),
            hideable: t.subject.hideable(),
            is_member: t.subject == crate::moderation::model::Subject::Member,
        }
    }
}

#[derive(Template)]
#[template(path = "moderation/report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub slug: String,
    pub thing: ThingView,
    pub reason: String,
    pub errors: Errors,
}

/// One report, in the queue or on a thing's page.
pub struct ReportView {
    pub subject: &'static str,
    pub subject_id: i64,
    pub summary: String,
    pub excerpt: String,
    pub reporter: String,
    pub reason: String,
    pub when: String,
    pub open: bool,
    /// How it was closed: "Hidden by Maya on …: the note".
    pub outcome: String,
    pub outcome_note: String,
}

impl From<Report> for ReportView {
    fn from(r: Report) -> Self {
        let outcome = match (r.outcome, r.closed_at) {
            (Some(o), Some(at)) => format!(
                "{} by {} on {}",
                o.label(),
                r.closed_by.as_deref().unwrap_or("an admin"),
                when(at)
            ),
            _ => String::new(),
        };
        Self {
            subject: r.subject.as_str(),
            subject_id: r.subject_id,
            summary: capitalised(&r.summary),
            excerpt: crate::web::html::truncate(&r.excerpt, 300),
            reporter: r.reporter,
            reason: r.reason,
            when: when(r.created_at),
            open: r.closed_at.is_none(),
            outcome,
            outcome_note: r.outcome_note.unwrap_or_default(),
        }
    }
}

/// A hidden listing or kudos note, for the list of what is hidden now.
pub struct HiddenView {
    pub subject: &'static str,
    pub id: i64,
    pub describe: String,
    pub reason: String,
    pub when: String,
}

impl From<Hidden> for HiddenView {
    fn from(h: Hidden) -> Self {
        let describe = match h.subject {
            crate::moderation::model::Subject::Kudos => {
                crate::messages::reported_kudos(&h.owner, &h.title)
            }
            _ => crate::messages::reported_listing(&h.title),
        };
        Self {
            subject: h.subject.as_str(),
            id: h.id,
            describe: capitalised(&describe),
            reason: h.reason,
            when: when(h.hidden_at),
        }
    }
}

#[derive(Template)]
#[template(path = "moderation/queue.html")]
pub struct QueuePage {
    pub layout: Layout,
    pub slug: String,
    pub open: Vec<ReportView>,
    pub hidden: Vec<HiddenView>,
    pub closed: Vec<ReportView>,
}

#[derive(Template)]
#[template(path = "moderation/item.html")]
pub struct ItemPage {
    pub layout: Layout,
    pub slug: String,
    pub thing: ThingView,
    pub reports: Vec<ReportView>,
    pub has_open: bool,
    pub reason: String,
    /// What was done, when the reports close without hiding.
    pub note: String,
    pub note_label: &'static str,
    pub errors: Errors,
}
