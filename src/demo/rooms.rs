//! The demo's rooms: a meeting room, a phone booth (free) and a workshop, and a week of
//! bookings around today (three days back, three ahead) made through the booking service,
//! so each one is paid on the ledger as a member's would be. A booking's id derives from
//! its room, day and time, and the day's bookings from the date alone: running the demo
//! again, today or later, finds each booking made and adds nothing.

use sqlx::PgPool;
use time::{Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::db as demo_db;
use crate::rooms::db::{self as rooms_db, RoomFields};
use crate::rooms::model::{BookingId, OpeningHours, RoomId};
use crate::rooms::service::{self, Ask, Booker};
use crate::spaces::model::SpaceId;

/// (name, description, capacity, price an hour in hundredths, slot minutes, weekdays open,
/// opens, closes), minutes after midnight.
type RoomSeed = (&'static str, &'static str, i32, i64, i32, i16, i32, i32);

const ROOMS: [RoomSeed; 3] = [
    (
        "Meeting room",
        "A table for eight, a big screen and a whiteboard. The door shuts.",
        8,
        300,
        30,
        5,
        8 * 60,
        19 * 60,
    ),
    (
        "Phone booth",
        "One chair, a desk and quiet, for calls. Free to book.",
        1,
        0,
        15,
        7,
        7 * 60,
        22 * 60,
    ),
    (
        "Workshop",
        "The big room at the back: twenty chairs, a projector and a long bench.",
        20,
        500,
        60,
        6,
        9 * 60,
        21 * 60,
    ),
];

/// Each room's bookings on a day: (start hour, minute, minutes), from which a day takes
/// some by its date.
const TIMES: [&[(i32, i32, i32)]; 3] = [
    &[
        (9, 30, 60),
        (11, 0, 30),
        (13, 0, 90),
        (15, 0, 60),
        (17, 0, 30),
    ],
    &[
        (8, 45, 30),
        (10, 15, 15),
        (12, 30, 45),
        (14, 0, 30),
        (16, 45, 15),
        (18, 0, 30),
    ],
    &[(10, 0, 120), (14, 0, 180), (18, 0, 120)],
];

fn id(room: &str, day: time::Date, start: i32) -> BookingId {
    let name = format!("swapdesk-demo:booking:{room}:{day}:{start}");
    BookingId(Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes()))
}

/// Makes the rooms an earlier run did not, and the week's bookings.
pub(super) async fn seed(pool: &PgPool, space: SpaceId) -> anyhow::Result<()> {
    let rooms = rooms(pool, space).await?;
    let active: Vec<_> = super::active_members(pool, space)
        .await?
        .into_iter()
        .map(|m| m.membership_id)
        .collect();
    let members: Vec<_> = demo_db::members(pool, space)
        .await?
        .into_iter()
        .filter(|m| active.contains(&m.membership))
        .collect();
    if members.is_empty() {
        return Ok(());
    }
    let now = OffsetDateTime::now_utc();
    let today = rooms_db::today(pool, space, now).await?;
    for offset in -3..=3 {
        let day = today + Duration::days(offset);
        let seed = u64::from(day.ordinal()) + u64::try_from(day.year()).unwrap_or(0) * 366;
        for (n, (room, times)) in rooms.iter().zip(TIMES).enumerate() {
            for (k, (hour, minute, minutes)) in times.iter().enumerate() {
                let pick = seed
                    .wrapping_mul(2654435761)
                    .wrapping_add((n * 7 + k) as u64);
                // About two in three of a day's times are booked.
                if pick % 3 == 0 {
                    continue;
                }
                let who = &members[(pick as usize / 3) % members.len()];
                let start = hour * 60 + minute;
                let ask = Ask {
                    room: *room,
                    day,
                    start,
                    utc_offset: None,
                    minutes: *minutes,
                };
                // A past booking is made as if the day before it, so the service's own rules
                // hold; its payment is recorded now, as the ledger records everything.
                let booked_at = Time::from_hms(u8::try_from(*hour).unwrap_or(9), 0, 0)
                    .map(|t| day.with_time(t).assume_utc() - Duration::days(1))
                    .unwrap_or(now)
                    .min(now);
                let booker = Booker {
                    space,
                    member: who.membership,
                    person: who.person,
                };
                let mut conn = pool.acquire().await?;
                // Refusals are part of a busy week (short of credit, a closed day): skipped.
                let _ = service::book(
                    &mut conn,
                    booker,
                    id(&room.to_string(), day, start),
                    &ask,
                    booked_at,
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// The demo's rooms, made if an earlier run did not.
async fn rooms(pool: &PgPool, space: SpaceId) -> anyhow::Result<Vec<RoomId>> {
    let mut ids = Vec::new();
    for (name, description, capacity, price, slot, days, opens, closes) in ROOMS {
        let existing = rooms_db::rooms(pool, space, true)
            .await?
            .into_iter()
            .find(|r| r.name == name);
        let id = match existing {
            Some(room) => room.id,
            None => {
                let fields = RoomFields {
                    name: name.to_owned(),
                    description: description.to_owned(),
                    capacity,
                    price_per_hour: price,
                    slot_minutes: slot,
                    hours: (1..=days)
                        .map(|weekday| OpeningHours {
                            weekday,
                            opens,
                            closes,
                        })
                        .collect(),
                };
                let mut tx = pool.begin().await?;
                let made = rooms_db::create_room(&mut tx, space, &fields).await?;
                tx.commit().await?;
                made.ok_or_else(|| anyhow::anyhow!("the demo room {name} could not be made"))?
            }
        };
        ids.push(id);
    }
    Ok(ids)
}
