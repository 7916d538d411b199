//! A booking as an iCalendar file (RFC 5545), for a member's own calendar: CRLF lines
//! folded at 75 octets, times in UTC, text escaped.

use time::OffsetDateTime;

use crate::rooms::model::Booking;

fn utc(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Escapes TEXT values: backslash, semicolon, comma and line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so no line is longer than 75 octets (a fold never splits a
/// character), ended by CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The calendar file of one booking. `host` makes the UID globally unique.
pub fn calendar(b: &Booking, space_name: &str, host: &str, now: OffsetDateTime) -> String {
    let mut out = String::new();
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Swapdesk//Room bookings//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:booking-{}@{}", b.id, host),
        format!("DTSTAMP:{}", utc(now)),
        format!("DTSTART:{}", utc(b.starts_at)),
        format!("DTEND:{}", utc(b.ends_at)),
        format!("SUMMARY:{}", escape(&format!("{} booked", b.room_name))),
        format!(
            "LOCATION:{}",
            escape(&format!("{}, {}", b.room_name, space_name))
        ),
        format!(
            "DESCRIPTION:{}",
            escape(&format!(
                "Your booking of {} at {}.",
                b.room_name, space_name
            ))
        ),
        "STATUS:CONFIRMED".to_owned(),
        "TRANSP:OPAQUE".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    for line in lines {
        push_line(&mut out, &line);
    }
    out
}
