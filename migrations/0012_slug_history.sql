-- A space's address can change (issue 11 §7): an admin picks a new slug on the settings
-- page, and every link to the old address (emails already sent, bookmarks) keeps working,
-- redirected to the new one. So a slug, once a space's, stays that space's: no other space
-- may take it, now or later, or an old link would lead to the wrong space. The space itself
-- may take a former slug back; it then leaves this table.
--
-- Current slugs stay in spaces.slug; the former ones live here. A slug in one table must
-- not belong to another space in the other, which no unique index can say across two
-- tables: a trigger on each checks the other, under one advisory lock taken by every write
-- of a slug, so two transactions racing for one slug run one after the other and the
-- second sees what the first wrote. Slug writes are rare (a space made, an address changed),
-- so one lock for all of them costs nothing and cannot deadlock two swaps.

create table space_slugs (
    slug        text primary key
                check (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
    space_id    bigint not null references spaces (id),
    retired_at  timestamptz not null default now()
);
create index space_slugs_space_id_idx on space_slugs (space_id);

-- Each trigger refuses a slug that the other table holds for another space (each table's
-- own unique index covers itself). The error is a unique violation, so the app turns it
-- into the same "taken" as the indexes' own. After the lock, the check's query takes a
-- fresh snapshot (read committed, a volatile function): what the last holder wrote counts.

-- A space made, or its slug changed: no other space may hold the slug as a former one.
create function spaces_slug_claim() returns trigger language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended('space-slugs', 0));
    if exists (select 1 from space_slugs where slug = new.slug and space_id <> new.id) then
        raise exception 'the address % belongs to another space', new.slug
            using errcode = 'unique_violation';
    end if;
    return new;
end $$;

create trigger spaces_slug_claim
    before insert or update of slug on spaces
    for each row execute function spaces_slug_claim();

-- A slug retired: no other space may be using it now.
create function space_slugs_claim() returns trigger language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended('space-slugs', 0));
    if exists (select 1 from spaces where slug = new.slug and id <> new.space_id) then
        raise exception 'the address % belongs to another space', new.slug
            using errcode = 'unique_violation';
    end if;
    return new;
end $$;

create trigger space_slugs_claim
    before insert or update on space_slugs
    for each row execute function space_slugs_claim();
