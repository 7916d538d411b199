//! The demo space (SPEC §9.7): `swapdesk demo` seeds it, idempotently, so a newcomer sees a
//! living space at once. Later features add their own demo data here.

use sqlx::PgPool;

use crate::auth::{db as auth_db, password};
use crate::spaces::db as spaces_db;
use crate::spaces::model::{Role, SignupMode, Status};

pub const SLUG: &str = "demo";
pub const NAME: &str = "Harbour Works";
/// Every demo account shares this password; the README states it.
pub const PASSWORD: &str = "harbour-works-demo";
pub const ADMIN_EMAIL: &str = "maya@harbour.example";

/// (name, email, headline, role, status)
const PEOPLE: &[(&str, &str, &str, Role, Status)] = &[
    (
        "Maya Okafor",
        ADMIN_EMAIL,
        "Runs Harbour Works; ask me about desks and rooms",
        Role::Admin,
        Status::Active,
    ),
    (
        "Ana Ferreira",
        "ana@harbour.example",
        "Brand and identity designer",
        Role::Member,
        Status::Active,
    ),
    (
        "Tomás Ruiz",
        "tomas@harbour.example",
        "Backend developer, Rust and Postgres",
        Role::Member,
        Status::Active,
    ),
    (
        "Priya Nair",
        "priya@harbour.example",
        "Freelance copywriter and editor",
        Role::Member,
        Status::Active,
    ),
    (
        "Jonas Becker",
        "jonas@harbour.example",
        "Accountant for freelancers and small studios",
        Role::Member,
        Status::Active,
    ),
    (
        "Chloé Martin",
        "chloe@harbour.example",
        "Product photographer with a small studio upstairs",
        Role::Member,
        Status::Active,
    ),
    (
        "Kwame Mensah",
        "kwame@harbour.example",
        "Startup lawyer: contracts, IP, incorporation",
        Role::Member,
        Status::Active,
    ),
    (
        "Sofia Lindqvist",
        "sofia@harbour.example",
        "UX researcher; happy to run a usability test",
        Role::Member,
        Status::Active,
    ),
    (
        "Hiroshi Tanaka",
        "hiroshi@harbour.example",
        "iOS and Android developer",
        Role::Member,
        Status::Active,
    ),
    (
        "Fatima Zahra",
        "fatima@harbour.example",
        "Marketing strategist for early-stage products",
        Role::Member,
        Status::Active,
    ),
    (
        "Liam O'Connor",
        "liam@harbour.example",
        "Career and leadership coach",
        Role::Member,
        Status::Active,
    ),
    (
        "Elena Popescu",
        "elena@harbour.example",
        "Illustrator and motion designer",
        Role::Member,
        Status::Active,
    ),
    (
        "David Cohen",
        "david@harbour.example",
        "Data analyst; spreadsheets tamed",
        Role::Member,
        Status::Active,
    ),
    (
        "Grace Adeyemi",
        "grace@harbour.example",
        "Podcast producer looking for a desk",
        Role::Member,
        Status::Pending,
    ),
    (
        "Marek Nowak",
        "marek@harbour.example",
        "Civil engineer between projects",
        Role::Member,
        Status::Pending,
    ),
];

/// Seeds the demo space. Running it again changes nothing that is already there.
pub async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    // One hash for every demo account: they share a published password anyway.
    let hash = password::hash(PASSWORD).await?;
    let mut tx = pool.begin().await?;
    let (space, _) = spaces_db::ensure_space(&mut tx, SLUG, NAME, SignupMode::Approval).await?;
    for (name, email, headline, role, status) in PEOPLE {
        let person = match auth_db::create_person(&mut tx, email, name, &hash, true).await? {
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
    Ok(())
}
