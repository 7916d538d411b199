//! Profiles (SPEC §2.1, §2.3).

use time::OffsetDateTime;

use crate::auth::model::PersonId;
use crate::spaces::model::{MembershipId, Status};

/// How open a member is to being asked for help right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Open,
    HeadsDown,
    Away,
}

impl Presence {
    pub const ALL: [Presence; 3] = [Presence::Open, Presence::HeadsDown, Presence::Away];

    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Open => "open",
            Presence::HeadsDown => "heads_down",
            Presence::Away => "away",
        }
    }

    pub fn parse(s: &str) -> Option<Presence> {
        Presence::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Presence::Open => "Open to collaborate",
            Presence::HeadsDown => "Heads-down",
            Presence::Away => "Away",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Presence::Open => "Happy to be asked for help",
            Presence::HeadsDown => "Around, but not taking requests right now",
            Presence::Away => "Not in the space for a while",
        }
    }

    /// Labels for a stored value; unknown values read as open.
    pub fn label_of(s: &str) -> &'static str {
        Presence::parse(s).unwrap_or(Presence::Open).label()
    }
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub membership_id: MembershipId,
    pub person_id: PersonId,
    pub display_name: String,
    pub headline: String,
    pub bio: String,
    pub presence: String,
    pub here_today: bool,
    pub kudos_count: i32,
    pub member_since: OffsetDateTime,
    pub status: Status,
}
