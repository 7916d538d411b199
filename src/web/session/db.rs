//! Queries for server-side sessions: one indexed query per request loads the session with
//! its person and, for a space page, that space and the person's membership.

use sqlx::PgExecutor;

use crate::auth::model::{PersonId, SessionPerson};
use crate::spaces::model::{Membership, MembershipId, Role, SignupMode, Space, SpaceId, Status};

pub struct LoadedSession {
    pub csrf_token: String,
    pub person: Option<SessionPerson>,
    pub seen_secs_ago: i64,
    /// The space named in the URL and the person's membership of it, when asked for.
    pub space: Option<(Space, Option<Membership>)>,
}

/// A live session (neither idle too long nor past its absolute expiry) with its person and,
/// for pages under /s/{slug}, that space and the person's membership: one query per request.
pub async fn load_session(
    db: impl PgExecutor<'_>,
    id_hash: &[u8],
    idle_secs: i64,
    slug: Option<&str>,
) -> sqlx::Result<Option<LoadedSession>> {
    let row = sqlx::query_as!(
        SessionRow,
        r#"select s.csrf_token,
                  p.id as "person_id?: PersonId",
                  p.display_name as "display_name?",
                  p.email as "email?",
                  extract(epoch from now() - s.last_seen_at)::bigint as "seen_secs_ago!",
                  sp.id as "space_id?: SpaceId", sp.slug as "slug?", sp.name as "space_name?",
                  sp.signup_mode as "signup_mode?: SignupMode",
                  sp.currency_name as "currency_name?", sp.accent_colour as "accent_colour?",
                  m.id as "membership_id?: MembershipId",
                  m.role as "role?: Role", m.status as "status?: Status",
                  coalesce(ic.unread, 0) as "unread!"
           from sessions s
           left join people p on p.id = s.person_id
           left join spaces sp on sp.slug = $3 and s.person_id is not null
           left join memberships m on m.space_id = sp.id and m.person_id = s.person_id
           left join inbox_counters ic on ic.membership_id = m.id
           where s.id_hash = $1
             and s.expires_at > now()
             and s.last_seen_at > now() - make_interval(secs => $2)"#,
        id_hash,
        idle_secs as f64,
        slug,
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(SessionRow::into_loaded))
}

/// The session query's row: its person, space and membership come from left joins, so
/// each is there only when all of its columns are.
struct SessionRow {
    csrf_token: String,
    person_id: Option<PersonId>,
    display_name: Option<String>,
    email: Option<String>,
    seen_secs_ago: i64,
    space_id: Option<SpaceId>,
    slug: Option<String>,
    space_name: Option<String>,
    signup_mode: Option<SignupMode>,
    currency_name: Option<String>,
    accent_colour: Option<String>,
    membership_id: Option<MembershipId>,
    role: Option<Role>,
    status: Option<Status>,
    unread: i32,
}

impl SessionRow {
    fn into_loaded(self) -> LoadedSession {
        let person = match (self.person_id, self.display_name, self.email) {
            (Some(id), Some(display_name), Some(email)) => Some(SessionPerson {
                id,
                display_name,
                email,
            }),
            _ => None,
        };
        let membership = match (self.membership_id, self.role, self.status, &person) {
            (Some(id), Some(role), Some(status), Some(p)) => Some(Membership {
                id,
                person_id: p.id,
                role,
                status,
                unread: self.unread,
            }),
            _ => None,
        };
        let space = match (
            self.space_id,
            self.slug,
            self.space_name,
            self.signup_mode,
            self.currency_name,
            self.accent_colour,
        ) {
            (
                Some(id),
                Some(slug),
                Some(name),
                Some(signup_mode),
                Some(currency_name),
                Some(accent_colour),
            ) => Some((
                Space {
                    id,
                    slug,
                    name,
                    signup_mode,
                    currency_name,
                    accent_colour,
                },
                membership,
            )),
            _ => None,
        };
        LoadedSession {
            csrf_token: self.csrf_token,
            person,
            seen_secs_ago: self.seen_secs_ago,
            space,
        }
    }
}

pub async fn touch_session(db: impl PgExecutor<'_>, id_hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query!(
        "update sessions set last_seen_at = now() where id_hash = $1",
        id_hash
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Stores a new signed-in session and returns its person.
pub async fn insert_session(
    db: impl PgExecutor<'_>,
    id_hash: &[u8],
    person: PersonId,
    csrf_token: &str,
    ttl_secs: i64,
) -> sqlx::Result<Option<SessionPerson>> {
    let row = sqlx::query!(
        r#"with s as (
               insert into sessions (id_hash, person_id, csrf_token, expires_at)
               values ($1, $2, $3, now() + make_interval(secs => $4))
               returning person_id
           )
           select p.id as "id: PersonId", p.display_name, p.email
           from s join people p on p.id = s.person_id"#,
        id_hash,
        person as PersonId,
        csrf_token,
        ttl_secs as f64,
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| SessionPerson {
        id: r.id,
        display_name: r.display_name,
        email: r.email,
    }))
}

pub async fn delete_session(db: impl PgExecutor<'_>, id_hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query!("delete from sessions where id_hash = $1", id_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of a person ("sign out everywhere", password changes).
pub async fn delete_sessions_of(db: impl PgExecutor<'_>, person: PersonId) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "delete from sessions where person_id = $1",
        person as PersonId
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Removes sessions past their absolute expiry or idle too long.
pub async fn delete_expired_sessions(db: impl PgExecutor<'_>, idle_secs: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "delete from sessions
         where expires_at <= now() or last_seen_at <= now() - make_interval(secs => $1)",
        idle_secs as f64
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
