//! Page structs for rooms: the rooms, a room's day and week, booking, "My bookings",
//! cancelling, and the admin's rooms.

use askama::Template;

use crate::ledger::money::format_amount;
use crate::rooms::form::{BookingInput, RoomInput};
use crate::rooms::model::{
    Booking, BookingId, OpeningHours, Room, RoomId, clock, span_text, weekday_name,
};
use crate::web::form::Errors;
use crate::web::html::{Choice, Layout};

/// A room's price in words: "3.00 hours an hour", or "Free".
pub fn price_text(per_hour: i64, currency: &str) -> String {
    if per_hour == 0 {
        "Free".to_owned()
    } else {
        format!("{} an hour", format_amount(per_hour, currency))
    }
}

/// A room's week of opening hours in words, one line per weekday it opens.
pub fn hours_lines(hours: &[OpeningHours]) -> Vec<String> {
    hours
        .iter()
        .map(|h| {
            format!(
                "{}: {} to {}",
                weekday_name(h.weekday),
                clock(h.opens),
                clock(h.closes)
            )
        })
        .collect()
}

/// A room as the rooms page shows it.
pub struct RoomCard {
    pub id: RoomId,
    pub name: String,
    pub description: String,
    pub capacity: i32,
    pub price: String,
    pub slot: String,
    pub hours: Vec<String>,
}

impl RoomCard {
    pub fn new(room: &Room, hours: &[OpeningHours], currency: &str) -> Self {
        Self {
            id: room.id,
            name: room.name.clone(),
            description: room.description.clone(),
            capacity: room.capacity,
            price: price_text(room.price_per_hour, currency),
            slot: crate::rooms::model::length_text(room.slot_minutes),
            hours: hours_lines(hours),
        }
    }
}

#[derive(Template)]
#[template(path = "rooms/index.html")]
pub struct RoomsPage {
    pub layout: Layout,
    pub slug: String,
    pub rooms: Vec<RoomCard>,
    pub today: String,
    pub rule: String,
    pub is_admin: bool,
}

/// One slot of a grid: its clock time, what it is, and where booking it leads.
pub struct SlotView {
    /// "10:00".
    pub time: String,
    /// "UTC+02:00" when the clock shows this time twice that night, else "".
    pub zone: String,
    pub end: String,
    /// "free", "booked", "mine", "past": the cell's class and what it says.
    pub state: &'static str,
    /// The booking form, filled in, for a free slot.
    pub book_href: String,
}

/// One day of a grid.
pub struct DayView {
    /// "Tue 3 Mar".
    pub name: String,
    pub date: String,
    pub slots: Vec<SlotView>,
}

#[derive(Template)]
#[template(path = "rooms/day.html")]
pub struct DayPage {
    pub layout: Layout,
    pub slug: String,
    pub room: RoomCard,
    pub retired: bool,
    /// "Tuesday 3 March 2026".
    pub day_name: String,
    pub date: String,
    pub previous: String,
    pub next: String,
    pub is_today: bool,
    pub slots: Vec<SlotView>,
}

/// One day's slots at one clock time (none when closed then; two on a fall-back night).
pub struct WeekCell {
    pub day: String,
    pub slots: Vec<SlotView>,
}

/// A row of the week grid: a clock time, and each day's slots at that time.
pub struct WeekRow {
    pub time: String,
    pub cells: Vec<WeekCell>,
}

#[derive(Template)]
#[template(path = "rooms/week.html")]
pub struct WeekPage {
    pub layout: Layout,
    pub slug: String,
    pub room: RoomCard,
    pub retired: bool,
    pub first: String,
    pub previous: String,
    pub next: String,
    pub days: Vec<DayView>,
    pub rows: Vec<WeekRow>,
}

#[derive(Template)]
#[template(path = "rooms/book.html")]
pub struct BookPage {
    pub layout: Layout,
    pub slug: String,
    pub rooms: Vec<Choice>,
    pub lengths: Vec<Choice>,
    pub input: BookingInput,
    pub rule: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "rooms/confirm.html")]
pub struct ConfirmBookingPage {
    pub layout: Layout,
    pub slug: String,
    pub id: String,
    pub room: String,
    pub when: String,
    pub length: String,
    pub price: String,
    pub free: bool,
    pub available: String,
    pub rule: String,
    pub input: BookingInput,
    pub change_href: String,
}

/// A booking as "My bookings" and the admin's room page list it.
pub struct BookingLine {
    pub id: BookingId,
    pub room: String,
    pub member: String,
    pub when: String,
    pub price: String,
    /// "Cancelled", "Cancelled and refunded", or "".
    pub status: &'static str,
}

impl BookingLine {
    pub fn new(b: &Booking, currency: &str) -> Self {
        Self {
            id: b.id,
            room: b.room_name.clone(),
            member: b.member_name.clone(),
            when: span_text(b.local_start, b.local_end),
            price: if b.price == 0 {
                "Free".to_owned()
            } else {
                format_amount(b.price, currency)
            },
            status: match (b.cancelled, b.refunded) {
                (true, true) => "Cancelled and refunded",
                (true, false) => "Cancelled",
                _ => "",
            },
        }
    }
}

#[derive(Template)]
#[template(path = "rooms/bookings.html")]
pub struct MyBookingsPage {
    pub layout: Layout,
    pub slug: String,
    pub upcoming: Vec<BookingLine>,
    pub past: Vec<BookingLine>,
    pub rule: String,
}

#[derive(Template)]
#[template(path = "rooms/cancel.html")]
pub struct CancelPage {
    pub layout: Layout,
    pub heading: String,
    pub action: String,
    pub back_href: String,
    /// What cancelling does to the credits, in words.
    pub effect: String,
    pub button: String,
    /// Why it cannot be cancelled, instead of the form.
    pub refusal: String,
}

/// A room in the admin's list.
pub struct AdminRoomLine {
    pub card: RoomCard,
    pub retired: bool,
    pub upcoming: usize,
}

#[derive(Template)]
#[template(path = "rooms/admin_rooms.html")]
pub struct AdminRoomsPage {
    pub layout: Layout,
    pub slug: String,
    pub rooms: Vec<AdminRoomLine>,
}

#[derive(Template)]
#[template(path = "rooms/room_form.html")]
pub struct RoomFormPage {
    pub layout: Layout,
    pub slug: String,
    pub heading: String,
    pub action: String,
    pub button: &'static str,
    pub slots: Vec<Choice>,
    pub input: RoomInput,
    /// "In hours, like 3 or 1.50. 0 makes the room free."
    pub price_hint: String,
    /// The room being edited: its state and upcoming bookings.
    pub editing: Option<(RoomId, bool)>,
    pub bookings: Vec<BookingLine>,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "rooms/retire.html")]
pub struct RetireRoomPage {
    pub layout: Layout,
    pub slug: String,
    pub id: RoomId,
    pub name: String,
    pub upcoming: usize,
}
