-- Notifications (SPEC §7): an inbox per membership, written in the same transaction as the
-- event it tells of; an unread counter on the membership that the session query reads; each
-- member's email choices per group; and the daily digest, queued once per local day.

-- How a member hears of a group of events by email.
create table notification_preferences (
    membership_id  bigint not null references memberships (id) on delete cascade,
    grp            text not null
                   check (grp in ('trades', 'messages', 'kudos', 'credits', 'listings', 'admin')),
    mode           text not null check (mode in ('each', 'digest', 'none')),
    primary key (membership_id, grp)
);

-- The default for a group: trades and messages at once, the rest in the daily digest.
-- 'membership' events (approved) have their own account email, so none here.
create function notification_default_mode(p_grp text) returns text
language sql immutable as $$
    select case when p_grp in ('trades', 'messages') then 'each'
                when p_grp = 'membership' then 'none'
                else 'digest' end
$$;

create table notifications (
    id             bigint generated always as identity primary key,
    space_id       bigint not null references spaces (id),
    membership_id  bigint not null,
    kind           text not null check (char_length(kind) between 1 and 40),
    grp            text not null check (grp in ('trades', 'messages', 'kudos', 'credits',
                                                'listings', 'admin', 'membership')),
    -- Who did it (none for the system), and what it is about: a path under /s/{slug}
    -- and a short phrase (a trade's description, a listing's title, an amount).
    actor_id       bigint,
    link           text not null check (char_length(link) <= 200),
    about          text not null default '' check (char_length(about) <= 200),
    created_at     timestamptz not null default now(),
    read_at        timestamptz,
    -- How it goes out by email, as the member chose when it was written; emailed_at is set
    -- once it went (alone, or in a digest).
    email_mode     text not null check (email_mode in ('each', 'digest', 'none')),
    emailed_at     timestamptz,
    foreign key (space_id, membership_id) references memberships (space_id, id) on delete cascade,
    foreign key (space_id, actor_id) references memberships (space_id, id) on delete cascade
);
create index notifications_inbox_idx on notifications (membership_id, id desc);
create index notifications_each_due_idx on notifications (id)
    where email_mode = 'each' and emailed_at is null;
create index notifications_digest_due_idx on notifications (membership_id, id)
    where email_mode = 'digest' and emailed_at is null;
create index notifications_read_idx on notifications (read_at) where read_at is not null;

-- The unread count of each membership, kept with each notification and each "mark read",
-- in the same transaction: the session query reads it, so no page counts. It has a table of
-- its own so that writing it never waits on the share locks that trades and payments take
-- on the memberships row; rows are locked in membership order, so writers cannot deadlock.
create table inbox_counters (
    membership_id  bigint primary key references memberships (id) on delete cascade,
    unread         integer not null default 0 check (unread >= 0)
);

-- Writes one notification to each of `p_to` (active members of the space, less the actor)
-- and counts it unread, in the caller's transaction. Returns how many were written.
create function notify_members(p_space bigint, p_to bigint[], p_kind text, p_grp text,
                               p_actor bigint, p_link text, p_about text)
returns integer
language sql as $$
    with written as (
        insert into notifications (space_id, membership_id, kind, grp, actor_id, link, about,
                                   email_mode)
        select p_space, m.id, p_kind, p_grp, p_actor, p_link, left(p_about, 200),
               coalesce(pref.mode, notification_default_mode(p_grp))
        from memberships m
        left join notification_preferences pref
               on pref.membership_id = m.id and pref.grp = p_grp
        where m.space_id = p_space and m.id = any (p_to) and m.status = 'active'
          and m.id is distinct from p_actor
        order by m.id
        returning membership_id
    ), counted as (
        insert into inbox_counters as c (membership_id, unread)
        select membership_id, count(*) from written group by membership_id order by membership_id
        on conflict (membership_id) do update set unread = c.unread + excluded.unread
        returning unread
    )
    -- One row each: a member gets one notification per call.
    select count(*)::integer from counted
$$;

-- The space's active admins, for events that concern them.
create function space_admins(p_space bigint) returns bigint[]
language sql stable as $$
    select coalesce(array_agg(id order by id), '{}') from memberships
    where space_id = p_space and role = 'admin' and status = 'active'
$$;

-- One digest per membership per local day: the row is written in the transaction that
-- queues the email, so two instances, or a restart, never queue it twice.
create table notification_digests (
    membership_id  bigint not null references memberships (id) on delete cascade,
    local_day      date not null,
    outbox_id      bigint references email_outbox (id),
    created_at     timestamptz not null default now(),
    primary key (membership_id, local_day)
);

-- Every email that is not an account email carries a one-click unsubscribe link
-- (RFC 8058), sent as its List-Unsubscribe header.
alter table email_outbox add column unsubscribe_url text;

-- A reminder the day before a delivered trade completes by itself; a warning three days
-- before a listing expires. Each is sent once.
alter table trades add column reminded_at timestamptz;
alter table listings add column expiry_warned_at timestamptz;

-- The admins' outbox reader lists a space's email newest first; retention clears the text
-- of delivered email after 7 days.
create index email_outbox_space_idx on email_outbox (space_id, id desc);
create index email_outbox_clear_idx on email_outbox (sent_at) where body <> '';
