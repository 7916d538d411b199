//! What members report and admins moderate (SPEC §6.3).

use crate::messages;
use crate::spaces::model::MembershipId;

/// The kinds of thing a member can report. Admins hide and restore listings and kudos
/// notes; a message or a member is dealt with otherwise (a word, a suspension), and the
/// report closed with what was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Subject {
    Listing,
    Kudos,
    Message,
    Member,
}

impl Subject {
    pub const ALL: [Subject; 4] = [
        Subject::Listing,
        Subject::Kudos,
        Subject::Message,
        Subject::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Listing => "listing",
            Subject::Kudos => "kudos",
            Subject::Message => "message",
            Subject::Member => "member",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether admins hide and restore it.
    pub fn hideable(self) -> bool {
        matches!(self, Subject::Listing | Subject::Kudos)
    }
}

/// How an admin closed a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Outcome {
    Hidden,
    Restored,
    NoAction,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Hidden => "Hidden",
            Outcome::Restored => "Restored",
            Outcome::NoAction => "Closed without hiding",
        }
    }
}

/// A reported or moderated thing, as the report form and the admin's page show it.
#[derive(Debug, Clone)]
pub struct Thing {
    pub subject: Subject,
    pub id: i64,
    /// Whose it is: a listing's owner, a kudos note's giver, a message's author, the member.
    pub owner: MembershipId,
    pub owner_name: String,
    /// Whether it is shown at all: its owner is active (for a kudos note, its receiver,
    /// on whose profile it is).
    pub owner_active: bool,
    /// A listing's title; the kudos' receiver; the message's trade; a member's headline.
    pub title: String,
    /// A listing's description, a kudos note, a message's text.
    pub body: String,
    pub stars: Option<i32>,
    /// Where it is seen, after `/s/{slug}`.
    pub path: String,
    /// Where its owner sees it (and why it is hidden): a kudos note on its trade's page.
    pub owner_path: String,
    pub hidden_reason: Option<String>,
    /// A message's trade's parties: only they can see (and report) it.
    pub parties: Option<(MembershipId, MembershipId)>,
}

impl Thing {
    /// What it is, as admins and reporters read it: "a listing: “A logo”".
    pub fn describe(&self) -> String {
        match self.subject {
            Subject::Listing => messages::reported_listing(&self.title),
            Subject::Kudos => messages::reported_kudos(&self.owner_name, &self.title),
            Subject::Message => messages::reported_message(&self.owner_name, &self.title),
            Subject::Member => messages::reported_member(&self.owner_name),
        }
    }

    /// What it is, as its owner reads it: "your listing “A logo”".
    pub fn describe_to_owner(&self) -> String {
        match self.subject {
            Subject::Kudos => messages::your_kudos(&self.title),
            _ => messages::your_listing(&self.title),
        }
    }

    pub fn is_hidden(&self) -> bool {
        self.hidden_reason.is_some()
    }

    /// Whether `who` can see it, and so report it: never their own.
    pub fn reportable_by(&self, who: MembershipId) -> bool {
        if self.owner == who || self.is_hidden() {
            return false;
        }
        match self.parties {
            Some((a, b)) => who == a || who == b,
            None => self.owner_active,
        }
    }
}
