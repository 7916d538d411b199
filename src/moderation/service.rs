//! Reporting and moderating, each one transaction with its audit record and the
//! notifications it sends: admins hear of a report; an author hears that an admin hid or
//! restored their listing or kudos note; reporters hear that their report is closed.

use serde_json::json;
use sqlx::PgConnection;

use crate::audit::Actor;
use crate::moderation::db;
use crate::moderation::model::{Outcome, Thing};
use crate::notify::inbox::{Notice, notify};
use crate::notify::model::Kind;
use crate::spaces::model::MembershipId;

fn subject_key(thing: &Thing) -> String {
    format!("{}:{}", thing.subject.as_str(), thing.id)
}

/// Where admins moderate it, under /s/{slug}/.
fn admin_link(thing: &Thing) -> String {
    format!("admin/reports/{}/{}", thing.subject.as_str(), thing.id)
}

/// Files `reporter`'s report of `thing` and tells the admins. False: their earlier report
/// of it is still open, and nothing was written.
pub async fn report(
    conn: &mut PgConnection,
    actor: Actor,
    reporter: MembershipId,
    thing: &Thing,
    reason: &str,
) -> sqlx::Result<bool> {
    let about = thing.describe();
    if !db::add_report(&mut *conn, actor.space, reporter, thing, &about, reason).await? {
        return Ok(false);
    }
    let notice = Notice {
        space: actor.space,
        to: &[],
        admins: true,
        kind: Kind::AdminReport,
        actor: Some(reporter),
        link: admin_link(thing),
        about: &about,
    };
    notify(&mut *conn, &notice).await?;
    actor
        .record(
            conn,
            "report.filed",
            &subject_key(thing),
            json!({ "about": about, "reason": reason }),
        )
        .await?;
    Ok(true)
}

/// What an admin does with a reported (or noticed) thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Hide,
    Restore,
    /// Close its open reports without hiding it.
    Dismiss,
}

/// Applies `decision` to `thing` for the admin `by`, closing its open reports with
/// `reason`. False: nothing to do (already hidden, not hidden, or no open report).
pub async fn decide(
    conn: &mut PgConnection,
    actor: Actor,
    by: MembershipId,
    thing: &Thing,
    decision: Decision,
    reason: &str,
) -> sqlx::Result<bool> {
    let space = actor.space;
    let (changed, outcome, owner_kind) = match decision {
        Decision::Hide => (
            db::hide(&mut *conn, space, thing.subject, thing.id, reason).await?,
            Outcome::Hidden,
            Some(Kind::ModerationHidden),
        ),
        Decision::Restore => (
            db::restore(&mut *conn, space, thing.subject, thing.id).await?,
            Outcome::Restored,
            Some(Kind::ModerationRestored),
        ),
        Decision::Dismiss => (true, Outcome::NoAction, None),
    };
    if !changed {
        return Ok(false);
    }
    let reporters = db::close_reports(
        &mut *conn,
        space,
        thing.subject,
        thing.id,
        by,
        outcome,
        reason,
    )
    .await?;
    if decision == Decision::Dismiss && reporters.is_empty() {
        return Ok(false);
    }
    if let Some(kind) = owner_kind {
        let about = thing.describe_to_owner();
        let notice = Notice {
            space,
            to: &[thing.owner],
            admins: false,
            kind,
            actor: Some(by),
            link: thing.owner_path.trim_start_matches('/').to_owned(),
            about: &about,
        };
        notify(&mut *conn, &notice).await?;
    }
    if !reporters.is_empty() {
        let about = thing.describe();
        let notice = Notice {
            space,
            to: &reporters,
            admins: false,
            kind: Kind::ReportClosed,
            actor: Some(by),
            link: thing.path.trim_start_matches('/').to_owned(),
            about: &about,
        };
        notify(&mut *conn, &notice).await?;
    }
    let action = match decision {
        Decision::Hide => format!("{}.hidden", thing.subject.as_str()),
        Decision::Restore => format!("{}.restored", thing.subject.as_str()),
        Decision::Dismiss => "report.closed".to_owned(),
    };
    let detail = json!({
        "about": thing.describe(),
        "reason": reason,
        "reports_closed": reporters.len(),
    });
    actor
        .record(conn, &action, &subject_key(thing), detail)
        .await?;
    Ok(true)
}
