//! What a member is told about (SPEC §7): the kinds of notification, the groups members
//! choose email for, and the sentence each kind reads as.

use crate::web::html::Choices;

/// The groups a member chooses email for, per space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Group {
    Trades,
    Messages,
    Kudos,
    Credits,
    Listings,
    Admin,
    /// Approval has its own account email, so it is never a choice.
    Membership,
}

impl Group {
    /// The groups on the preferences page; `Admin` only for admins.
    pub const CHOSEN: [Group; 6] = [
        Group::Trades,
        Group::Messages,
        Group::Kudos,
        Group::Credits,
        Group::Listings,
        Group::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Trades => "trades",
            Group::Messages => "messages",
            Group::Kudos => "kudos",
            Group::Credits => "credits",
            Group::Listings => "listings",
            Group::Admin => "admin",
            Group::Membership => "membership",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::CHOSEN.into_iter().find(|g| g.as_str() == raw)
    }

    /// The preferences page's words for the group.
    pub fn label(self) -> &'static str {
        match self {
            Group::Trades => "Your trades: proposals, answers, deliveries and payments",
            Group::Messages => "Messages in your trades",
            Group::Kudos => "Kudos you receive",
            Group::Credits => {
                "Credits you receive: gifts, grants and reversals; and your room bookings"
            }
            Group::Listings => {
                "Your listings about to expire or expired, and what an admin hides or shows again"
            }
            Group::Admin => "For admins: applications, disputes, reports and ledger checks",
            Group::Membership => "Your membership",
        }
    }

    /// What a member gets when they never chose.
    pub fn default_mode(self) -> Mode {
        match self {
            Group::Trades | Group::Messages => Mode::Each,
            Group::Membership => Mode::None,
            _ => Mode::Digest,
        }
    }
}

/// How a group's events reach a member by email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Mode {
    Each,
    Digest,
    None,
}

impl Choices for Mode {
    const ALL: &'static [Self] = &[Mode::Each, Mode::Digest, Mode::None];

    fn as_str(self) -> &'static str {
        match self {
            Mode::Each => "each",
            Mode::Digest => "digest",
            Mode::None => "none",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Mode::Each => "An email for each",
            Mode::Digest => "In the daily digest",
            Mode::None => "No email (the inbox still shows them)",
        }
    }
}

/// One kind of notification, as stored in `notifications.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A trade's timeline entry ("proposed", "accepted"...): `trade_<event>`.
    Trade(&'static str),
    /// A delivered trade completes by itself tomorrow.
    TradeReminder,
    Message,
    Kudos,
    CreditsGift,
    CreditsGrant,
    CreditsReversal,
    ListingExpiring,
    ListingExpired,
    MembershipApproved,
    AdminApplication,
    AdminDispute,
    AdminVerifyFailed,
    /// A member's room booking is made and paid.
    BookingConfirmed,
    /// An admin cancelled a member's free booking.
    BookingCancelled,
    /// A member's booking was cancelled by an admin and its price refunded.
    BookingRefunded,
    /// A member reported something (admins hear).
    AdminReport,
    /// An admin hid something of the member's, with a reason on its page.
    ModerationHidden,
    /// An admin showed it again.
    ModerationRestored,
    /// An admin closed the member's report.
    ReportClosed,
    /// A member asked to leave the space (admins hear).
    AdminLeaveRequest,
}

/// The trade events a party hears of, with how they read after the actor's name.
const TRADE_EVENTS: [(&str, &str); 17] = [
    ("proposed", "proposed a trade"),
    ("countered", "proposed other terms"),
    ("accepted", "accepted; the credits are held"),
    ("declined", "declined the trade"),
    ("withdrawn", "withdrew the proposal"),
    ("delivered", "marked the work delivered; please confirm it"),
    (
        "withdrew_from_work",
        "withdrew from the work; the credits went back",
    ),
    ("asked_to_cancel", "asked to cancel the trade"),
    ("cancel_agreed", "agreed to cancel; the credits went back"),
    ("cancel_refused", "turned down the request to cancel"),
    ("disputed", "opened a dispute"),
    ("answered", "answered the dispute"),
    ("resolved", "resolved the dispute"),
    ("completed", "confirmed the work; the credits were paid"),
    (
        "auto_completed",
        "completed after the waiting days; the credits were paid",
    ),
    ("reversed", "reversed the trade's payment"),
    ("suspended", "stopped the trade: a member was suspended"),
];

impl Kind {
    pub fn trade(event: &str) -> Option<Kind> {
        TRADE_EVENTS
            .iter()
            .find(|(name, _)| *name == event)
            .map(|(name, _)| Kind::Trade(name))
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        if let Some(event) = raw.strip_prefix("trade_") {
            return match event {
                "reminder" => Some(Kind::TradeReminder),
                _ => Kind::trade(event),
            };
        }
        Some(match raw {
            "message" => Kind::Message,
            "kudos" => Kind::Kudos,
            "credits_gift" => Kind::CreditsGift,
            "credits_grant" => Kind::CreditsGrant,
            "credits_reversal" => Kind::CreditsReversal,
            "listing_expiring" => Kind::ListingExpiring,
            "listing_expired" => Kind::ListingExpired,
            "membership_approved" => Kind::MembershipApproved,
            "admin_application" => Kind::AdminApplication,
            "admin_dispute" => Kind::AdminDispute,
            "admin_verify_failed" => Kind::AdminVerifyFailed,
            "booking_confirmed" => Kind::BookingConfirmed,
            "booking_cancelled" => Kind::BookingCancelled,
            "booking_refunded" => Kind::BookingRefunded,
            "admin_report" => Kind::AdminReport,
            "moderation_hidden" => Kind::ModerationHidden,
            "moderation_restored" => Kind::ModerationRestored,
            "report_closed" => Kind::ReportClosed,
            "admin_leave_request" => Kind::AdminLeaveRequest,
            _ => return None,
        })
    }

