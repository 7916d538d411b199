//! Queries for rooms, their opening hours and slots (bookings in `bookings`). Every query
//! names its space.

use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};

use crate::rooms::model::{OpeningHours, Room, RoomId, Slot, SlotState};
use crate::spaces::model::{MembershipId, SpaceId};

mod bookings;

pub use bookings::*;

/// A room as an admin's form sets it.
#[derive(Debug, Clone)]
pub struct RoomFields {
    pub name: String,
    pub description: String,
    pub capacity: i32,
    pub price_per_hour: i64,
    pub slot_minutes: i32,
    pub hours: Vec<OpeningHours>,
}

/// The space's rooms by name; retired ones too when `retired`.
pub async fn rooms(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    retired: bool,
) -> sqlx::Result<Vec<Room>> {
    sqlx::query_as!(
        Room,
        r#"select id as "id: RoomId", name, description, capacity, price_per_hour, slot_minutes,
                  retired_at is not null as "retired!"
           from rooms where space_id = $1 and ($2 or retired_at is null)
           order by lower(name), id"#,
        space as SpaceId,
        retired
    )
    .fetch_all(db)
    .await
}

pub async fn room(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: RoomId,
) -> sqlx::Result<Option<Room>> {
    sqlx::query_as!(
        Room,
        r#"select id as "id: RoomId", name, description, capacity, price_per_hour, slot_minutes,
                  retired_at is not null as "retired!"
           from rooms where space_id = $1 and id = $2"#,
        space as SpaceId,
        id as RoomId
    )
    .fetch_optional(db)
    .await
}

/// The room, its row share-locked: it cannot be retired or changed until the booking that
/// reads it commits.
pub async fn lock_room(
    conn: &mut PgConnection,
    space: SpaceId,
    id: RoomId,
) -> sqlx::Result<Option<Room>> {
    sqlx::query_as!(
        Room,
        r#"select id as "id: RoomId", name, description, capacity, price_per_hour, slot_minutes,
                  retired_at is not null as "retired!"
           from rooms where space_id = $1 and id = $2 for share"#,
        space as SpaceId,
        id as RoomId
    )
    .fetch_optional(conn)
    .await
}

/// Opening hours of every room of the space, by room and weekday.
pub async fn hours(
    db: impl PgExecutor<'_>,
    space: SpaceId,
) -> sqlx::Result<Vec<(RoomId, OpeningHours)>> {
    let rows = sqlx::query!(
        r#"select room_id as "room: RoomId", weekday, opens, closes from room_hours
           where space_id = $1 order by room_id, weekday"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let hours = OpeningHours {
                weekday: r.weekday,
                opens: r.opens,
                closes: r.closes,
            };
            (r.room, hours)
        })
        .collect())
}

/// Adds a room with its hours. None: the space has a room of that name already.
pub async fn create_room(
    conn: &mut PgConnection,
    space: SpaceId,
    f: &RoomFields,
) -> sqlx::Result<Option<RoomId>> {
    let id = sqlx::query_scalar!(
        r#"insert into rooms (space_id, name, description, capacity, price_per_hour, slot_minutes)
           values ($1, $2, $3, $4, $5, $6)
           on conflict do nothing
           returning id as "id: RoomId""#,
        space as SpaceId,
        f.name,
        f.description,
        f.capacity,
        f.price_per_hour,
        f.slot_minutes
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        set_hours(conn, space, id, &f.hours).await?;
    }
    Ok(id)
}

/// Changes a room and its hours. Err(()) when another room has the name; Ok(false) when
/// there is no such room.
pub async fn update_room(
    conn: &mut PgConnection,
    space: SpaceId,
    id: RoomId,
    f: &RoomFields,
) -> sqlx::Result<Result<bool, ()>> {
    let taken = sqlx::query_scalar!(
        r#"select exists (select 1 from rooms where space_id = $1 and lower(name) = lower($2)
                                                and id <> $3) as "taken!""#,
        space as SpaceId,
        f.name,
        id as RoomId
    )
    .fetch_one(&mut *conn)
    .await?;
    if taken {
        return Ok(Err(()));
    }
    let changed = sqlx::query!(
        "update rooms set name = $3, description = $4, capacity = $5, price_per_hour = $6,
                          slot_minutes = $7
         where space_id = $1 and id = $2",
        space as SpaceId,
        id as RoomId,
        f.name,
        f.description,
        f.capacity,
        f.price_per_hour,
        f.slot_minutes
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(Ok(false));
    }
    set_hours(conn, space, id, &f.hours).await?;
    Ok(Ok(true))
}

