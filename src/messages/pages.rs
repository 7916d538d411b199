//! Words of pages and forms that handlers choose: titles (each page has its own), labels,
//! hints and the notices of the account and joining pages.

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
pub const OUTBOX_PAGES: &str = "Outbox pages";
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
pub const TITLE_CHECK_GRANT: &str = "Check the grant";
pub const TITLE_DIRECTORY: &str = "Directory";
pub const TITLE_LEDGER: &str = "Ledger";
pub const TITLE_ADMIN: &str = "Admin";
pub const TITLE_APPLICATIONS: &str = "Applications";
pub const TITLE_INVITATIONS: &str = "Invitations";
pub const TITLE_OUTBOX: &str = "Outbox";
pub const RESET_LINK_SENT: &str = "If an account uses that address, we have sent it a link to reset the password. The link works for one hour. If nothing arrives, check your spam folder or try again.";
pub const CONFIRM_EMAIL_INTRO: &str = "This link proves that the address is yours. Choose the password you will sign in with, and you are in.";
pub const CONFIRM_LINK_NOT_VALID: &str = "It may have been used already, it may have expired, or a newer link may have been sent. If you have not chosen a password yet, ask for a password reset: that link confirms your address too.";
pub const ABOUT_YOU: &str = "About you";
pub const CATEGORY_NAME: &str = "The category's name";

pub fn send_amount_hint(currency: &str) -> String {
    format!("In {currency}, like 1.5 for one and a half.")
}

pub fn send_search_title(query: &str) -> String {
    format!("Send credits: {query}")
}

pub fn send_to_title(who: &str) -> String {
    format!("Send credits to {who}")
}

/// Where "available to spend" comes from, after "You have 30.00 hours available": "your
/// balance of 10.00 hours plus your credit line of 20.00 hours". Amounts come formatted;
/// `owed` is the balance's size when it is below zero.
pub fn available_breakdown(
    balance: &str,
    owed: bool,
    held: Option<&str>,
    credit_line: Option<&str>,
) -> String {
    let mut text = match (owed, credit_line) {
        (false, Some(line)) => format!("your balance of {balance} plus your credit line of {line}"),
        (false, None) => format!("your balance of {balance}; you have no credit line"),
        (true, Some(line)) => format!("your credit line of {line}, less the {balance} you owe"),
        (true, None) => format!("nothing: you owe {balance} and have no credit line"),
    };
    if let Some(held) = held {
        text.push_str(&format!(", less {held} held for trades"));
    }
    text
}

/// The space account's balance, and why it is normally below zero.
pub fn space_balance_explained(balance: &str, below_zero: bool) -> String {
    let why = if below_zero {
        "That is expected: grants come out of the space account and room bookings pay into \
         it, so it sits below zero by the credits the space has put into members' hands."
    } else {
        "It goes below zero as the space grants credits, and back up as members pay it for \
         room bookings."
    };
    format!(
        "The space account's balance is {balance}. {why} Every balance in the space, the \
         space account's included, adds up to zero."
    )
}

pub fn grant_amount_hint(currency: &str) -> String {
    format!("In {currency}, like 5 or 2.5.")
}

/// The hint under the space's address on its settings page; `url` is where it is now.
pub fn slug_hint(url: &str) -> String {
    format!(
        "The space's pages are at {url} now. Lower-case letters, digits and hyphens, up to 40. \
         After a change, links to the old address, in emails and bookmarks, keep working: they \
         lead to the new one."
    )
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

pub fn retire_category_title(name: &str) -> String {
    format!("Retire {name}?")
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

/// The title of one email of the outbox.
pub fn outbox_email_title(subject: &str) -> String {
    format!("Email: {subject}")
}