    pub fn as_string(self) -> String {
        match self {
            Kind::Trade(event) => format!("trade_{event}"),
            Kind::TradeReminder => "trade_reminder".to_owned(),
            Kind::Message => "message".to_owned(),
            Kind::Kudos => "kudos".to_owned(),
            Kind::CreditsGift => "credits_gift".to_owned(),
            Kind::CreditsGrant => "credits_grant".to_owned(),
            Kind::CreditsReversal => "credits_reversal".to_owned(),
            Kind::ListingExpiring => "listing_expiring".to_owned(),
            Kind::ListingExpired => "listing_expired".to_owned(),
            Kind::MembershipApproved => "membership_approved".to_owned(),
            Kind::AdminApplication => "admin_application".to_owned(),
            Kind::AdminDispute => "admin_dispute".to_owned(),
            Kind::AdminVerifyFailed => "admin_verify_failed".to_owned(),
            Kind::BookingConfirmed => "booking_confirmed".to_owned(),
            Kind::BookingCancelled => "booking_cancelled".to_owned(),
            Kind::BookingRefunded => "booking_refunded".to_owned(),
            Kind::AdminReport => "admin_report".to_owned(),
            Kind::ModerationHidden => "moderation_hidden".to_owned(),
            Kind::ModerationRestored => "moderation_restored".to_owned(),
            Kind::ReportClosed => "report_closed".to_owned(),
            Kind::AdminLeaveRequest => "admin_leave_request".to_owned(),
        }
    }

    pub fn group(self) -> Group {
        match self {
            Kind::Trade(_) | Kind::TradeReminder => Group::Trades,
            Kind::Message => Group::Messages,
            Kind::Kudos => Group::Kudos,
            Kind::CreditsGift | Kind::CreditsGrant | Kind::CreditsReversal => Group::Credits,
            // Room bookings move credits, so they go with the credits' emails.
            Kind::BookingConfirmed | Kind::BookingCancelled | Kind::BookingRefunded => {
                Group::Credits
            }
            Kind::ListingExpiring
            | Kind::ListingExpired
            | Kind::ModerationHidden
            | Kind::ModerationRestored => Group::Listings,
            // A closed report is told in the inbox only.
            Kind::MembershipApproved | Kind::ReportClosed => Group::Membership,
            Kind::AdminApplication
            | Kind::AdminDispute
            | Kind::AdminVerifyFailed
            | Kind::AdminReport
            | Kind::AdminLeaveRequest => Group::Admin,
        }
    }

    /// The sentence a notification reads as: `actor` is who did it ("" for the system),
    /// `about` its stored phrase, `currency` the space's unit of credits.
    pub fn sentence(self, actor: &str, about: &str, currency: &str) -> String {
        let who = if actor.is_empty() { "Someone" } else { actor };
        match self {
            Kind::Trade(event) => {
                let did = TRADE_EVENTS
                    .iter()
                    .find(|(name, _)| *name == event)
                    .map_or("changed the trade", |(_, words)| *words);
                if actor.is_empty() {
                    format!("Your trade “{about}”: {did}")
                } else {
                    format!("{who} {did}: “{about}”")
                }
            }
            Kind::TradeReminder => format!(
                "Your trade “{about}” completes by itself tomorrow, and the credits are paid"
            ),
            Kind::Message => format!("{who} wrote in your trade “{about}”"),
            Kind::Kudos => format!("{who} left you kudos for “{about}”"),
            Kind::CreditsGift => format!("{who} sent you {about} {currency}"),
            Kind::CreditsGrant => format!("An admin granted you {about} {currency}"),
            Kind::CreditsReversal => {
                format!("A payment was reversed: {about} {currency} came back to you")
            }
            Kind::ListingExpiring => format!("Your listing “{about}” expires in 3 days"),
            Kind::ListingExpired => format!("Your listing “{about}” has expired and is closed"),
            Kind::MembershipApproved => {
                format!("Welcome! Your application to join {about} is approved")
            }
            Kind::AdminApplication => {
                format!("{about} applied to join and confirmed their address")
            }
            Kind::AdminDispute => format!("{who} opened a dispute: “{about}”"),
            Kind::AdminVerifyFailed => "The ledger check found a problem: see Verify".to_owned(),
            Kind::BookingConfirmed => format!("Your room booking is confirmed: {about}"),
            Kind::BookingCancelled => format!("{who} cancelled your room booking: {about}"),
            Kind::BookingRefunded => {
                format!("{who} cancelled your room booking and refunded it in full: {about}")
            }
            Kind::AdminReport => format!("{who} reported {about}"),
            Kind::ModerationHidden => {
                format!("An admin hid {about}; its page says why")
            }
            Kind::ModerationRestored => format!("An admin showed {about} again"),
            Kind::ReportClosed => format!("An admin closed your report of {about}. Thank you"),
            Kind::AdminLeaveRequest => {
                format!("{who} asked to leave the space; confirm it on their page")
            }
        }
    }
}
