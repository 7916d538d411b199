//! An admin's changes to the space's rooms (SPEC §6.2): create, edit, retire, restore;
//! each one transaction with its audit record.

use serde_json::json;
use sqlx::PgConnection;

use crate::audit::Actor;
use crate::rooms::db::{self, RoomFields};
use crate::rooms::model::RoomId;

/// What a change came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Done(RoomId),
    NameTaken,
    NotFound,
}

fn detail(f: &RoomFields) -> serde_json::Value {
    json!({
        "name": f.name,
        "capacity": f.capacity,
        "price_per_hour": f.price_per_hour,
        "slot_minutes": f.slot_minutes,
        "hours": f.hours.iter().map(|h| [i32::from(h.weekday), h.opens, h.closes]).collect::<Vec<_>>(),
    })
}

/// Adds a room (`id` None) or changes one.
pub async fn save_room(
    conn: &mut PgConnection,
    actor: Actor,
    id: Option<RoomId>,
    f: &RoomFields,
) -> sqlx::Result<Change> {
    let change = match id {
        None => match db::create_room(conn, actor.space, f).await? {
            Some(id) => Change::Done(id),
            None => Change::NameTaken,
        },
        Some(id) => match db::update_room(conn, actor.space, id, f).await? {
            Ok(true) => Change::Done(id),
            Ok(false) => Change::NotFound,
            Err(()) => Change::NameTaken,
        },
    };
    if let Change::Done(room) = change {
        let action = if id.is_some() {
            "room.changed"
        } else {
            "room.created"
        };
        actor
            .record(&mut *conn, action, &format!("room:{room}"), detail(f))
            .await?;
    }
    Ok(change)
}

/// Retires a room (it takes no new bookings; its bookings stay) or restores it.
pub async fn set_retired(
    conn: &mut PgConnection,
    actor: Actor,
    id: RoomId,
    retired: bool,
) -> sqlx::Result<Change> {
    if !db::set_retired(&mut *conn, actor.space, id, retired).await? {
        return Ok(Change::NotFound);
    }
    let action = if retired {
        "room.retired"
    } else {
        "room.restored"
    };
    actor
        .record(&mut *conn, action, &format!("room:{id}"), json!({}))
        .await?;
    Ok(Change::Done(id))
}
