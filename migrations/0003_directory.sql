-- Skills directory and profiles (SPEC §2): profile fields on memberships, skill categories
-- per space, skills, and a search document per member kept current by triggers.

create extension if not exists pg_trgm;
create extension if not exists fuzzystrmatch;

-- "Here today" ends at midnight in the space's own time zone.
alter table spaces
    add column time_zone text not null default 'UTC' check (char_length(time_zone) <= 64);

alter table memberships
    add column bio text not null default '' check (char_length(bio) <= 2000),
    add column presence text not null default 'open'
        check (presence in ('open', 'heads_down', 'away')),
    -- The day, in the space's time zone, the member checked in as here.
    add column here_on date,
    -- Kudos received, for sorting; trades will maintain it.
    add column kudos_count integer not null default 0 check (kudos_count >= 0),
    -- What the directory searches, rebuilt by directory_refresh(): names and skills weigh
    -- most (A), then the headline (B), then the bio (C).
    add column search_doc tsvector not null default ''::tsvector,
    -- The names, skills, categories and headline as plain words: the source of the
    -- space's vocabulary for correcting typos.
    add column search_text text not null default '';

create index memberships_search_idx on memberships using gin (search_doc);

-- Every word members' names, skills and headlines use, per space: a search word that is not
-- among them is matched to its nearest spellings here (trigrams), then searched as words.
create table directory_words (
    space_id  bigint not null references spaces (id),
    word      text not null check (char_length(word) between 3 and 80),
    primary key (space_id, word)
);
create index directory_words_trgm_idx on directory_words using gin (word gin_trgm_ops);
create index memberships_directory_idx on memberships (space_id, status, created_at desc, id desc);

create table skill_categories (
    id          bigint generated always as identity primary key,
    space_id    bigint not null references spaces (id),
    name        text not null check (char_length(name) between 1 and 60),
    retired_at  timestamptz,
    created_at  timestamptz not null default now(),
    unique (space_id, id)
);
-- A space cannot have two categories of the same name, whatever the case.
create unique index skill_categories_name_key on skill_categories (space_id, lower(name));

create table skills (
    id             bigint generated always as identity primary key,
    space_id       bigint not null references spaces (id),
    membership_id  bigint not null,
    category_id    bigint not null,
    name           text not null check (char_length(name) between 1 and 80),
    level          text not null check (level in ('learning', 'practised', 'expert')),
    note           text not null default '' check (char_length(note) <= 200),
    created_at     timestamptz not null default now(),
    foreign key (space_id, membership_id) references memberships (space_id, id) on delete cascade,
    foreign key (space_id, category_id) references skill_categories (space_id, id)
);
create index skills_membership_idx on skills (membership_id);
create index skills_category_idx on skills (space_id, category_id, level, membership_id);
create unique index skills_name_key on skills (membership_id, lower(name));

-- Rebuilds one member's search document from their name, skills, headline and bio.
create function directory_refresh(p_membership bigint) returns void language sql as $$
    -- Lock the member first: a concurrent refresh then waits, and reads the skills after
    -- this one's change, instead of writing back what it saw before.
    select 1 from memberships where id = p_membership for update;

    update memberships m set
        search_doc =
            -- Names both as written and stemmed, so one english query finds them.
            setweight(to_tsvector('simple', coalesce(x.person_name, '')), 'A')
            || setweight(to_tsvector('english', coalesce(x.person_name, '')), 'A')
            || setweight(to_tsvector('english', coalesce(x.skill_text, '')), 'A')
            || setweight(to_tsvector('english', m.headline), 'B')
            || setweight(to_tsvector('english', m.bio), 'C'),
        search_text = lower(concat_ws(' ', x.person_name, x.skill_text, m.headline))
    from (
        select p.display_name as person_name,
               (select string_agg(s.name || ' ' || c.name, ' ' order by s.id)
                from skills s join skill_categories c on c.id = s.category_id
                where s.membership_id = mm.id) as skill_text
        from memberships mm join people p on p.id = mm.person_id
        where mm.id = p_membership
    ) x
    where m.id = p_membership;

    insert into directory_words (space_id, word)
    select distinct m.space_id, w
    from memberships m, regexp_split_to_table(m.search_text, '[^[:alnum:]]+') w
    where m.id = p_membership and char_length(w) between 3 and 80
    on conflict do nothing;
