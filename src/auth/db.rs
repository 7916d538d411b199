//! Queries for people, one-time tokens and throttles. Sessions are `web::session::db`.

use sqlx::{PgConnection, PgExecutor};

use crate::auth::model::{Credentials, PersonId, TokenPurpose};

pub async fn credentials_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> sqlx::Result<Option<Credentials>> {
    sqlx::query_as!(
        Credentials,
        r#"select id as "id: PersonId", email, display_name, password_hash,
                  email_verified_at is not null as "verified!"
           from people where lower(email) = lower($1)"#,
        email
    )
    .fetch_optional(db)
    .await
}

pub async fn credentials_by_id(
    db: impl PgExecutor<'_>,
    person: PersonId,
) -> sqlx::Result<Option<Credentials>> {
    sqlx::query_as!(
        Credentials,
        r#"select id as "id: PersonId", email, display_name, password_hash,
                  email_verified_at is not null as "verified!"
           from people where id = $1"#,
        person as PersonId
    )
    .fetch_optional(db)
    .await
}

/// Creates a person, or returns None when the address is taken. A person who joined
/// through the web has no password until the owner of the address chooses one.
pub async fn create_person(
    conn: &mut PgConnection,
    email: &str,
    display_name: &str,
    password_hash: Option<&str>,
    verified: bool,
) -> sqlx::Result<Option<PersonId>> {
    sqlx::query_scalar!(
        r#"insert into people (email, display_name, password_hash, email_verified_at)
           values ($1, $2, $3, case when $4 then now() end)
           on conflict ((lower(email))) do nothing
           returning id as "id: PersonId""#,
        email,
        display_name,
        password_hash,
        verified
    )
    .fetch_optional(conn)
    .await
}

