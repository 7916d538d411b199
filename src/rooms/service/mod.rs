//! Booking and cancelling, each one transaction (as `ledger::service`): the booking row and
//! its payment commit together or not at all. The database refuses a double booking (an
//! exclusion constraint), whatever races; the ledger refuses a payment past the member's
//! limit; the booking's id is its payment's id, so a form sent twice pays once. Every rule
//! about time takes `now` from the caller, so tests can stand on either side of an edge.

use sqlx::{Connection, PgConnection};
use time::{Date, Duration, OffsetDateTime};

use crate::auth::model::PersonId;
use crate::ledger::db as ledger_db;
use crate::ledger::model::{Code, Outcome, Reason};
use crate::ledger::{self, Payment};
use crate::messages;
use crate::notify::inbox::{self, Notice};
use crate::notify::model::Kind;
use crate::rooms::db::{self, Which};
use crate::rooms::model::{BookingId, Room, RoomId, price_for, span_text};
use crate::spaces::model::{MembershipId, SpaceId};

mod cancel;

pub use cancel::{Cancelled, cancel};

/// What a booking form asks for: a room, a start on the space's clock and a length.
#[derive(Debug, Clone, Copy)]
pub struct Ask {
    pub room: RoomId,
    pub day: Date,
    /// Minutes after midnight on the space's clock.
    pub start: i32,
    /// Which of two equal clock times of a fall-back night (minutes east of UTC); None: the
    /// first.
    pub utc_offset: Option<i32>,
    pub minutes: i32,
}

/// A booking that can be made: the room, the moments it starts and ends, and its price.
#[derive(Debug, Clone)]
pub struct Plan {
    pub room: Room,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub price: i64,
}

/// Why a booking cannot be made; nothing was booked or paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoSuchRoom,
    Retired,
    /// The room is closed that day.
    ClosedThatDay,
    /// Not one of the room's start times that day.
    NotAStart,
    /// Not a whole number of the room's slots, or too long.
    BadLength,
    /// It would run past closing time.
    PastClosing,
    /// The day is over.
    PastDay,
    /// The start has passed.
    PastStart,
    /// Someone booked (some of) that time first.
    Taken,
    ShortOfCredit,
    /// The form's id was used for a different booking.
    FormReused,
    /// The ledger refused for another reason, in words.
    Ledger(String),
}

impl Refusal {
    /// The form field the refusal is reported on.
    pub fn field(&self) -> &'static str {
        match self {
            Refusal::NoSuchRoom | Refusal::Retired => "room",
            Refusal::ClosedThatDay | Refusal::PastDay => "date",
            Refusal::NotAStart | Refusal::PastStart | Refusal::Taken => "start",
            Refusal::BadLength
            | Refusal::PastClosing
            | Refusal::ShortOfCredit
            | Refusal::FormReused
            | Refusal::Ledger(_) => "length",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Refusal::NoSuchRoom => messages::CHOOSE_ROOM.to_owned(),
            Refusal::Retired => messages::ROOM_RETIRED.to_owned(),
            Refusal::ClosedThatDay => messages::ROOM_CLOSED_THAT_DAY.to_owned(),
            Refusal::NotAStart => messages::NOT_A_START.to_owned(),
            Refusal::BadLength => messages::CHOOSE_LENGTH.to_owned(),
            Refusal::PastClosing => messages::PAST_CLOSING.to_owned(),
            Refusal::PastDay => messages::DAY_PASSED.to_owned(),
            Refusal::PastStart => messages::START_PASSED.to_owned(),
            Refusal::Taken => messages::SLOT_TAKEN.to_owned(),
            Refusal::ShortOfCredit => messages::OVER_LIMIT.to_owned(),
            Refusal::FormReused => messages::FORM_OUT_OF_DATE.to_owned(),
            Refusal::Ledger(why) => why.clone(),
        }
    }
}

/// Checks a booking against the room, its hours and the clock, without booking it.
/// `lock`: share-lock the room row, inside the booking's transaction.
pub async fn plan(
    conn: &mut PgConnection,
    space: SpaceId,
    ask: &Ask,
    now: OffsetDateTime,
    lock: bool,
) -> sqlx::Result<Result<Plan, Refusal>> {
    let room = if lock {
        db::lock_room(&mut *conn, space, ask.room).await?
    } else {
        db::room(&mut *conn, space, ask.room).await?
    };
    let Some(room) = room else {
        return Ok(Err(Refusal::NoSuchRoom));
    };
    if room.retired {
        return Ok(Err(Refusal::Retired));
    }
    if ask.minutes <= 0 || !room.lengths().contains(&ask.minutes) {
        return Ok(Err(Refusal::BadLength));
    }
    if ask.day < db::today(&mut *conn, space, now).await? {
        return Ok(Err(Refusal::PastDay));
    }
    let (starts, closes) = db::starts_at(&mut *conn, room.id, ask.day, ask.start).await?;
    let Some(closes) = closes else {
        return Ok(Err(Refusal::ClosedThatDay));
    };
    let chosen = starts
        .iter()
        .find(|(_, offset)| Some(*offset) == ask.utc_offset)
        .or(starts.first());
    let Some((starts_at, _)) = chosen.copied() else {
        return Ok(Err(Refusal::NotAStart));
    };
    if starts_at <= now {
        return Ok(Err(Refusal::PastStart));
    }
    let ends_at = starts_at + Duration::minutes(i64::from(ask.minutes));
    if ends_at > closes {
        return Ok(Err(Refusal::PastClosing));
    }
    let price = price_for(room.price_per_hour, ask.minutes);
    Ok(Ok(Plan {
        room,
        starts_at,
        ends_at,
        price,
    }))
}

