-- Leaving a space, and deleting an account (SPEC §6.1).
--
-- A member asks to leave once nothing is held for or by them; an admin confirms, their
-- balance is settled to the space account and their ledger account is closed. The
-- membership stays, as `left`: the ledger's history, trades and kudos still name it.
alter table memberships drop constraint memberships_status_check;
alter table memberships add constraint memberships_status_check
    check (status in ('pending', 'active', 'suspended', 'left'));
alter table memberships
    add column leave_requested_at timestamptz,
    add column left_at            timestamptz,
    add check ((status = 'left') = (left_at is not null));

-- A deleted account keeps its row, so append-only history (ledger transfers, audit records)
-- still points somewhere: its personal data is erased and its name is "Former member".
alter table people add column deleted_at timestamptz;

-- Closes a member's ledger account, once it holds nothing: no balance and nothing pending
-- either way. The UPDATE takes the row lock that ledger_apply takes, and re-reads the row
-- after any transfer in flight commits, so a payment racing the close either lands first
-- (and the account is not empty: no close) or finds it closed (`account_closed`).
create function ledger_close_account(p_space bigint, p_account bigint) returns boolean
language sql as $$
    with done as (
        update ledger_accounts set closed = true
        where space_id = p_space and id = p_account and kind = 'member' and not closed
          and credits_posted = debits_posted and debits_pending = 0 and credits_pending = 0
        returning 1
    )
    select exists (select 1 from done)
$$;
alter function ledger_close_account(bigint, bigint)
    security definer set search_path = pg_catalog, public, pg_temp;
revoke execute on function ledger_close_account(bigint, bigint) from public;
