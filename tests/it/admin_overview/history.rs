//! A small history written by hand, at chosen moments on the space's own clock
//! (Europe/Berlin), through the ledger's own function.

use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};
use uuid::Uuid;

use crate::helpers::TestApp;

pub const ZONE: &str = "Europe/Berlin";

/// A moment `hours` after the start (Monday 00:00 in Berlin) of the week `weeks_ago`.
pub async fn at(app: &TestApp, weeks_ago: i32, hours: i32) -> time::OffsetDateTime {
    sqlx::query_scalar(
        "select (date_trunc('week', now() at time zone $1) - make_interval(weeks => $2)
                 + make_interval(hours => $3)) at time zone $1",
    )
    .bind(ZONE)
    .bind(weeks_ago)
    .bind(hours)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn account(app: &TestApp, member: MembershipId) -> i64 {
    sqlx::query_scalar("select id from ledger_accounts where membership_id = $1")
        .bind(member.0)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// One ledger operation at a chosen moment, through the ledger's own function.
struct Op {
    kind: &'static str,
    code: Option<&'static str>,
    from: Option<i64>,
    to: Option<i64>,
    amount: Option<i64>,
    pending: Option<Uuid>,
    reverses: Option<Uuid>,
}

async fn apply(app: &TestApp, space: SpaceId, op: Op, when: time::OffsetDateTime) -> Uuid {
    let id = Uuid::now_v7();
    let status: String = sqlx::query_scalar(
        "select status from ledger_apply($1, $2, $3, $4, $5, $6, $7, $8, $9, null, null, 'test',
                                         sha256($1::text::bytea), false, $10)",
    )
    .bind(id)
    .bind(space.0)
    .bind(op.kind)
    .bind(op.code)
    .bind(op.from)
    .bind(op.to)
    .bind(op.amount)
    .bind(op.pending)
    .bind(op.reverses)
    .bind(when)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(status, "ok", "{id}");
    id
}

fn single(code: &'static str, from: i64, to: i64, amount: i64) -> Op {
    Op {
        kind: "single",
        code: Some(code),
        from: Some(from),
        to: Some(to),
        amount: Some(amount),
        pending: None,
        reverses: None,
    }
}

async fn set_joined(app: &TestApp, member: MembershipId, when: time::OffsetDateTime) {
    sqlx::query("update memberships set created_at = $2 where id = $1")
        .bind(member.0)
        .bind(when)
        .execute(&app.db)
        .await
        .unwrap();
}

pub struct History {
    pub app: TestApp,
    pub space: SpaceId,
    pub ana: MembershipId,
    pub ben: MembershipId,
    pub cy: MembershipId,
    pub dee: MembershipId,
}

/// Weeks counted back from this one (0): W3 W2 W1 W0.
/// - Members: Ana and Ben joined 100 days ago; the admin and Cy in W1; Dee in W0 at 00:30
///   Berlin (still Sunday in UTC); Pat applied in W1 and is pending.
/// - W2: a grant of 50 to Ana. W1: Ana gives Ben 10. W0: Cy pays Ana 5 for a trade (held in
///   W1, paid at 00:30), Ben pays Ana 3 for another, Dee gives Cy 1, and Ana's gift to Ben
///   is reversed. 100 days ago Ben gave Ana 2.
/// - Ana offers in Design (her skill "Logo design"; Cy lists "logo design" too), Ben asks
///   in Writing in W0; an old Legal listing is out of the window.
pub async fn history() -> History {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Approval).await;
    sqlx::query("update spaces set time_zone = $2 where id = $1")
        .bind(space.0)
        .bind(ZONE)
        .execute(&app.db)
        .await
        .unwrap();
    let (_, admin) = app
        .member(space, "admin@example.org", Role::Admin, Status::Active)
        .await;
    let mut ids = Vec::new();
    for name in ["ana", "ben", "cy", "dee"] {
        let email = format!("{name}@example.org");
        ids.push(
            app.member(space, &email, Role::Member, Status::Active)
                .await
                .1,
        );
    }
    let (ana, ben, cy, dee) = (ids[0], ids[1], ids[2], ids[3]);
    let (_, pat) = app
        .member(space, "pat@example.org", Role::Member, Status::Pending)
        .await;
    let long_ago = at(&app, 15, 0).await;
    for m in [ana, ben] {
        set_joined(&app, m, long_ago).await;
    }
    for m in [admin, cy, pat] {
        set_joined(&app, m, at(&app, 1, 30).await).await;
    }
    set_joined(
        &app,
        dee,
        at(&app, 0, 0).await + time::Duration::minutes(30),
    )
    .await;

    let system: i64 = sqlx::query_scalar(
        "select id from ledger_accounts where space_id = $1 and kind = 'system'",
    )
    .bind(space.0)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let (a, b, c, d) = (
        account(&app, ana).await,
        account(&app, ben).await,
        account(&app, cy).await,
        account(&app, dee).await,
    );
    apply(&app, space, single("gift", b, a, 200), long_ago).await;
    apply(
        &app,
        space,
        single("grant", system, a, 5000),
        at(&app, 2, 24).await,
    )
    .await;
    let gift = apply(
        &app,
        space,
        single("gift", a, b, 1000),
        at(&app, 1, 48).await,
    )
    .await;

    let cats = categories(&app, space).await;
    let listing = add_listing(&app, space, ana, cats[0], "offer", at(&app, 1, 24).await).await;
    add_listing(&app, space, ben, cats[1], "request", at(&app, 0, 5).await).await;
    add_listing(&app, space, ben, cats[2], "offer", long_ago).await;
    skill(&app, space, ana, cats[0], "Logo design").await;
    skill(&app, space, ana, cats[1], "Copywriting").await;
    skill(&app, space, cy, cats[0], "logo design").await;

    let monday_half_past = at(&app, 0, 0).await + time::Duration::minutes(30);
    trade(
        &app,
        space,
        (cy, c),
        (ana, a),
        listing,
        500,
        at(&app, 1, 72).await,
        monday_half_past,
    )
    .await;
    trade(
        &app,
        space,
        (ben, b),
        (ana, a),
        listing,
        300,
        at(&app, 0, 1).await,
        at(&app, 0, 2).await,
    )
    .await;
    apply(&app, space, single("gift", d, c, 100), at(&app, 0, 3).await).await;
    let reversal = Op {
        kind: "single",
        code: Some("reversal"),
        from: None,
        to: None,
        amount: None,
        pending: None,
        reverses: Some(gift),
    };
    apply(&app, space, reversal, at(&app, 0, 4).await).await;
    // Dee is now at her limit: nothing left to spend.
    sqlx::query("update ledger_accounts set credit_limit = 100 where id = $1")
        .bind(d)
        .execute(&app.db)
        .await
        .unwrap();
    History {
        app,
        space,
        ana,
        ben,
        cy,
        dee,
    }
}

