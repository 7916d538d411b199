-- Bulk invitations from a CSV upload (SPEC §6.1): a row may name the credit limit its
-- invitee starts with. It is kept on the invitation and set on the ledger account when the
-- invitation is accepted and the account opens; null means the space's default limit.
-- The bounds are a form's (0 to 1,000,000 credits, in hundredths).
alter table invitations
    add column credit_limit bigint check (credit_limit between 0 and 100000000);
