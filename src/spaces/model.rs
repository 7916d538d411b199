//! Spaces (tenants) and memberships (SPEC §1).

use serde::{Deserialize, Serialize};

use crate::auth::model::PersonId;
use crate::messages;
use crate::web::html::Choices;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct SpaceId(pub i64);

impl std::fmt::Display for SpaceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct MembershipId(pub i64);

impl std::fmt::Display for MembershipId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct InvitationId(pub i64);

impl std::fmt::Display for InvitationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An invitation link in the admin's list.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: InvitationId,
    pub note: String,
    pub created_on: String,
    pub expires_on: String,
    pub state: InvitationState,
}

/// Where an invitation link stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvitationState {
    Open,
    /// Used, by this person.
    Used(String),
    Expired,
    Withdrawn,
}

impl InvitationState {
    pub fn label(&self) -> String {
        match self {
            InvitationState::Open => "open".to_owned(),
            InvitationState::Used(name) => format!("used by {name}"),
            InvitationState::Expired => "expired".to_owned(),
            InvitationState::Withdrawn => "withdrawn".to_owned(),
        }
    }

    pub fn is_open(&self) -> bool {
        *self == InvitationState::Open
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Role {
    Member,
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Status {
    Pending,
    Active,
    Suspended,
    /// Left the space: their balance settled and their ledger account closed. The row stays
    /// for the history that names it.
    Left,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum SignupMode {
    Open,
    Approval,
    Invite,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Member => "Member",
            Role::Admin => "Admin",
        }
    }
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "Waiting for approval",
            Status::Active => "Active",
            Status::Suspended => "Suspended",
            Status::Left => "Left the space",
        }
    }
}

impl Choices for SignupMode {
    const ALL: &'static [SignupMode] =
        &[SignupMode::Open, SignupMode::Approval, SignupMode::Invite];
    const CHOOSE: &'static str = messages::CHOOSE_SIGNUP_MODE;

    fn as_str(self) -> &'static str {
        match self {
            SignupMode::Open => "open",
            SignupMode::Approval => "approval",
            SignupMode::Invite => "invite",
        }
    }

    fn label(self) -> &'static str {
        match self {
            SignupMode::Open => "Open: anyone can join at once",
            SignupMode::Approval => "Approval: anyone can apply, an admin approves",
            SignupMode::Invite => "Invite only: people join through an admin's invitation link",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Space {
    pub id: SpaceId,
    pub slug: String,
    pub name: String,
    pub signup_mode: SignupMode,
    pub currency_name: String,
    pub accent_colour: String,
}

/// A person's membership of a space, as the request sees it.
#[derive(Debug, Clone)]
pub struct Membership {
    pub id: MembershipId,
    pub person_id: PersonId,
    pub role: Role,
    pub status: Status,
    /// Notifications not yet read: a counter kept with each notification and each read.
    pub unread: i32,
}

/// A line in a list of spaces a person belongs to.
#[derive(Debug, Clone)]
pub struct SpaceChoice {
    pub slug: String,
    pub name: String,
    pub role: Role,
    pub status: Status,
}

/// A pending application, for the admin's list.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub membership_id: MembershipId,
    pub display_name: String,
    pub email: String,
    /// The applicant followed the link mailed to the address.
    pub email_confirmed: bool,
    pub applied_on: String,
}

pub fn valid_slug(slug: &str) -> bool {
    let len = slug.len();
    (1..=40).contains(&len)
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}
