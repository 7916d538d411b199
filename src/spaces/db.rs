//! Queries for spaces, memberships and applications (invitations are in `invitations`).
//! Every query names its space.

use sqlx::{PgConnection, PgExecutor};

use crate::auth::model::PersonId;
use crate::spaces::model::{
    Applicant, Membership, MembershipId, Role, SignupMode, Space, SpaceChoice, SpaceId, Status,
};

pub async fn space_by_slug(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<Space>> {
    sqlx::query_as!(
        Space,
        r#"select id as "id: SpaceId", slug, name, signup_mode as "signup_mode: SignupMode",
                  currency_name, accent_colour
           from spaces where slug = $1"#,
        slug
    )
    .fetch_optional(db)
    .await
}

/// A space and, if they have one, the person's membership of it: one query per request.
pub async fn space_with_membership(
    db: impl PgExecutor<'_>,
    slug: &str,
    person: PersonId,
) -> sqlx::Result<Option<(Space, Option<Membership>)>> {
    let row = sqlx::query!(
        r#"select s.id as "id: SpaceId", s.slug, s.name,
                  s.signup_mode as "signup_mode: SignupMode", s.currency_name, s.accent_colour,
                  m.id as "membership_id?: MembershipId",
                  m.role as "role?: Role", m.status as "status?: Status",
                  coalesce(ic.unread, 0) as "unread!"
           from spaces s
           left join memberships m on m.space_id = s.id and m.person_id = $2
           left join inbox_counters ic on ic.membership_id = m.id
           where s.slug = $1"#,
        slug,
        person as PersonId
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let membership = match (r.membership_id, r.role, r.status) {
            (Some(id), Some(role), Some(status)) => Some(Membership {
                id,
                person_id: person,
                role,
                status,
                unread: r.unread,
            }),
            _ => None,
        };
        let space = Space {
            id: r.id,
            slug: r.slug,
            name: r.name,
            signup_mode: r.signup_mode,
            currency_name: r.currency_name,
            accent_colour: r.accent_colour,
        };
        (space, membership)
    }))
}

pub async fn spaces_of(
    db: impl PgExecutor<'_>,
    person: PersonId,
) -> sqlx::Result<Vec<SpaceChoice>> {
    sqlx::query_as!(
        SpaceChoice,
        r#"select s.slug, s.name, m.role as "role: Role", m.status as "status: Status"
           from memberships m join spaces s on s.id = m.space_id
           where m.person_id = $1
           order by s.name"#,
        person as PersonId
    )
    .fetch_all(db)
    .await
}

/// What a new member has done of their first steps (the dashboard's checklist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstSteps {
    pub headline: bool,
    pub two_skills: bool,
    pub first_offer: bool,
    /// Checked in as "here today" at least once.
    pub said_hello: bool,
}

impl FirstSteps {
    pub fn all_done(&self) -> bool {
        self.headline && self.two_skills && self.first_offer && self.said_hello
    }
}

pub async fn first_steps(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    member: MembershipId,
) -> sqlx::Result<FirstSteps> {
    sqlx::query_as!(
        FirstSteps,
        r#"select m.headline <> '' as "headline!",
                  (select count(*) from skills s
                   where s.space_id = $1 and s.membership_id = m.id) >= 2 as "two_skills!",
                  exists (select 1 from listings l
                          where l.space_id = $1 and l.membership_id = m.id and l.kind = 'offer')
                      as "first_offer!",
                  m.said_hello_at is not null as "said_hello!"
           from memberships m where m.space_id = $1 and m.id = $2"#,
        space as SpaceId,
        member as MembershipId
    )
    .fetch_one(db)
    .await
}

/// A space on the front page: its admins chose to list it, and anyone may join or apply.
#[derive(Debug, Clone)]
pub struct ListedSpace {
    pub slug: String,
    pub name: String,
    pub signup_mode: SignupMode,
}

impl ListedSpace {
    /// Anyone may join at once (else they apply).
    pub fn is_open(&self) -> bool {
        self.signup_mode == SignupMode::Open
    }
}

/// The spaces listed on the front page, leaving out those `person` already belongs to.
pub async fn listed_spaces(
    db: impl PgExecutor<'_>,
    person: Option<PersonId>,
) -> sqlx::Result<Vec<ListedSpace>> {
    sqlx::query_as!(
        ListedSpace,
        r#"select s.slug, s.name, s.signup_mode as "signup_mode: SignupMode"
           from spaces s
           where s.listed and s.signup_mode in ('open', 'approval')
             and not exists (select 1 from memberships m
                             where m.space_id = s.id and m.person_id = $1)
           order by s.name, s.id
           limit 100"#,
        person as Option<PersonId>
    )
    .fetch_all(db)
    .await
}

