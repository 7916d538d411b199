//! Flash notices: shown once on the page after a redirect, chosen by a short key that the
//! session keeps in a cookie.

/// Notices shown once after a redirect, keyed by a short code kept in a cookie.
pub fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "signed-in" => "You are signed in.",
        "all-read" => "Every notification is marked read.",
        "member-suspended" => "Suspended. Their pages in this space close from their next click.",
        "member-reactivated" => "Reactivated. They can use this space again.",
        "role-changed" => "Their role is changed.",
        "member-unchanged" => "Nothing to change: it was already so.",
        "payment-recorded" => "The payment is recorded, with your name on it.",
        "marked-read" => "Marked read.",
        "email-choices-saved" => "Your email choices are saved.",
        "signed-out" => "You are signed out.",
        "signed-out-everywhere" => "You are signed out on every device.",
        "password-changed" => "Your password is changed. Other devices have been signed out.",
        "password-reset" => "Your password is reset. Sign in with your new password.",
        "email-verified" => "Your email address is confirmed. Welcome!",
        "joined" => "Welcome to the space!",
        "applied" => "Thanks for applying. An admin will look at your application soon.",
        "declined" => "The application is declined.",
        "invite-created" => "The invitation link is ready. Copy it now: it is shown only once.",
        "invite-revoked" => "The invitation is withdrawn.",
        "settings-saved" => "The space's settings are saved.",
        "email-changed" => "Your email address is changed. Sign in with the new one from now on.",
        "profile-saved" => "Your profile is saved.",
        "checked-in" => "You are checked in as here today, until midnight.",
        "checked-out" => "You are no longer shown as here today.",
        "skill-added" => "The skill is on your profile.",
        "skill-saved" => "The skill is saved.",
        "skill-removed" => "The skill is removed from your profile.",
        "category-saved" => "The category is saved.",
        "credits-sent" => "Your credits are on their way: they are in the statement below.",
        "reversed" => "The transfer is reversed.",
        "email-retried" => "The email is back in the queue: it will be tried again in a moment.",
        "email-not-retried" => {
            "Nothing to retry: this email has not failed, or it was sent meanwhile."
        }
        "listing-posted" => "Your listing is up in the marketplace.",
        "listing-saved" => "Your listing is saved.",
        "trade-proposed" => "Your proposal is sent. You will see the answer here.",
        "trade-updated" => "Done: the trade is updated.",
        "message-sent" => "Your message is in the thread.",
        "kudos-left" => "Thank you: your kudos are on their profile.",
        "booked" => "Your room is booked and paid. It is in your bookings below.",
        "booked-free" => "Your room is booked. It is in your bookings below.",
        "booking-cancelled" => "The booking is cancelled. It was not refunded.",
        "booking-refunded" => "The booking is cancelled and refunded in full.",
        "booking-cancelled-free" => "The booking is cancelled.",
        "booking-was-cancelled" => "This booking was already cancelled.",
        "room-saved" => "The room is saved.",
        "room-retired" => "The room is retired: it takes no new bookings.",
        "room-restored" => "The room takes bookings again.",
        "report-sent" => "Thank you: your report is with the admins.",
        "report-already" => "You reported this already: the admins have your report.",
        "moderation-hidden" => "Hidden. Its author sees your reason; nobody else sees it.",
        "moderation-restored" => "Shown again, as it was.",
        "reports-closed" => "The reports are closed, with your note.",
        "moderation-unchanged" => "Nothing to change: it was already so.",
        "leave-asked" => "Your request to leave is with the admins.",
        "leave-withdrawn" => "You are staying: your request to leave is withdrawn.",
        "member-left" => "They have left: their balance is settled and their account closed.",
        "account-deleted" => "Your account is deleted. Thank you for being part of it.",
        _ => return None,
    })
}

/// After a grant: who got how much.
pub fn granted(who: &str, amount: &str) -> String {
    format!("{who} got {amount} from the space account.")
}

pub fn limit_changed(who: &str, limit: &str) -> String {
    format!("{who}'s credit limit is now {limit}.")
}

pub fn limit_unchanged(who: &str, limit: &str) -> String {
    format!("{who}'s credit limit was already {limit}: nothing changed.")
}

pub fn default_limit_changed(limit: &str) -> String {
    format!("New members now start with a credit limit of {limit}. Existing members keep theirs.")
}
