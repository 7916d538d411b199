-- One booking attempt, as the booking service makes it (src/rooms/service): in one
-- transaction, the booking row (the exclusion constraint refuses an overlap, and ON
-- CONFLICT DO NOTHING turns that into "taken"), then its payment through ledger_apply under
-- the booking's own id, from the member's account to the space account.
-- Variables from bench/rooms: :space, :space_account, :members, :rooms.
\set room random(1, :rooms)
\set day random(0, 29)
\set slot random(0, 18)
\set len random(1, 2)
\set m random(1, :members)
BEGIN;
WITH who AS (select membership_id, account_id from bench_members where n = :m),
     room AS (select room_id, price_per_hour from bench_rooms where n = :room),
     booked AS (
         insert into bookings (id, space_id, room_id, membership_id, period, price)
         select gen_random_uuid(), :space, room.room_id, who.membership_id,
                tstzrange(s.t, s.t + make_interval(mins => 30 * :len), '[)'),
                room.price_per_hour * :len / 2
         from who, room,
              (select ((date '2031-03-03' + :day) + make_interval(mins => 480 + 30 * :slot))
                      at time zone (select time_zone from spaces where id = :space) as t) s
         on conflict do nothing
         returning id, price)
select l.status
from booked, who,
     ledger_apply(booked.id, :space, 'single', 'booking', who.account_id, :space_account,
                  booked.price, null::uuid, null::uuid, null::integer, null::bigint,
                  'Room booking (bench)', sha256(booked.id::text::bytea), false,
                  null::timestamptz) l;
COMMIT;
