-- Search that says what it did (issue 14 §2), for the directory and the marketplace alike:
--   * each searched word with the spelling it was corrected to ("desgin" → "design");
--   * when no one matches every word, a fallback to the words that do match, ranked by
--     how many of them match ("contract review" → members who match "contract");
--   * for each member found, the skill that matched.
-- The words and their corrections come from one place (search_terms), so the search, its
-- fallback and what the page says about them cannot disagree.

-- One row per searched word, in the order typed (a repeat counts once): the word, the known
-- spelling it was corrected to (null when the space knows the word, or nothing known is
-- near it), and its tsquery: the word or any of its nearest known spellings, at most two
-- edits away. Trigrams find the candidates through the index, Levenshtein judges them, as
-- in 0003. A spelling with the word's own stem is no correction: "lease" finds "leases"
-- by stemming, and the page need not say "Showing results for leases". A stop word ("the")
-- has an empty part.
create function search_terms(p_space bigint, p_query text)
returns table (word text, correction text, part tsquery)
language plpgsql stable
rows 3
set pg_trgm.similarity_threshold = 0.2
as $$
declare
    v_word text;
    v_near text;
begin
    for v_word in
        select t.x from regexp_split_to_table(lower(p_query), '[^[:alnum:]]+') with ordinality t (x, n)
        where t.x <> ''
        group by t.x order by min(t.n)
    loop
        word := v_word;
        correction := null;
        part := plainto_tsquery('english', v_word);
        for v_near in
            select d.word from directory_words d
            where d.space_id = p_space and d.word % v_word
              and char_length(v_word) >= 4
              and levenshtein(d.word, v_word) <= case when char_length(v_word) <= 5 then 1 else 2 end
              and not exists (select 1 from directory_words k
                              where k.space_id = p_space and k.word = v_word)
              and plainto_tsquery('english', d.word) <> part
            order by levenshtein(d.word, v_word), similarity(d.word, v_word) desc, d.word
            limit 3
        loop
            correction := coalesce(correction, v_near);
            part := part || plainto_tsquery('english', v_near);
        end loop;
        return next;
    end loop;
end $$;

-- Whether anyone the search looks through matches a tsquery: the space's active members, or
-- (p_listings) the open listings of its active members. Always through the search indexes:
-- for a word it has no statistics on, the planner expects a few matches and would read the
-- table row by row to find the first, all of it when nobody uses the word.
create function search_matches(p_space bigint, p_tsq tsquery, p_listings boolean)
returns boolean
language sql stable
set enable_seqscan = off
set enable_indexscan = off
as $$
    select case when p_listings then exists (
               select 1 from listings l join memberships m on m.id = l.membership_id
               where l.space_id = p_space and l.search_doc @@ p_tsq
                 and l.status = 'open' and m.status = 'active'
                 and (l.expires_at is null or l.expires_at > now()))
           else exists (
               select 1 from memberships m
               where m.space_id = p_space and m.search_doc @@ p_tsq and m.status = 'active')
           end
$$;

-- The search words as a tsquery (p_listings: for the marketplace).
--   ''           null: no search, everyone is listed.
--   not p_typos  a "quoted phrase" or a -word: websearch syntax, taken as written.
--   otherwise    every word must match (each in any of its spellings); when no one matches
--                them all, any word that matches someone will do, so those who match more
--                of them rank first. A search of only stop words finds no one, as before.
create function search_tsquery(p_space bigint, p_query text, p_typos boolean, p_listings boolean)
returns tsquery
language plpgsql stable
as $$
declare
    v_parts tsquery[] := '{}';
    v_all   tsquery;
    v_any   tsquery;
    v_part  tsquery;
