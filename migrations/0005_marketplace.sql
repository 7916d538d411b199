-- Marketplace and trades (SPEC §3): listings (offers and requests) with their search, trades
-- with a timeline and a message thread, kudos; the space's auto-complete days; and holds
-- that never lapse, for trades.

-- A trade's hold lives as long as its trade: only the trade posts or voids it. So a hold
-- may have no timeout, and the expiry job (which only looks at timeouts) never sees it.
alter table ledger_transfers drop constraint ledger_transfers_check2;
alter table ledger_transfers
    add constraint ledger_transfers_timeout_only_on_holds check (kind = 'pending' or timeout_at is null);
alter table ledger_open_holds alter column timeout_at drop not null;

-- As in 0002, but a hold without a timeout can never be expired.
create or replace function ledger_apply(
    p_id            uuid,
    p_space         bigint,
    p_kind          text,        -- single | pending | post | void | expire
    p_code          text,        -- for single and pending; others inherit
    p_debit         bigint,      -- for single and pending
    p_credit        bigint,
    p_amount        bigint,      -- for post: null posts the whole hold
    p_pending_id    uuid,        -- for post, void, expire
    p_reverses_id   uuid,        -- for a reversal (kind single, code reversal)
    p_timeout_secs  integer,     -- for pending; null: the hold never lapses
    p_initiated_by  bigint,
    p_memo          text,
    p_hash          bytea,
    p_override      boolean,     -- reversal only: an admin may take the debtor past its limit
    p_at            timestamptz  -- null: now(); set only when seeding history
) returns table (status text, reason text, transfer_id uuid, amount bigint, created_at timestamptz)
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
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
            elsif p_kind = 'expire' and (v_hold.timeout_at is null or v_hold.timeout_at > now()) then
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

-- How long a delivered trade waits for the payer's confirmation before it completes itself.
alter table spaces add column auto_complete_days integer not null default 7
    check (auto_complete_days between 1 and 60);

-- Kudos received, and the sum of their stars, for the profile's average and the sort.
alter table memberships add column kudos_stars integer not null default 0 check (kudos_stars >= 0);

