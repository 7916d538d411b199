//! User-facing words that code chooses (SPEC §11.1): error pages, validation messages and
//! flash notices. Page copy lives in templates; everything here is ready for a catalogue.

use axum::http::StatusCode;

pub const NOT_FOUND: &str =
    "We could not find that page. It may have moved, or the link may be mistyped.";
pub const INTERNAL: &str =
    "Something went wrong on our side. Nothing was changed. Please try again in a moment.";
pub const PAYLOAD_TOO_LARGE: &str =
    "What you sent is larger than we accept. Shorten it and try again.";
pub const UNSUPPORTED_MEDIA_TYPE: &str =
    "We could not read that form. Use the form on the page to send it.";
pub const BAD_REQUEST: &str =
    "Part of that address or form could not be read. Check the link, or go back and try again.";
pub const METHOD_NOT_ALLOWED: &str =
    "That page cannot be used that way. Go back and use the page's own links and buttons.";
pub const TIMEOUT: &str =
    "That took too long, so we stopped. Nothing was changed. Please try again.";
pub const BUSY: &str =
    "We are very busy for a moment, so nothing was done. Please try again in a few seconds.";
pub const CSRF_FAILED: &str = "This form has expired or did not come from this site, so nothing was changed. Go back, reload the page and try again.";
pub const NOT_A_MEMBER: &str =
    "You are not a member of this space. Ask an admin for an invitation, or apply to join.";
pub const SUSPENDED: &str = "Your membership of this space is suspended. Talk to an admin of the space to have it reactivated.";
pub const PENDING: &str = "Your application to this space is waiting for an admin's approval.";
pub const ADMINS_ONLY: &str = "Only the space's admins can do that.";
pub const EMAIL_UNVERIFIED: &str = "Confirm your email address first, with the link we emailed you. Lost it? Use “Forgotten your password?”: that link confirms your address too.";

pub const CHOOSE_CATEGORY: &str = "Choose a category from the list";
pub const CHOOSE_LEVEL: &str = "Choose a level from the list";
pub const CHOOSE_PRESENCE: &str = "Choose who to show from the list";
pub const CHOOSE_YOUR_PRESENCE: &str = "Choose your presence from the list";
pub const ENTER_CATEGORY: &str = "Enter the category's name";
pub const ENTER_CATEGORY_RENAME: &str = "Enter the category's new name";
pub const CATEGORY_TAKEN: &str = "A category with that name already exists";
pub const ENTER_SKILL: &str = "Enter the skill, like \"logo design\" or \"tax returns\"";
pub const DUPLICATE_SKILL: &str = "You already list a skill with that name";

pub const CHOOSE_MEMBER: &str = "Choose a member from the list";
pub const CHOOSE_ACTIVE_MEMBER: &str = "Choose an active member of this space";
pub const CHOOSE_KIND: &str = "Choose a kind from the list";
pub const CHOOSE_ONE: &str = "Choose one of the options in the list";
pub const CHOOSE_OFFER_OR_REQUEST: &str = "Choose whether this is an offer or a request";
pub const CHOOSE_PRICE_MODE: &str = "Choose how it is priced: a fixed price or a price per hour";
pub const CHOOSE_SIGNUP_MODE: &str = "Choose how people join the space";
pub const START_DATE: &str = "Enter the start date as a date from 2000 on, like 2026-11-01";
pub const END_DATE: &str = "Enter the end date as a date from 2000 on, like 2026-11-30";
pub const END_BEFORE_START: &str = "The end date must be on or after the start date";
pub const SAY_WHAT_GRANT_IS_FOR: &str = "Say what the grant is for";
pub const SAY_WHY_REVERSED: &str = "Say why this transfer is reversed";
pub const GRANT_FORM_REUSED: &str =
    "This grant form was already used for a different grant. Nothing more was granted.";
pub const FORM_REUSED: &str = "That form was already used.";

pub fn reversal_short_of_funds(who: &str) -> String {
    format!(
        "{who} no longer has enough available to give this back. Tick the override to take their account past its limit"
    )
}

