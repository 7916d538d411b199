//! Reports and the hidden flags of listings and kudos notes.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

use crate::moderation::model::{Outcome, Subject, Thing};
use crate::spaces::model::{MembershipId, SpaceId};

/// A reported or moderated thing of the space, whatever its state; None if there is none.
pub async fn thing(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    subject: Subject,
    id: i64,
) -> sqlx::Result<Option<Thing>> {
    let row = sqlx::query!(
        r#"select l.membership_id as "owner!", p.display_name as "owner_name!",
                  m.status = 'active' as "owner_active!", l.title as "title!",
                  l.description as "body!", null::integer as stars,
                  '/market/' || l.id as "path!", '/market/' || l.id as "owner_path!",
                  l.hidden_reason,
                  null::bigint as party_a, null::bigint as party_b
           from listings l join memberships m on m.id = l.membership_id
           join people p on p.id = m.person_id
           where $2 = 'listing' and l.space_id = $1 and l.id = $3
           union all
           select k.from_id, fp.display_name, tm.status = 'active', tp.display_name, k.note,
                  k.stars, '/members/' || k.to_id, '/trades/' || k.trade_id, k.hidden_reason,
                  null, null
           from kudos k
           join memberships fm on fm.id = k.from_id join people fp on fp.id = fm.person_id
           join memberships tm on tm.id = k.to_id join people tp on tp.id = tm.person_id
           where $2 = 'kudos' and k.space_id = $1 and k.id = $3
           union all
           select x.author_id, ap.display_name, am.status = 'active', t.description, x.body,
                  null, '/trades/' || t.id, '/trades/' || t.id, null, t.payer_id, t.payee_id
           from trade_messages x join trades t on t.id = x.trade_id
           join memberships am on am.id = x.author_id join people ap on ap.id = am.person_id
           where $2 = 'message' and x.space_id = $1 and x.id = $3
           union all
           select m.id, p.display_name, m.status = 'active', m.headline, '', null,
                  '/members/' || m.id, '/members/' || m.id, null, null, null
           from memberships m join people p on p.id = m.person_id
           where $2 = 'member' and m.space_id = $1 and m.id = $3 and m.status <> 'pending'"#,
        space as SpaceId,
        subject as Subject,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Thing {
        subject,
        id,
        owner: MembershipId(r.owner),
        owner_name: r.owner_name,
        owner_active: r.owner_active,
        title: r.title,
        body: r.body,
        stars: r.stars,
        path: r.path,
        owner_path: r.owner_path,
        hidden_reason: r.hidden_reason,
        parties: r
            .party_a
            .zip(r.party_b)
            .map(|(a, b)| (MembershipId(a), MembershipId(b))),
    }))
}

/// Files a report. False: this member's earlier report of it is still open.
pub async fn add_report(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    reporter: MembershipId,
    thing: &Thing,
    summary: &str,
    reason: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into reports (space_id, reporter_id, subject, subject_id, about_id, summary,
                              excerpt, reason)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (reporter_id, subject, subject_id) where closed_at is null do nothing",
        space as SpaceId,
        reporter as MembershipId,
        thing.subject as Subject,
        thing.id,
        thing.owner as MembershipId,
        summary,
        &thing.body,
        reason
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether this member ever reported it, whatever became of the report.
pub async fn reported_before(
    db: impl PgExecutor<'_>,
    reporter: MembershipId,
    subject: Subject,
    id: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from reports
                          where reporter_id = $1 and subject = $2 and subject_id = $3) as "is!""#,
        reporter as MembershipId,
        subject as Subject,
        id
    )
    .fetch_one(db)
    .await
}

/// Hides a listing or a kudos note (a hidden kudos leaves its receiver's count and stars).
/// False: it was hidden already.
pub async fn hide(
    conn: &mut PgConnection,
    space: SpaceId,
    subject: Subject,
    id: i64,
    reason: &str,
) -> sqlx::Result<bool> {
    let done = match subject {
        Subject::Listing => sqlx::query!(
            "update listings set hidden_at = now(), hidden_reason = $3
             where space_id = $1 and id = $2 and hidden_at is null",
            space as SpaceId,
            id,
            reason
        )
        .execute(conn)
        .await?
        .rows_affected(),
        Subject::Kudos => sqlx::query!(
            "with hidden as (update kudos set hidden_at = now(), hidden_reason = $3
                             where space_id = $1 and id = $2 and hidden_at is null
                             returning to_id, stars)
             update memberships m set kudos_count = kudos_count - 1,
                                      kudos_stars = kudos_stars - h.stars
             from hidden h where m.id = h.to_id",
            space as SpaceId,
            id,
            reason
        )
        .execute(conn)
        .await?
        .rows_affected(),
        Subject::Message | Subject::Member => 0,
    };
    Ok(done == 1)
}

