-- Security hardening: an instance signing key, accounts whose password is chosen by the
-- owner of the address, account email that does not outlive its delivery, throttles that
-- slow rather than shut, and a demo that only touches its own space.

-- The key that signs cookies and links, when SECRET_KEY is not set: made once by whichever
-- instance starts first, then shared by all.
create table instance_secrets (
    name        text primary key,
    secret      bytea not null check (octet_length(secret) >= 32),
    created_at  timestamptz not null default now()
);