begin
    if p_query = '' then
        return null;
    end if;
    if not p_typos then
        return websearch_to_tsquery('english', p_query);
    end if;
    select coalesce(array_agg(t.part), '{}') into v_parts
    from search_terms(p_space, p_query) t where numnode(t.part) > 0;
    if cardinality(v_parts) = 0 then
        -- Nothing but punctuation searches for nothing; nothing but stop words finds no one.
        return case when p_query ~ '[[:alnum:]]' then ''::tsquery end;
    end if;
    foreach v_part in array v_parts loop
        v_all := case when v_all is null then v_part else v_all && v_part end;
    end loop;
    if cardinality(v_parts) = 1 or search_matches(p_space, v_all, p_listings) then
        return v_all;
    end if;
    foreach v_part in array v_parts loop
        if search_matches(p_space, v_part, p_listings) then
            v_any := case when v_any is null then v_part else v_any || v_part end;
        end if;
    end loop;
    return coalesce(v_any, v_all);
end $$;

-- The directory's tsquery, as before but with the fallback; directory_search works it out
-- once, and bench/directory explains the search with it.
create or replace function directory_query(p_space bigint, p_query text, p_typos boolean)
returns tsquery
language sql stable
as $$
    select search_tsquery(p_space, p_query, p_typos, false)
$$;

-- Whether search_tsquery fell back: a typo-tolerant search of two or more words that mean
-- something ("the" does not), whose tsquery does not ask for them all (no "&"). Cheap: no
-- table is read.
create function search_fell_back(p_query text, p_typos boolean, p_tsq tsquery)
returns boolean
language sql stable
as $$
    select coalesce(p_typos and strpos(p_tsq::text, '&') = 0
                    and (select count(distinct w) > 1
                         from regexp_split_to_table(lower(p_query), '[^[:alnum:]]+') w
                         where numnode(plainto_tsquery('english', w)) > 0), false)
$$;

-- What the page says about a search whose tsquery was p_tsq (from search_tsquery):
--   corrected  the words as searched, when any was corrected ("design"); else null
--   fallback   when no one matched every word: the words (as corrected) that were searched
--              instead, in the order typed; else null
--   any_word   a tsquery that any one of the words satisfies, to tell which skill matched;
--              for a phrase or a -word, the query itself
create function search_note(p_space bigint, p_query text, p_typos boolean, p_tsq tsquery)
returns table (corrected text, fallback text[], any_word tsquery)
language plpgsql stable
-- One row: planned as a thousand, it would make the page's query look costly enough to be
-- compiled (JIT) on every call.
rows 1
as $$
declare
    v_words     text[] := '{}';
    v_fixed     boolean := false;
    v_kept      text[] := '{}';
    v_term      record;
begin
    if p_query = '' or p_tsq is null or not p_typos then
        return query select null::text, null::text[], p_tsq;
        return;
    end if;
    any_word := null;
    for v_term in select * from search_terms(p_space, p_query) loop
        v_words := v_words || coalesce(v_term.correction, v_term.word);
        v_fixed := v_fixed or v_term.correction is not null;
        if numnode(v_term.part) > 0 then
            any_word := case when any_word is null then v_term.part else any_word || v_term.part end;
            -- A word went into a fallback if all its spellings are there.
            if p_tsq @> v_term.part then
                v_kept := v_kept || coalesce(v_term.correction, v_term.word);
            end if;
        end if;
    end loop;
    corrected := case when v_fixed then array_to_string(v_words, ' ') end;
    fallback := case when search_fell_back(p_query, p_typos, p_tsq) then v_kept end;
    return next;
end $$;

-- As in 0003, with three more columns, the same on every row:
--   matched_skill  the member's skill that the search words match (null without a search,
--                  or when only their headline or bio matched)
--   corrected      see search_note
--   fallback       see search_note
-- The page's query still begins "with found as" and uses only v_tsq, v_today and the
-- parameters, so bench/directory can explain it as it stands.
drop function directory_search(bigint, text, boolean, bigint, text, text, boolean, text, integer, integer);
create function directory_search(
    p_space bigint, p_query text, p_typos boolean, p_category bigint, p_level text,
    p_presence text, p_here boolean, p_sort text, p_limit integer, p_offset integer
) returns table (
    membership_id bigint, display_name text, headline text, presence text, here_today boolean,
    kudos_count integer, member_since timestamptz, rank real, total bigint,
    matched_skill text, corrected text, fallback text[]
)
language plpgsql stable
set work_mem = '16MB'
as $$
#variable_conflict use_column
declare
    -- Worked out once, so the planner sees them as values and can use the indexes.
    v_tsq   tsquery := directory_query(p_space, p_query, p_typos);
    v_today date := (select (now() at time zone s.time_zone)::date from spaces s where s.id = p_space);
