//! Queries for bookings: made, found again, cancelled, listed. Every query names its space.

use std::collections::HashMap;

use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::rooms::model::{Booking, BookingId, RoomId};
use crate::spaces::model::{MembershipId, SpaceId};

/// A new booking. False: the id is taken, or the room is booked at that time.
#[expect(clippy::too_many_arguments, reason = "one row's columns")]
pub async fn insert(
    conn: &mut PgConnection,
    id: BookingId,
    space: SpaceId,
    room: RoomId,
    member: MembershipId,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
    price: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into bookings (id, space_id, room_id, membership_id, period, price)
         values ($1, $2, $3, $4, tstzrange($5, $6, '[)'), $7)
         on conflict do nothing",
        id as BookingId,
        space as SpaceId,
        room as RoomId,
        member as MembershipId,
        starts_at,
        ends_at,
        price
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What a booking row says, for telling a repeated form from a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub room: RoomId,
    pub member: MembershipId,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub price: i64,
    pub cancelled: bool,
    pub refund_id: Option<Uuid>,
}

/// The booking's row, locked for update.
pub async fn lock(
    conn: &mut PgConnection,
    space: SpaceId,
    id: BookingId,
) -> sqlx::Result<Option<Row>> {
    sqlx::query_as!(
        Row,
        r#"select room_id as "room: RoomId", membership_id as "member: MembershipId",
                  lower(period) as "starts_at!", upper(period) as "ends_at!", price,
                  cancelled_at is not null as "cancelled!", refund_id
           from bookings where space_id = $1 and id = $2 for update"#,
        space as SpaceId,
        id as BookingId
    )
    .fetch_optional(conn)
    .await
}

pub async fn mark_cancelled(
    conn: &mut PgConnection,
    space: SpaceId,
    id: BookingId,
    by: MembershipId,
    at: OffsetDateTime,
    refund: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update bookings set cancelled_at = $4, cancelled_by = $3, refund_id = $5
         where space_id = $1 and id = $2 and cancelled_at is null",
        space as SpaceId,
        id as BookingId,
        by as MembershipId,
        at,
        refund
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Which bookings a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    /// One booking.
    One(BookingId),
    /// A member's, newest start first.
    Member(MembershipId),
    /// A member's that start on day `.1` of the space's clock, not cancelled.
    MemberOn(MembershipId, Date),
    /// A room's that have not ended at the moment given, not cancelled.
    RoomUpcoming(RoomId, OffsetDateTime),
}

/// Bookings with their room and member, and their times on the space's clock.
pub async fn bookings(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    which: Which,
) -> sqlx::Result<Vec<Booking>> {
    let (one, member, room, day, after) = match which {
        Which::One(id) => (Some(id), None, None, None, None),
        Which::Member(m) => (None, Some(m), None, None, None),
        Which::MemberOn(m, d) => (None, Some(m), None, Some(d), None),
        Which::RoomUpcoming(r, t) => (None, None, Some(r), None, Some(t)),
    };
    sqlx::query_as!(
        Booking,
        r#"select b.id as "id: BookingId", b.room_id as "room_id: RoomId", r.name as room_name,
                  b.membership_id as "membership_id: MembershipId",
                  p.display_name as member_name,
                  lower(b.period) as "starts_at!", upper(b.period) as "ends_at!",
                  lower(b.period) at time zone s.time_zone as "local_start!",
                  upper(b.period) at time zone s.time_zone as "local_end!",
                  b.price, b.created_at, b.cancelled_at is not null as "cancelled!",
                  b.refund_id is not null as "refunded!"
           from bookings b
           join rooms r on r.space_id = b.space_id and r.id = b.room_id
           join spaces s on s.id = b.space_id
           join memberships m on m.space_id = b.space_id and m.id = b.membership_id
           join people p on p.id = m.person_id
           where b.space_id = $1
             and ($2::uuid is null or b.id = $2)
             and ($3::bigint is null or b.membership_id = $3)
             and ($4::bigint is null or b.room_id = $4)
             and ($5::date is null or (b.cancelled_at is null
                  and (lower(b.period) at time zone s.time_zone)::date = $5))
             and ($6::timestamptz is null or (b.cancelled_at is null and upper(b.period) > $6))
           order by case when $5::date is null and $6::timestamptz is null
                         then lower(b.period) end desc,
                    lower(b.period), b.id
           limit 500"#,
        space as SpaceId,
        one.map(|b| b.0),
        member.map(|m| m.0),
        room.map(|r| r.0),
        day,
        after
    )
    .fetch_all(db)
    .await
}

/// How many bookings that have not ended at `at`, not cancelled, each room has; rooms
/// without any are left out.
pub async fn upcoming_counts(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    at: OffsetDateTime,
) -> sqlx::Result<HashMap<RoomId, usize>> {
    let rows = sqlx::query!(
        r#"select room_id as "room: RoomId", count(*) as "n!" from bookings
           where space_id = $1 and cancelled_at is null and upper(period) > $2
           group by room_id"#,
        space as SpaceId,
        at
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.room, usize::try_from(r.n).unwrap_or(0)))
        .collect())
}

/// Whether the room has no booking that overlaps these moments.
pub async fn is_free(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    room: RoomId,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select not exists (select 1 from bookings
                              where space_id = $1 and room_id = $2 and cancelled_at is null
                                and period && tstzrange($3, $4, '[)')) as "free!""#,
        space as SpaceId,
        room as RoomId,
        starts_at,
        ends_at
    )
    .fetch_one(db)
    .await
}