// Words of pages and forms that handlers choose.
pub const ENTER_SPACE_NAME: &str = "Enter the space's name";
pub const ENTER_TIME_ZONE: &str = "Enter the space's time zone, like Europe/Lisbon";
pub const TIME_ZONE_UNKNOWN: &str =
    "Enter a time zone by its IANA name, like Europe/Lisbon or America/New_York";
pub const FORM_OUT_OF_DATE: &str = "This form is out of date. Check the details and send again";
pub const CHOOSE_RECIPIENT: &str = "Choose who to send credits to";
pub const CHOOSE_MEMBER_HERE: &str = "Choose a member of this space from the list";
pub const NOT_TO_YOURSELF: &str = "You cannot send credits to yourself";
pub const OVER_LIMIT: &str =
    "That is over your limit: check your available balance and try a smaller amount";
pub const INVITE_ONLY: &str =
    "You can join this space through an invitation link from one of its admins. Ask them for one.";
pub const INVITATION_NOT_VALID: &str = "This invitation is not valid";
pub const GO_TO_START: &str = "Go to the start page";
pub const CHECK_YOUR_EMAIL: &str = "Check your email";
pub const BACK_TO_SIGN_IN: &str = "Back to sign in";
pub const LINK_NOT_VALID_TITLE: &str = "Link not valid";
pub const LINK_NOT_VALID: &str = "This link is not valid any more";
pub const RESET_LINK_NOT_VALID: &str =
    "It may have been used already, or it may have expired. You can ask for a new one.";
pub const ASK_FOR_RESET_LINK: &str = "Ask for a new password reset link";
pub const ASK_FOR_NEW_LINK: &str = "Ask for a new link";
pub const CHOOSE_NEW_PASSWORD: &str = "Choose a new password";
pub const SAVE_NEW_PASSWORD: &str = "Save my new password";
pub const CONFIRM_EMAIL_TITLE: &str = "Confirm your email address";
pub const CONFIRM_EMAIL_HEADING: &str = "Confirm your address and choose a password";
pub const CONFIRM_AND_SIGN_IN: &str = "Confirm and sign in";
pub const INVITATION_NOT_VALID_TITLE: &str = "Invitation not valid";
pub const CHOOSE_A_MEMBER: &str = "Choose a member";
pub const ANY_KIND: &str = "Any kind";
pub const ANY_CATEGORY: &str = "Any category";
pub const ANY_LEVEL: &str = "Any level";
pub const ANYONE: &str = "Anyone";
pub const STATEMENT_PAGES: &str = "Statement pages";
pub const TRANSFER_PAGES: &str = "Transfer pages";
pub const DIRECTORY_PAGES: &str = "Directory pages";
pub const TITLE_SETTINGS: &str = "Space settings";
pub const TITLE_SIGN_IN: &str = "Sign in";
pub const TITLE_ACCOUNT: &str = "Your account";
pub const TITLE_CREDITS: &str = "My credits";
pub const TITLE_SEND: &str = "Send credits";
pub const TITLE_CHECK_AND_SEND: &str = "Check and send";
pub const TITLE_PROFILE: &str = "Your profile";
pub const TITLE_SKILLS: &str = "Your skills";
pub const TITLE_LANDING: &str = "A barter marketplace for co-working spaces";
pub const TITLE_SPACES: &str = "Your spaces";
pub const TITLE_RESET: &str = "Reset your password";
pub const TITLE_CATEGORIES: &str = "Skill categories";
pub const TITLE_VERIFY: &str = "Verify the ledger";
pub const TITLE_GRANT: &str = "Grant credits";
pub const TITLE_LIMITS: &str = "Credit limits";
pub const TITLE_DIRECTORY: &str = "Directory";
pub const TITLE_LEDGER: &str = "Ledger";
pub const TITLE_ADMIN: &str = "Admin";
pub const TITLE_APPLICATIONS: &str = "Applications";
pub const TITLE_INVITATIONS: &str = "Invitations";

