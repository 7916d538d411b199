-- The credit ledger (SPEC §4, shared/LEDGER.md): accounts with four counters, append-only
-- transfers, per-account entries with a gap-free version and running balance, and recorded
-- rejections. All money moves through ledger_apply(), one short transaction per call.
--
-- Amounts are bigint hundredths of a credit. For an account:
--   balance   = credits_posted - debits_posted
--   available = balance - debits_pending + credit_limit

alter table spaces
    -- The credit limit a new member's account opens with, in hundredths.
    add column default_credit_limit bigint not null default 2000
        check (default_credit_limit between 0 and 100000000);

create table ledger_accounts (
    id               bigint generated always as identity primary key,
    space_id         bigint not null references spaces (id),
    kind             text not null check (kind in ('member', 'system')),
    -- The member's membership; null for system accounts.
    membership_id    bigint,
    -- Names a system account within its space: 'space' holds grants and room income.
    code             text,
    -- How far below zero the balance may go (mutual credit).
    credit_limit     bigint not null default 0 check (credit_limit between 0 and 100000000000),
    max_balance      bigint check (max_balance >= 0),
    -- How far past its credit limit the account already was when an admin lowered the
    -- limit or forced a reversal. It only shrinks. The CHECK below allows that much, so a
    -- lowered limit never breaks an account; the ledger itself never spends into it.
    grace            bigint not null default 0 check (grace >= 0),
    debits_pending   bigint not null default 0 check (debits_pending >= 0),
    debits_posted    bigint not null default 0 check (debits_posted >= 0),
    credits_pending  bigint not null default 0 check (credits_pending >= 0),
    credits_posted   bigint not null default 0 check (credits_posted >= 0),
    -- The number of entries: the next entry gets version + 1.
    version          bigint not null default 0 check (version >= 0),
    closed           boolean not null default false,
    created_at       timestamptz not null default now(),
    unique (space_id, id),
    unique (space_id, membership_id),
    unique (space_id, code),
    foreign key (space_id, membership_id) references memberships (space_id, id) on delete cascade,
    check ((kind = 'member') = (membership_id is not null)),
    check ((kind = 'system') = (code is not null)),
    -- The last line of defence behind the ledger's own checks (LEDGER.md).
    constraint ledger_accounts_within_limit
        check (credits_posted - debits_posted - debits_pending + credit_limit + grace >= 0),
    constraint ledger_accounts_within_max
        check (max_balance is null or credits_posted - debits_posted + credits_pending <= max_balance)
);

create table ledger_transfers (
    -- Client-chosen (UUID v7), and the idempotency key.
    id                 uuid primary key,
    -- The space is checked through the accounts' (space_id, id) keys below.
    space_id           bigint not null,
    kind               text not null check (kind in ('single', 'pending', 'post', 'void', 'expire')),
    code               text not null check (code in ('trade', 'gift', 'grant', 'booking', 'refund',
                                                     'reversal', 'adjustment')),
    debit_account_id   bigint not null,
    credit_account_id  bigint not null,
    amount             bigint not null check (amount > 0),
    -- The hold that a post, void or expire resolves.
    pending_id         uuid references ledger_transfers (id),
    -- The transfer that a reversal undoes.
    reverses_id        uuid references ledger_transfers (id),
    -- When a hold lapses, by the database clock.
    timeout_at         timestamptz,
    initiated_by       bigint references people (id),
    memo               text not null default '' check (char_length(memo) <= 500),
    -- SHA-256 of the request, so a retry with the same id but other terms is a conflict.
    request_hash       bytea not null check (octet_length(request_hash) = 32),
    -- An admin took the reversal past the debtor's limit, on purpose.
    limit_override     boolean not null default false,
    created_at         timestamptz not null default now(),
    foreign key (space_id, debit_account_id) references ledger_accounts (space_id, id),
    foreign key (space_id, credit_account_id) references ledger_accounts (space_id, id),
    check (debit_account_id <> credit_account_id),
    check ((kind in ('post', 'void', 'expire')) = (pending_id is not null)),
    check ((kind = 'pending') = (timeout_at is not null)),
    check (reverses_id is null or (kind = 'single' and code = 'reversal'))
);
-- A hold resolves at most once, whatever races.
create unique index ledger_transfers_resolves_once on ledger_transfers (pending_id)
    where pending_id is not null;
-- A transfer is reversed at most once.
create unique index ledger_transfers_reversed_once on ledger_transfers (reverses_id)
    where reverses_id is not null;
create index ledger_transfers_space_idx on ledger_transfers (space_id, created_at desc, id desc);

