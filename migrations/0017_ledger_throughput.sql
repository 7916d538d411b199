-- Ledger throughput (shared/LEDGER.md "Speed"): standalone member payments applied in
-- batches, and less work per transfer. No guarantee is weakened: the limit CHECKs, the
-- append-only triggers, the unique pending_id and reverses_id indexes, stored rejections and
-- the functions' owner rights all stay as they were.

-- 1. Fewer checks per account UPDATE. Every UPDATE of a row checks every CHECK on it, and
-- PostgreSQL reads and compiles each constraint's expression again for every statement that
-- writes the table; each transfer updates two accounts. So:
--  * the checks on columns a transfer never sets (the account's kind, what it belongs to,
--    its limit and maximum) move to a trigger that fires only on INSERT, or on an UPDATE
--    that sets one of those columns;
--  * the six "never below zero" checks on the counters become one;
--  * within_limit and within_max stay as they are, on the row beside the counters.
alter table ledger_accounts
    drop constraint ledger_accounts_kind_check,
    drop constraint ledger_accounts_check,
    drop constraint ledger_accounts_check1,
    drop constraint ledger_accounts_credit_limit_check,
    drop constraint ledger_accounts_max_balance_check,
    drop constraint ledger_accounts_debits_pending_check,
    drop constraint ledger_accounts_debits_posted_check,
    drop constraint ledger_accounts_credits_pending_check,
    drop constraint ledger_accounts_credits_posted_check,
    drop constraint ledger_accounts_grace_check,
    drop constraint ledger_accounts_version_check,
    add constraint ledger_accounts_counters_not_negative
        check (debits_pending >= 0 and debits_posted >= 0 and credits_pending >= 0
               and credits_posted >= 0 and grace >= 0 and version >= 0);

create function ledger_accounts_check_shape() returns trigger
language plpgsql as $$
begin
    if new.kind is null or new.kind not in ('member', 'system')
       or (new.kind = 'member') <> (new.membership_id is not null)
       or (new.kind = 'system') <> (new.code is not null)
       or new.credit_limit not between 0 and 100000000000
       or new.max_balance < 0 then
        raise exception 'ledger account % breaks its shape (kind %, limit %, maximum %)',
                        new.id, new.kind, new.credit_limit, new.max_balance
              using errcode = 'check_violation', table = 'ledger_accounts';
    end if;
    return new;
end $$;

create trigger ledger_accounts_shape
    before insert or update of kind, membership_id, code, credit_limit, max_balance
    on ledger_accounts for each row execute function ledger_accounts_check_shape();

