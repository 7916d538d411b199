//! What an admin changes about a member: suspension, reactivation and role, each with its
//! audit record in the same transaction, and never leaving a space without an active admin.

use serde_json::json;
use sqlx::PgConnection;

use crate::admin::members::db;
use crate::audit::Actor;
use crate::spaces::model::{MembershipId, Role, Status};

/// A change to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Suspend,
    Reactivate,
    Role(Role),
}

/// What came of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Done,
    /// Already so: nothing was written.
    Unchanged,
    /// It would leave the space without an active admin.
    LastAdmin,
    /// An admin cannot suspend themselves.
    Yourself,
    /// They left the space: nothing about them changes any more.
    Left,
    /// The admin acting is no longer one (another admin changed that a moment ago).
    NotAdmin,
    NotFound,
}

/// Applies `change` to `target` for the admin `by`, with `reason` in the audit record.
/// The space's admins are locked first (`db::lock_admins`), so two admins demoting or
/// suspending each other at once cannot both succeed.
pub async fn change(
    conn: &mut PgConnection,
    actor: Actor,
    by: MembershipId,
    target: MembershipId,
    change: Change,
    reason: &str,
) -> sqlx::Result<Changed> {
    let space = actor.space;
    let admins = db::lock_admins(&mut *conn, space).await?;
    if !admins.contains(&by) {
        return Ok(Changed::NotAdmin);
    }
    let Some((role, status)) = db::lock_member(&mut *conn, space, target).await? else {
        return Ok(Changed::NotFound);
    };
    if status == Status::Left {
        return Ok(Changed::Left);
    }
    let is_active_admin = admins.contains(&target);
    let (action, detail) = match change {
        Change::Suspend if status == Status::Suspended => return Ok(Changed::Unchanged),
        Change::Suspend if target == by => return Ok(Changed::Yourself),
        Change::Suspend if is_active_admin && admins.len() == 1 => return Ok(Changed::LastAdmin),
        Change::Suspend => {
            db::set_status(&mut *conn, space, target, Status::Suspended).await?;
            crate::trades::service::member_suspended(&mut *conn, space, target).await?;
            ("member.suspended", json!({ "reason": reason }))
        }
        Change::Reactivate if status == Status::Active => return Ok(Changed::Unchanged),
        Change::Reactivate => {
            db::set_status(&mut *conn, space, target, Status::Active).await?;
            ("member.reactivated", json!({ "reason": reason }))
        }
        Change::Role(to) if to == role => return Ok(Changed::Unchanged),
        Change::Role(Role::Member) if is_active_admin && admins.len() == 1 => {
            return Ok(Changed::LastAdmin);
        }
        Change::Role(to) => {
            db::set_role(&mut *conn, space, target, to).await?;
            (
                "member.role_changed",
                json!({ "from": role, "to": to, "reason": reason }),
            )
        }
    };
    actor
        .record(conn, action, &format!("membership:{target}"), detail)
        .await?;
    Ok(Changed::Done)
}
