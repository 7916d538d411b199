//! The audit log (SPEC §6.7): admin actions and security events, append-only.

use std::net::IpAddr;

use sqlx::PgExecutor;
use sqlx::types::ipnetwork::IpNetwork;

use crate::auth::model::PersonId;
use crate::spaces::model::SpaceId;

/// Appends one event.
pub async fn record(
    db: impl PgExecutor<'_>,
    space: Option<SpaceId>,
    actor: Option<PersonId>,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
    ip: Option<IpAddr>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into audit_log (space_id, actor_id, action, subject, detail, ip)
         values ($1, $2, $3, $4, $5, $6)",
        space as Option<SpaceId>,
        actor as Option<PersonId>,
        action,
        subject,
        detail,
        ip.map(IpNetwork::from)
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Who acts in a space, from where: the "who" of the audit records their actions write.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub space: SpaceId,
    pub person: PersonId,
    pub ip: Option<IpAddr>,
}

impl Actor {
    /// Appends one event by this actor, in the caller's transaction.
    pub async fn record(
        self,
        db: impl PgExecutor<'_>,
        action: &str,
        subject: &str,
        detail: serde_json::Value,
    ) -> sqlx::Result<()> {
        record(
            db,
            Some(self.space),
            Some(self.person),
            action,
            subject,
            detail,
            self.ip,
        )
        .await
    }
}
