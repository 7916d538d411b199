//! The demo space (SPEC §9.7): `swapdesk demo` seeds it, idempotently, so a newcomer sees a
//! living space at once. Later features add their own demo data here.

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::{db as auth_db, password};
use crate::ledger::db as ledger_db;
use crate::ledger::model::Code;
use crate::ledger::{self, Payment};
use crate::spaces::db as spaces_db;
use crate::spaces::model::{Role, Status};
use crate::web::gate::CpuGate;

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
        "Noor Haddad",
        "noor@harbour.example",
        "Grant writer for arts and social projects",
        Role::Member,
        Status::Active,
    ),
    (
        "Mateo Rossi",
        "mateo@harbour.example",
        "Full-stack developer: TypeScript, Go, Postgres",
        Role::Member,
        Status::Active,
    ),
    (
        "Aiko Suzuki",
        "aiko@harbour.example",
        "Packaging and print designer",
        Role::Member,
        Status::Active,
    ),
    (
        "Oliver Grant",
        "oliver@harbour.example",
        "Bookkeeper; VAT returns without tears",
        Role::Member,
        Status::Active,
    ),
    (
        "Zara Khan",
        "zara@harbour.example",
        "Employment and contract lawyer",
        Role::Member,
        Status::Active,
    ),
    (
        "Lucas Dubois",
        "lucas@harbour.example",
        "Event and portrait photographer",
        Role::Member,
        Status::Active,
    ),
    (
        "Ingrid Berg",
        "ingrid@harbour.example",
        "Executive coach for first-time founders",
        Role::Member,
        Status::Active,
    ),
    (
        "Samuel Osei",
        "samuel@harbour.example",
        "SEO and content marketing",
        Role::Member,
        Status::Active,
    ),
    (
        "Maria Kowalska",
        "maria@harbour.example",
        "Technical writer and documentation lead",
        Role::Member,
        Status::Active,
    ),
    (
        "Ravi Patel",
        "ravi@harbour.example",
        "Data engineer; Python and dbt",
        Role::Member,
        Status::Active,
    ),
    (
        "Emma Walsh",
        "emma@harbour.example",
        "UX and product designer",
        Role::Member,
        Status::Active,
    ),
    (
        "Yusuf Demir",
        "yusuf@harbour.example",
        "Financial modelling for startups",
        Role::Member,
        Status::Active,
    ),
    (
        "Hannah Schmidt",
        "hannah@harbour.example",
        "Social media manager for small brands",
        Role::Member,
        Status::Active,
    ),
    (
        "Tariq Aziz",
        "tariq@harbour.example",
        "Video editor and motion graphics",
        Role::Member,
        Status::Active,
    ),
    (
        "Lena Novak",
        "lena@harbour.example",
        "Copy editor, English and Czech",
        Role::Member,
        Status::Active,
    ),
    (
        "Carlos Mendes",
        "carlos@harbour.example",
        "DevOps: Kubernetes, CI, cloud bills",
        Role::Member,
        Status::Active,
    ),
    (
        "Amara Obi",
        "amara@harbour.example",
        "Career coach and CV reviewer",
        Role::Member,
        Status::Active,
    ),
    (
        "Finn Murphy",
        "finn@harbour.example",
        "Web designer for restaurants and shops",
        Role::Member,
        Status::Active,
    ),
    (
        "Julia Costa",
        "julia@harbour.example",
        "Intellectual property and trademarks",
        Role::Member,
        Status::Active,
    ),
    (
        "Kenji Watanabe",
        "kenji@harbour.example",
        "Game developer; Unity and Godot",
        Role::Member,
        Status::Active,
    ),
    (
        "Beatriz Lima",
        "beatriz@harbour.example",
        "Brand strategist",
        Role::Member,
        Status::Active,
    ),
    (
        "Arjun Mehta",
        "arjun@harbour.example",
        "Accountant for sole traders",
        Role::Member,
        Status::Active,
    ),
    (
        "Sara Lindgren",
        "sara@harbour.example",
        "Food and product stylist",
        Role::Member,
        Status::Active,
    ),
    (
        "Tom Fischer",
        "tom@harbour.example",
        "Public speaking and pitch coach",
        Role::Member,
        Status::Active,
    ),
    (
        "Nadia Petrova",
        "nadia@harbour.example",
        "Newsletter writer and ghostwriter",
        Role::Member,
        Status::Active,
    ),
    (
        "Ben Carter",
        "ben@harbour.example",
        "Growth marketer; ads and analytics",
        Role::Member,
        Status::Active,
    ),
    (
        "Leila Haddad",
        "leila@harbour.example",
        "Illustrator for children's books",
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
    seed_directory(pool, space).await?;
    seed_ledger(pool, space).await?;
    Ok(())
}

