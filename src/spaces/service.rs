//! Joining a space and deciding applications, each inside the caller's transaction (as
//! `ledger::service`): the membership, the mail it causes and the audit record together.

use serde_json::json;
use sqlx::PgConnection;

use crate::audit::Actor;
use crate::auth::db as auth_db;
use crate::auth::model::PersonId;
use crate::auth::service::queue_verification;
use crate::ledger::db as ledger_db;
use crate::notify;
use crate::notify::inbox::{self, Notice};
use crate::notify::model::Kind;
use crate::spaces::invitations::UsedInvitation;
use crate::spaces::model::{MembershipId, Role, SignupMode, Space, Status};
use crate::spaces::views::{AccountExistsEmail, ApprovedEmail, DeclinedEmail};
use crate::spaces::{db, invitations};
use crate::web::session::hash_token;

/// The status a newcomer gets: active in an open space or by invitation, else pending.
fn status_on_joining(space: &Space, invited: bool) -> Status {
    match (invited, space.signup_mode) {
        (true, _) | (false, SignupMode::Open) => Status::Active,
        (false, _) => Status::Pending,
    }
}

/// A signed-in person joins (or applies to) a space. Returns their status there, or None
/// when they already belonged to it.
pub async fn join(
    conn: &mut PgConnection,
    space: &Space,
    person: PersonId,
    name: &str,
) -> anyhow::Result<Option<Status>> {
    let status = status_on_joining(space, false);
    if db::add_membership(conn, space.id, person, Role::Member, status)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    if status == Status::Pending {
        tell_admins(conn, space, name).await?;
    }
    Ok(Some(status))
}

/// What accepting an invitation came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Invited {
    Joined,
    /// Already a member: the invitation stays unused for someone else.
    AlreadyMember,
    /// Used, withdrawn or expired.
    Invalid,
}

/// A signed-in person accepts an invitation link.
pub async fn accept_invitation(
    conn: &mut PgConnection,
    space: &Space,
    token: &str,
    person: PersonId,
) -> sqlx::Result<Invited> {
    let Some(used) = invitations::use_invitation(conn, &hash_token(token), person).await? else {
        return Ok(Invited::Invalid);
    };
    match db::add_membership(conn, space.id, person, Role::Member, Status::Active).await? {
        Some(membership) => {
            apply_invited_limit(conn, &used, membership).await?;
            Ok(Invited::Joined)
        }
        None => Ok(Invited::AlreadyMember),
    }
}

/// An invitation that names a credit limit (from a CSV import) sets it on the ledger
/// account its membership just opened; the rest keep the space's default.
async fn apply_invited_limit(
    conn: &mut PgConnection,
    used: &UsedInvitation,
    membership: MembershipId,
) -> sqlx::Result<()> {
    let Some(limit) = used.credit_limit else {
        return Ok(());
    };
    if let Some(account) =
        ledger_db::member_account_by_membership(&mut *conn, used.space, membership).await?
    {
        ledger_db::set_credit_limit(&mut *conn, used.space, account.account, limit).await?;
    }
    Ok(())
}

/// What registering a visitor came to. Both outcomes look the same to the visitor.
#[derive(Debug, PartialEq, Eq)]
pub enum Registered {
    /// A new or still unconfirmed account, mailed a link to confirm and choose a password.
    LinkSent,
    /// The address has a confirmed account: it is mailed that it does.
    AccountExists,
    /// The invitation was used up meanwhile.
    InvitationInvalid,
}