async fn categories(app: &TestApp, space: SpaceId) -> Vec<i64> {
    let mut ids = Vec::new();
    for name in ["Design", "Writing", "Legal"] {
        ids.push(
            sqlx::query_scalar(
                "insert into skill_categories (space_id, name) values ($1, $2) returning id",
            )
            .bind(space.0)
            .bind(name)
            .fetch_one(&app.db)
            .await
            .unwrap(),
        );
    }
    ids
}

async fn add_listing(
    app: &TestApp,
    space: SpaceId,
    owner: MembershipId,
    category: i64,
    kind: &str,
    when: time::OffsetDateTime,
) -> i64 {
    sqlx::query_scalar(
        "insert into listings (space_id, membership_id, kind, title, category_id, price_mode,
                               price, created_at, updated_at)
         values ($1, $2, $3, 'A listing', $4, 'fixed', 500, $5, $5) returning id",
    )
    .bind(space.0)
    .bind(owner.0)
    .bind(kind)
    .bind(category)
    .bind(when)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn skill(app: &TestApp, space: SpaceId, member: MembershipId, category: i64, name: &str) {
    sqlx::query(
        "insert into skills (space_id, membership_id, category_id, name, level)
         values ($1, $2, $3, $4, 'expert')",
    )
    .bind(space.0)
    .bind(member.0)
    .bind(category)
    .bind(name)
    .execute(&app.db)
    .await
    .unwrap();
}

/// A trade held at `held` and paid at `paid`, with its row pointing at both.
#[expect(clippy::too_many_arguments, reason = "a test's history, spelt out")]
async fn trade(
    app: &TestApp,
    space: SpaceId,
    (payer, payer_account): (MembershipId, i64),
    (payee, payee_account): (MembershipId, i64),
    listing: i64,
    amount: i64,
    held: time::OffsetDateTime,
    paid: time::OffsetDateTime,
) {
    let hold = Op {
        kind: "pending",
        code: Some("trade"),
        from: Some(payer_account),
        to: Some(payee_account),
        amount: Some(amount),
        pending: None,
        reverses: None,
    };
    let hold = apply(app, space, hold, held).await;
    let post = Op {
        kind: "post",
        code: None,
        from: None,
        to: None,
        amount: None,
        pending: Some(hold),
        reverses: None,
    };
    let post = apply(app, space, post, paid).await;
    sqlx::query(
        "insert into trades (space_id, listing_id, payer_id, payee_id, proposer_id, state,
                             description, amount, accept_attempts, hold_id, settled_id)
         values ($1, $2, $3, $4, $3, 'completed', 'A trade', $5, 1, $6, $7)",
    )
    .bind(space.0)
    .bind(listing)
    .bind(payer.0)
    .bind(payee.0)
    .bind(amount)
    .bind(hold)
    .bind(post)
    .execute(&app.db)
    .await
    .unwrap();
}