-- Notifications are written in the transaction of what they tell of, a payment's among
-- them. As an SQL function notify_members was planned afresh on every call (PostgreSQL
-- keeps no plans for SQL functions that write); in plpgsql its plan is kept. And a batch of
-- payments tells all its payees in one statement: notify_each writes one notification per
-- element of its arrays (each with its own space, recipient, actor and text) under the
-- rules notify_members always had (active members of the space only, never the actor, each
-- member's choice of email), and counts them unread per member. notify_members is
-- notify_each for one event told to several members, once each.
create function notify_each(p_spaces bigint[], p_to bigint[], p_kind text, p_grp text,
                            p_actors bigint[], p_link text, p_abouts text[])
returns integer
language plpgsql as $$
declare
    v_count integer;
begin
    with wanted as (
        select * from unnest(p_spaces, p_to, p_actors, p_abouts) with ordinality
                      as w (space, member, actor, about, n)
    ), written as (
        insert into notifications (space_id, membership_id, kind, grp, actor_id, link, about,
                                   email_mode)
        select w.space, m.id, p_kind, p_grp, w.actor, p_link, left(w.about, 200),
               coalesce(pref.mode, notification_default_mode(p_grp))
        from wanted w
        join memberships m on m.id = w.member and m.space_id = w.space
        left join notification_preferences pref
               on pref.membership_id = m.id and pref.grp = p_grp
        where m.status = 'active' and m.id is distinct from w.actor
        order by m.id, w.n
        returning membership_id
    ), counted as (
        insert into inbox_counters as c (membership_id, unread)
        select membership_id, count(*) from written group by membership_id order by membership_id
        on conflict (membership_id) do update set unread = c.unread + excluded.unread
    )
    select count(*)::integer into v_count from written;
    return v_count;
end $$;

create or replace function notify_members(p_space bigint, p_to bigint[], p_kind text, p_grp text,
                                          p_actor bigint, p_link text, p_about text)
returns integer
language plpgsql as $$
declare
    v_to bigint[] := array(select distinct x from unnest(p_to) x where x is not null order by x);
    v_n  integer := cardinality(v_to);
begin
    if v_n = 0 then
        return 0;
    end if;
    -- One notification per member, however often the list names them.
    return notify_each(array_fill(p_space, array[v_n]), v_to, p_kind, p_grp,
                       array_fill(p_actor, array[v_n]), p_link, array_fill(p_about, array[v_n]));
end $$;

-- 2. A member payment finds both accounts in one lookup (it took two).
create or replace function ledger_pay_members(
    p_id           uuid,
    p_space        bigint,
    p_code         text,
    p_payer        bigint,
    p_payee        bigint,
    p_amount       bigint,
    p_initiated_by bigint,
    p_memo         text,
    p_hash         bytea
) returns table (status text, reason text, transfer_id uuid, amount bigint, created_at timestamptz)
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
    v_from bigint;
    v_to   bigint;
begin
    select max(a.id) filter (where m.id = p_payer), max(a.id) filter (where m.id = p_payee)
      into v_from, v_to
    from ledger_accounts a join memberships m on m.id = a.membership_id
    where a.space_id = p_space and m.space_id = p_space and m.id in (p_payer, p_payee)
      and m.status = 'active';
    if v_from is null or v_to is null then
        -- A retry of a payment made before someone's membership changed gets its original
        -- outcome: ledger_apply answers from the id before it looks at any account.
        if exists (select 1 from ledger_transfers t where t.id = p_id)
           or exists (select 1 from ledger_rejections r where r.id = p_id) then
            return query select * from ledger_apply(p_id, p_space, 'single', p_code, null, null,
                                                    p_amount, null, null, null, p_initiated_by,
                                                    p_memo, p_hash, false, null);
            return;
        end if;
        -- Otherwise nothing is recorded: who is active can change, so a later retry may
        -- fairly succeed.
        return query select 'rejected'::text, 'member_not_active'::text, p_id, null::bigint,
                            null::timestamptz;
        return;
    end if;
    return query select * from ledger_apply(p_id, p_space, 'single', p_code, v_from, v_to, p_amount,
                                            null, null, null, p_initiated_by, p_memo, p_hash,
                                            false, null);
end $$;

-- 3. Standalone member payments in batches (src/ledger/batch.rs): one statement, so one
-- transaction, one commit and one round trip for many payments, and the rows of all of them
-- written by one INSERT (transfers, entries, rejections) or UPDATE (accounts) each.
--
-- Each payment gets exactly the outcome ledger_pay_members would give it alone, in the
-- order given: the same checks, in the same order, on the accounts as the payments before
-- it in the batch left them. So each keeps its own id and outcome; a refusal is recorded
-- and refuses only that payment; a repeated id is a duplicate or a conflict, even within
-- the batch. Member payments are always single transfers between two members, without
-- reversal or override, which is all this function does.
--
-- Locks are taken first, in one order across the batch: every id's advisory lock in the
-- order of the lock keys, then every account the batch names in id order (as ledger_apply
-- locks its two), so batches cannot deadlock each other or single transfers. The accounts'
-- within_limit and within_max CHECKs see each account's state after the batch; every step
-- in between is checked here and again by ledger_entries' within_limit CHECK, one entry
-- per step. Returns one row per payment, with its position.
create function ledger_pay_members_batch(
    p_ids          uuid[],
    p_spaces       bigint[],
    p_codes        text[],
    p_payers       bigint[],
    p_payees       bigint[],
    p_amounts      bigint[],
    p_initiated_by bigint[],
    p_memos        text[],
    p_hashes       bytea[]
) returns table (ord integer, space_id bigint, code text, payer bigint, payee bigint, status text,
                 reason text, transfer_id uuid, amount bigint, created_at timestamptz)
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
#variable_conflict use_column
declare
    v_n        integer := coalesce(cardinality(p_ids), 0);
    v_at       timestamptz := now();
    v_key      bigint;
    -- The accounts, locked, as arrays by position (a_*), and the active members' accounts
    -- by "space:membership".
    a_id       bigint[];
    a_space    bigint[];
    a_limit    bigint[];
    a_max      bigint[];
    a_grace    bigint[];
    a_dpend    bigint[];
    a_dpost    bigint[];
    a_cpend    bigint[];
    a_cpost    bigint[];
    a_version  bigint[];
    a_closed   boolean[];
    a_changed  boolean[];
    m_key      text[];
    m_account  bigint[];
    -- Earlier outcomes by id (p_*), from the ledger and from this batch.
    o_id       uuid[];
    o_hash     bytea[];
    o_amount   bigint[];
    o_at       timestamptz[];
    o_reason   text[];
    -- What to write.
    t_ord      integer[] := '{}';
    t_debit    bigint[] := '{}';
    t_credit   bigint[] := '{}';
    r_ord      integer[] := '{}';
    r_reason   text[] := '{}';
    e_account  bigint[] := '{}';
    e_version  bigint[] := '{}';
    e_transfer uuid[] := '{}';
    e_delta    bigint[] := '{}';
    e_balance  bigint[] := '{}';
    e_held     bigint[] := '{}';
    e_limit    bigint[] := '{}';
    e_space    bigint[] := '{}';
    -- Each payment's answer.
    x_status   text[] := array_fill(null::text, array[v_n]);
    x_reason   text[] := array_fill(null::text, array[v_n]);
    x_amount   bigint[] := array_fill(null::bigint, array[v_n]);
    x_at       timestamptz[] := array_fill(null::timestamptz, array[v_n]);
    i          integer;
    j          integer;
    d          integer;
    c          integer;
    v_from     bigint;
    v_to       bigint;
    v_amount   bigint;
    v_reason   text;
begin
    if v_n = 0 then
        return;
    end if;
    if coalesce(cardinality(p_spaces), 0) <> v_n or coalesce(cardinality(p_codes), 0) <> v_n
       or coalesce(cardinality(p_payers), 0) <> v_n or coalesce(cardinality(p_payees), 0) <> v_n
       or coalesce(cardinality(p_amounts), 0) <> v_n or coalesce(cardinality(p_initiated_by), 0) <> v_n
       or coalesce(cardinality(p_memos), 0) <> v_n or coalesce(cardinality(p_hashes), 0) <> v_n then
        raise exception 'ledger_pay_members_batch: % ids but arrays of other lengths', v_n;
    end if;

    for v_key in
        select distinct hashtextextended(x::text, 7210) as k from unnest(p_ids) x order by k
    loop
        perform pg_advisory_xact_lock(v_key);
    end loop;

    -- Every account the batch names, locked in id order, and read as the lock leaves it.
    select array_agg(a.id order by a.id), array_agg(a.space_id order by a.id),
           array_agg(a.credit_limit order by a.id), array_agg(a.max_balance order by a.id),
           array_agg(a.grace order by a.id), array_agg(a.debits_pending order by a.id),
           array_agg(a.debits_posted order by a.id), array_agg(a.credits_pending order by a.id),
           array_agg(a.credits_posted order by a.id), array_agg(a.version order by a.id),
           array_agg(a.closed order by a.id)
      into a_id, a_space, a_limit, a_max, a_grace, a_dpend, a_dpost, a_cpend, a_cpost,
           a_version, a_closed
    from (select la.* from ledger_accounts la
          where la.id in (select acc.id
                          from unnest(p_spaces || p_spaces, p_payers || p_payees) as x (space, membership)
                          join ledger_accounts acc
                            on acc.space_id = x.space and acc.membership_id = x.membership)
          order by la.id
          for update) a;
    a_changed := array_fill(false, array[coalesce(cardinality(a_id), 0)]);

    -- Who may pay and be paid: active members, as ledger_pay_members asks.
    select array_agg(m.space_id || ':' || m.id), array_agg(acc.id)
      into m_key, m_account
    from memberships m
    join ledger_accounts acc on acc.space_id = m.space_id and acc.membership_id = m.id
    where m.status = 'active'
      and (m.space_id, m.id) in (select * from unnest(p_spaces || p_spaces, p_payers || p_payees));

    -- Earlier outcomes of these ids, read under their locks.
    select array_agg(y.id), array_agg(y.request_hash), array_agg(y.amount), array_agg(y.created_at),
           array_agg(y.reason)
      into o_id, o_hash, o_amount, o_at, o_reason
    from (select t.id, t.request_hash, t.amount, t.created_at, null::text as reason
          from ledger_transfers t where t.id = any (p_ids)
          union all
          select r.id, r.request_hash, null, null, r.reason
          from ledger_rejections r where r.id = any (p_ids)) y;
    o_id := coalesce(o_id, '{}');

    for i in 1 .. v_n loop
        j := array_position(o_id, p_ids[i]);
        if j is not null then
            -- As ledger_apply answers a known id, before it looks at any account.
            if o_hash[j] <> p_hashes[i] then
                x_status[i] := 'conflict'; x_reason[i] := 'id_reused';
            elsif o_reason[j] is not null then
                x_status[i] := 'rejected'; x_reason[i] := o_reason[j];
            else
                x_status[i] := 'duplicate'; x_amount[i] := o_amount[j]; x_at[i] := o_at[j];
            end if;
            continue;
        end if;
        v_from := m_account[array_position(m_key, p_spaces[i] || ':' || p_payers[i])];
        v_to := m_account[array_position(m_key, p_spaces[i] || ':' || p_payees[i])];
        if v_from is null or v_to is null then
            -- Nothing recorded: who is active can change, so a later retry may succeed.
            x_status[i] := 'rejected'; x_reason[i] := 'member_not_active';
            continue;
        end if;
        d := array_position(a_id, v_from);
        c := array_position(a_id, v_to);
        v_amount := p_amounts[i];
        v_reason := null;
        -- ledger_apply's checks for a single transfer, in its order.
        if v_from = v_to then
            v_reason := 'same_account';
        elsif v_amount is null or v_amount <= 0 then
            v_reason := 'invalid_amount';
        elsif a_closed[d] or a_closed[c] then
            v_reason := 'account_closed';
        elsif a_cpost[d] - a_dpost[d] - a_dpend[d] + a_limit[d] < v_amount then
            v_reason := 'insufficient_funds';
        elsif a_max[c] is not null and a_cpost[c] - a_dpost[c] + a_cpend[c] + v_amount > a_max[c] then
            v_reason := 'exceeds_max_balance';
        end if;

        o_id := o_id || p_ids[i];
        o_hash := o_hash || p_hashes[i];
        if v_reason is not null then
            r_ord := r_ord || i;
            r_reason := r_reason || v_reason;
            o_amount := o_amount || null::bigint;
            o_at := o_at || null::timestamptz;
            o_reason := o_reason || v_reason;
            x_status[i] := 'rejected'; x_reason[i] := v_reason;
            continue;
        end if;

        -- Applied: the counters, grace and versions as ledger_apply leaves them.
        a_dpost[d] := a_dpost[d] + v_amount;
        a_grace[d] := least(a_grace[d], greatest(0, -(a_cpost[d] - a_dpost[d] - a_dpend[d] + a_limit[d])));
        a_version[d] := a_version[d] + 1;
        a_cpost[c] := a_cpost[c] + v_amount;
        a_grace[c] := least(a_grace[c], greatest(0, -(a_cpost[c] - a_dpost[c] - a_dpend[c] + a_limit[c])));
        a_version[c] := a_version[c] + 1;
        a_changed[d] := true;
        a_changed[c] := true;
        t_ord := t_ord || i;
        t_debit := t_debit || v_from;
        t_credit := t_credit || v_to;
        e_account := e_account || v_from || v_to;
        e_version := e_version || a_version[d] || a_version[c];
        e_transfer := e_transfer || p_ids[i] || p_ids[i];
        e_delta := e_delta || -v_amount || v_amount;
        e_balance := e_balance || (a_cpost[d] - a_dpost[d]) || (a_cpost[c] - a_dpost[c]);
        e_held := e_held || a_dpend[d] || a_dpend[c];
        e_limit := e_limit || (a_limit[d] + a_grace[d]) || (a_limit[c] + a_grace[c]);
        e_space := e_space || p_spaces[i] || p_spaces[i];
        o_amount := o_amount || v_amount;
        o_at := o_at || v_at;
        o_reason := o_reason || null::text;
        x_status[i] := 'ok'; x_amount[i] := v_amount; x_at[i] := v_at;
    end loop;

    insert into ledger_transfers (id, space_id, kind, code, debit_account_id, credit_account_id,
                                  amount, initiated_by, memo, request_hash, created_at)
    select p_ids[k], p_spaces[k], 'single', p_codes[k], t.debit, t.credit, p_amounts[k],
           p_initiated_by[k], coalesce(p_memos[k], ''), p_hashes[k], v_at
    from unnest(t_ord, t_debit, t_credit) as t (k, debit, credit);

    update ledger_accounts acc set
        debits_posted = a_dpost[k], credits_posted = a_cpost[k], grace = a_grace[k],
        version = a_version[k]
    from generate_subscripts(a_id, 1) as k
    where a_changed[k] and acc.id = a_id[k];

    insert into ledger_entries (account_id, version, space_id, transfer_id, posted_delta,
                                pending_delta, balance_after, held_after, limit_after, created_at)
    select e.account, e.version, e.space, e.transfer, e.delta, 0, e.balance, e.held, e.lim, v_at
    from unnest(e_account, e_version, e_space, e_transfer, e_delta, e_balance, e_held, e_limit)
         as e (account, version, space, transfer, delta, balance, held, lim);

    insert into ledger_rejections (id, space_id, reason, request_hash)
    select p_ids[k], p_spaces[k], r.reason, p_hashes[k]
    from unnest(r_ord, r_reason) as r (k, reason);

    return query
        select k, p_spaces[k], p_codes[k], p_payers[k], p_payees[k], x_status[k], x_reason[k],
               p_ids[k], x_amount[k], x_at[k]
        from generate_subscripts(p_ids, 1) as k;
end $$;
revoke execute on function ledger_pay_members_batch(uuid[], bigint[], text[], bigint[], bigint[],
                                                    bigint[], bigint[], text[], bytea[]) from public;