/// Shows a hidden listing or kudos note again. False: it was not hidden.
pub async fn restore(
    conn: &mut PgConnection,
    space: SpaceId,
    subject: Subject,
    id: i64,
) -> sqlx::Result<bool> {
    let done = match subject {
        Subject::Listing => sqlx::query!(
            "update listings set hidden_at = null, hidden_reason = null
             where space_id = $1 and id = $2 and hidden_at is not null",
            space as SpaceId,
            id
        )
        .execute(conn)
        .await?
        .rows_affected(),
        Subject::Kudos => sqlx::query!(
            "with shown as (update kudos set hidden_at = null, hidden_reason = null
                            where space_id = $1 and id = $2 and hidden_at is not null
                            returning to_id, stars)
             update memberships m set kudos_count = kudos_count + 1,
                                      kudos_stars = kudos_stars + s.stars
             from shown s where m.id = s.to_id",
            space as SpaceId,
            id
        )
        .execute(conn)
        .await?
        .rows_affected(),
        Subject::Message | Subject::Member => 0,
    };
    Ok(done == 1)
}

/// Closes every open report of a thing with what was done; returns the reporters.
pub async fn close_reports(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    subject: Subject,
    id: i64,
    by: MembershipId,
    outcome: Outcome,
    note: &str,
) -> sqlx::Result<Vec<MembershipId>> {
    sqlx::query_scalar!(
        r#"update reports set closed_at = now(), closed_by = $4, outcome = $5, outcome_note = $6
           where space_id = $1 and subject = $2 and subject_id = $3 and closed_at is null
           returning reporter_id as "reporter: MembershipId""#,
        space as SpaceId,
        subject as Subject,
        id,
        by as MembershipId,
        outcome as Outcome,
        note
    )
    .fetch_all(db)
    .await
}

/// One report, as the queue and the admin's page list it.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: i64,
    pub subject: Subject,
    pub subject_id: i64,
    pub reporter: String,
    pub about: String,
    pub summary: String,
    pub excerpt: String,
    pub reason: String,
    pub created_at: OffsetDateTime,
    pub outcome: Option<Outcome>,
    pub outcome_note: Option<String>,
    pub closed_by: Option<String>,
    pub closed_at: Option<OffsetDateTime>,
}

/// The space's reports: the open ones oldest first, or the closed ones newest first; or,
/// with `thing`, one thing's reports (open ones first).
pub async fn reports(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    open: bool,
    thing: Option<(Subject, i64)>,
    limit: i64,
) -> sqlx::Result<Vec<Report>> {
    let (subject, subject_id) = thing.unzip();
    sqlx::query_as!(
        Report,
        r#"select r.id, r.subject as "subject: Subject", r.subject_id,
                  rp.display_name as reporter, ap.display_name as about, r.summary, r.excerpt,
                  r.reason, r.created_at,
                  r.outcome as "outcome: Outcome", r.outcome_note,
                  cp.display_name as "closed_by?", r.closed_at
           from reports r
           join memberships rm on rm.id = r.reporter_id join people rp on rp.id = rm.person_id
           join memberships am on am.id = r.about_id join people ap on ap.id = am.person_id
           left join memberships cm on cm.id = r.closed_by
           left join people cp on cp.id = cm.person_id
           where r.space_id = $1
             and ($4::text is null or (r.subject = $4 and r.subject_id = $5))
             and ($4::text is not null or (r.closed_at is null) = $2)
           order by r.closed_at is null desc,
                    case when r.closed_at is null then r.id end,
                    r.closed_at desc, r.id desc
           limit $3"#,
        space as SpaceId,
        open,
        limit,
        subject as Option<Subject>,
        subject_id
    )
    .fetch_all(db)
    .await
}

/// A hidden listing or kudos note, for the admins' list of what is hidden now.
#[derive(Debug, Clone)]
pub struct Hidden {
    pub subject: Subject,
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub reason: String,
    pub hidden_at: OffsetDateTime,
}

pub async fn hidden(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<Vec<Hidden>> {
    sqlx::query_as!(
        Hidden,
        r#"select 'listing' as "subject!: Subject", l.id as "id!", l.title as "title!",
                  p.display_name as "owner!", l.hidden_reason as "reason!",
                  l.hidden_at as "hidden_at!"
           from listings l join memberships m on m.id = l.membership_id
           join people p on p.id = m.person_id
           where l.space_id = $1 and l.hidden_at is not null
           union all
           select 'kudos', k.id, tp.display_name, fp.display_name, k.hidden_reason, k.hidden_at
           from kudos k
           join memberships fm on fm.id = k.from_id join people fp on fp.id = fm.person_id
           join memberships tm on tm.id = k.to_id join people tp on tp.id = tm.person_id
           where k.space_id = $1 and k.hidden_at is not null
           order by 6 desc
           limit 200"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await
}
