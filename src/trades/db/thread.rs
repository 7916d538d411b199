//! A trade's private thread: only its two parties read or write it.

use sqlx::PgExecutor;

use crate::spaces::model::{MembershipId, SpaceId};
use crate::trades::model::{Message, TradeId};

pub async fn messages(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: TradeId,
) -> sqlx::Result<Vec<Message>> {
    sqlx::query_as!(
        Message,
        r#"select m.id, m.author_id as "author_id: MembershipId", p.display_name as author_name,
                  m.body, m.created_at
           from trade_messages m
           join memberships am on am.id = m.author_id join people p on p.id = am.person_id
           where m.space_id = $1 and m.trade_id = $2
           order by m.id
           limit 500"#,
        space as SpaceId,
        id as TradeId
    )
    .fetch_all(db)
    .await
}

/// Adds the message and, in the same statement, tells the other party (SPEC §7).
pub async fn add_message(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    trade: TradeId,
    author: MembershipId,
    body: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"with message as (
               insert into trade_messages (space_id, trade_id, author_id, body)
               values ($1, $2, $3, $4)
               returning trade_id
           )
           select notify_members(t.space_id, array[t.payer_id, t.payee_id], 'message',
                                 'messages', $3, 'trades/' || t.id || '#thread-title',
                                 t.description) as "told!"
           from message join trades t on t.id = message.trade_id"#,
        space as SpaceId,
        trade as TradeId,
        author as MembershipId,
        body
    )
    .fetch_one(db)
    .await?;
    Ok(())
}