/// Creates a space, or finds it if the slug is taken. Returns its id and whether it is new.
pub async fn ensure_space(
    conn: &mut PgConnection,
    slug: &str,
    name: &str,
    mode: SignupMode,
) -> sqlx::Result<(SpaceId, bool)> {
    let created = sqlx::query_scalar!(
        r#"insert into spaces (slug, name, signup_mode) values ($1, $2, $3)
           on conflict (slug) do nothing
           returning id as "id: SpaceId""#,
        slug,
        name,
        mode as SignupMode
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = created {
        return Ok((id, true));
    }
    let id = sqlx::query_scalar!(
        r#"select id as "id: SpaceId" from spaces where slug = $1"#,
        slug
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok((id, false))
}

/// The demo space: made now, or found again if an earlier `swapdesk demo` made it. None
/// when a space with this slug exists that the demo did not make: it must not be touched.
pub async fn ensure_demo_space(
    conn: &mut PgConnection,
    slug: &str,
    name: &str,
) -> sqlx::Result<Option<SpaceId>> {
    sqlx::query!(
        "insert into spaces (slug, name, signup_mode, made_by_demo)
         values ($1, $2, 'approval', true)
         on conflict (slug) do nothing",
        slug,
        name
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar!(
        r#"select id as "id: SpaceId" from spaces where slug = $1 and made_by_demo"#,
        slug
    )
    .fetch_optional(&mut *conn)
    .await
}

/// Today's date in the space's own time zone.
pub async fn today(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<time::Date> {
    sqlx::query_scalar!(
        r#"select (now() at time zone time_zone)::date as "today!" from spaces where id = $1"#,
        space as SpaceId
    )
    .fetch_one(db)
    .await
}

/// Whether a membership of the space is active.
pub async fn is_active(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    membership: MembershipId,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from memberships
                          where space_id = $1 and id = $2 and status = 'active') as "active!""#,
        space as SpaceId,
        membership as MembershipId
    )
    .fetch_one(db)
    .await
}

/// The statuses of some memberships of the space, their rows share-locked: nobody can
/// suspend one of them until the caller's transaction ends.
pub async fn statuses_for_share(
    conn: &mut PgConnection,
    space: SpaceId,
    memberships: &[MembershipId],
) -> sqlx::Result<Vec<Status>> {
    let ids: Vec<i64> = memberships.iter().map(|m| m.0).collect();
    sqlx::query_scalar!(
        r#"select status as "status: Status" from memberships
           where space_id = $1 and id = any($2) order by id for share"#,
        space as SpaceId,
        &ids
    )
    .fetch_all(conn)
    .await
}

/// Adds a membership, or returns None when the person already has one here.
pub async fn add_membership(
    conn: &mut PgConnection,
    space: SpaceId,
    person: PersonId,
    role: Role,
    status: Status,
) -> sqlx::Result<Option<MembershipId>> {
    sqlx::query_scalar!(
        r#"insert into memberships (space_id, person_id, role, status, decided_at)
           values ($1, $2, $3, $4, case when $4 <> 'pending' then now() end)
           on conflict (space_id, person_id) do nothing
           returning id as "id: MembershipId""#,
        space as SpaceId,
        person as PersonId,
        role as Role,
        status as Status
    )
    .fetch_optional(conn)
    .await
}

pub async fn pending_applicants(
    db: impl PgExecutor<'_>,
    space: SpaceId,
) -> sqlx::Result<Vec<Applicant>> {
    sqlx::query_as!(
        Applicant,
        r#"select m.id as "membership_id: MembershipId", p.display_name, p.email,
                  p.email_verified_at is not null as "email_confirmed!",
                  to_char(m.created_at, 'FMDD Mon YYYY') as "applied_on!"
           from memberships m join people p on p.id = m.person_id
           where m.space_id = $1 and m.status = 'pending'
           order by m.created_at, m.id"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await
}

/// The spaces where `person` is waiting for approval, with the name they applied under.
pub async fn pending_applications_of(
    db: impl PgExecutor<'_>,
    person: PersonId,
) -> sqlx::Result<Vec<(Space, String)>> {
    let rows = sqlx::query!(
        r#"select s.id as "id: SpaceId", s.slug, s.name, s.signup_mode as "signup_mode: SignupMode",
                  s.currency_name, s.accent_colour, p.display_name
           from memberships m join spaces s on s.id = m.space_id join people p on p.id = m.person_id
           where m.person_id = $1 and m.status = 'pending'
           order by s.id"#,
        person as PersonId
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let space = Space {
                id: r.id,
                slug: r.slug,
                name: r.name,
                signup_mode: r.signup_mode,
                currency_name: r.currency_name,
                accent_colour: r.accent_colour,
            };
            (space, r.display_name)
        })
        .collect())
}

/// Approves or declines a pending application in this space. Declining removes it, so the
/// person may apply again later. Returns the applicant's email and name, or None if there
/// was no such pending application.
pub async fn decide_application(
    conn: &mut PgConnection,
    space: SpaceId,
    membership: MembershipId,
    approve: bool,
) -> sqlx::Result<Option<(String, String)>> {
    let person = if approve {
        sqlx::query_scalar!(
            r#"update memberships set status = 'active', decided_at = now()
               where space_id = $1 and id = $2 and status = 'pending'
               returning person_id as "person_id: PersonId""#,
            space as SpaceId,
            membership as MembershipId
        )
        .fetch_optional(&mut *conn)
        .await?
    } else {
        sqlx::query_scalar!(
            r#"delete from memberships
               where space_id = $1 and id = $2 and status = 'pending'
               returning person_id as "person_id: PersonId""#,
            space as SpaceId,
            membership as MembershipId
        )
        .fetch_optional(&mut *conn)
        .await?
    };
    let Some(person) = person else {
        return Ok(None);
    };
    let row = sqlx::query!(
        "select email, display_name from people where id = $1",
        person as PersonId
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some((row.email, row.display_name)))
}

/// Emails of a space's active admins, for notices such as a new application.
pub async fn admin_emails(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "select p.email from memberships m join people p on p.id = m.person_id
         where m.space_id = $1 and m.role = 'admin' and m.status = 'active'
         order by m.id",
        space as SpaceId
    )
    .fetch_all(db)
    .await
}

pub async fn set_role_status(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    person: PersonId,
    role: Role,
    status: Status,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update memberships set role = $3, status = $4, decided_at = now()
         where space_id = $1 and person_id = $2",
        space as SpaceId,
        person as PersonId,
        role as Role,
        status as Status
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_headline(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    person: PersonId,
    headline: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update memberships set headline = $3 where space_id = $1 and person_id = $2",
        space as SpaceId,
        person as PersonId,
        headline
    )
    .execute(db)
    .await?;
    Ok(())
}