async fn set_hours(
    conn: &mut PgConnection,
    space: SpaceId,
    room: RoomId,
    hours: &[OpeningHours],
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from room_hours where space_id = $1 and room_id = $2",
        space as SpaceId,
        room as RoomId
    )
    .execute(&mut *conn)
    .await?;
    let weekdays: Vec<i16> = hours.iter().map(|h| h.weekday).collect();
    let opens: Vec<i32> = hours.iter().map(|h| h.opens).collect();
    let closes: Vec<i32> = hours.iter().map(|h| h.closes).collect();
    sqlx::query!(
        "insert into room_hours (space_id, room_id, weekday, opens, closes)
         select $1, $2, w, o, c from unnest($3::smallint[], $4::integer[], $5::integer[]) as u(w, o, c)",
        space as SpaceId,
        room as RoomId,
        &weekdays,
        &opens,
        &closes
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Retires or restores a room. False: no such room.
pub async fn set_retired(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: RoomId,
    retired: bool,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update rooms set retired_at = case when $3 then coalesce(retired_at, now()) end
         where space_id = $1 and id = $2",
        space as SpaceId,
        id as RoomId,
        retired
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The room's slots from day `from` up to (not including) `to`, each marked free, booked,
/// booked by `me`, or past at `now`.
pub async fn slots(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    room: RoomId,
    (from, to): (Date, Date),
    me: MembershipId,
    now: OffsetDateTime,
) -> sqlx::Result<Vec<Slot>> {
    let rows = sqlx::query!(
        r#"select s.starts_at as "starts_at!", s.local_start as "local_start!",
                  s.ends_at at time zone sp.time_zone as "local_end!",
                  s.utc_offset as "utc_offset!",
                  b.membership_id as "booked_by?: MembershipId"
           from room_slots($2::bigint, $3::date, $4::date) s
           join rooms r on r.id = $2 and r.space_id = $1
           join spaces sp on sp.id = r.space_id
           left join lateral (
               select membership_id from bookings b
               where b.space_id = $1 and b.room_id = $2 and b.cancelled_at is null
                 and b.period && tstzrange(s.starts_at, s.ends_at, '[)')
               order by b.membership_id = $5 desc
               limit 1) b on true
           order by s.starts_at"#,
        space as SpaceId,
        room as RoomId,
        from,
        to,
        me as MembershipId
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Slot {
            state: match r.booked_by {
                Some(m) if m == me => SlotState::Mine,
                Some(_) => SlotState::Booked,
                None if r.starts_at < now => SlotState::Past,
                None => SlotState::Free,
            },
            starts_at: r.starts_at,
            local_start: r.local_start,
            local_end: r.local_end,
            utc_offset: r.utc_offset,
        })
        .collect())
}

/// One day's slots of a room that start at `hour:minute` on the space's clock (two on a
/// fall-back night), with where the day's last slot ends: (start, offset), end of day.
pub async fn starts_at(
    db: impl PgExecutor<'_>,
    room: RoomId,
    day: Date,
    minute_of_day: i32,
) -> sqlx::Result<(Vec<(OffsetDateTime, i32)>, Option<OffsetDateTime>)> {
    let rows = sqlx::query!(
        r#"select starts_at as "starts_at!", utc_offset as "utc_offset!",
                  (extract(hour from local_start) * 60 + extract(minute from local_start))::integer
                      = $3 as "wanted!",
                  max(ends_at) over () as "closes!"
           from room_slots($1::bigint, $2::date, $2::date + 1)
           order by starts_at"#,
        room as RoomId,
        day,
        minute_of_day
    )
    .fetch_all(db)
    .await?;
    let closes = rows.first().map(|r| r.closes);
    let starts = rows
        .into_iter()
        .filter(|r| r.wanted)
        .map(|r| (r.starts_at, r.utc_offset))
        .collect();
    Ok((starts, closes))
}

/// The space's cancellation cutoff in hours, and its time zone.
pub async fn rules(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<(i32, String)> {
    let row = sqlx::query!(
        "select cancel_cutoff_hours, time_zone from spaces where id = $1",
        space as SpaceId
    )
    .fetch_one(db)
    .await?;
    Ok((row.cancel_cutoff_hours, row.time_zone))
}

/// Today on the space's clock at `now`.
pub async fn today(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    now: OffsetDateTime,
) -> sqlx::Result<Date> {
    sqlx::query_scalar!(
        r#"select ($2::timestamptz at time zone time_zone)::date as "today!" from spaces where id = $1"#,
        space as SpaceId,
        now
    )
    .fetch_one(db)
    .await
}

/// A moment on the space's clock.
pub async fn local(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    at: OffsetDateTime,
) -> sqlx::Result<time::PrimitiveDateTime> {
    sqlx::query_scalar!(
        r#"select $2::timestamptz at time zone time_zone as "local!" from spaces where id = $1"#,
        space as SpaceId,
        at
    )
    .fetch_one(db)
    .await
}
