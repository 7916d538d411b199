//! Rooms and bookings (SPEC §5): what a room is, when it is open, what a booking costs and
//! until when cancelling it refunds.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use crate::spaces::model::MembershipId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct RoomId(pub i64);

impl std::fmt::Display for RoomId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A booking's id: chosen by the booking form, it is also the id of the booking's payment
/// on the ledger, so a form sent twice books and pays once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct BookingId(pub Uuid);

impl std::fmt::Display for BookingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl BookingId {
    /// The id of the refund of this booking: derived from it, so cancelling twice refunds
    /// once.
    pub fn refund_id(self) -> Uuid {
        Uuid::new_v5(&self.0, b"swapdesk-booking-refund")
    }
}

/// The longest booking a form may ask for.
pub const MAX_BOOKING_MINUTES: i32 = 12 * 60;

#[derive(Debug, Clone)]
pub struct Room {
    pub id: RoomId,
    pub name: String,
    pub description: String,
    pub capacity: i32,
    /// Hundredths of a credit per hour; 0 is free.
    pub price_per_hour: i64,
    pub slot_minutes: i32,
    pub retired: bool,
}

impl Room {
    /// The lengths a booking of this room may have, in minutes: whole slots, up to
    /// `MAX_BOOKING_MINUTES`.
    pub fn lengths(&self) -> Vec<i32> {
        let step = self.slot_minutes.max(5);
        (1..)
            .map(|n| n * step)
            .take_while(|m| *m <= MAX_BOOKING_MINUTES)
            .collect()
    }
}

/// One weekday's opening hours on the space's clock, in minutes after midnight (closing at
/// 1440 is midnight). `weekday` is ISO: 1 is Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningHours {
    pub weekday: i16,
    pub opens: i32,
    pub closes: i32,
}

pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The weekday's name for an ISO number (1 is Monday).
pub fn weekday_name(weekday: i16) -> &'static str {
    usize::try_from(weekday - 1)
        .ok()
        .and_then(|i| WEEKDAYS.get(i))
        .copied()
        .unwrap_or("")
}

/// Minutes after midnight as a clock: 540 is "09:00", 1440 is "24:00".
pub fn clock(minutes: i32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// "09:00" (or "24:00") as minutes after midnight.
pub fn parse_clock(text: &str) -> Option<i32> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?);
    match (h, m) {
        (24, 0) => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// What `minutes` of a room at `per_hour` costs, in hundredths, rounded up to the hundredth.
pub fn price_for(per_hour: i64, minutes: i32) -> i64 {
    let total = per_hour.saturating_mul(i64::from(minutes.max(0)));
    total / 60 + i64::from(total % 60 != 0)
}

/// Whether cancelling now refunds a booking that starts at `starts_at`: only strictly
/// before the cutoff.
pub fn refundable(starts_at: OffsetDateTime, cutoff_hours: i32, now: OffsetDateTime) -> bool {
    now < starts_at - Duration::hours(i64::from(cutoff_hours))
}

/// A slot of a room's grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotState {
    Free,
    Booked,
    /// Booked by the member looking.
    Mine,
    /// Started already, or over.
    Past,
}

#[derive(Debug, Clone)]
pub struct Slot {
    pub starts_at: OffsetDateTime,
    pub local_start: PrimitiveDateTime,
    pub local_end: PrimitiveDateTime,
    /// Minutes east of UTC; two slots of a fall-back night share a local start.
    pub utc_offset: i32,
    pub state: SlotState,
}

/// A booking as pages list it, with its room and its times on the space's clock.
#[derive(Debug, Clone)]
pub struct Booking {
    pub id: BookingId,
    pub room_id: RoomId,
    pub room_name: String,
    pub membership_id: MembershipId,
    pub member_name: String,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub local_start: PrimitiveDateTime,
    pub local_end: PrimitiveDateTime,
    pub price: i64,
    pub created_at: OffsetDateTime,
    pub cancelled: bool,
    pub refunded: bool,
}

/// A day as pages name it: "Tuesday 3 March 2026".
pub fn day_text(day: time::Date) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:long] [day padding:none] [month repr:long] [year]"
    );
    day.format(&format).unwrap_or_default()
}

/// A day in few words: "Tue 3 Mar".
pub fn short_day(day: time::Date) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short] [day padding:none] [month repr:short]"
    );
    day.format(&format).unwrap_or_default()
}

/// A moment's time on the clock: "09:30".
pub fn hour_minute(at: PrimitiveDateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// A booking's time in words: "Tue 3 Mar 2026, 10:00 to 11:30" (the end's day is named
/// when it is another).
pub fn span_text(start: PrimitiveDateTime, end: PrimitiveDateTime) -> String {
    let end_text = if end.date() == start.date() || end.time() == time::Time::MIDNIGHT {
        hour_minute(end)
    } else {
        format!("{} {}", short_day(end.date()), hour_minute(end))
    };
    format!(
        "{} {}, {} to {}",
        short_day(start.date()),
        start.year(),
        hour_minute(start),
        end_text
    )
}

/// A moment in words: "Tue 3 Mar 2026, 10:00".
pub fn moment_text(at: PrimitiveDateTime) -> String {
    format!(
        "{} {}, {}",
        short_day(at.date()),
        at.year(),
        hour_minute(at)
    )
}

/// Minutes as words: "30 minutes", "1 hour", "1 hour 30 minutes", "2 hours".
pub fn length_text(minutes: i32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let hours = match h {
        0 => String::new(),
        1 => "1 hour".to_owned(),
        n => format!("{n} hours"),
    };
    match (h, m) {
        (_, 0) => hours,
        (0, m) => format!("{m} minutes"),
        (_, m) => format!("{hours} {m} minutes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_round_up_to_the_hundredth() {
        assert_eq!(price_for(300, 60), 300);
        assert_eq!(price_for(300, 30), 150);
        assert_eq!(price_for(100, 45), 75);
        assert_eq!(price_for(1, 20), 1);
        assert_eq!(price_for(0, 120), 0);
    }
}