/// Registers a visitor by name and address only: a new account without a password, or an
/// unconfirmed one mailed a fresh link (every earlier link retired), each with its
/// membership; or, when the address already has a confirmed account, an email saying so.
/// Only the holder of the mailed link ever chooses the password (SPEC §8.1).
pub async fn register(
    conn: &mut PgConnection,
    base_url: &str,
    space: &Space,
    invite: Option<&str>,
    name: &str,
    email: &str,
) -> anyhow::Result<Registered> {
    let person = match auth_db::create_person(conn, email, name, None, false).await? {
        Some(person) => Some(person),
        None => match auth_db::credentials_by_email(&mut *conn, email).await? {
            Some(existing) if !existing.verified => {
                // Nobody has proved they own this address yet: the newest registration
                // names it, and only the newest link will work.
                auth_db::set_display_name(&mut *conn, existing.id, name).await?;
                Some(existing.id)
            }
            _ => None,
        },
    };
    let Some(person) = person else {
        let message = AccountExistsEmail {
            space_name: space.name.clone(),
            signin_link: format!("{base_url}/signin"),
            join_link: match invite {
                Some(token) => format!("{base_url}/invite/{token}"),
                None => format!("{base_url}/s/{}/join", space.slug),
            },
        };
        notify::send(conn, Some(space.id), email, &message).await?;
        return Ok(Registered::AccountExists);
    };
    let used = match invite {
        Some(token) => match invitations::use_invitation(conn, &hash_token(token), person).await? {
            Some(used) => Some(used),
            None => return Ok(Registered::InvitationInvalid),
        },
        None => None,
    };
    let status = status_on_joining(space, invite.is_some());
    let membership = db::add_membership(conn, space.id, person, Role::Member, status).await?;
    if let (Some(used), Some(membership)) = (&used, membership) {
        apply_invited_limit(conn, used, membership).await?;
    }
    let joined = membership.is_some();
    let awaiting = joined && status == Status::Pending;
    queue_verification(conn, base_url, person, email, name, &space.name, awaiting).await?;
    // Admins hear of the application once the address is confirmed (`address_confirmed`):
    // an address nobody has proved is theirs is not yet an applicant worth their time.
    Ok(Registered::LinkSent)
}

/// A person confirmed their address: the admins of each space they applied to hear of the
/// application now, once.
pub async fn address_confirmed(conn: &mut PgConnection, person: PersonId) -> anyhow::Result<()> {
    for (space, name) in db::pending_applications_of(&mut *conn, person).await? {
        tell_admins(conn, &space, &name).await?;
    }
    Ok(())
}

/// Tells every admin of the space of a new application, in their inbox; email follows each
/// admin's choice for admin notices.
async fn tell_admins(conn: &mut PgConnection, space: &Space, applicant: &str) -> sqlx::Result<()> {
    let notice = Notice {
        space: space.id,
        to: &[],
        admins: true,
        kind: Kind::AdminApplication,
        actor: None,
        link: "admin/applications".to_owned(),
        about: applicant,
    };
    inbox::notify(conn, &notice).await?;
    Ok(())
}

/// What an admin decided about an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'a> {
    Approve,
    /// With the reason the applicant is told, which may be empty.
    Decline(&'a str),
}

/// An admin approves or declines a pending application: the decision, its audit record
/// and the email that tells the applicant. None: no such pending application here.
pub async fn decide_application(
    conn: &mut PgConnection,
    actor: Actor,
    base_url: &str,
    space: &Space,
    membership: MembershipId,
    decision: Decision<'_>,
) -> anyhow::Result<Option<()>> {
    let approve = decision == Decision::Approve;
    let Some((email, name)) = db::decide_application(conn, space.id, membership, approve).await?
    else {
        return Ok(None);
    };
    let action = if approve {
        "application.approved"
    } else {
        "application.declined"
    };
    actor
        .record(
            &mut *conn,
            action,
            &format!("membership:{membership}"),
            match decision {
                Decision::Approve => json!({ "email": email }),
                Decision::Decline(reason) => json!({ "email": email, "reason": reason }),
            },
        )
        .await?;
    match decision {
        Decision::Approve => {
            let message = ApprovedEmail {
                display_name: name,
                space_name: space.name.clone(),
                link: format!("{base_url}/s/{}", space.slug),
            };
            notify::send(&mut *conn, Some(space.id), &email, &message).await?;
            let notice = Notice {
                space: space.id,
                to: &[membership],
                admins: false,
                kind: Kind::MembershipApproved,
                actor: None,
                link: String::new(),
                about: &space.name,
            };
            inbox::notify(conn, &notice).await?;
        }
        Decision::Decline(reason) => {
            let message = DeclinedEmail {
                display_name: name,
                space_name: space.name.clone(),
                reason: reason.to_owned(),
            };
            notify::send(conn, Some(space.id), &email, &message).await?;
        }
    }
    Ok(Some(()))
}
