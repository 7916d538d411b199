-- Foundation: spaces (tenants), people and their memberships, server-side sessions,
-- invitations, one-time account tokens, throttles, the audit log and the email outbox.
--
-- Tenancy (SPEC §1.2): every row that belongs to a space carries space_id, and every
-- per-space unique constraint includes it, so the schema can later be distributed by
-- space_id. People (logins) and sessions are global: one person, one login, many spaces.

create table spaces (
    id             bigint generated always as identity primary key,
    slug           text not null unique
                   check (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
    name           text not null check (char_length(name) between 1 and 80),
    signup_mode    text not null default 'approval'
                   check (signup_mode in ('open', 'approval', 'invite')),
    -- What the space calls its credits ("hours", "Grind credits"), SPEC §4.1.
    currency_name  text not null default 'hours'
                   check (char_length(currency_name) between 1 and 40),
    -- One accent colour per space (SPEC §10.1), from a palette whose every colour keeps
    -- 4.5:1 contrast with white text, served from the stylesheet (no inline styles).
    accent_colour  text not null default 'teal'
                   check (accent_colour in ('teal', 'indigo', 'plum', 'rust', 'forest',
                                            'slate', 'ocean', 'berry')),
    created_at     timestamptz not null default now()
);

create table people (
    id                  bigint generated always as identity primary key,
    email               text not null check (char_length(email) between 3 and 254),
    display_name        text not null check (char_length(display_name) between 1 and 80),
    -- argon2id PHC string.
    password_hash       text not null,
    -- Set when the person follows the link we emailed; sign-in requires it.
    email_verified_at   timestamptz,
    created_at          timestamptz not null default now(),
    password_changed_at timestamptz not null default now()
);
-- One login per address, whatever its case.
create unique index people_email_key on people (lower(email));

create table memberships (
    id          bigint generated always as identity primary key,
    space_id    bigint not null references spaces (id),
    person_id   bigint not null references people (id),
    role        text not null default 'member' check (role in ('member', 'admin')),
    status      text not null default 'pending'
                check (status in ('pending', 'active', 'suspended')),
    -- A line about the member as this space knows them ("Brand designer, desk 14").
    headline    text not null default '' check (char_length(headline) <= 120),
    created_at  timestamptz not null default now(),
    -- When an admin last changed the status (approval, suspension).
    decided_at  timestamptz,
    unique (space_id, person_id),
    -- Lets space-owned tables reference a membership together with its space.
    unique (space_id, id)
);
create index memberships_person_idx on memberships (person_id);
create index memberships_pending_idx on memberships (space_id, created_at) where status = 'pending';

-- Server-side sessions (SPEC §8.2). The cookie holds a random id; only its SHA-256 is
-- stored, so a copy of this table cannot be replayed. person_id is null for the anonymous
-- sessions that carry a CSRF token on the sign-in, join and reset forms.
create table sessions (
    id_hash       bytea primary key check (octet_length(id_hash) = 32),
    person_id     bigint references people (id) on delete cascade,
    csrf_token    text not null,
    created_at    timestamptz not null default now(),
    last_seen_at  timestamptz not null default now(),
    -- Absolute expiry; idle expiry is judged from last_seen_at.
    expires_at    timestamptz not null
);
create index sessions_person_idx on sessions (person_id);
create index sessions_expires_idx on sessions (expires_at);

-- Single-use, expiring invite links (SPEC §1.4). Only the token's hash is kept.
create table invitations (
    id          bigint generated always as identity primary key,
    space_id    bigint not null references spaces (id),
    token_hash  bytea not null unique check (octet_length(token_hash) = 32),
    -- Who the admin meant it for, shown in the admin's list; not checked at use.
    note        text not null default '' check (char_length(note) <= 200),
    created_by  bigint not null references people (id),
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    used_at     timestamptz,
    used_by     bigint references people (id),
    revoked_at  timestamptz,
    check ((used_at is null) = (used_by is null))
);
create index invitations_space_idx on invitations (space_id, created_at desc);

-- One-time tokens mailed to a person: password reset and email verification.
create table account_tokens (
    token_hash  bytea primary key check (octet_length(token_hash) = 32),
    person_id   bigint not null references people (id) on delete cascade,
    purpose     text not null check (purpose in ('password_reset', 'verify_email')),
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index account_tokens_person_idx on account_tokens (person_id, purpose);

-- Rate limits with back-off (SPEC §8.5), shared by every app instance. A key names what is
-- limited and for whom, e.g. 'signin:addr:203.0.113.7' or 'signin:account:ana@example.org'.
create table throttles (
    key            text primary key,
    hits           integer not null default 0 check (hits >= 0),
    window_start   timestamptz not null default now(),
    -- Doubles with each hit past the allowance, up to a cap.
    blocked_until  timestamptz
);

-- Admin actions and security events (SPEC §6.7). Append-only: a trigger refuses changes.
create table audit_log (
    id          bigint generated always as identity primary key,
    -- Null for events that belong to no space, such as a failed sign-in.
    space_id    bigint references spaces (id),
    actor_id    bigint references people (id),
    action      text not null,
    subject     text not null default '',
    detail      jsonb not null default '{}',
    ip          inet,
    created_at  timestamptz not null default now()
);
create index audit_log_space_idx on audit_log (space_id, id desc);

create function refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only: % refused', tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
end $$;

create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function refuse_change();

-- Outgoing email (SPEC §7). Written in the same transaction as what caused it; a worker
-- sends it through SMTP when SMTP_URL is set, and otherwise logs it.
create table email_outbox (
    id               bigint generated always as identity primary key,
    space_id         bigint references spaces (id),
    to_address       text not null,
    subject          text not null,
    body             text not null,
    created_at       timestamptz not null default now(),
    next_attempt_at  timestamptz not null default now(),
    attempts         integer not null default 0,
    sent_at          timestamptz,
    last_error       text
);
create index email_outbox_due_idx on email_outbox (next_attempt_at) where sent_at is null;
