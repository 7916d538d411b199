-- Security hardening: an instance signing key, accounts whose password is chosen by the
-- owner of the address, account email that does not outlive its delivery, throttles that
-- slow rather than shut, and a demo that only touches its own space.

-- The key that signs cookies and links, when SECRET_KEY is not set: made once by whichever
-- instance starts first, then shared by all.
create table instance_secrets (
    name        text primary key,
    secret      bytea not null check (octet_length(secret) >= 32),
    created_at  timestamptz not null default now()
);

-- A person who joins through the web has no password until the owner of the address, who
-- holds the confirmation link, chooses one: a password chosen by someone else never exists.
alter table people alter column password_hash drop not null;

-- Account email (confirmation, reset) carries a link that signs its holder in. Its body is
-- cleared once delivered, and admins never read it (SPEC §7).
alter table email_outbox add column account_email boolean not null default false;
update email_outbox set account_email = true
 where subject in ('Confirm your email address for Swapdesk', 'Reset your Swapdesk password');
update email_outbox set body = '' where account_email and sent_at is not null;

-- Sign-in throttles that slow rather than shut (SPEC §8.5). Each attempt is counted before
-- its password is checked, against three keys: the account at this address (the pair), the
-- account from everywhere, and the address across accounts. A correct password refunds it.
-- Past its allowance a key makes the attempt wait, 30 s doubling per further failure up to
-- a cap; the account-wide key holds back only addresses that have failed on this account,
-- and the address-wide key spares a browser that signed in to this account before.
alter table throttles add column last_hit_at timestamptz;

-- How long a key past its allowance still makes an attempt wait, in seconds.
create function throttle_wait(
    p_hits int, p_allowance int, p_last timestamptz, p_base double precision,
    p_cap double precision
) returns double precision language sql stable as $$
    select case
        when p_hits >= p_allowance and p_last is not null then greatest(0,
            extract(epoch from p_last - now())
            + least(p_cap, p_base * power(2, least(p_hits - p_allowance, 30))))
        else 0
    end
$$;

create function signin_attempt(
    p_pair text, p_account text, p_address text, p_known_device boolean,
    p_allowances int[], p_window_secs double precision, p_base_secs double precision,
    p_cap_secs double precision,
    out wait_secs bigint, out pair_hits int, out account_hits int, out address_hits int
) language plpgsql as $$
declare
    v_keys text[] := array[p_pair, p_account, p_address];
    v_window interval := make_interval(secs => p_window_secs);
    v_hits int[] := array[0, 0, 0];
    v_last timestamptz[] := array[null, null, null]::timestamptz[];
    v_wait double precision;
    r record;
    k text;
begin
    -- Parallel attempts on a key queue here, so a burst cannot slip past its allowance.
    -- Keys are locked in one order, so two attempts never wait for each other in a cycle.
    for k in select distinct unnest(v_keys) order by 1 loop
        perform pg_advisory_xact_lock(hashtextextended('throttle:' || k, 0));
    end loop;
    for r in select key, hits, last_hit_at from throttles
             where key = any(v_keys) and window_start >= now() - v_window loop
        v_hits[array_position(v_keys, r.key)] := r.hits;
        v_last[array_position(v_keys, r.key)] := r.last_hit_at;
    end loop;
    v_wait := greatest(
        throttle_wait(v_hits[1], p_allowances[1], v_last[1], p_base_secs, p_cap_secs),
        case when v_hits[1] > 0
             then throttle_wait(v_hits[2], p_allowances[2], v_last[2], p_base_secs, p_cap_secs)
             else 0 end,
        case when not p_known_device
             then throttle_wait(v_hits[3], p_allowances[3], v_last[3], p_base_secs, p_cap_secs)
             else 0 end);
    pair_hits := v_hits[1];
    account_hits := v_hits[2];
    address_hits := v_hits[3];
    if v_wait > 0 then
        -- A refused attempt writes nothing: waiting out a slowdown costs no rows.
        wait_secs := ceil(v_wait);
        return;
    end if;
    insert into throttles as t (key, hits, window_start, last_hit_at)
    select unnest(v_keys), 1, now(), now()
    on conflict (key) do update set
        hits = case when t.window_start < now() - v_window then 1 else t.hits + 1 end,
        window_start = case when t.window_start < now() - v_window then now()
                            else t.window_start end,
        last_hit_at = now();
    wait_secs := 0;
    pair_hits := pair_hits + 1;
    account_hits := account_hits + 1;
    address_hits := address_hits + 1;
end $$;

-- `swapdesk demo` seeds only a space it made itself: it never attaches accounts with the
-- published demo password to a live space that happens to be called "demo". A demo space
-- seeded before this column existed is recognised by its members, all from the demo's
-- own domain.
alter table spaces add column made_by_demo boolean not null default false;
update spaces s set made_by_demo = true
 where s.slug = 'demo'
   and exists (select 1 from memberships m where m.space_id = s.id)
   and not exists (select 1 from memberships m join people p on p.id = m.person_id
                   where m.space_id = s.id and p.email not like '%@harbour.example');
