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

-- A person who joins through the web has no password until the owner of the address, who
-- holds the confirmation link, chooses one: a password chosen by someone else never exists.
alter table people alter column password_hash drop not null;

-- Account email (confirmation, reset) carries a link that signs its holder in. Its body is
-- cleared once delivered, and admins never read it (SPEC §7).
alter table email_outbox add column account_email boolean not null default false;
update email_outbox set account_email = true
 where subject in ('Confirm your email address for Swapdesk', 'Reset your Swapdesk password');
update email_outbox set body = '' where account_email and sent_at is not null;
