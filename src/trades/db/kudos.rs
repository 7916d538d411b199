//! Kudos, and the receiver's running count and stars that profiles and the directory show.

use sqlx::{PgConnection, PgExecutor};

use crate::spaces::model::{MembershipId, SpaceId};
use crate::trades::model::{Kudos, TradeId};

/// Writes kudos and keeps the receiver's count and stars current, in one transaction.
/// False: this member already left kudos on this trade.
pub async fn add_kudos(
    conn: &mut PgConnection,
    space: SpaceId,
    trade: TradeId,
    from: MembershipId,
    to: MembershipId,
    stars: i32,
    note: &str,
) -> sqlx::Result<bool> {
    let written = sqlx::query!(
        "insert into kudos (space_id, trade_id, from_id, to_id, stars, note)
         values ($1, $2, $3, $4, $5, $6) on conflict (trade_id, from_id) do nothing",
        space as SpaceId,
        trade as TradeId,
        from as MembershipId,
        to as MembershipId,
        stars,
        note
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if written {
        sqlx::query!(
            "update memberships set kudos_count = kudos_count + 1, kudos_stars = kudos_stars + $3
             where space_id = $1 and id = $2",
            space as SpaceId,
            to as MembershipId,
            stars
        )
        .execute(conn)
        .await?;
    }
    Ok(written)
}

/// The newest kudos a member received, leaving out those an admin hid.
pub async fn kudos_for(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    member: MembershipId,
    limit: i64,
) -> sqlx::Result<Vec<Kudos>> {
    sqlx::query_as!(
        Kudos,
        r#"select k.id, k.from_id as "from_id: MembershipId", p.display_name as from_name,
                  k.stars, k.note, k.created_at
           from kudos k join memberships m on m.id = k.from_id join people p on p.id = m.person_id
           where k.space_id = $1 and k.to_id = $2 and k.hidden_at is null
           order by k.created_at desc, k.id desc
           limit $3"#,
        space as SpaceId,
        member as MembershipId,
        limit
    )
    .fetch_all(db)
    .await
}