-- Written only by ledger_apply, in the transaction that writes the transfer and locks the
-- account, so they carry no foreign keys: those checks would double the work of every
-- transfer. verify checks that every entry belongs to its transfer and account.
create table ledger_entries (
    account_id      bigint not null,
    -- 1, 2, 3 … per account, without gaps.
    version         bigint not null check (version > 0),
    space_id        bigint not null,
    transfer_id     uuid not null,
    -- Changes to this account's posted balance and to its pending amount (debits pending
    -- for the debit side, credits pending for the credit side).
    posted_delta    bigint not null,
    pending_delta   bigint not null,
    balance_after   bigint not null,
    -- The account's debits pending, and its credit limit plus grace, after this entry: so
    -- "never past its limit" can be checked over the whole history, not just now.
    held_after      bigint not null,
    limit_after     bigint not null,
    created_at      timestamptz not null default now(),
    primary key (account_id, version),
    unique (transfer_id, account_id),
    constraint ledger_entries_within_limit check (balance_after - held_after + limit_after >= 0)
);

-- Refused requests, keyed by their id, so a retry gets the same refusal.
create table ledger_rejections (
    id            uuid primary key,
    space_id      bigint not null references spaces (id),
    reason        text not null,
    request_hash  bytea not null check (octet_length(request_hash) = 32),
    created_at    timestamptz not null default now()
);

-- Holds not yet posted, voided or expired: a working set for the expiry job. It is derived
-- from the transfers (verify checks that), and is the only ledger table rows leave.
create table ledger_open_holds (
    transfer_id  uuid primary key references ledger_transfers (id),
    space_id     bigint not null references spaces (id),
    timeout_at   timestamptz not null
);
create index ledger_open_holds_timeout_idx on ledger_open_holds (timeout_at);

-- Ledger rows are never changed or removed (SPEC §4.3), whoever asks.
create trigger ledger_transfers_append_only before update or delete on ledger_transfers
    for each row execute function refuse_change();
create trigger ledger_transfers_no_truncate before truncate on ledger_transfers
    for each statement execute function refuse_change();
create trigger ledger_entries_append_only before update or delete on ledger_entries
    for each row execute function refuse_change();
create trigger ledger_entries_no_truncate before truncate on ledger_entries
    for each statement execute function refuse_change();
create trigger ledger_rejections_append_only before update or delete on ledger_rejections
    for each row execute function refuse_change();
create trigger ledger_rejections_no_truncate before truncate on ledger_rejections
    for each statement execute function refuse_change();

-- Accounts open with their space and their membership.
create function ledger_open_space_account() returns trigger language plpgsql as $$
begin
    insert into ledger_accounts (space_id, kind, code, credit_limit)
    values (new.id, 'system', 'space', 100000000);
    return new;
end $$;

create trigger spaces_open_ledger_account after insert on spaces
    for each row execute function ledger_open_space_account();

create function ledger_open_member_account() returns trigger language plpgsql as $$
begin
    insert into ledger_accounts (space_id, kind, membership_id, credit_limit)
    select new.space_id, 'member', new.id, s.default_credit_limit
    from spaces s where s.id = new.space_id;
    return new;
end $$;

create trigger memberships_open_ledger_account after insert on memberships
    for each row execute function ledger_open_member_account();

insert into ledger_accounts (space_id, kind, code, credit_limit)
select id, 'system', 'space', 100000000 from spaces;
insert into ledger_accounts (space_id, kind, membership_id, credit_limit)
select m.space_id, 'member', m.id, s.default_credit_limit
from memberships m join spaces s on s.id = m.space_id;

-- Applies one ledger operation. Returns its outcome:
--   'ok'        applied now;
--   'duplicate' this id was applied before with the same request: the original is returned;
--   'rejected'  refused (now or before) for `reason`;
--   'conflict'  this id was used before for a different request.
-- Locks: an advisory lock on the id (retries of one id queue up), then both account rows in
-- id order (no deadlocks, no retries), at READ COMMITTED.
create function ledger_apply(
    p_id            uuid,
    p_space         bigint,
    p_kind          text,        -- single | pending | post | void | expire
    p_code          text,        -- for single and pending; others inherit
    p_debit         bigint,      -- for single and pending
    p_credit        bigint,
    p_amount        bigint,      -- for post: null posts the whole hold
    p_pending_id    uuid,        -- for post, void, expire
    p_reverses_id   uuid,        -- for a reversal (kind single, code reversal)
    p_timeout_secs  integer,     -- for pending
    p_initiated_by  bigint,
    p_memo          text,
    p_hash          bytea,
    p_override      boolean,     -- reversal only: an admin may take the debtor past its limit
    p_at            timestamptz  -- null: now(); set only when seeding history
) returns table (status text, reason text, transfer_id uuid, amount bigint, created_at timestamptz)
language plpgsql as $$
#variable_conflict use_column
declare
    v_at        timestamptz := coalesce(p_at, now());
    v_prior     record;
    v_hold      record;
    v_orig      record;
    v_row       ledger_accounts;
    v_debit     ledger_accounts;
    v_credit    ledger_accounts;
    v_amount    bigint := p_amount;
    v_code      text := p_code;
    v_debit_id  bigint := p_debit;
    v_credit_id bigint := p_credit;
    v_release   bigint := 0;     -- pending amount a post/void/expire releases
    v_posted    bigint := 0;     -- amount that becomes posted
    v_pending   bigint := 0;     -- amount that becomes pending
    v_reason    text;
    v_shortfall bigint := 0;
