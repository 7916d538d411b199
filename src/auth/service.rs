//! Multi-step account writes, each inside the caller's transaction (as `ledger::service`):
//! setting a password, and mailing a confirmation link.

use std::net::IpAddr;

use serde_json::json;
use sqlx::PgConnection;

use crate::audit;
use crate::auth::db;
use crate::auth::model::{PersonId, TokenPurpose};
use crate::auth::views::{PasswordChangedEmail, VerifyEmail};
use crate::notify;
use crate::web::session::db as session_db;
use crate::web::session::{hash_token, random_token};

/// Why a password is being set: each is audited under its own name, and only a change of an
/// existing password tells the owner by email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordEvent {
    /// The owner of a newly confirmed address chose their first password.
    Chosen,
    /// A signed-in person changed it, knowing the old one.
    Changed,
    /// Someone holding a reset link set it.
    Reset,
}

impl PasswordEvent {
    fn audit_action(self) -> &'static str {
        match self {
            PasswordEvent::Chosen => "password.chosen",
            PasswordEvent::Changed => "password.changed",
            PasswordEvent::Reset => "password.reset",
        }
    }
}

/// Sets a person's password and closes every door the old state left open: every mailed
/// link (reset or confirmation) is retired, every session ends, the address counts as
/// confirmed (only its owner could have got here), and the change is audited and, unless it
/// is the first password, mailed to the owner.
pub async fn set_new_password(
    conn: &mut PgConnection,
    base_url: &str,
    person: PersonId,
    password_hash: &str,
    event: PasswordEvent,
    ip: Option<IpAddr>,
) -> anyhow::Result<()> {
    db::set_password(&mut *conn, person, password_hash).await?;
    db::retire_all_tokens(&mut *conn, person).await?;
    db::mark_verified(&mut *conn, person).await?;
    if event == PasswordEvent::Chosen {
        crate::spaces::service::address_confirmed(&mut *conn, person).await?;
    }
    session_db::delete_sessions_of(&mut *conn, person).await?;
    audit::record(
        &mut *conn,
        None,
        Some(person),
        event.audit_action(),
        "",
        json!({}),
        ip,
    )
    .await?;
    if event != PasswordEvent::Chosen
        && let Some(creds) = db::credentials_by_id(&mut *conn, person).await?
    {
        let message = PasswordChangedEmail {
            display_name: creds.display_name,
            reset_link: format!("{base_url}/reset"),
        };
        notify::send(conn, None, &creds.email, &message).await?;
    }
    Ok(())
}

/// Mails a link with which the owner of the address confirms it and chooses a password.
/// Every earlier confirmation link of the person stops working: only the newest is good.
pub async fn queue_verification(
    conn: &mut PgConnection,
    base_url: &str,
    person: PersonId,
    email: &str,
    display_name: &str,
    space_name: &str,
    awaiting_approval: bool,
) -> anyhow::Result<()> {
    db::retire_tokens(&mut *conn, person, TokenPurpose::VerifyEmail).await?;
    let token = random_token();
    db::insert_token(
        &mut *conn,
        &hash_token(&token),
        person,
        TokenPurpose::VerifyEmail,
    )
    .await?;
    let message = VerifyEmail {
        display_name: display_name.to_owned(),
        space_name: space_name.to_owned(),
        awaiting_approval,
        link: format!("{base_url}/verify/{token}"),
    };
    notify::send(conn, None, email, &message).await
}
