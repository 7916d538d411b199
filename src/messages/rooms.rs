//! Rooms' and bookings' words: titles, validation, refusals and what cancelling does.

pub const TITLE_ROOMS: &str = "Rooms";
pub const TITLE_BOOK: &str = "Book a room";
pub const TITLE_CHECK_BOOKING: &str = "Check and book";
pub const TITLE_MY_BOOKINGS: &str = "My bookings";
pub const TITLE_ADMIN_ROOMS: &str = "Rooms and their bookings";
pub const TITLE_NEW_ROOM: &str = "Add a room";

pub const CHOOSE_ROOM: &str = "Choose a room from the list";
pub const ROOM_RETIRED: &str = "This room is retired and takes no new bookings: choose another";
pub const ROOM_CLOSED_THAT_DAY: &str = "The room is closed that day: choose another day";
pub const NOT_A_START: &str =
    "Choose a start time when the room is open, on one of its slots (see the room's day)";
pub const CHOOSE_LENGTH: &str = "Choose how long to book the room for";
pub const PAST_CLOSING: &str =
    "That would run past the room's closing time: choose a shorter time or an earlier start";
pub const DAY_PASSED: &str = "That day has passed: choose today or a day ahead";
pub const START_PASSED: &str = "That time has passed: choose a later start";
pub const SLOT_TAKEN: &str =
    "Someone has just booked some of that time: choose another start or room";
pub const NO_ACCOUNT: &str = "Your account in this space is missing: ask an admin";
pub const ENTER_DATE: &str = "Enter the date, like 2027-03-31";
pub const ENTER_START: &str = "Enter the start time, like 09:30";

pub const ENTER_ROOM_NAME: &str = "Enter the room's name, like \"Meeting room\"";
pub const ROOM_NAME_TAKEN: &str = "The space has a room of that name already";
pub const LABEL_ROOM_NAME: &str = "The room's name";
pub const LABEL_CAPACITY: &str = "The capacity";
pub const LABEL_SLOT: &str = "The slot length";
pub const LABEL_CUTOFF: &str = "The cancellation cutoff";
pub const ROOM_HOURS: &str =
    "Enter opening and closing times like 09:00 and 18:00 (24:00 for midnight), opening first";
pub const ROOM_PRICE: &str =
    "Enter the price per hour as a number, like 3 or 1.50; 0 for a free room";
pub const ROOM_PRICE_TOO_HIGH: &str = "Enter a price per hour of at most 10,000";
pub const CANCEL_STARTED: &str =
    "This booking has started or is over: it can no longer be cancelled.";
pub const CANCEL_ALREADY: &str = "This booking is already cancelled.";

/// The memo of a booking's payment.
pub fn booking_memo(about: &str) -> String {
    format!("Room booking: {about}")
}

pub fn refund_memo(about: &str) -> String {
    format!("Refund of room booking: {about}")
}

pub fn room_title(room: &str, day: &str) -> String {
    format!("{room}, {day}")
}

pub fn week_title(room: &str, first: &str) -> String {
    format!("{room}, the week from {first}")
}

pub fn edit_room_title(room: &str) -> String {
    format!("Edit {room}")
}

pub fn retire_room_title(room: &str) -> String {
    format!("Retire {room}?")
}

pub fn cancel_title(room: &str, when: &str) -> String {
    format!("Cancel your booking of {room}, {when}?")
}

pub fn admin_cancel_title(member: &str, room: &str, when: &str) -> String {
    format!("Cancel {member}'s booking of {room}, {when}?")
}

/// The cancellation rule, as the booking pages state it before the member pays; with the
/// moment it ends for one booking, when there is one.
pub fn cutoff_rule(hours: i32, deadline: Option<&str>) -> String {
    let by = deadline.map(|d| format!(" (by {d})")).unwrap_or_default();
    match hours {
        0 => "You can cancel until the booking starts and get a full refund.".to_owned(),
        1 => format!(
            "Cancel at least 1 hour before the start{by} for a full refund. After that, cancelling refunds nothing."
        ),
        h => format!(
            "Cancel at least {h} hours before the start{by} for a full refund. After that, cancelling refunds nothing."
        ),
    }
}

pub fn refunded(amount: &str) -> String {
    format!("The booking is cancelled and {amount} is back in your account.")
}

pub fn admin_refunded(member: &str, amount: &str) -> String {
    format!("The booking is cancelled and {amount} went back to {member}, who is told.")
}

pub fn refund_refused(why: &str) -> String {
    format!("Nothing was cancelled: the refund could not be paid. {why}")
}
