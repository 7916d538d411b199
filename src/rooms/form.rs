//! The booking form and the admin's room form, read and checked: every problem beside its
//! field, the input kept.

use time::Date;

use crate::ledger::money::{AmountError, format_number, parse_amount};
use crate::messages;
use crate::rooms::db::RoomFields;
use crate::rooms::model::{OpeningHours, Room, RoomId, WEEKDAYS, clock, parse_clock};
use crate::rooms::service::Ask;
use crate::web::form::{Errors, FormData};

pub const NAME_MAX: usize = 80;
pub const DESCRIPTION_MAX: usize = 2000;
/// The highest price per hour a room may have: 10,000 credits.
pub const PRICE_MAX: i64 = 1_000_000;
/// The slot lengths a room may have, in minutes.
pub const SLOTS: [i32; 7] = [15, 20, 30, 45, 60, 90, 120];

/// A booking form as typed, for refilling it and for the links that fill it in.
#[derive(Debug, Clone, Default)]
pub struct BookingInput {
    pub room: String,
    pub date: String,
    pub start: String,
    pub length: String,
    /// Set by a slot's link on a fall-back night, where a clock time comes twice.
    pub utc_offset: String,
}

impl BookingInput {
    pub fn of(form: &FormData) -> Self {
        Self {
            room: form.text("room").trim().to_owned(),
            date: form.text("date").trim().to_owned(),
            start: form.text("start").trim().to_owned(),
            length: form.text("length").trim().to_owned(),
            utc_offset: form.text("utc_offset").trim().to_owned(),
        }
    }

    /// The fields as a query string, to come back to the form with them.
    pub fn query(&self) -> String {
        crate::web::form::encode_query(&[
            ("room", &self.room),
            ("date", &self.date),
            ("start", &self.start),
            ("length", &self.length),
            ("utc_offset", &self.utc_offset),
        ])
    }
}

/// A date as YYYY-MM-DD.
pub fn parse_date(text: &str) -> Option<Date> {
    crate::marketplace::form::parse_date(text)
}

/// Reads a booking form. The room, day, time and length are checked against the room and
/// the clock by `service::plan`.
pub fn read_booking(form: &FormData) -> (BookingInput, Result<Ask, Errors>) {
    let input = BookingInput::of(form);
    let mut errors = form.errors();
    let room = input.room.parse::<i64>().ok().filter(|id| *id > 0);
    if room.is_none() {
        errors.add("room", messages::CHOOSE_ROOM);
    }
    let day = parse_date(&input.date);
    if day.is_none() {
        errors.add("date", messages::ENTER_DATE);
    }
    let start = parse_clock(&input.start).filter(|m| *m < 1440);
    if start.is_none() {
        errors.add("start", messages::ENTER_START);
    }
    let minutes = input.length.parse::<i32>().ok().filter(|m| *m > 0);
    if minutes.is_none() {
        errors.add("length", messages::CHOOSE_LENGTH);
    }
    let utc_offset = input
        .utc_offset
        .parse::<i32>()
        .ok()
        .filter(|o| o.abs() <= 18 * 60);
    let ask = match (room, day, start, minutes, errors.is_empty()) {
        (Some(room), Some(day), Some(start), Some(minutes), true) => Ok(Ask {
            room: RoomId(room),
            day,
            start,
            utc_offset,
            minutes,
        }),
        _ => Err(errors),
    };
    (input, ask)
}

/// One weekday's hours as typed.
#[derive(Debug, Clone)]
pub struct DayInput {
    pub weekday: i16,
    pub name: &'static str,
    pub opens: String,
    pub closes: String,
}

/// The room form as typed.
#[derive(Debug, Clone)]
pub struct RoomInput {
    pub name: String,
    pub description: String,
    pub capacity: String,
    pub price: String,
    pub slot: String,
    pub days: Vec<DayInput>,
}

