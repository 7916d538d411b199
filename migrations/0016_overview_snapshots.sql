-- The admin overview's figures, kept for a few minutes (SPEC §6.6). Over a year of a large
-- space the page's aggregate queries read every transfer of the year, more than a page may
-- take on a small server; so each period an admin looks at is computed once, kept here, and
-- computed again in the background every few minutes while admins keep looking. The page
-- says how old its figures are.
create table overview_snapshots (
    space_id     bigint not null references spaces (id),
    weeks        integer not null check (weeks in (4, 12, 26, 52)),
    computed_at  timestamptz not null,
    -- The last time an admin opened this period; the refresh keeps only looked-at ones.
    viewed_at    timestamptz not null default now(),
    figures      jsonb not null,
    primary key (space_id, weeks)
);
