//! The day and week grids: a room's slots as rows of clock times, each free slot a link to
//! the booking form filled in. A clock time that comes twice in a fall-back night is shown
//! with its offset from UTC, so both of its slots can be told apart and booked.

use time::Date;

use crate::rooms::model::{RoomId, Slot, SlotState, hour_minute, short_day};
use crate::rooms::views::{DayView, SlotView, WeekCell, WeekRow};

fn offset_text(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// The slots of one day as the grids show them.
pub fn day_views(slug: &str, room: RoomId, slot_minutes: i32, slots: &[&Slot]) -> Vec<SlotView> {
    slots
        .iter()
        .map(|s| {
            let twice = slots
                .iter()
                .filter(|o| o.local_start == s.local_start)
                .count()
                > 1;
            let time = hour_minute(s.local_start);
            let zone = if twice {
                offset_text(s.utc_offset)
            } else {
                String::new()
            };
            let state = match s.state {
                SlotState::Free => "free",
                SlotState::Booked => "booked",
                SlotState::Mine => "mine",
                SlotState::Past => "past",
            };
            // Every value here is the app's own: digits, dashes and a colon.
            let book_href = if s.state == SlotState::Free {
                let offset = if twice {
                    format!("&utc_offset={}", s.utc_offset)
                } else {
                    String::new()
                };
                format!(
                    "/s/{slug}/rooms/book?room={room}&date={}&start={}&length={slot_minutes}{offset}",
                    s.local_start.date(),
                    hour_minute(s.local_start)
                )
            } else {
                String::new()
            };
            SlotView {
                time,
                zone,
                end: hour_minute(s.local_end),
                state,
                book_href,
            }
        })
        .collect()
}

/// The week grid: a column per day and a row per clock time any day has a slot at.
pub fn week(
    slug: &str,
    room: RoomId,
    slot_minutes: i32,
    days: &[Date],
    slots: &[Slot],
) -> (Vec<DayView>, Vec<WeekRow>) {
    let of_day =
        |d: Date| -> Vec<&Slot> { slots.iter().filter(|s| s.local_start.date() == d).collect() };
    let views: Vec<DayView> = days
        .iter()
        .map(|d| DayView {
            name: short_day(*d),
            date: d.to_string(),
            slots: day_views(slug, room, slot_minutes, &of_day(*d)),
        })
        .collect();
    let mut times: Vec<String> = slots.iter().map(|s| hour_minute(s.local_start)).collect();
    times.sort();
    times.dedup();
    let rows = times
        .into_iter()
        .map(|time| {
            let cells = views
                .iter()
                .map(|day| WeekCell {
                    day: day.name.clone(),
                    slots: day
                        .slots
                        .iter()
                        .filter(|s| s.time == time)
                        .map(|s| SlotView {
                            time: s.time.clone(),
                            zone: s.zone.clone(),
                            end: s.end.clone(),
                            state: s.state,
                            book_href: s.book_href.clone(),
                        })
                        .collect(),
                })
                .collect();
            WeekRow { time, cells }
        })
        .collect();
    (views, rows)
}
