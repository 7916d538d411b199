-- The first hour (issue 14): a space may list itself on the front page, and a person may
-- change their email address through a link mailed to the new one.

-- Off by default: a space is found only through its join link until its admins choose
-- otherwise, and only while anyone may join or apply.
alter table spaces add column listed boolean not null default false;
create index spaces_listed_idx on spaces (name) where listed;

-- A change of address waits in a mailed token until the holder of the new address follows
-- it; the token carries the address it confirms.
alter table account_tokens drop constraint account_tokens_purpose_check;
alter table account_tokens
    add constraint account_tokens_purpose_check
        check (purpose in ('password_reset', 'verify_email', 'change_email')),
    add column new_email text check (new_email is null or char_length(new_email) between 3 and 254),
    add constraint account_tokens_change_email_has_address
        check ((purpose = 'change_email') = (new_email is not null));

-- A new member's first steps (the dashboard's checklist): the first check-in as "here
-- today" is their hello, and stays said when they check out again.
alter table memberships add column said_hello_at timestamptz;