pub const SEND_FORM_REUSED: &str = "This form was already used to send something different, so nothing more was sent. Open Send credits again to make a new payment.";
pub const RESET_LINK_SENT: &str = "If an account uses that address, we have sent it a link to reset the password. The link works for one hour. If nothing arrives, check your spam folder or try again.";
pub const CONFIRM_EMAIL_INTRO: &str = "This link proves that the address is yours. Choose the password you will sign in with, and you are in.";
pub const CONFIRM_LINK_NOT_VALID: &str = "It may have been used already, it may have expired, or a newer link may have been sent. If you have not chosen a password yet, ask for a password reset: that link confirms your address too.";
pub const ABOUT_YOU: &str = "About you";
pub const CATEGORY_NAME: &str = "The category's name";

pub fn cannot_receive(who: &str) -> String {
    format!("{who} cannot receive credits while their membership is suspended")
}

pub fn send_amount_hint(currency: &str) -> String {
    format!("In {currency}, like 1.5 for one and a half.")
}

pub fn grant_amount_hint(currency: &str) -> String {
    format!("In {currency}, like 5 or 2.5.")
}

pub fn default_limit_hint(currency: &str) -> String {
    format!("In {currency}. Existing members keep theirs.")
}

pub fn joining_link_sent(email: &str, space: &str) -> String {
    format!(
        "We have sent a message to {email}. Open the link in it to confirm the address and \
         choose your password for {space}. If nothing arrives in a few minutes, check your spam \
         folder."
    )
}

pub fn join_title(space: &str) -> String {
    format!("Join {space}")
}

pub fn invited_title(space: &str) -> String {
    format!("Your invitation to {space}")
}

pub fn decline_title(who: &str) -> String {
    format!("Decline {who}")
}

pub fn edit_title(what: &str) -> String {
    format!("Edit {what}")
}

pub fn remove_title(what: &str) -> String {
    format!("Remove {what}")
}

/// Every transfer's reversal page has a title of its own.
pub fn reverse_title(amount: &str, from: &str, to: &str, when: &str) -> String {
    format!("Reverse {amount} from {from} to {to}, {when}")
}

pub fn directory_search_title(query: &str) -> String {
    format!("Directory: {query}")
}

pub fn over_send_limit(available: &str) -> String {
    format!("That is over your limit: you can send at most {available}")
}

// Trades and listings.
pub const TITLE_MARKET: &str = "Marketplace";
pub const TITLE_NEW_LISTING: &str = "Post a listing";
pub const TITLE_MY_LISTINGS: &str = "Your listings";
pub const TITLE_TRADES: &str = "My trades";
pub const TITLE_PROPOSE: &str = "Propose a trade";
pub const EDIT_LISTING: &str = "Edit your listing";
pub const SAVE_LISTING: &str = "Save the listing";
pub const POST_LISTING: &str = "Post the listing";
pub const PAUSE: &str = "Pause";
pub const CLOSE: &str = "Close";
pub const REOPEN: &str = "Reopen";
pub const CHOOSE_STATUS: &str = "Choose open, paused or closed.";
pub const CHOOSE_LISTING_KIND: &str = "Choose offers or requests from the list";
pub const MAX_BELOW_MIN: &str = "The highest price must be at least the lowest";
pub const MARKET_PAGES: &str = "Marketplace pages";
pub const OFFERS_AND_REQUESTS: &str = "Offers and requests";
pub const ENTER_TERMS: &str =
    "Say what will be done, like \"A logo in two colours, with one round of changes\"";
pub const ENTER_NOTE: &str = "Say why, in a few words";
pub const ENTER_MESSAGE: &str = "Write your message";
pub const CHOOSE_STARS: &str = "Choose from 1 to 5 stars";
pub const DUE_DATE: &str = "Enter a due date from today on, like 2027-01-31, or leave it empty";
pub const CHOOSE_DIRECTION: &str = "Choose who does the work";
pub const KUDOS_NOT_YET: &str = "Kudos can be left once the trade is completed or resolved.";
pub const KUDOS_ALREADY: &str = "You have already left kudos for this trade.";

pub const MONEY_NOTHING_HELD: &str =
    "Nothing is held yet: the credits are held when the proposal is accepted.";
pub const MONEY_RESOLVED: &str = "An admin settled the held credits; the timeline says how.";
pub const UNKNOWN_ACTION: &str = "That is not something a trade can do.";
pub const NOTE: &str = "The note";
pub const MESSAGE: &str = "The message";