-- Offers ("I can do this") and requests ("I need this"). A price is per listing (fixed) or
-- per hour with an estimate of the hours; amounts in hundredths of a credit.
create table listings (
    id              bigint generated always as identity primary key,
    space_id        bigint not null references spaces (id),
    membership_id   bigint not null,
    kind            text not null check (kind in ('offer', 'request')),
    title           text not null check (char_length(title) between 1 and 120),
    description     text not null default '' check (char_length(description) <= 4000),
    category_id     bigint not null,
    price_mode      text not null check (price_mode in ('fixed', 'hourly')),
    price           bigint not null check (price > 0 and price <= 100000000),
    -- Hundredths of an hour; only for an hourly price.
    hours_estimate  integer check (hours_estimate > 0 and hours_estimate <= 100000),
    status          text not null default 'open' check (status in ('open', 'paused', 'closed')),
    -- The listing closes at this moment (the end of the chosen day in the space's zone).
    expires_at      timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    search_doc      tsvector not null default ''::tsvector,
    unique (space_id, id),
    check ((price_mode = 'hourly') = (hours_estimate is not null)),
    foreign key (space_id, membership_id) references memberships (space_id, id),
    foreign key (space_id, category_id) references skill_categories (space_id, id)
);
create index listings_browse_idx on listings (space_id, status, created_at desc, id desc);
create index listings_member_idx on listings (membership_id, status);
create index listings_search_idx on listings using gin (search_doc);
create index listings_expiry_idx on listings (expires_at) where status <> 'closed' and expires_at is not null;

-- A listing's search document (title A, category B, description C); its words join the
-- space's vocabulary, so a misspelt search finds listings as it finds members.
create function listing_refresh() returns trigger language plpgsql as $$
begin
    new.search_doc :=
        setweight(to_tsvector('english', new.title), 'A')
        || setweight(to_tsvector('english', coalesce(
               (select c.name from skill_categories c where c.id = new.category_id), '')), 'B')
        || setweight(to_tsvector('english', new.description), 'C');
    insert into directory_words (space_id, word)
    select distinct new.space_id, w
    from regexp_split_to_table(lower(new.title || ' ' || new.description), '[^[:alnum:]]+') w
    where char_length(w) between 3 and 80
    on conflict do nothing;
    return new;
end $$;

create trigger listings_refresh
    before insert or update of title, description, category_id on listings
    for each row execute function listing_refresh();

-- A listing's whole price: the fixed price, or the hourly price times the estimated hours
-- (in hundredths, as the price). The price filters and sort use it, and so does an index.
create function listing_total_price(p_mode text, p_price bigint, p_hours integer) returns bigint
language sql immutable parallel safe as $$
    select case when p_mode = 'hourly' then (p_price * p_hours) / 100 else p_price end
$$;
-- Browsing by price reads pages in this order, as listings_browse_idx serves the newest.
create index listings_price_idx on listings
    (space_id, status, listing_total_price(price_mode, price, hours_estimate), created_at desc, id desc);

-- The marketplace page's search, in one place (the page calls it; bench/marketplace runs
-- it through pgbench). Open listings, not past their date, of active members of one space.
--   p_query, p_typos  as directory_search
--   p_kind            offer | request (null for both)
--   p_category        null for any
--   p_min, p_max      price range in hundredths, of the whole (estimated) price
--   p_here            only from members checked in as here today
--   p_sort            relevance | newest | price
create function marketplace_search(
    p_space bigint, p_query text, p_typos boolean, p_kind text, p_category bigint,
    p_min bigint, p_max bigint, p_here boolean, p_sort text, p_limit integer, p_offset integer
) returns table (
    listing_id bigint, membership_id bigint, display_name text, kind text, title text,
    category text, price_mode text, price bigint, hours_estimate integer, total_price bigint,
    created_at timestamptz, here_today boolean, rank real, total bigint
)
language plpgsql stable
set work_mem = '16MB'
as $$
#variable_conflict use_column
declare
    v_tsq   tsquery := directory_query(p_space, p_query, p_typos);
    v_today date := (select (now() at time zone s.time_zone)::date from spaces s where s.id = p_space);
    v_total bigint;