/// Skills by category, for the demo's members to draw on.
const SKILLS: &[(&str, &[&str])] = &[
    (
        "Design",
        &[
            "Logo design",
            "Brand identity",
            "Figma prototyping",
            "Packaging design",
            "UX review",
            "Illustration",
            "Print layout",
        ],
    ),
    (
        "Development",
        &[
            "Rust",
            "TypeScript",
            "Postgres tuning",
            "iOS apps",
            "Website fixes",
            "Python scripting",
            "Kubernetes",
            "WordPress",
        ],
    ),
    (
        "Writing",
        &[
            "Copywriting",
            "Proofreading",
            "Grant applications",
            "Technical writing",
            "Newsletters",
            "Translation",
        ],
    ),
    (
        "Legal",
        &[
            "Contract review",
            "Incorporation",
            "Trademarks",
            "Employment law",
            "Privacy policies",
        ],
    ),
    (
        "Finance",
        &[
            "Bookkeeping",
            "Tax returns",
            "Financial modelling",
            "Invoicing setup",
            "Pricing advice",
        ],
    ),
    (
        "Marketing",
        &[
            "SEO",
            "Social media",
            "Paid ads",
            "Email marketing",
            "Market research",
            "Launch planning",
        ],
    ),
    (
        "Photography",
        &[
            "Product photography",
            "Headshots",
            "Event photography",
            "Photo retouching",
            "Video editing",
        ],
    ),
    (
        "Coaching",
        &[
            "Career coaching",
            "Pitch coaching",
            "Public speaking",
            "CV review",
            "Leadership coaching",
            "Mentoring",
        ],
    ),
];

const BIOS: &[&str] = &[
    "Ten years in agencies, now freelance.\nAsk me anything about turning a rough idea into something people remember.",
    "I work best with a coffee and a clear brief.\nHappy to pair for an hour if you are stuck.",
    "Moved to the city last year; Harbour Works is where I met half my clients.\nAlways up for a skill swap.",
    "",
];

/// The index in SKILLS of the category a headline suggests.
fn home_category(headline: &str) -> Option<usize> {
    const HINTS: &[(&str, &[&str])] = &[
        ("Design", &["design", "illustrat", "stylist"]),
        ("Development", &["develop", "engineer", "devops", "data"]),
        ("Writing", &["writ", "editor", "copy", "documentation"]),
        ("Legal", &["lawyer", "legal", "property", "trademark"]),
        ("Finance", &["account", "bookkeep", "financ"]),
        (
            "Marketing",
            &["market", "seo", "social", "brand strategist", "growth"],
        ),
        ("Photography", &["photograph", "video", "podcast"]),
        ("Coaching", &["coach", "ux researcher", "runs harbour"]),
    ];
    let lower = headline.to_lowercase();
    let category = HINTS
        .iter()
        .find(|(_, words)| words.iter().any(|w| lower.contains(w)))?
        .0;
    SKILLS.iter().position(|(name, _)| *name == category)
}

/// Categories, skills, presence and a few check-ins, so the directory has something to find.
async fn seed_directory(pool: &PgPool, space: crate::spaces::model::SpaceId) -> anyhow::Result<()> {
    use crate::members::db as members_db;
    use crate::skills::db as skills_db;
    for (category, _) in SKILLS {
        skills_db::create_category(pool, space, category).await?;
    }
    let categories = skills_db::categories(pool, space).await?;
    let members: Vec<_> = ledger_db::member_accounts(pool, space)
        .await?
        .into_iter()
        .filter(|m| m.status == Status::Active)
        .collect();
    use crate::members::model::Presence;
    use crate::skills::model::Level;
    let levels = [
        Level::Expert,
        Level::Practised,
        Level::Practised,
        Level::Learning,
    ];
    let presences = [
        Presence::Open,
        Presence::Open,
        Presence::HeadsDown,
        Presence::Open,
        Presence::Away,
    ];
    for (i, m) in members.iter().enumerate() {
        let presence = presences[i % presences.len()];
        let profile = members_db::profile(pool, space, m.membership_id).await?;
        let headline = profile.map(|p| p.headline).unwrap_or_default();
        members_db::update_profile(
            pool,
            space,
            m.membership_id,
            &headline,
            BIOS[i % BIOS.len()],
            presence,
        )
        .await?;
        members_db::set_here_today(
            pool,
            space,
            m.membership_id,
            i % 3 == 0 && presence != Presence::Away,
        )
        .await?;
        // Three to five skills each, mostly from the category their headline suggests.
        let home = home_category(&headline).unwrap_or(i % SKILLS.len());
        for k in 0..(3 + i % 3) {
            let (category, names) = SKILLS[if k < 3 {
                home
            } else {
                (home + k) % SKILLS.len()
            }];
            let Some(category_id) = categories.iter().find(|c| c.name == category).map(|c| c.id)
            else {
                continue;
            };
            let name = names[(i + k * 2) % names.len()];
            let note = if k == 0 { "Ask me over coffee" } else { "" };
            skills_db::add_skill(
                pool,
                space,
                m.membership_id,
                category_id,
                name,
                levels[(i + k) % levels.len()],
                note,
            )
            .await?;
        }
    }
    Ok(())
}