begin
    perform pg_advisory_xact_lock(hashtextextended(p_id::text, 7210));

    -- One look for the id among transfers and rejections.
    select x.request_hash, x.amount, x.created_at, x.reason into v_prior
    from (select t.request_hash, t.amount, t.created_at, null::text as reason
          from ledger_transfers t where t.id = p_id
          union all
          select r.request_hash, null, null, r.reason
          from ledger_rejections r where r.id = p_id) x;
    if found then
        if v_prior.request_hash <> p_hash then
            return query select 'conflict'::text, 'id_reused'::text, p_id, null::bigint, null::timestamptz;
        elsif v_prior.reason is not null then
            return query select 'rejected'::text, v_prior.reason, p_id, null::bigint, null::timestamptz;
        else
            return query select 'duplicate'::text, null::text, p_id, v_prior.amount, v_prior.created_at;
        end if;
        return;
    end if;

    -- Work out the accounts and amounts.
    if p_kind in ('single', 'pending') and p_reverses_id is null and p_debit = p_credit then
        v_reason := 'same_account';
    elsif p_kind in ('post', 'void', 'expire') then
        select t.* into v_hold from ledger_transfers t
        where t.id = p_pending_id and t.space_id = p_space and t.kind = 'pending';
        if not found then
            v_reason := 'hold_not_found';
        else
            v_debit_id := v_hold.debit_account_id;
            v_credit_id := v_hold.credit_account_id;
            v_code := v_hold.code;
        end if;
    elsif p_reverses_id is not null then
        select t.* into v_orig from ledger_transfers t
        where t.id = p_reverses_id and t.space_id = p_space;
        if not found then
            v_reason := 'transfer_not_found';
        elsif v_orig.kind not in ('single', 'post') or v_orig.code = 'reversal' then
            v_reason := 'not_reversible';
        else
            v_debit_id := v_orig.credit_account_id;
            v_credit_id := v_orig.debit_account_id;
            v_amount := v_orig.amount;
            v_code := 'reversal';
        end if;
    end if;

    if v_reason is null then
        -- Both rows, locked in one statement, always in id order.
        for v_row in
            select a.* from ledger_accounts a
            where a.id in (v_debit_id, v_credit_id) and a.space_id = p_space
            order by a.id for update
        loop
            if v_row.id = v_debit_id then v_debit := v_row; else v_credit := v_row; end if;
        end loop;
        if v_debit.id is null or v_credit.id is null then
            v_reason := 'account_not_found';
        end if;
    end if;

    if v_reason is null then
        if p_reverses_id is not null
           and exists (select 1 from ledger_transfers r where r.reverses_id = p_reverses_id) then
            -- Checked under the account locks, so a racing reversal has committed by now.
            v_reason := 'already_reversed';
        elsif p_kind in ('post', 'void', 'expire') then
            -- Re-read under the account locks: a racing post or void has committed by now.
            if not exists (select 1 from ledger_open_holds h where h.transfer_id = p_pending_id) then
                v_reason := case when exists (select 1 from ledger_transfers t
                                              where t.pending_id = p_pending_id and t.kind = 'expire')
                                 then 'hold_expired' else 'hold_already_resolved' end;
            elsif p_kind = 'post' and v_hold.timeout_at <= now() then
                v_reason := 'hold_expired';
            elsif p_kind = 'expire' and v_hold.timeout_at > now() then
                v_reason := 'hold_not_due';
            else
                v_release := v_hold.amount;
                if p_kind = 'post' then
                    v_amount := coalesce(p_amount, v_hold.amount);
                    if v_amount <= 0 or v_amount > v_hold.amount then
                        v_reason := 'post_exceeds_hold';
                    end if;
                    v_posted := v_amount;
                else
                    v_amount := v_hold.amount;
                end if;
            end if;
        else
            if v_amount is null or v_amount <= 0 then
                v_reason := 'invalid_amount';
            elsif v_debit.closed or v_credit.closed then
                v_reason := 'account_closed';
            elsif v_debit.credits_posted - v_debit.debits_posted - v_debit.debits_pending
                  + v_debit.credit_limit < v_amount then
                if p_override and p_reverses_id is not null then
                    v_shortfall := v_amount - (v_debit.credits_posted - v_debit.debits_posted
                                   - v_debit.debits_pending + v_debit.credit_limit + v_debit.grace);
                else
                    v_reason := 'insufficient_funds';
                end if;
            end if;
            if v_reason is null and v_credit.max_balance is not null
               and v_credit.credits_posted - v_credit.debits_posted + v_credit.credits_pending
                   + v_amount > v_credit.max_balance then
                v_reason := 'exceeds_max_balance';
            end if;
            if p_kind = 'pending' then
                v_pending := v_amount;
            else
                v_posted := v_amount;
            end if;
        end if;
    end if;

    if v_reason is not null then
        insert into ledger_rejections (id, space_id, reason, request_hash)
        values (p_id, p_space, v_reason, p_hash);
        return query select 'rejected'::text, v_reason, p_id, null::bigint, null::timestamptz;
        return;
    end if;

    insert into ledger_transfers (id, space_id, kind, code, debit_account_id, credit_account_id,
                                  amount, pending_id, reverses_id, timeout_at, initiated_by, memo,
                                  request_hash, limit_override, created_at)
    values (p_id, p_space, p_kind, v_code, v_debit_id, v_credit_id, v_amount,
            case when p_kind in ('post', 'void', 'expire') then p_pending_id end,
            p_reverses_id,
            case when p_kind = 'pending' then v_at + make_interval(secs => p_timeout_secs) end,
            p_initiated_by, coalesce(p_memo, ''), p_hash, v_shortfall > 0, v_at);

    update ledger_accounts a set
        debits_posted = a.debits_posted + v_posted,
        debits_pending = a.debits_pending + v_pending - v_release,
        -- A forced reversal adds its shortfall; anything that frees credit pays grace down.
        grace = least(a.grace + v_shortfall,
                      greatest(0, -(a.credits_posted - a.debits_posted - v_posted
                                    - a.debits_pending - v_pending + v_release + a.credit_limit))),
        version = a.version + 1
    where a.id = v_debit_id;
    update ledger_accounts a set
        credits_posted = a.credits_posted + v_posted,
        credits_pending = a.credits_pending + v_pending - v_release,
        -- Earning pays down any grace the account had.
        grace = least(a.grace, greatest(0, -(a.credits_posted + v_posted - a.debits_posted
                                              - a.debits_pending + a.credit_limit))),
        version = a.version + 1
    where a.id = v_credit_id;

    insert into ledger_entries (account_id, version, space_id, transfer_id, posted_delta,
                                pending_delta, balance_after, held_after, limit_after, created_at)
    select a.id, a.version, p_space, p_id,
           case when a.id = v_debit_id then -v_posted else v_posted end,
           v_pending - v_release,
           a.credits_posted - a.debits_posted, a.debits_pending, a.credit_limit + a.grace, v_at
    from ledger_accounts a where a.id in (v_debit_id, v_credit_id);

    if p_kind = 'pending' then
        insert into ledger_open_holds (transfer_id, space_id, timeout_at)
        values (p_id, p_space, v_at + make_interval(secs => p_timeout_secs));
    elsif p_kind in ('post', 'void', 'expire') then
        delete from ledger_open_holds h where h.transfer_id = p_pending_id;
    end if;

    return query select 'ok'::text, null::text, p_id, v_amount, v_at;
end $$;

-- A payment between two members named by membership, as the "Send credits" form makes it:
-- both must be active members of the space. Their accounts are found here rather than by a
-- separate query, so a payment is one round trip. Then it is ledger_apply, as always.
create function ledger_pay_members(
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
language plpgsql as $$
declare
    v_from bigint;
    v_to   bigint;
begin
    select a.id into v_from from ledger_accounts a join memberships m on m.id = a.membership_id
    where a.space_id = p_space and m.space_id = p_space and m.id = p_payer and m.status = 'active';
    select a.id into v_to from ledger_accounts a join memberships m on m.id = a.membership_id
    where a.space_id = p_space and m.space_id = p_space and m.id = p_payee and m.status = 'active';
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
