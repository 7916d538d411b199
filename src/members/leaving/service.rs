//! Leaving a space (SPEC §6.1): a member asks once nothing is held for or by them, and an
//! admin confirms. Confirming settles their balance with the space account through the
//! ledger, closes their ledger account and marks the membership `left`, in one transaction
//! with its audit record.

use serde_json::json;
use sqlx::PgConnection;

use crate::admin::members::db as admin_db;
use crate::audit::Actor;
use crate::ledger::db as ledger_db;
use crate::ledger::model::{Code, Outcome, Reason};
use crate::ledger::money::format_number;
use crate::ledger::{self, Payment};
use crate::members::leaving::db::{self, Standing};
use crate::messages;
use crate::notify::inbox::{Notice, notify};
use crate::notify::model::Kind;
use crate::spaces::model::{MembershipId, Status};

/// What came of asking to leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    Done,
    /// Asked already: nothing written.
    Unchanged,
    /// Something is still held for or by them.
    Holds(Standing),
}

/// `member` asks to leave; the admins are told.
pub async fn ask(
    conn: &mut PgConnection,
    actor: Actor,
    member: MembershipId,
) -> sqlx::Result<Asked> {
    let standing = db::standing(&mut *conn, actor.space, member).await?;
    if standing.holds_anything() {
        return Ok(Asked::Holds(standing));
    }
    if !db::ask_to_leave(&mut *conn, actor.space, member, true).await? {
        return Ok(Asked::Unchanged);
    }
    let notice = Notice {
        space: actor.space,
        to: &[],
        admins: true,
        kind: Kind::AdminLeaveRequest,
        actor: Some(member),
        link: format!("admin/members/{member}"),
        about: "",
    };
    notify(&mut *conn, &notice).await?;
    actor
        .record(
            conn,
            "member.leave_requested",
            &format!("membership:{member}"),
            json!({}),
        )
        .await?;
    Ok(Asked::Done)
}

/// `member` takes back their request to leave. False: there was none.
pub async fn stay(
    conn: &mut PgConnection,
    actor: Actor,
    member: MembershipId,
) -> sqlx::Result<bool> {
    if !db::ask_to_leave(&mut *conn, actor.space, member, false).await? {
        return Ok(false);
    }
    actor
        .record(
            conn,
            "member.leave_withdrawn",
            &format!("membership:{member}"),
            json!({}),
        )
        .await?;
    Ok(true)
}

/// What came of an admin's confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Left {
    /// Left; `settled` hundredths went to the space account (negative: came from it).
    Done {
        settled: i64,
    },
    /// Left already.
    Unchanged,
    /// They have not asked to leave.
    NotAsked,
    /// Something is held for or by them.
    Holds(Standing),
    /// They are the space's last active admin.
    LastAdmin,
    /// The admin acting is no longer one.
    NotAdmin,
    /// The ledger refused the settlement (the space account's own limit).
    Refused(Reason),
    /// Credits moved meanwhile; nothing was done.
    Changed,
    NotFound,
}

/// Confirms `target`'s request to leave (or closes a suspended member's membership, who
/// cannot ask), for the admin `by`. The space's admins and then the
/// member are locked (as for a suspension), so no trade, payment or role change of theirs
/// runs meanwhile. Anything but `Done` must be rolled back by the caller.
pub async fn confirm(
    conn: &mut PgConnection,
    actor: Actor,
    by: MembershipId,
    target: MembershipId,
) -> sqlx::Result<Left> {
    let space = actor.space;
    let admins = admin_db::lock_admins(&mut *conn, space).await?;
    if !admins.contains(&by) {
        return Ok(Left::NotAdmin);
    }
    let Some((_, status)) = admin_db::lock_member(&mut *conn, space, target).await? else {
        return Ok(Left::NotFound);
    };
    if status == Status::Left {
        return Ok(Left::Unchanged);
    }
    let standing = db::standing(&mut *conn, space, target).await?;
    // A suspended member's pages are closed, so they cannot ask: their admins decide.
    if !standing.leave_requested && status != Status::Suspended {
        return Ok(Left::NotAsked);
    }
    if admins.contains(&target) && admins.len() == 1 {
        return Ok(Left::LastAdmin);
    }
    if standing.holds_anything() {
        return Ok(Left::Holds(standing));
    }
    if let Some(account) = ledger_db::member_account(&mut *conn, space, target).await? {
        if standing.balance != 0 {
            let space_account = ledger_db::space_account(&mut *conn, space).await?;
            let (from, to) = if standing.balance > 0 {
                (account, space_account)
            } else {
                (space_account, account)
            };
            let payment = Payment {
                id: ledger::new_id(),
                space,
                from,
                to,
                amount: standing.balance.abs(),
                code: Code::Adjustment,
                memo: messages::SETTLED_ON_LEAVING,
                by: Some(actor.person),
            };
            match ledger::transfer(&mut *conn, &payment).await? {
                Outcome::Applied(_) | Outcome::Duplicate(_) => {}
                Outcome::Rejected(reason) => return Ok(Left::Refused(reason)),
                Outcome::Conflict => return Ok(Left::Changed),
            }
        }
        if !ledger_db::close_account(&mut *conn, space, account).await? {
            return Ok(Left::Changed);
        }
    }
    db::mark_left(&mut *conn, space, target).await?;
    actor
        .record(
            conn,
            "member.left",
            &format!("membership:{target}"),
            json!({ "settled_to_space": format_number(standing.balance) }),
        )
        .await?;
    Ok(Left::Done {
        settled: standing.balance,
    })
}
