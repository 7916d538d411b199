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
-- keeps no plans for SQL functions that write); as plpgsql its plan is kept. Same body.
create or replace function notify_members(p_space bigint, p_to bigint[], p_kind text, p_grp text,
                                          p_actor bigint, p_link text, p_about text)
returns integer
language plpgsql as $$
declare
    v_count integer;
begin
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
    select count(*)::integer into v_count from counted;
    return v_count;
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
-- transaction, one commit and one round trip for many payments. Each payment is applied
-- exactly as ledger_pay_members would apply it alone, in the order given, so each keeps its
-- own id and outcome: a refusal is recorded and refuses only that payment; a repeated id is
-- a duplicate or a conflict, even within the batch. Locks are taken first, in one order
-- across the batch: every id's advisory lock in the order of the lock keys, then every
-- account the batch names in id order (as ledger_apply locks its two), so batches cannot
-- deadlock each other or single transfers. Returns one row per payment, with its position.
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
declare
    v_n   integer := coalesce(cardinality(p_ids), 0);
    v_key bigint;
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
        select distinct hashtextextended(i::text, 7210) as k from unnest(p_ids) i order by k
    loop
        perform pg_advisory_xact_lock(v_key);
    end loop;

    perform 1 from ledger_accounts a
    where a.id in (select la.id
                   from unnest(p_spaces || p_spaces, p_payers || p_payees) as x (space, membership)
                   join ledger_accounts la
                     on la.space_id = x.space and la.membership_id = x.membership)
    order by a.id
    for update;

    for i in 1 .. v_n loop
        return query
            select i, p_spaces[i], p_codes[i], p_payers[i], p_payees[i], r.status, r.reason,
                   r.transfer_id, r.amount, r.created_at
            from ledger_pay_members(p_ids[i], p_spaces[i], p_codes[i], p_payers[i], p_payees[i],
                                    p_amounts[i], p_initiated_by[i], p_memos[i], p_hashes[i]) r;
    end loop;
end $$;
revoke execute on function ledger_pay_members_batch(uuid[], bigint[], text[], bigint[], bigint[],
                                                    bigint[], bigint[], text[], bytea[]) from public;
