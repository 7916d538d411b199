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

-- Least privilege. The app connects as a role that owns nothing (`swapdesk_app`, or a login
-- role that belongs to it); the migrations' role owns the schema. The app reads the ledger
-- but writes it only through these functions, which run as their owner with a fixed
-- search_path. It cannot switch the append-only triggers off: that takes ownership, and
-- session_replication_role takes a superuser.
create function ledger_set_credit_limit(p_space bigint, p_account bigint, p_limit bigint)
returns boolean language sql as $$
    -- A limit lowered below the debt turns the excess into grace: the account stays valid
    -- but cannot spend until it earns. Grace grows by at most what the limit shrank.
    with done as (
        update ledger_accounts set credit_limit = p_limit,
               grace = greatest(0, least(-(credits_posted - debits_posted - debits_pending + p_limit),
                                         grace + greatest(0, credit_limit - p_limit)))
         where space_id = p_space and id = p_account
        returning 1
    )
    select exists (select 1 from done)
$$;

do $$
declare
    f regprocedure;
begin
    for f in select p.oid::regprocedure from pg_proc p
             join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = 'public'
               and p.proname in ('ledger_apply', 'ledger_pay_members', 'ledger_set_credit_limit',
                                 'ledger_open_space_account', 'ledger_open_member_account')
    loop
        execute format('alter function %s security definer set search_path = pg_catalog, public, pg_temp', f);
        execute format('revoke execute on function %s from public', f);
    end loop;
end $$;

-- Grants the app's role what it needs, and nothing more. `swapdesk migrate` (and every
-- start) runs it after the migrations, as the owner, so tables added later are covered.
create function swapdesk_grant_app() returns void language plpgsql as $$
declare
    f regprocedure;
begin
    if not exists (select 1 from pg_roles where rolname = 'swapdesk_app') then
        raise notice 'role swapdesk_app does not exist: the app runs with its connection''s own rights';
        return;
    end if;
    grant usage on schema public to swapdesk_app;
    grant select, insert, update, delete on all tables in schema public to swapdesk_app;
    grant usage, select on all sequences in schema public to swapdesk_app;
    -- The ledger is read freely and written only through its functions.
    revoke insert, update, delete, truncate on ledger_accounts, ledger_transfers,
        ledger_entries, ledger_rejections, ledger_open_holds from swapdesk_app;
    -- Append-only and write-once tables.
    revoke update, delete, truncate on audit_log, instance_secrets from swapdesk_app;
    revoke insert, update, delete, truncate on _sqlx_migrations from swapdesk_app;
    for f in select p.oid::regprocedure from pg_proc p
             join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = 'public' and p.prosecdef
    loop
        execute format('grant execute on function %s to swapdesk_app', f);
    end loop;
end $$;
