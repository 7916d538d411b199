//! Validation messages, shown beside their fields in the GOV.UK style: say what to do.
//! The marketplace's and trades' own are in `trading`.

// Accounts, and any form.
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
pub const EMAIL_UNVERIFIED: &str = "Confirm your email address first, with the link we emailed you. Lost it? Use “Forgotten your password?”: that link confirms your address too.";
pub const UNREADABLE: &str = "This contains characters we could not read. Retype it";
pub const CHOOSE_ONE: &str = "Choose one of the options in the list";
pub const CHOOSE_OUTBOX_STATUS: &str = "Choose all, queued, sent or failed from the list";
pub const INVITE_INVALID: &str = "This invitation link has expired, been used or been withdrawn. Ask the space's admin for a new one";

pub fn too_long(what: &str, max: usize) -> String {
    format!("{what} must be {max} characters or fewer")
}

pub fn whole_number(what: &str, min: i64, max: i64) -> String {
    format!("{what} must be a whole number from {min} to {max}")
}

pub fn too_long_search(max: usize) -> String {
    format!("Search for at most {max} characters")
}

// Skills and categories.
pub const CHOOSE_CATEGORY: &str = "Choose a category from the list";
pub const CHOOSE_LEVEL: &str = "Choose a level from the list";
pub const CHOOSE_PRESENCE: &str = "Choose who to show from the list";
pub const CHOOSE_YOUR_PRESENCE: &str = "Choose your presence from the list";
pub const ENTER_CATEGORY: &str = "Enter the category's name";
pub const ENTER_CATEGORY_RENAME: &str = "Enter the category's new name";
pub const CATEGORY_TAKEN: &str = "A category with that name already exists";
pub const ENTER_SKILL: &str = "Enter the skill, like \"logo design\" or \"tax returns\"";
pub const DUPLICATE_SKILL: &str = "You already list a skill with that name";

// Credits, spaces and their admin.
pub const CHOOSE_MEMBER: &str = "Choose a member from the list";
pub const CHOOSE_ACTIVE_MEMBER: &str = "Choose an active member of this space";
pub const CHOOSE_KIND: &str = "Choose a kind from the list";
pub const CHOOSE_SIGNUP_MODE: &str = "Choose how people join the space";
pub const START_DATE: &str = "Enter the start date as a date from 2000 on, like 2026-11-01";
pub const END_DATE: &str = "Enter the end date as a date from 2000 on, like 2026-11-30";
pub const END_BEFORE_START: &str = "The end date must be on or after the start date";
pub const SAY_WHAT_GRANT_IS_FOR: &str = "Say what the grant is for";
pub const SAY_WHY_REVERSED: &str = "Say why this transfer is reversed";
pub const GRANT_FORM_REUSED: &str =
    "This grant form was already used for a different grant. Nothing more was granted.";
pub const FORM_REUSED: &str = "That form was already used.";

pub fn space_can_grant_at_most(available: &str) -> String {
    format!("That is more than the space account can grant: at most {available} now")
}

pub fn reversal_short_of_funds(who: &str) -> String {
    format!(
        "{who} no longer has enough available to give this back. Tick the override to take their account past its limit"
    )
}

pub const ENTER_SPACE_NAME: &str = "Enter the space's name";
pub const ENTER_SLUG: &str = "Enter the space's address, like harbour-works";
pub const SLUG_FORMAT: &str = "Use only lower-case letters, digits and hyphens for the address, with no hyphen first or last, like harbour-works";
pub const SLUG_TAKEN: &str = "That address is taken: choose another";
pub const ENTER_TIME_ZONE: &str = "Enter the space's time zone, like Europe/Lisbon";
pub const TIME_ZONE_UNKNOWN: &str =
    "Enter a time zone by its IANA name, like Europe/Lisbon or America/New_York";
pub const FORM_OUT_OF_DATE: &str = "This form is out of date. Check the details and send again";
pub const CHOOSE_RECIPIENT: &str = "Choose who to send credits to";
pub const CHOOSE_MEMBER_HERE: &str = "Choose a member of this space: search for them by name";
pub const NOT_TO_YOURSELF: &str = "You cannot send credits to yourself";
pub const OVER_LIMIT: &str =
    "That is over your limit: check your available balance and try a smaller amount";
pub const SEND_FORM_REUSED: &str = "This form was already used to send something different, so nothing more was sent. Open Send credits again to make a new payment.";

pub fn cannot_receive(who: &str) -> String {
    format!("{who} cannot receive credits while their membership is suspended")
}

pub fn over_send_limit(available: &str) -> String {
    format!("That is over your limit: you can send at most {available}")
}

// Fields as their forms label them, for messages that name them ("Your name must be…").
pub const LABEL_SKILL: &str = "Skill";
pub const LABEL_NOTE: &str = "Note";
pub const LABEL_REASON: &str = "The reason";
pub const LABEL_WHAT_FOR: &str = "What it is for";
pub const LABEL_INVITATION_NOTE: &str = "The note";
pub const LABEL_LINK_DAYS: &str = "Days the link stays valid";
pub const LABEL_SPACE_NAME: &str = "Space name";
pub const LABEL_SLUG: &str = "The address";
pub const LABEL_TIME_ZONE: &str = "Time zone";
pub const LABEL_AUTO_COMPLETE_DAYS: &str = "The days before a delivered trade completes itself";
pub const LABEL_KUDOS_NOTE: &str = "Your note";
pub const LABEL_TITLE: &str = "Title";
pub const LABEL_MEMO: &str = "Message";
pub const LABEL_YOUR_NAME: &str = "Your name";
pub const LABEL_HEADLINE: &str = "Headline";
pub const LABEL_EMAIL: &str = "Email address";
