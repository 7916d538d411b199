-- Rooms (SPEC §5, §6.2): rooms an admin defines, with opening hours per weekday in the
-- space's time zone and a slot length; bookings paid through the ledger; and the space's
-- cancellation cutoff. Double booking is impossible in the database: an exclusion
-- constraint over each room's booked time ranges refuses an overlap, however requests race.

create extension if not exists btree_gist;

-- Cancelling a booking at least this many hours before it starts refunds it in full.
alter table spaces add column cancel_cutoff_hours integer not null default 24
    check (cancel_cutoff_hours between 0 and 720);

create table rooms (
    id              bigint generated always as identity primary key,
    space_id        bigint not null references spaces (id),
    name            text not null check (char_length(name) between 1 and 80),
    description     text not null default '' check (char_length(description) <= 2000),
    capacity        integer not null check (capacity between 1 and 1000),
    -- Hundredths of a credit per hour; zero is a free room, whose bookings move no credits.
    price_per_hour  bigint not null check (price_per_hour between 0 and 100000000),
    -- Bookings start on the room's slots and last a whole number of them.
    slot_minutes    integer not null check (slot_minutes between 5 and 240 and slot_minutes % 5 = 0),
    -- A retired room takes no new bookings; its bookings stay until an admin cancels them.
    retired_at      timestamptz,
    created_at      timestamptz not null default now(),
    unique (space_id, id)
);
create unique index rooms_name_key on rooms (space_id, lower(name));

-- Opening hours: at most one span per weekday (ISO: 1 is Monday), on the space's clock, in
-- minutes after midnight. A weekday without a row is closed; closing at 1440 is midnight.
create table room_hours (
    space_id  bigint not null,
    room_id   bigint not null,
    weekday   smallint not null check (weekday between 1 and 7),
    opens     integer not null check (opens between 0 and 1435),
    closes    integer not null check (closes between 5 and 1440),
    primary key (room_id, weekday),
    check (opens < closes),
    foreign key (space_id, room_id) references rooms (space_id, id) on delete cascade
);

create table bookings (
    -- Chosen by the form before it is sent: the booking's idempotency key, and the id of
    -- its payment on the ledger.
    id              uuid primary key,
    space_id        bigint not null,
    room_id         bigint not null,
    membership_id   bigint not null,
    period          tstzrange not null
                    check (not isempty(period) and lower_inc(period) and not upper_inc(period)
                           and not lower_inf(period) and not upper_inf(period)),
    -- What was paid, in hundredths; zero for a free room (no transfer then).
    price           bigint not null check (price >= 0),
    created_at      timestamptz not null default now(),
    cancelled_at    timestamptz,
    cancelled_by    bigint,
    -- The refund's transfer, when cancelling gave the credits back.
    refund_id       uuid,
    check ((cancelled_at is null) = (cancelled_by is null)),
    check (refund_id is null or cancelled_at is not null),
    foreign key (space_id, room_id) references rooms (space_id, id),
    foreign key (space_id, membership_id) references memberships (space_id, id),
    foreign key (space_id, cancelled_by) references memberships (space_id, id),
    constraint bookings_no_double_booking
        exclude using gist (space_id with =, room_id with =, period with &&)
        where (cancelled_at is null)
);
create index bookings_member_idx on bookings (membership_id, lower(period));
create index bookings_space_idx on bookings (space_id, lower(period));

-- A room's slots from day `p_from` up to (not including) day `p_to`, in the space's zone.
-- Each day's slots step through real time from the opening to the closing moment, so a
-- daylight-saving change neither loses nor doubles one: the spring-forward night has an
-- hour less of slots, the fall-back night an hour more, each slot once. `local_start` is
-- the slot's start on the space's clock, `utc_offset` its offset from UTC in minutes (two
-- slots of the fall-back night share a local start and differ in offset).
create function room_slots(p_room bigint, p_from date, p_to date)
returns table (day date, starts_at timestamptz, ends_at timestamptz,
               local_start timestamp, utc_offset integer)
language sql stable as $$
    select d.day, g.s, g.s + make_interval(mins => r.slot_minutes),
           g.s at time zone sp.time_zone,
           (extract(epoch from (g.s at time zone sp.time_zone) - (g.s at time zone 'UTC')) / 60)::integer
    from rooms r
    join spaces sp on sp.id = r.space_id
    cross join lateral (select generate_series(p_from::timestamp, (p_to - 1)::timestamp, interval '1 day')::date as day) d
    join room_hours h on h.room_id = r.id and h.weekday = extract(isodow from d.day)
    cross join lateral generate_series(
        (d.day + make_interval(mins => h.opens)) at time zone sp.time_zone,
        ((d.day + make_interval(mins => h.closes)) at time zone sp.time_zone) - make_interval(mins => r.slot_minutes),
        make_interval(mins => r.slot_minutes)) as g(s)
    where r.id = p_room and p_to > p_from and p_to - p_from <= 62
    order by g.s
$$;