begin
    if v_tsq is null and p_sort in ('newest', 'price') then
        -- Browsing without words (the marketplace's front page): the page walks
        -- listings_browse_idx or listings_price_idx and stops at its last row, and the
        -- total is a count of its own. A window over every open listing would read and sort
        -- them all for each page (bench/marketplace: two to four times slower at 10,000
        -- listings). A search with words ranks every match anyway, so it keeps the window.
        -- p_sort is a value when the plan is made, so the case below folds away and the
        -- index's own order serves the sort.
        select count(*) into v_total
        from listings l join memberships m on m.id = l.membership_id
        where l.space_id = p_space and l.status = 'open' and m.status = 'active'
          and (l.expires_at is null or l.expires_at > now())
          and (p_kind is null or l.kind = p_kind)
          and (p_category is null or l.category_id = p_category)
          and (not p_here or m.here_on = v_today)
          and (p_min is null or listing_total_price(l.price_mode, l.price, l.hours_estimate) >= p_min)
          and (p_max is null or listing_total_price(l.price_mode, l.price, l.hours_estimate) <= p_max);
        return query
        with page as (
            select l.id, l.membership_id, m.person_id, l.kind, l.title, l.category_id,
                   l.price_mode, l.price, l.hours_estimate, l.created_at,
                   coalesce(m.here_on = v_today, false) as here_today
            from listings l join memberships m on m.id = l.membership_id
            where l.space_id = p_space and l.status = 'open' and m.status = 'active'
              and (l.expires_at is null or l.expires_at > now())
              and (p_kind is null or l.kind = p_kind)
              and (p_category is null or l.category_id = p_category)
              and (not p_here or m.here_on = v_today)
              and (p_min is null or listing_total_price(l.price_mode, l.price, l.hours_estimate) >= p_min)
              and (p_max is null or listing_total_price(l.price_mode, l.price, l.hours_estimate) <= p_max)
            order by case when p_sort = 'price'
                          then listing_total_price(l.price_mode, l.price, l.hours_estimate) end,
                     l.created_at desc, l.id desc
            limit p_limit offset p_offset
        )
        select pg.id, pg.membership_id, pe.display_name, pg.kind, pg.title, c.name,
               pg.price_mode, pg.price, pg.hours_estimate,
               listing_total_price(pg.price_mode, pg.price, pg.hours_estimate),
               pg.created_at, pg.here_today, 0::real, v_total
        from page pg join people pe on pe.id = pg.person_id
        join skill_categories c on c.id = pg.category_id
        order by case when p_sort = 'price'
                      then listing_total_price(pg.price_mode, pg.price, pg.hours_estimate) end,
                 pg.created_at desc, pg.id desc;
        return;
    end if;
    return query
    with found as (
        select l.id, l.membership_id, m.person_id, l.kind, l.title, l.category_id, l.price_mode,
               l.price, l.hours_estimate,
               case when l.price_mode = 'hourly' then (l.price * l.hours_estimate) / 100
                    else l.price end as total_price,
               l.created_at, coalesce(m.here_on = v_today, false) as here_today,
               case when v_tsq is null then 0 else ts_rank_cd(l.search_doc, v_tsq, 1) end::real as rank
        from listings l join memberships m on m.id = l.membership_id
        where l.space_id = p_space and l.status = 'open' and m.status = 'active'
          -- Past its date it is closed, even before the expiry job has run.
          and (l.expires_at is null or l.expires_at > now())
          and (v_tsq is null or l.search_doc @@ v_tsq)
          and (p_kind is null or l.kind = p_kind)
          and (p_category is null or l.category_id = p_category)
          and (not p_here or m.here_on = v_today)
    ), priced as (
        select f.* from found f
        where (p_min is null or f.total_price >= p_min) and (p_max is null or f.total_price <= p_max)
    ), page as (
        select p.*, count(*) over () as total
        from priced p
        order by case when p_sort = 'relevance' then p.rank end desc nulls last,
                 case when p_sort = 'price' then p.total_price end asc nulls last,
                 p.created_at desc, p.id desc
        limit p_limit offset p_offset
    )
    select pg.id, pg.membership_id, pe.display_name, pg.kind, pg.title, c.name, pg.price_mode,
           pg.price, pg.hours_estimate, pg.total_price, pg.created_at, pg.here_today, pg.rank,
           pg.total
    from page pg join people pe on pe.id = pg.person_id
    join skill_categories c on c.id = pg.category_id
    order by case when p_sort = 'relevance' then pg.rank end desc nulls last,
             case when p_sort = 'price' then pg.total_price end asc nulls last,
             pg.created_at desc, pg.id desc;
end $$;

-- A trade binds two members (SPEC §3.2): the payer receives the service and pays, the payee
-- does the work. Its terms change by counter-proposals until acceptance fixes them; the
-- money moves through the ledger, in the transaction that changes the state (SPEC §3.3a).
create table trades (
    id                  bigint generated always as identity primary key,
    space_id            bigint not null references spaces (id),
    listing_id          bigint,
    payer_id            bigint not null,
    payee_id            bigint not null,
    -- Who made the latest proposal; the other party answers it.
    proposer_id         bigint not null,
    state               text not null default 'proposed'
                        check (state in ('proposed', 'accepted', 'delivered', 'completed',
                                         'declined', 'cancelled', 'disputed', 'resolved')),
    description         text not null check (char_length(description) between 1 and 2000),
    amount              bigint not null check (amount > 0 and amount <= 100000000),
    due_on              date,
    -- How many times acceptance was tried: each try's hold id derives from it, so a refused
    -- try (recorded by the ledger under its id) never blocks the next.
    accept_attempts     integer not null default 0,
    hold_id             uuid references ledger_transfers (id),
    -- The post or void that settled the hold.
    settled_id          uuid references ledger_transfers (id),
    -- The payer asked to cancel an accepted trade; the payee agrees or turns it down.
    cancel_requested    boolean not null default false,
    delivered_at        timestamptz,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    unique (space_id, id),
    check (payer_id <> payee_id),
    check (proposer_id in (payer_id, payee_id)),
    check ((state in ('accepted', 'delivered', 'disputed', 'completed', 'resolved')
            or (state = 'cancelled' and hold_id is not null)) = (hold_id is not null)),
    foreign key (space_id, listing_id) references listings (space_id, id),
    foreign key (space_id, payer_id) references memberships (space_id, id),
    foreign key (space_id, payee_id) references memberships (space_id, id)
);
create index trades_payer_idx on trades (payer_id, state);
create index trades_payee_idx on trades (payee_id, state);
create index trades_due_idx on trades (space_id, delivered_at) where state = 'delivered';
create index trades_hold_idx on trades (hold_id) where hold_id is not null;
create index trades_settled_idx on trades (settled_id) where settled_id is not null;

-- Everything that happened to a trade, in order: its timeline (SPEC §3.4). An event without
-- an actor was the system's (auto-completion, a suspension).
create table trade_events (
    id           bigint generated always as identity primary key,
    space_id     bigint not null,
    trade_id     bigint not null,
    actor_id     bigint,
    kind         text not null check (kind in (
                     'proposed', 'countered', 'accepted', 'accept_refused', 'declined',
                     'withdrawn', 'delivered', 'withdrew_from_work', 'asked_to_cancel',
                     'cancel_agreed', 'cancel_refused', 'disputed', 'answered', 'resolved',
                     'completed', 'auto_completed', 'reversed', 'suspended')),
    -- The terms of a proposal or counter-proposal, kept as they were.
    amount       bigint,
    description  text,
    due_on       date,
    -- A reason, a statement or a refusal's reason.
    note         text not null default '' check (char_length(note) <= 2000),
    created_at   timestamptz not null default now(),
    foreign key (space_id, trade_id) references trades (space_id, id),
    foreign key (space_id, actor_id) references memberships (space_id, id)
);
create index trade_events_trade_idx on trade_events (trade_id, id);

-- The private thread between the two parties (SPEC §3.4): plain text.
create table trade_messages (
    id          bigint generated always as identity primary key,
    space_id    bigint not null,
    trade_id    bigint not null,
    author_id   bigint not null,
    body        text not null check (char_length(body) between 1 and 2000),
    created_at  timestamptz not null default now(),
    foreign key (space_id, trade_id) references trades (space_id, id),
    foreign key (space_id, author_id) references memberships (space_id, id)
);
create index trade_messages_trade_idx on trade_messages (trade_id, id);

-- What each side of a completed or resolved trade said of the other (SPEC §3.5), once.
create table kudos (
    id          bigint generated always as identity primary key,
    space_id    bigint not null,
    trade_id    bigint not null,
    from_id     bigint not null,
    to_id       bigint not null,
    stars       integer not null check (stars between 1 and 5),
    note        text not null default '' check (char_length(note) <= 280),
    created_at  timestamptz not null default now(),
    unique (trade_id, from_id),
    check (from_id <> to_id),
    foreign key (space_id, trade_id) references trades (space_id, id),
    foreign key (space_id, from_id) references memberships (space_id, id),
    foreign key (space_id, to_id) references memberships (space_id, id)
);
create index kudos_to_idx on kudos (to_id, created_at desc);

-- Matching (SPEC §3.6), for the dashboard. A skill fits a request by its words and by its
-- category, weighed by the skill's level:
--   fit = level (expert 3, practised 2, learning 1)
--         × ( 2 if every word of the skill is in the request (title, category, description)
--           + 1 if any word of it is
--           + 1 if the request is in the skill's category )
-- A request's score for a member is the sum of the fits of their skills; a member's score
-- for my requests is the sum of the fits of their skills over my open requests. Nothing
-- that fits by no word and no category is suggested.
create function skill_fit(p_doc tsvector, p_category bigint, p_name text, p_skill_category bigint,
                          p_level text)
returns integer language sql stable as $$
    with q as (select plainto_tsquery('english', p_name) as every_word)
    select (case p_level when 'expert' then 3 when 'practised' then 2 else 1 end)
         * ( case when numnode(q.every_word) = 0 then 0
                  else (case when p_doc @@ q.every_word then 2 else 0 end)
                     + (case when p_doc @@ replace(q.every_word::text, ' & ', ' | ')::tsquery
                             then 1 else 0 end) end
           + case when p_category = p_skill_category then 1 else 0 end)
    from q
$$;

-- Open requests of others that fit a member's skills, best first.
create function match_requests_for(p_space bigint, p_member bigint, p_limit integer)
returns table (listing_id bigint, title text, owner_id bigint, owner_name text, category text,
               total_price bigint, score integer, because text)
language sql stable as $$
    select l.id, l.title, l.membership_id, p.display_name, c.name,
           case when l.price_mode = 'hourly' then (l.price * l.hours_estimate) / 100
                else l.price end,
           sum(skill_fit(l.search_doc, l.category_id, s.name, s.category_id, s.level))::integer,
           string_agg(distinct s.name, ', ')
               filter (where skill_fit(l.search_doc, l.category_id, s.name, s.category_id, s.level) > 0)
    from listings l
    join memberships m on m.id = l.membership_id and m.status = 'active'
    join people p on p.id = m.person_id
    join skill_categories c on c.id = l.category_id
    join skills s on s.space_id = p_space and s.membership_id = p_member
    where l.space_id = p_space and l.kind = 'request' and l.status = 'open'
      and (l.expires_at is null or l.expires_at > now())
      and l.membership_id <> p_member
    group by l.id, p.display_name, c.name
    having sum(skill_fit(l.search_doc, l.category_id, s.name, s.category_id, s.level)) > 0
    order by 7 desc, l.created_at desc, l.id desc
    limit p_limit
$$;

-- Active members whose skills fit a member's open requests, best first.
create function match_members_for(p_space bigint, p_member bigint, p_limit integer)
returns table (membership_id bigint, display_name text, headline text, skills text,
               request_title text, score integer)
language sql stable as $$
    select m.id, p.display_name, m.headline,
           string_agg(distinct s.name, ', ')
               filter (where skill_fit(l.search_doc, l.category_id, s.name, s.category_id, s.level) > 0),
           (array_agg(l.title order by skill_fit(l.search_doc, l.category_id, s.name,
                                                 s.category_id, s.level) desc))[1],
           sum(skill_fit(l.search_doc, l.category_id, s.name, s.category_id, s.level))::integer
    from listings l
    join skills s on s.space_id = p_space and s.membership_id <> p_member
    join memberships m on m.id = s.membership_id and m.status = 'active'
    join people p on p.id = m.person_id
    where l.space_id = p_space and l.kind = 'request' and l.status = 'open'
      and (l.expires_at is null or l.expires_at > now())
      and l.membership_id = p_member
    group by m.id, p.display_name, m.headline
    having sum(skill_fit(l.search_doc, l.category_id, s.name, s.category_id, s.level)) > 0
    order by 6 desc, m.id
    limit p_limit
$$;
