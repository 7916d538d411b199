-- Reports and moderation (SPEC §6.3).
--
-- An admin hides a listing or a kudos note, with a reason its author sees; hidden, it is
-- gone for everyone else (the marketplace, its search, matching, profiles), and restoring
-- it brings it back as it was. Hiding is not a status: a hidden listing keeps its own
-- status (open, paused, closed), so a restore needs nothing remembered.
alter table listings
    add column hidden_at     timestamptz,
    add column hidden_reason text check (char_length(hidden_reason) <= 500),
    add check ((hidden_at is null) = (hidden_reason is null));

alter table kudos
    add column hidden_at     timestamptz,
    add column hidden_reason text check (char_length(hidden_reason) <= 500),
    add check ((hidden_at is null) = (hidden_reason is null));

-- Members report a listing, a kudos note, a message or a member, with a reason; reports wait
-- for the space's admins, who close each with what was done. One open report per member
-- and thing: a second press of "Report" is the same report.
create table reports (
    id              bigint generated always as identity primary key,
    space_id        bigint not null references spaces (id),
    reporter_id     bigint not null,
    subject         text not null check (subject in ('listing', 'kudos', 'message', 'member')),
    -- The reported thing's id, in its own table (listings, kudos, trade_messages,
    -- memberships; all of this space, which the app checks when the report is made).
    subject_id      bigint not null,
    -- Whose it is: the listing's owner, the kudos' giver, the message's author, the member.
    about_id        bigint not null,
    -- What was reported, as the reporter saw it: "a listing: “A logo”", and its text. The
    -- thing may change or go; the report keeps what it was about.
    summary         text not null check (char_length(summary) between 1 and 1000),
    excerpt         text not null default '' check (char_length(excerpt) <= 4000),
    reason          text not null check (char_length(reason) between 1 and 1000),
    created_at      timestamptz not null default now(),
    -- Closed by an admin: hidden, restored (the thing), or no action, with a note.
    closed_at       timestamptz,
    closed_by       bigint,
    outcome         text check (outcome in ('hidden', 'restored', 'no_action')),
    outcome_note    text check (char_length(outcome_note) <= 500),
    check ((closed_at is null) = (outcome is null)),
    check ((closed_at is null) = (closed_by is null)),
    foreign key (space_id, reporter_id) references memberships (space_id, id),
    foreign key (space_id, about_id) references memberships (space_id, id),
    foreign key (space_id, closed_by) references memberships (space_id, id)
);
create unique index reports_one_open_idx on reports (reporter_id, subject, subject_id)
    where closed_at is null;
create index reports_queue_idx on reports (space_id, subject, subject_id) where closed_at is null;
create index reports_space_idx on reports (space_id, id desc);

-- Hidden listings are gone from the marketplace's search and the dashboard's matching: the
-- three functions as 0005 and 0006 made them, with `l.hidden_at is null` beside each
-- listing's status test.
create or replace function marketplace_search(
    p_space bigint, p_query text, p_typos boolean, p_kind text, p_category bigint,
    p_min bigint, p_max bigint, p_here boolean, p_sort text, p_limit integer, p_offset integer
) returns table (
    listing_id bigint, membership_id bigint, display_name text, kind text, title text,
    category text, price_mode text, price bigint, hours_estimate integer, total_price bigint,
    created_at timestamptz, here_today boolean, rank real, total bigint,
    corrected text, fallback text[]
)
language plpgsql stable
set work_mem = '16MB'
as $$
#variable_conflict use_column
declare
    v_tsq   tsquery := search_tsquery(p_space, p_query, p_typos, true);
    v_today date := (select (now() at time zone s.time_zone)::date from spaces s where s.id = p_space);
    v_total bigint;
begin
    if v_tsq is null and p_sort in ('newest', 'price') then
        select count(*) into v_total
        from listings l join memberships m on m.id = l.membership_id
        where l.space_id = p_space and l.status = 'open' and l.hidden_at is null
          and m.status = 'active'
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
            where l.space_id = p_space and l.status = 'open' and l.hidden_at is null
              and m.status = 'active'
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
               pg.created_at, pg.here_today, 0::real, v_total, null::text, null::text[]
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
               case when v_tsq is null then 0
                    when (select search_fell_back(p_query, p_typos, v_tsq))
                        then ts_rank(l.search_doc, v_tsq, 1)
                    else ts_rank_cd(l.search_doc, v_tsq, 1) end::real as rank
        from listings l join memberships m on m.id = l.membership_id
        where l.space_id = p_space and l.status = 'open' and l.hidden_at is null
          and m.status = 'active'
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
    ), note as materialized (
        select n.corrected, n.fallback from search_note(p_space, p_query, p_typos, v_tsq) n
    )
    select pg.id, pg.membership_id, pe.display_name, pg.kind, pg.title, c.name, pg.price_mode,
           pg.price, pg.hours_estimate, pg.total_price, pg.created_at, pg.here_today, pg.rank,
           pg.total, n.corrected, n.fallback
    from page pg join people pe on pe.id = pg.person_id
    join skill_categories c on c.id = pg.category_id
    cross join note n
    order by case when p_sort = 'relevance' then pg.rank end desc nulls last,
             case when p_sort = 'price' then pg.total_price end asc nulls last,
             pg.created_at desc, pg.id desc;
end $$;

create or replace function match_requests_for(p_space bigint, p_member bigint, p_limit integer)
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
      and l.hidden_at is null
      and (l.expires_at is null or l.expires_at > now())
      and l.membership_id <> p_member
    group by l.id, p.display_name, c.name
    having sum(skill_fit(l.search_doc, l.category_id, s.name, s.category_id, s.level)) > 0
    order by 7 desc, l.created_at desc, l.id desc
    limit p_limit
$$;

create or replace function match_members_for(p_space bigint, p_member bigint, p_limit integer)
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
      and l.hidden_at is null
      and (l.expires_at is null or l.expires_at > now())
      and l.membership_id = p_member
    group by m.id, p.display_name, m.headline
    having sum(skill_fit(l.search_doc, l.category_id, s.name, s.category_id, s.level)) > 0
    order by 6 desc, m.id
    limit p_limit
$$;