pub fn money_held(amount: &str) -> String {
    format!("{amount} held: the payer cannot spend it, and it is paid on confirmation.")
}

pub fn money_paid(amount: &str) -> String {
    format!("{amount} paid.")
}

pub fn money_returned(amount: &str) -> String {
    format!("{amount} was held and has gone back to the payer.")
}

pub fn trade_title(id: i64, description: &str) -> String {
    let short: String = description.chars().take(60).collect();
    format!("Trade #{id}: {short}")
}

pub fn they_do_the_work(name: &str) -> String {
    format!("{name} does something for me, and I pay")
}

pub fn i_do_the_work(name: &str) -> String {
    format!("I do something for {name}, and they pay")
}

pub fn offer_says(name: &str) -> String {
    format!("{name} offers this: they do the work, and you pay when you confirm it is done.")
}

pub fn request_says(name: &str) -> String {
    format!("{name} asked for this: you do the work, and they pay when they confirm it is done.")
}

pub fn propose_title(name: &str) -> String {
    format!("Propose a trade to {name}")
}

pub fn edit_listing_title(title: &str) -> String {
    format!("Edit the listing {title}")
}

pub fn listing_price_hint(currency: &str) -> String {
    format!("In {currency}: the whole price, or the price of one hour.")
}

pub fn amount_hint(currency: &str) -> String {
    format!("In {currency}, like 3 or 2.5.")
}

pub fn part_hint(currency: &str, held: &str) -> String {
    format!("In {currency}, less than the {held} held.")
}

pub fn market_search_title(query: &str) -> String {
    format!("Marketplace: {query}")
}

pub fn price_range_hint(currency: &str) -> String {
    format!("In {currency}, for the whole job.")
}

pub fn open_until(day: &str) -> String {
    format!("Open until the end of {day}")
}

pub fn closed_after(day: &str) -> String {
    format!("It closed at the end of {day}")
}
pub const ENTER_LISTING_TITLE: &str = "Enter a title, like \"Logo for your startup\"";
pub const DESCRIPTION: &str = "The description";
pub const ENTER_HOURS: &str = "Enter how many hours you expect it to take, like 2 or 1.5";
pub const TOTAL_TOO_LARGE: &str = "The price times the hours must come to at most 1,000,000";
pub const EXPIRY_DATE: &str =
    "Enter a date from today on, within five years, like 2027-03-31, or leave it empty";
pub const NO_TRADE_WITH_YOURSELF: &str = "You cannot trade with yourself.";
pub const LISTING_GONE: &str = "That listing is not here any more.";
pub const LISTING_NOT_OPEN: &str =
    "That listing is paused, closed or past its date, so it cannot be traded now.";
pub const TRADE_PARTY_NOT_ACTIVE: &str = "One of the members of this trade is not active in the space, so nothing can be done to it now.";
pub const COUNTER_NEEDS_TERMS: &str = "Give the terms you propose.";
pub const CHOOSE_RESOLUTION: &str = "Choose how to resolve the dispute.";
pub const NOTHING_HELD: &str = "No credits are held for this trade any more.";
pub const PART_WITHIN_HOLD: &str =
    "A part payment must be more than nothing and less than the amount held.";
pub const SUSPENDED_CANCELLED: &str =
    "A member of this trade was suspended, so the proposal was cancelled.";
pub const SUSPENDED_DISPUTED: &str = "A member of this trade was suspended. The credits stay held until an admin resolves the trade.";

/// Why credits could not be held at acceptance, to the member who tried.
pub fn payer_short_of_credit(i_pay: bool) -> String {
    if i_pay {
        "You do not have enough credit available to accept: the whole amount is held when you \
         accept. Earn or be granted more, or propose a smaller amount."
            .to_owned()
    } else {
        "The member who pays does not have enough credit available right now, so nothing was \
         held. Ask them to free some up, or propose a smaller amount."
            .to_owned()
    }
}

pub fn too_long_search(max: usize) -> String {
    format!("Search for at most {max} characters")
}

pub fn too_many_requests(retry_after_secs: u64) -> String {
    let minutes = retry_after_secs.div_ceil(60).max(1);
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("Too many attempts. For your safety, please wait {minutes} {unit} and try again.")
}