pub async fn set_password(
    db: impl PgExecutor<'_>,
    person: PersonId,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update people set password_hash = $2, password_changed_at = now() where id = $1",
        person as PersonId,
        password_hash
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn mark_verified(db: impl PgExecutor<'_>, person: PersonId) -> sqlx::Result<()> {
    sqlx::query!(
        "update people set email_verified_at = coalesce(email_verified_at, now()) where id = $1",
        person as PersonId
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Stores a one-time token's hash.
pub async fn insert_token(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    person: PersonId,
    purpose: TokenPurpose,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into account_tokens (token_hash, person_id, purpose, expires_at)
         values ($1, $2, $3, now() + make_interval(secs => $4))",
        token_hash,
        person as PersonId,
        purpose.as_str(),
        purpose.ttl_secs() as f64
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A link that confirms `new_email` as the address of `person`'s account.
pub async fn insert_email_change(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    person: PersonId,
    new_email: &str,
) -> sqlx::Result<()> {
    let purpose = TokenPurpose::ChangeEmail;
    sqlx::query!(
        "insert into account_tokens (token_hash, person_id, purpose, expires_at, new_email)
         values ($1, $2, $3, now() + make_interval(secs => $4), $5)",
        token_hash,
        person as PersonId,
        purpose.as_str(),
        purpose.ttl_secs() as f64,
        new_email
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The person and the new address an email-change link is valid for, without using it.
pub async fn peek_email_change(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> sqlx::Result<Option<(PersonId, String)>> {
    let row = sqlx::query!(
        r#"select person_id as "person_id: PersonId", new_email as "new_email!"
           from account_tokens
           where token_hash = $1 and purpose = 'change_email' and used_at is null
             and expires_at > now()"#,
        token_hash
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.person_id, r.new_email)))
}

/// Uses an email-change link once: its person and new address, or None.
pub async fn use_email_change(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> sqlx::Result<Option<(PersonId, String)>> {
    let row = sqlx::query!(
        r#"update account_tokens set used_at = now()
           where token_hash = $1 and purpose = 'change_email' and used_at is null
             and expires_at > now()
           returning person_id as "person_id: PersonId", new_email as "new_email!""#,
        token_hash
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.person_id, r.new_email)))
}

/// Gives an account a new address, confirmed by the link just used. False: another
/// account has the address now.
pub async fn set_email(
    conn: &mut PgConnection,
    person: PersonId,
    email: &str,
) -> sqlx::Result<bool> {
    let taken = sqlx::query_scalar!(
        r#"select exists (select 1 from people where lower(email) = lower($1) and id <> $2)
           as "taken!""#,
        email,
        person as PersonId
    )
    .fetch_one(&mut *conn)
    .await?;
    if taken {
        return Ok(false);
    }
    sqlx::query!(
        "update people set email = $2, email_verified_at = now() where id = $1",
        person as PersonId,
        email
    )
    .execute(conn)
    .await?;
    Ok(true)
}

/// The person a token is valid for, without using it.
pub async fn peek_token(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    purpose: TokenPurpose,
) -> sqlx::Result<Option<PersonId>> {
    sqlx::query_scalar!(
        r#"select person_id as "person_id: PersonId" from account_tokens
           where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()"#,
        token_hash,
        purpose.as_str()
    )
    .fetch_optional(db)
    .await
}

/// Uses a token once: returns its person, or None if it was used, expired or unknown.
pub async fn use_token(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    purpose: TokenPurpose,
) -> sqlx::Result<Option<PersonId>> {
    sqlx::query_scalar!(
        r#"update account_tokens set used_at = now()
           where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()
           returning person_id as "person_id: PersonId""#,
        token_hash,
        purpose.as_str()
    )
    .fetch_optional(db)
    .await
}

/// Marks every unused token of one purpose used: only the newest confirmation link works.
pub async fn retire_tokens(
    db: impl PgExecutor<'_>,
    person: PersonId,
    purpose: TokenPurpose,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update account_tokens set used_at = now()
         where person_id = $1 and purpose = $2 and used_at is null",
        person as PersonId,
        purpose.as_str()
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Marks every unused mailed token of a person used, whatever it was for.
pub async fn retire_all_tokens(db: impl PgExecutor<'_>, person: PersonId) -> sqlx::Result<()> {
    sqlx::query!(
        "update account_tokens set used_at = now() where person_id = $1 and used_at is null",
        person as PersonId
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Seconds until a throttle key is free again, if it is blocked now.
pub async fn throttle_blocked_for(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<Option<i64>> {
    let secs = sqlx::query_scalar!(
        r#"select ceil(extract(epoch from blocked_until - now()))::bigint as "secs!"
           from throttles where key = $1 and blocked_until > now()"#,
        key
    )
    .fetch_optional(db)
    .await?;
    Ok(secs)
}

/// Counts a hit on a key. Past `allowance` hits in `window_secs`, the key is blocked for
/// `base_secs`, doubling with each further hit up to `cap_secs`. Returns the seconds it is
/// now blocked for, if any.
pub async fn throttle_hit(
    db: impl PgExecutor<'_>,
    key: &str,
    allowance: i32,
    window_secs: i64,
    base_secs: i64,
    cap_secs: i64,
) -> sqlx::Result<Option<i64>> {
    let secs = sqlx::query_scalar!(
        r#"insert into throttles as t (key, hits, window_start, blocked_until)
           values ($1, 1, now(),
                   case when 1 > $2 then now() + make_interval(secs => $4) end)
           on conflict (key) do update set
               hits = case when t.window_start < now() - make_interval(secs => $3)
                           then 1 else t.hits + 1 end,
               window_start = case when t.window_start < now() - make_interval(secs => $3)
                                   then now() else t.window_start end,
               blocked_until = case
                   when (case when t.window_start < now() - make_interval(secs => $3)
                              then 1 else t.hits + 1 end) > $2
                   then now() + make_interval(secs => least($5, $4 * power(2, least(
                       t.hits - $2, 30))))
                   else t.blocked_until end
           returning ceil(extract(epoch from blocked_until - now()))::bigint as "secs""#,
        key,
        allowance,
        window_secs as f64,
        base_secs as f64,
        cap_secs as f64
    )
    .fetch_one(db)
    .await?;
    Ok(secs.filter(|s| *s > 0))
}

/// What `signin_attempt` (migrations/0004_security.sql) found and did.
pub struct SignInCount {
    pub wait_secs: i64,
    pub pair_hits: i32,
    pub account_hits: i32,
    pub address_hits: i32,
}

/// Counts a sign-in attempt against its three keys, or says how long it must wait.
pub async fn signin_attempt(
    db: impl PgExecutor<'_>,
    [pair, account, address]: [&str; 3],
    known_device: bool,
    allowances: [i32; 3],
    (window_secs, base_secs, cap_secs): (i64, i64, i64),
) -> sqlx::Result<SignInCount> {
    sqlx::query_as!(
        SignInCount,
        r#"select wait_secs as "wait_secs!", pair_hits as "pair_hits!",
                  account_hits as "account_hits!", address_hits as "address_hits!"
           from signin_attempt($1, $2, $3, $4, $5, $6, $7, $8)"#,
        pair,
        account,
        address,
        known_device,
        &allowances[..],
        window_secs as f64,
        base_secs as f64,
        cap_secs as f64
    )
    .fetch_one(db)
    .await
}

/// Takes one hit back from each of `refund` and forgets `clear` altogether.
pub async fn throttle_refund(
    db: impl PgExecutor<'_>,
    refund: &[&str],
    clear: &str,
) -> sqlx::Result<()> {
    let refund: Vec<String> = refund.iter().map(|k| (*k).to_owned()).collect();
    sqlx::query!(
        "with cleared as (delete from throttles where key = $2)
         update throttles set hits = greatest(hits - 1, 0) where key = any($1) and key <> $2",
        &refund[..],
        clear
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets throttles whose window and any block are over (the session clean-up job runs it).
pub async fn purge_throttles(db: impl PgExecutor<'_>) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "delete from throttles
         where window_start < now() - interval '1 hour'
           and coalesce(last_hit_at, window_start) < now() - interval '30 minutes'
           and (blocked_until is null or blocked_until < now())"
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

pub async fn set_display_name(
    db: impl PgExecutor<'_>,
    person: PersonId,
    name: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update people set display_name = $2 where id = $1 and display_name <> $2",
        person as PersonId,
        name
    )
    .execute(db)
    .await?;
    Ok(())
}