/// Thank-yous members send each other, for the demo's history.
const GIFTS: &[&str] = &[
    "Thanks for the logo feedback!",
    "For fixing my Wi-Fi printer setup",
    "Proofreading my grant application",
    "Coffee-machine rescue, again",
    "That contract clause saved me",
    "Great product shots, thank you",
    "Helped me untangle my spreadsheet",
    "Lunch-and-learn on pricing",
    "Quick usability test of my app",
    "Intro to your accountant, thanks",
    "Lent me your tripod for the shoot",
    "Pitch deck review",
    "Debugged my deploy at 6pm",
    "Podcast mic setup",
    "Translation of my landing page",
];

/// A few weeks of history: welcome grants, gifts between members, a thank-you grant, a
/// mistaken gift reversed, and two trades held. Every id is derived from a name, so seeding
/// again finds each operation already done.
async fn seed_ledger(pool: &PgPool, space: crate::spaces::model::SpaceId) -> anyhow::Result<()> {
    let id = |name: &str| {
        Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            format!("swapdesk-demo:{name}").as_bytes(),
        )
    };
    let members: Vec<_> = ledger_db::member_accounts(pool, space)
        .await?
        .into_iter()
        .filter(|m| m.status == Status::Active)
        .collect();
    if members.len() < 2 {
        return Ok(());
    }
    let space_account = ledger_db::space_account(pool, space).await?;
    let now = OffsetDateTime::now_utc();
    let days_ago =
        |d: i64, minutes: i64| now - time::Duration::days(d) + time::Duration::minutes(minutes);

    // Transfers must be recorded in time order so each account's entries follow the clock.
    for (i, m) in members.iter().enumerate() {
        let payment = Payment {
            id: id(&format!("welcome-{}", m.membership_id)),
            space,
            from: space_account,
            to: m.account,
            amount: 1000,
            code: Code::Grant,
            memo: "Welcome to Harbour Works",
            by: None,
        };
        ledger::service::transfer_at(pool, &payment, days_ago(24, i as i64)).await?;
    }
    // A small, fixed pseudo-random walk: the same history every time.
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    for n in 0..40 {
        let from = next(members.len());
        let mut to = next(members.len());
        if to == from {
            to = (to + 1) % members.len();
        }
        let amount = [50, 100, 150, 200, 250, 300][next(6)] as i64;
        let payment = Payment {
            id: id(&format!("gift-{n}")),
            space,
            from: members[from].account,
            to: members[to].account,
            amount,
            code: Code::Gift,
            memo: GIFTS[next(GIFTS.len())],
            by: None,
        };
        let day = 23 - (n as i64 * 23 / 40);
        ledger::service::transfer_at(pool, &payment, days_ago(day, 9 * 60 + next(480) as i64))
            .await?;
    }
    if let Some(helper) = members.get(4) {
        let payment = Payment {
            id: id("lunch-grant"),
            space,
            from: space_account,
            to: helper.account,
            amount: 200,
            code: Code::Grant,
            memo: "Thanks for running the Friday lunch",
            by: None,
        };
        ledger::service::transfer_at(pool, &payment, days_ago(0, -300)).await?;
    }
    // A gift sent to the wrong person, reversed by the admin.
    if let (Some(a), Some(b)) = (members.get(2), members.get(3)) {
        let mistaken = id("mistaken-gift");
        let payment = Payment {
            id: mistaken,
            space,
            from: a.account,
            to: b.account,
            amount: 100,
            code: Code::Gift,
            memo: "Thanks for the intro",
            by: None,
        };
        ledger::service::transfer_at(pool, &payment, days_ago(0, -120)).await?;
        ledger::reverse(
            pool,
            space,
            id("mistaken-gift-reversal"),
            mistaken,
            "Sent to the wrong Tomás",
            false,
            None,
        )
        .await?;
    }
    // Two trades in progress: the payer's credits are held until delivery.
    for (n, (payer, payee, amount, memo)) in [
        (5, 1, 300, "Logo refresh (held until delivery)"),
        (8, 6, 150, "Contract review (held)"),
    ]
    .into_iter()
    .enumerate()
    {
        if let (Some(p), Some(q)) = (members.get(payer), members.get(payee)) {
            let payment = Payment {
                id: id(&format!("held-trade-{n}")),
                space,
                from: p.account,
                to: q.account,
                amount,
                code: Code::Trade,
                memo,
                by: None,
            };
            ledger::hold(pool, &payment, Duration::from_secs(14 * 24 * 3600)).await?;
        }
    }
    Ok(())
}