/// Title and next step for each error page.
pub fn error_page(status: StatusCode) -> (&'static str, &'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "We could not understand that request",
            "/",
            "Go to the start page",
        ),
        403 => ("You cannot do that here", "/", "Go to the start page"),
        404 => ("Page not found", "/", "Go to the start page"),
        409 => (
            "That changed while you were working",
            "/",
            "Go to the start page",
        ),
        413 => ("That was too large", "/", "Go to the start page"),
        415 => ("We could not read that form", "/", "Go to the start page"),
        422 => (
            "Some of what you entered needs another look",
            "/",
            "Go to the start page",
        ),
        429 => ("Please slow down", "/", "Go to the start page"),
        503 => ("Busy for a moment", "/", "Go to the start page"),
        _ => ("Sorry, something went wrong", "/", "Go to the start page"),
    }
}

// Validation messages, in the GOV.UK style: say what to do.
pub const ENTER_EMAIL: &str = "Enter your email address";
pub const EMAIL_FORMAT: &str = "Enter an email address in the right format, like name@example.org";
pub const ENTER_NAME: &str = "Enter your name";
pub const ENTER_PASSWORD: &str = "Enter your password";
pub const PASSWORD_TOO_SHORT: &str = "Use at least 12 characters for your password";
pub const PASSWORD_TOO_LONG: &str = "Use at most 128 characters for your password";
pub const PASSWORD_COMMON: &str = "That password is too common and easy to guess. Choose another, such as three or four random words";
pub const PASSWORD_LIKE_ACCOUNT: &str = "Your password must not contain your email address or name";
pub const PASSWORDS_DIFFER: &str = "The two passwords do not match";
pub const CURRENT_PASSWORD_WRONG: &str = "Your current password is not right";
pub const SIGNIN_FAILED: &str =
    "That email address and password do not match an account. Check them and try again";
pub const UNREADABLE: &str = "This contains characters we could not read. Retype it";
pub const INVITE_INVALID: &str = "This invitation link has expired, been used or been withdrawn. Ask the space's admin for a new one";

pub fn too_long(what: &str, max: usize) -> String {
    format!("{what} must be {max} characters or fewer")
}

pub fn whole_number(what: &str, min: i64, max: i64) -> String {
    format!("{what} must be a whole number from {min} to {max}")
}

/// Notices shown once after a redirect, keyed by a short code kept in a cookie.
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "signed-in" => "You are signed in.",
        "signed-out" => "You are signed out.",
        "signed-out-everywhere" => "You are signed out on every device.",
        "password-changed" => "Your password is changed. Other devices have been signed out.",
        "password-reset" => "Your password is reset. Sign in with your new password.",
        "email-verified" => "Your email address is confirmed. Welcome!",
        "joined" => "Welcome to the space!",
        "applied" => "Thanks for applying. An admin will look at your application soon.",
        "approved" => "The application is approved.",
        "declined" => "The application is declined.",
        "invite-created" => "The invitation link is ready. Copy it now: it is shown only once.",
        "invite-revoked" => "The invitation is withdrawn.",
        "settings-saved" => "The space's settings are saved.",
        "profile-saved" => "Your profile is saved.",
        "checked-in" => "You are checked in as here today, until midnight.",
        "checked-out" => "You are no longer shown as here today.",
        "skill-added" => "The skill is on your profile.",
        "skill-saved" => "The skill is saved.",
        "skill-removed" => "The skill is removed from your profile.",
        "category-saved" => "The category is saved.",
        "credits-sent" => "Your credits are on their way: they are in the statement below.",
        "granted" => "The grant is made.",
        "limit-saved" => "The credit limit is saved.",
        "reversed" => "The transfer is reversed.",
        "listing-posted" => "Your listing is up in the marketplace.",
        "listing-saved" => "Your listing is saved.",
        "trade-proposed" => "Your proposal is sent. You will see the answer here.",
        "trade-updated" => "Done: the trade is updated.",
        "message-sent" => "Your message is in the thread.",
        "kudos-left" => "Thank you: your kudos are on their profile.",
        _ => return None,
    })
}