/// Who books or cancels.
#[derive(Debug, Clone, Copy)]
pub struct Booker {
    pub space: SpaceId,
    pub member: MembershipId,
    pub person: PersonId,
}

/// A booking made, or found made by an earlier send of the same form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Booked {
    New { id: BookingId, price: i64 },
    Again { id: BookingId },
}

/// Books and pays, in one transaction (a savepoint, inside the caller's): on any refusal
/// nothing stays, neither the booking nor a record of the refused payment.
pub async fn book(
    conn: &mut PgConnection,
    who: Booker,
    id: BookingId,
    ask: &Ask,
    now: OffsetDateTime,
) -> sqlx::Result<Result<Booked, Refusal>> {
    let mut tx = conn.begin().await?;
    let result = book_in(&mut tx, who, id, ask, now).await?;
    if result.is_ok() {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(result)
}

async fn book_in(
    conn: &mut PgConnection,
    who: Booker,
    id: BookingId,
    ask: &Ask,
    now: OffsetDateTime,
) -> sqlx::Result<Result<Booked, Refusal>> {
    if let Some(done) = again(conn, who, id, ask).await? {
        return Ok(done);
    }
    let plan = match plan(conn, who.space, ask, now, true).await? {
        Ok(plan) => plan,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let (space, room) = (who.space, plan.room.id);
    let inserted = db::insert(
        conn,
        id,
        space,
        room,
        who.member,
        plan.starts_at,
        plan.ends_at,
        plan.price,
    )
    .await?;
    if !inserted {
        // A send of the same form may have won the race for its own id.
        return Ok(again(conn, who, id, ask)
            .await?
            .unwrap_or(Err(Refusal::Taken)));
    }
    let about = about(conn, space, id).await?;
    if plan.price > 0 {
        let Some(from) = ledger_db::member_account(&mut *conn, space, who.member).await? else {
            return Ok(Err(Refusal::Ledger(messages::NO_ACCOUNT.to_owned())));
        };
        let to = ledger_db::space_account(&mut *conn, space).await?;
        let memo = messages::booking_memo(&about);
        let payment = Payment {
            id: id.0,
            space,
            from,
            to,
            amount: plan.price,
            code: Code::Booking,
            memo: &memo,
            by: Some(who.person),
        };
        match ledger::transfer(&mut *conn, &payment).await? {
            Outcome::Applied(_) | Outcome::Duplicate(_) => {}
            Outcome::Rejected(Reason::InsufficientFunds) => return Ok(Err(Refusal::ShortOfCredit)),
            Outcome::Rejected(reason) => {
                return Ok(Err(Refusal::Ledger(reason.message().to_owned())));
            }
            Outcome::Conflict => return Ok(Err(Refusal::FormReused)),
        }
    }
    let notice = Notice {
        space,
        to: &[who.member],
        admins: false,
        kind: Kind::BookingConfirmed,
        actor: None,
        link: "rooms/bookings".to_owned(),
        about: &about,
    };
    inbox::notify(&mut *conn, &notice).await?;
    Ok(Ok(Booked::New {
        id,
        price: plan.price,
    }))
}

/// The same form sent again: its booking, if it is there; a refusal if the id was used
/// for something else.
async fn again(
    conn: &mut PgConnection,
    who: Booker,
    id: BookingId,
    ask: &Ask,
) -> sqlx::Result<Option<Result<Booked, Refusal>>> {
    let Some(row) = db::lock(&mut *conn, who.space, id).await? else {
        return Ok(None);
    };
    let minutes = (row.ends_at - row.starts_at).whole_minutes();
    let same = row.member == who.member
        && row.room == ask.room
        && minutes == i64::from(ask.minutes)
        && !row.cancelled;
    Ok(Some(if same {
        Ok(Booked::Again { id })
    } else {
        Err(Refusal::FormReused)
    }))
}

/// A booking in words for a notice or a memo: "Meeting room, Tue 3 Mar 2026, 10:00 to 11:00".
pub(super) async fn about(
    conn: &mut PgConnection,
    space: SpaceId,
    id: BookingId,
) -> sqlx::Result<String> {
    let found = db::bookings(&mut *conn, space, Which::One(id)).await?;
    Ok(found
        .first()
        .map(|b| format!("{}, {}", b.room_name, span_text(b.local_start, b.local_end)))
        .unwrap_or_default())
}
