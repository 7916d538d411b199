//! What a file of people comes to (`preview`), and the import itself (`import`), each on
//! the caller's connection so the import and its audit record share one transaction.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use crate::admin::import::db;
use crate::admin::import::parse::{Problem, Row};
use crate::audit::Actor;
use crate::ledger::money::format_number;
use crate::messages;
use crate::notify;
use crate::spaces::invitations;
use crate::spaces::model::{Space, Status};
use crate::spaces::views::InvitationEmail;
use crate::web::html::capitalised;
use crate::web::session::{hash_token, random_token};

/// How long an imported invitation's link works.
pub const LINK_DAYS: i64 = 14;
/// The invitation's note in the admin's list holds at most this many characters.
const NOTE_MAX: usize = 200;

/// What happens to one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    Invite,
    /// A membership of the space exists already, with this status.
    AlreadyMember(Status),
    /// An earlier line of the file has the same address.
    Duplicate(u64),
    Invalid(Vec<Problem>),
}

impl Fate {
    pub fn label(&self) -> String {
        match self {
            Fate::Invite => messages::FATE_INVITE.to_owned(),
            Fate::AlreadyMember(_) => messages::FATE_MEMBER.to_owned(),
            Fate::Duplicate(line) => messages::fate_duplicate(*line),
            Fate::Invalid(_) => messages::FATE_INVALID.to_owned(),
        }
    }

    /// Why, for rows that are not invited: the problems, or the member's status.
    pub fn why(&self) -> String {
        match self {
            Fate::Invite | Fate::Duplicate(_) => String::new(),
            Fate::AlreadyMember(status) => status.label().to_owned(),
            Fate::Invalid(problems) => {
                let words: Vec<&str> = problems.iter().map(|p| p.message()).collect();
                capitalised(&words.join("; "))
            }
        }
    }

    pub fn is_invite(&self) -> bool {
        *self == Fate::Invite
    }

    /// A stable name for the audit record and the page's styling.
    pub fn kind(&self) -> &'static str {
        match self {
            Fate::Invite => "invite",
            Fate::AlreadyMember(_) => "member",
            Fate::Duplicate(_) => "duplicate",
            Fate::Invalid(_) => "invalid",
        }
    }
}

/// One row with its fate.
#[derive(Debug, Clone)]
pub struct Judged {
    pub row: Row,
    pub fate: Fate,
}

impl Judged {
    /// The limit as the page shows it: the number, or the space's default.
    pub fn limit(&self) -> String {
        match self.row.credit_limit {
            Some(limit) => format_number(limit),
            None if self.row.limit_text.is_empty() => messages::LIMIT_DEFAULT.to_owned(),
            None => self.row.limit_text.clone(),
        }
    }
}

/// A file's rows and what would happen to each, before anything is written.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    pub rows: Vec<Judged>,
}

/// How many rows came to each fate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub invite: usize,
    pub member: usize,
    pub duplicate: usize,
    pub invalid: usize,
}

impl Counts {
    pub fn skipped(&self) -> usize {
        self.member + self.duplicate + self.invalid
    }
}

impl Preview {
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for judged in &self.rows {
            *match judged.fate {
                Fate::Invite => &mut counts.invite,
                Fate::AlreadyMember(_) => &mut counts.member,
                Fate::Duplicate(_) => &mut counts.duplicate,
                Fate::Invalid(_) => &mut counts.invalid,
            } += 1;
        }
        counts
    }

    pub fn skipped(&self) -> impl Iterator<Item = &Judged> {
        self.rows.iter().filter(|j| !j.fate.is_invite())
    }

    /// A digest of who would be invited with what limit. The confirm step recomputes it
    /// from the file and the database: if it differs, what the admin saw is not what would
    /// happen, and nothing is sent.
    pub fn digest(&self) -> String {
        let mut hash = Sha256::new();
        for judged in self.rows.iter().filter(|j| j.fate.is_invite()) {
            let row = &judged.row;
            let limit = row.credit_limit.map(|l| l.to_string()).unwrap_or_default();
            for part in [&row.line.to_string(), &row.name, &row.email, &limit] {
                hash.update(part.as_bytes());
                hash.update([0]);
            }
        }
        URL_SAFE_NO_PAD.encode(hash.finalize())
    }
}

/// Judges every row: invalid on its own, a duplicate of an earlier valid line, already a
/// member of the space, or to be invited.
pub async fn preview(
    conn: &mut PgConnection,
    space: &Space,
    rows: Vec<Row>,
) -> sqlx::Result<Preview> {
    let emails: Vec<String> = rows
        .iter()
        .filter(|r| r.problems.is_empty())
        .map(Row::email_key)
        .collect();
    let members: HashMap<String, Status> = db::memberships_by_email(&mut *conn, space.id, &emails)
        .await?
        .into_iter()
        .collect();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let rows = rows
        .into_iter()
        .map(|row| {
            let key = row.email_key();
            let fate = if !row.problems.is_empty() {
                Fate::Invalid(row.problems.clone())
            } else if let Some(first) = first_line.get(&key) {
                Fate::Duplicate(*first)
            } else {
                first_line.insert(key.clone(), row.line);
                match members.get(&key) {
                    Some(status) => Fate::AlreadyMember(*status),
                    None => Fate::Invite,
                }
            };
            Judged { row, fate }
        })
        .collect();
    Ok(Preview { rows })
}

/// Who runs an import: the admin, named in the emails, and where from, for the audit log.
pub struct Importer<'a> {
    pub actor: Actor,
    pub name: &'a str,
    pub base_url: &'a str,
}

/// Invites every row the preview says to: one single-use invitation each, with the row's
/// credit limit, and its email; then one audit record with the counts.
pub async fn import(
    conn: &mut PgConnection,
    by: &Importer<'_>,
    space: &Space,
    preview: &Preview,
) -> anyhow::Result<Counts> {
    for judged in preview.rows.iter().filter(|j| j.fate.is_invite()) {
        let row = &judged.row;
        let token = random_token();
        let note: String = format!("{} <{}>", row.name, row.email)
            .chars()
            .take(NOTE_MAX)
            .collect();
        invitations::create_invitation(
            &mut *conn,
            space.id,
            &hash_token(&token),
            &note,
            by.actor.person,
            LINK_DAYS,
            row.credit_limit,
        )
        .await?;
        let email = InvitationEmail {
            name: row.name.clone(),
            inviter: by.name.to_owned(),
            space_name: space.name.clone(),
            link: format!("{}/invite/{token}", by.base_url),
            days: LINK_DAYS,
        };
        notify::send(&mut *conn, Some(space.id), &row.email, &email).await?;
    }
    let counts = preview.counts();
    let detail = json!({
        "invited": counts.invite,
        "already_members": counts.member,
        "duplicates": counts.duplicate,
        "invalid": counts.invalid,
        "rows": preview.rows.len(),
    });
    let subject = format!("space:{}", space.slug);
    by.actor
        .record(&mut *conn, "invitations.imported", &subject, detail)
        .await?;
    Ok(counts)
}
