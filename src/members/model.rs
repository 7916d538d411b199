//! Profiles (SPEC §2.1, §2.3).

use time::OffsetDateTime;

use crate::auth::model::PersonId;
use crate::messages;
use crate::spaces::model::{MembershipId, Status};
use crate::web::html::Choices;

/// How open a member is to being asked for help right now (SPEC §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Presence {
    Open,
    HeadsDown,
    Away,
}

impl Choices for Presence {
    const ALL: &'static [Presence] = &[Presence::Open, Presence::HeadsDown, Presence::Away];
    const CHOOSE: &'static str = messages::CHOOSE_YOUR_PRESENCE;

    fn as_str(self) -> &'static str {
        match self {
            Presence::Open => "open",
            Presence::HeadsDown => "heads_down",
            Presence::Away => "away",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Presence::Open => "Open to collaborate",
            Presence::HeadsDown => "Heads-down",
            Presence::Away => "Away",
        }
    }
}

impl Presence {
    pub fn hint(self) -> &'static str {
        match self {
            Presence::Open => "Happy to be asked for help",
            Presence::HeadsDown => "Around, but not taking requests right now",
            Presence::Away => "Not in the space for a while",
        }
    }

    /// The CSS class that colours its badge.
    pub fn css_class(self) -> &'static str {
        match self {
            Presence::Open => "open",
            Presence::HeadsDown => "heads-down",
            Presence::Away => "away",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub membership_id: MembershipId,
    pub person_id: PersonId,
    pub display_name: String,
    pub headline: String,
    pub bio: String,
    pub presence: Presence,
    pub here_today: bool,
    pub kudos_count: i32,
    /// The sum of the stars of every kudos received (the average is this / the count).
    pub kudos_stars: i32,
    pub member_since: OffsetDateTime,
    pub status: Status,
}