begin
    return query
    with found as (
        select m.id, m.person_id, m.headline, m.presence,
               coalesce(m.here_on = v_today, false) as here_today,
               m.kudos_count, m.created_at,
               case when v_tsq is null then 0
                    -- A fallback ranks by how many of the words match, and where: ts_rank
                    -- stays quick however many words there are; cover density
                    -- (ts_rank_cd) slows down with each one. Worked out once (InitPlan).
                    when (select search_fell_back(p_query, p_typos, v_tsq))
                        then ts_rank(m.search_doc, v_tsq, 1)
                    else ts_rank_cd(m.search_doc, v_tsq, 1) end::real as rank
        from memberships m
        where m.space_id = p_space and m.status = 'active'
          and (v_tsq is null or m.search_doc @@ v_tsq)
          and (p_category is null or m.id in (
                  select k.membership_id from skills k
                  where k.space_id = p_space and k.category_id = p_category
                    and (p_level is null or k.level = p_level)))
          and (p_level is null or p_category is not null or m.id in (
                  select k.membership_id from skills k
                  where k.space_id = p_space and k.level = p_level))
          and (p_presence is null or m.presence = p_presence)
          and (not p_here or m.here_on = v_today)
    ), page as (
        select f.*, count(*) over () as total
        from found f
        order by case when p_sort = 'kudos' then f.kudos_count end desc nulls last,
                 case when p_sort = 'newest' then f.created_at end desc nulls last,
                 case when p_sort = 'relevance' then f.rank end desc nulls last,
                 f.id
        limit p_limit offset p_offset
    ), note as materialized (
        select n.corrected, n.fallback, n.any_word
        from search_note(p_space, p_query, p_typos, v_tsq) n
    )
    select pg.id, p.display_name, pg.headline, pg.presence, pg.here_today, pg.kudos_count,
           pg.created_at, pg.rank, pg.total,
           -- Only for the page's own rows: a skill whose name matches comes before one
           -- that matches by its category, then the higher level.
           (select s.name from skills s join skill_categories c on c.id = s.category_id
            where n.any_word is not null and s.membership_id = pg.id
              and to_tsvector('english', s.name || ' ' || c.name) @@ n.any_word
            order by to_tsvector('english', s.name) @@ n.any_word desc,
                     case s.level when 'expert' then 0 when 'practised' then 1 else 2 end,
                     lower(s.name)
            limit 1),
           n.corrected, n.fallback
    from page pg join people p on p.id = pg.person_id cross join note n
    order by case when p_sort = 'kudos' then pg.kudos_count end desc nulls last,
             case when p_sort = 'newest' then pg.created_at end desc nulls last,
             case when p_sort = 'relevance' then pg.rank end desc nulls last,
             pg.id;
end $$;

-- As in 0005, with the fallback (through listings) and two more columns, the same on every
-- row: corrected and fallback, as search_note says.
drop function marketplace_search(bigint, text, boolean, text, bigint, bigint, bigint, boolean, text, integer, integer);
create function marketplace_search(
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
        -- Browsing without words, as in 0005: the page walks listings_browse_idx or
        -- listings_price_idx and stops at its last row, and the total is a count of its own.
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
                    -- As in directory_search.
                    when (select search_fell_back(p_query, p_typos, v_tsq))
                        then ts_rank(l.search_doc, v_tsq, 1)
                    else ts_rank_cd(l.search_doc, v_tsq, 1) end::real as rank
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
