-- Only the schema's owner makes objects in `public`. PostgreSQL 15 and later already keep
-- CREATE there from PUBLIC; 14 and older grant it to every role, so the app's role could
-- plant a table, a function or an operator in `public`, which is on the search_path of the
-- ledger's SECURITY DEFINER functions. The app's role needs no CREATE: it only uses what
-- the migrations made. The migrations' role keeps it as the schema's owner (the embedded
-- cluster hands the schema over; README, "Database roles") or as a superuser. Run by a role
-- that owns neither, this revokes nothing and PostgreSQL only warns.
revoke create on schema public from public;
