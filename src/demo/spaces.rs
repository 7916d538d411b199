//! The demo space itself and its people, with their roles and headlines.

use sqlx::PgPool;

use super::data::PEOPLE;
use super::{NAME, PASSWORD, SLUG};
use crate::auth::{db as auth_db, password};
use crate::spaces::db as spaces_db;
use crate::spaces::model::SpaceId;
use crate::web::gate::CpuGate;

/// Makes the space (or finds the one an earlier run made) and its people.
pub(super) async fn seed(pool: &PgPool) -> anyhow::Result<SpaceId> {
    // One hash for every demo account: they share a published password anyway. Hashed
    // before the transaction opens, so no transaction waits on argon2.
    let hash = password::hash(&CpuGate::for_this_machine(), PASSWORD).await?;
    let mut tx = pool.begin().await?;
    let Some(space) = spaces_db::ensure_demo_space(&mut tx, SLUG, NAME).await? else {
        anyhow::bail!(
            "a space with the slug `{SLUG}` already exists, and `swapdesk demo` did not make \
             it: the demo will not add accounts with its published password to it. Run the \
             demo against another database (DATABASE_URL), or remove that space first."
        );
    };
    for (name, email, headline, role, status) in PEOPLE {
        let person = match auth_db::create_person(&mut tx, email, name, Some(&hash), true).await? {
            Some(id) => id,
            None => match auth_db::credentials_by_email(&mut *tx, email).await? {
                Some(found) => found.id,
                None => continue,
            },
        };
        if spaces_db::add_membership(&mut tx, space, person, *role, *status)
            .await?
            .is_some()
        {
            spaces_db::set_headline(&mut *tx, space, person, headline).await?;
        }
    }
    tx.commit().await?;
    Ok(space)
}