$$;

create function directory_refresh_membership() returns trigger language plpgsql as $$
begin
    perform directory_refresh(new.id);
    return null;
end $$;

create trigger memberships_directory_refresh
    after insert or update of headline, bio on memberships
    for each row execute function directory_refresh_membership();

create function directory_refresh_skill() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform directory_refresh(old.membership_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform directory_refresh(new.membership_id);
    end if;
    return null;
end $$;

create trigger skills_directory_refresh
    after insert or update or delete on skills
    for each row execute function directory_refresh_skill();

create function directory_refresh_person() returns trigger language plpgsql as $$
begin
    perform directory_refresh(m.id) from memberships m where m.person_id = new.id;
    return null;
end $$;

create trigger people_directory_refresh
    after update of display_name on people
    for each row execute function directory_refresh_person();

create function directory_refresh_category() returns trigger language plpgsql as $$
begin
    perform directory_refresh(m.membership_id)
    from (select distinct s.membership_id from skills s where s.category_id = new.id) m;
    return null;
end $$;

create trigger skill_categories_directory_refresh
    after update of name on skill_categories
    for each row execute function directory_refresh_category();

select directory_refresh(id) from memberships;

-- The search words as a tsquery. With p_typos, a word the space's vocabulary does not
-- know also matches its nearest known spellings, at most two edits away ("desgin" finds
-- "design"); trigrams find the candidates through the index, Levenshtein judges them.
-- Without p_typos (a "quoted phrase" or a -word), websearch syntax is taken as written.
create function directory_query(p_space bigint, p_query text, p_typos boolean)
returns tsquery
language plpgsql stable
set pg_trgm.similarity_threshold = 0.2
as $$
declare
    v_result tsquery;
    v_part   tsquery;
    v_word   text;
    v_near   text;
begin
    if p_query = '' then
        return null;
    end if;
    if not p_typos then
        return websearch_to_tsquery('english', p_query);
    end if;
    for v_word in
        select distinct x from regexp_split_to_table(lower(p_query), '[^[:alnum:]]+') x
        where x <> ''
    loop
        v_part := plainto_tsquery('english', v_word);
        for v_near in
            select d.word from directory_words d
            where d.space_id = p_space and d.word % v_word
              and char_length(v_word) >= 4
              and levenshtein(d.word, v_word) <= case when char_length(v_word) <= 5 then 1 else 2 end
              and not exists (select 1 from directory_words k
                              where k.space_id = p_space and k.word = v_word)
            order by levenshtein(d.word, v_word), similarity(d.word, v_word) desc, d.word
            limit 3
        loop
            v_part := v_part || plainto_tsquery('english', v_near);
        end loop;
        v_result := case when v_result is null then v_part else v_result && v_part end;
    end loop;
    return v_result;
end $$;

-- The directory page's search, in one place: the page calls it, and bench/directory runs
-- the very same call through pgbench. Active members of one space only.
--   p_query     the search box ('' for none)
--   p_typos     forgive misspelt words (see directory_query)
--   p_category  only members with a skill in this category (null for any)
--   p_level     only members with a skill at this level (in that category, if one is given)
--   p_presence  open | heads_down | away (null for any)
--   p_here      only members checked in as here today, in the space's time zone
--   p_sort      relevance | kudos | newest; ties always break on the membership id
create function directory_search(
    p_space bigint, p_query text, p_typos boolean, p_category bigint, p_level text,
    p_presence text, p_here boolean, p_sort text, p_limit integer, p_offset integer
) returns table (
    membership_id bigint, display_name text, headline text, presence text, here_today boolean,
    kudos_count integer, member_since timestamptz, rank real, total bigint
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
               case when v_tsq is null then 0 else ts_rank_cd(m.search_doc, v_tsq, 1) end::real as rank
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
    )
    select pg.id, p.display_name, pg.headline, pg.presence, pg.here_today, pg.kudos_count,
           pg.created_at, pg.rank, pg.total
    from page pg join people p on p.id = pg.person_id
    order by case when p_sort = 'kudos' then pg.kudos_count end desc nulls last,
             case when p_sort = 'newest' then pg.created_at end desc nulls last,
             case when p_sort = 'relevance' then pg.rank end desc nulls last,
             pg.id;
end $$;