impl RoomInput {
    /// A new room's form: open 09:00 to 18:00 on weekdays, in 30-minute slots.
    pub fn new_room() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            capacity: String::new(),
            price: String::new(),
            slot: "30".to_owned(),
            days: days(|w| (w <= 5).then_some((540, 1080))),
        }
    }

    /// A room's values, to edit it.
    pub fn of(room: &Room, hours: &[OpeningHours]) -> Self {
        Self {
            name: room.name.clone(),
            description: room.description.clone(),
            capacity: room.capacity.to_string(),
            price: format_number(room.price_per_hour),
            slot: room.slot_minutes.to_string(),
            days: days(|w| {
                hours
                    .iter()
                    .find(|h| h.weekday == w)
                    .map(|h| (h.opens, h.closes))
            }),
        }
    }
}

fn days(hours: impl Fn(i16) -> Option<(i32, i32)>) -> Vec<DayInput> {
    (1i16..=7)
        .zip(WEEKDAYS)
        .map(|(weekday, name)| {
            let (opens, closes) = hours(weekday)
                .map(|(o, c)| (clock(o), clock(c)))
                .unwrap_or_default();
            DayInput {
                weekday,
                name,
                opens,
                closes,
            }
        })
        .collect()
}

/// Reads the admin's room form.
pub fn read_room(form: &FormData) -> (RoomInput, Result<RoomFields, Errors>) {
    let mut errors = form.errors();
    let name = errors.required(
        form,
        "name",
        messages::LABEL_ROOM_NAME,
        NAME_MAX,
        messages::ENTER_ROOM_NAME,
    );
    let description = form.text("description").trim().replace("\r\n", "\n");
    if description.chars().count() > DESCRIPTION_MAX {
        errors.add(
            "description",
            messages::too_long(messages::DESCRIPTION, DESCRIPTION_MAX),
        );
    }
    let capacity = errors.number(form, "capacity", messages::LABEL_CAPACITY, 1, 1000);
    let price_raw = form.text("price").trim().to_owned();
    let price = match parse_amount(&price_raw) {
        Ok(p) if p <= PRICE_MAX => Some(p),
        Err(AmountError::Zero) => Some(0),
        Ok(_) | Err(AmountError::TooLarge) => {
            errors.add("price", messages::ROOM_PRICE_TOO_HIGH);
            None
        }
        Err(_) => {
            errors.add("price", messages::ROOM_PRICE);
            None
        }
    };
    let slot = errors
        .number(form, "slot", messages::LABEL_SLOT, 5, 240)
        .and_then(|s| i32::try_from(s).ok())
        .filter(|s| SLOTS.contains(s));
    if slot.is_none() {
        errors.add("slot", messages::CHOOSE_ONE);
    }
    let mut days = Vec::new();
    let mut hours = Vec::new();
    for (weekday, day_name) in (1i16..=7).zip(WEEKDAYS) {
        let opens = form.text(&format!("opens-{weekday}")).trim().to_owned();
        let closes = form.text(&format!("closes-{weekday}")).trim().to_owned();
        if !(opens.is_empty() && closes.is_empty()) {
            match (parse_clock(&opens), parse_clock(&closes)) {
                (Some(o), Some(c)) if o < c && o < 1440 => hours.push(OpeningHours {
                    weekday,
                    opens: o,
                    closes: c,
                }),
                _ => errors.add(&format!("opens-{weekday}"), messages::ROOM_HOURS),
            }
        }
        days.push(DayInput {
            weekday,
            name: day_name,
            opens,
            closes,
        });
    }
    let input = RoomInput {
        name: name.clone(),
        description: description.clone(),
        capacity: form.text("capacity").trim().to_owned(),
        price: price_raw,
        slot: form.text("slot").trim().to_owned(),
        days,
    };
    let fields = match (capacity, price, slot, errors.is_empty()) {
        (Some(capacity), Some(price_per_hour), Some(slot_minutes), true) => Ok(RoomFields {
            name,
            description,
            capacity: i32::try_from(capacity).unwrap_or(1),
            price_per_hour,
            slot_minutes,
            hours,
        }),
        _ => Err(errors),
    };
    (input, fields)
}
