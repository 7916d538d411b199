//! Small pure functions, checked without a database: what notification kinds read back
//! as, unsubscribe tokens, delivery states, search words and the CSRF exemptions.

use cookie::Key;
use swapdesk::notify::model::{Group, Kind, Mode};
use swapdesk::notify::outbox::{Delivery, MAX_ATTEMPTS};
use swapdesk::notify::unsubscribe::{Scope, Unsubscribe};
use swapdesk::spaces::model::MembershipId;
use swapdesk::web::routes::csrf_exempt;
use swapdesk::web::search::{MAX_QUERY, Words};
use time::{Duration, OffsetDateTime};

const TRADE_EVENTS: [&str; 17] = [
    "proposed",
    "countered",
    "accepted",
    "declined",
    "withdrawn",
    "delivered",
    "withdrew_from_work",
    "asked_to_cancel",
    "cancel_agreed",
    "cancel_refused",
    "disputed",
    "answered",
    "resolved",
    "completed",
    "auto_completed",
    "reversed",
    "suspended",
];

#[test]
fn every_notification_kind_reads_back_from_its_name_and_says_something() {
    let mut kinds: Vec<Kind> = TRADE_EVENTS
        .iter()
        .map(|e| Kind::trade(e).unwrap())
        .collect();
    kinds.extend([
        Kind::TradeReminder,
        Kind::Message,
        Kind::Kudos,
        Kind::CreditsGift,
        Kind::CreditsGrant,
        Kind::CreditsReversal,
        Kind::ListingExpiring,
        Kind::ListingExpired,
        Kind::MembershipApproved,
        Kind::AdminApplication,
        Kind::AdminDispute,
        Kind::AdminVerifyFailed,
        Kind::BookingConfirmed,
        Kind::BookingCancelled,
        Kind::BookingRefunded,
        Kind::AdminReport,
        Kind::ModerationHidden,
        Kind::ModerationRestored,
        Kind::ReportClosed,
        Kind::AdminLeaveRequest,
    ]);
    for kind in kinds {
        assert_eq!(Kind::parse(&kind.as_string()), Some(kind));
        let sentence = kind.sentence("Ana", "A logo", "hours");
        assert!(
            !sentence.is_empty() && !sentence.contains("{"),
            "{sentence}"
        );
    }
    assert_eq!(Kind::parse("trade_nonsense"), None);
    assert_eq!(
        Kind::trade("accept_refused"),
        None,
        "a refused acceptance tells nobody"
    );
}

#[test]
fn email_defaults_send_trades_and_messages_at_once_and_the_rest_by_digest() {
    assert_eq!(Group::Trades.default_mode(), Mode::Each);
    assert_eq!(Group::Messages.default_mode(), Mode::Each);
    for g in [Group::Kudos, Group::Credits, Group::Listings, Group::Admin] {
        assert_eq!(g.default_mode(), Mode::Digest);
    }
    assert_eq!(Group::Membership.default_mode(), Mode::None);
}

#[test]
fn an_unsubscribe_token_opens_until_it_expires_and_only_with_its_key() {
    let key = Key::generate();
    let now = OffsetDateTime::now_utc();
    let link = Unsubscribe {
        membership: MembershipId(7),
        scope: Scope::Group(Group::Kudos),
        // Tokens carry whole seconds.
        expires: (now + Duration::days(1)).replace_nanosecond(0).unwrap(),
    };
    let token = link.token(&key);
    assert_eq!(Unsubscribe::open(&key, &token, now), Some(link));
    assert_eq!(
        Unsubscribe::open(&key, &token, now + Duration::days(2)),
        None
    );
    assert_eq!(Unsubscribe::open(&Key::generate(), &token, now), None);
    assert_eq!(Unsubscribe::open(&key, "not-a-token", now), None);
}

#[test]
fn an_email_is_sent_given_up_failed_or_queued_in_that_order() {
    assert_eq!(Delivery::of(true, 12, true), Delivery::Sent);
    assert_eq!(Delivery::of(false, MAX_ATTEMPTS, false), Delivery::GaveUp);
    assert_eq!(Delivery::of(false, 3, true), Delivery::Failed);
    assert_eq!(Delivery::of(false, 1, false), Delivery::Queued);
    assert!(Delivery::GaveUp.retryable() && !Delivery::Sent.retryable());
}

#[test]
fn quotes_and_exclusions_turn_typos_off_and_overlong_words_search_nothing() {
    assert!(Words::of("logo desgin").typos);
    assert!(!Words::of("\"logo design\"").typos);
    assert!(!Words::of("logo -print").typos);
    assert!(!Words::of("").typos);
    assert_eq!(Words::of(&"a".repeat(MAX_QUERY + 1)).query, "");
}

#[test]
fn only_the_one_click_unsubscribe_is_exempt_from_csrf() {
    assert!(csrf_exempt("/unsubscribe/abc"));
    assert!(!csrf_exempt("/unsubscribe/abc/more"));
    assert!(!csrf_exempt("/unsubscribe/"));
    assert!(!csrf_exempt("/s/harbour/inbox/read"));
}
