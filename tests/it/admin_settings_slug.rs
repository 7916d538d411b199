//! A space's address (issue 11 §7): an admin changes its slug on the settings page, held to
//! a new space's rules and refused when another space has or had it; every old link, for
//! any method, goes on to the new address with its path and query (308); the change is
//! audited. Addresses other spaces have or had, and races for one, are in `taken`.

mod taken;

use axum::http::{StatusCode, header};
use swapdesk::spaces::model::{Role, SignupMode, SpaceId, Status};

use crate::helpers::{Browser, Page, TestApp};

/// Harbour with Ana (admin) and Bea (member); Other with Olga (admin); a stranger.
struct World {
    app: TestApp,
    harbour: SpaceId,
    other: SpaceId,
}

impl World {
    async fn new() -> Self {
        let app = TestApp::new().await;
        let harbour = app.space("harbour", SignupMode::Approval).await;
        let other = app.space("other", SignupMode::Approval).await;
        app.member(harbour, "ana@example.org", Role::Admin, Status::Active)
            .await;
        app.member(harbour, "bea@example.org", Role::Member, Status::Active)
            .await;
        app.member(other, "olga@example.org", Role::Admin, Status::Active)
            .await;
        app.person("stranger@example.org", "Stranger").await;
        Self {
            app,
            harbour,
            other,
        }
    }

    async fn slug(&self, space: SpaceId) -> String {
        sqlx::query_scalar("select slug from spaces where id = $1")
            .bind(space.0)
            .fetch_one(&self.app.db)
            .await
            .unwrap()
    }

    /// The space's former slugs, in order.
    async fn former(&self, space: SpaceId) -> Vec<String> {
        sqlx::query_scalar("select slug from space_slugs where space_id = $1 order by slug")
            .bind(space.0)
            .fetch_all(&self.app.db)
            .await
            .unwrap()
    }

    async fn audits(&self, action: &str) -> i64 {
        self.app
            .count(&format!(
                "select count(*) from audit_log where action = '{action}'"
            ))
            .await
    }
}

/// Every settings field, as the page sends them, with the address `slug`.
fn fields(slug: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("name", "Harbour Works"),
        ("slug", slug),
        ("time_zone", "UTC"),
        ("signup_mode", "approval"),
        ("listed", "yes"),
        ("auto_complete_days", "7"),
        ("cancel_cutoff_hours", "24"),
        ("currency_name", "hours"),
        ("accent_colour", "teal"),
        ("default_credit_limit", "20"),
        ("space_limit", "0"),
    ]
}

/// Saves the settings of the space now at `at` with the address `slug`.
async fn save(browser: &mut Browser, at: &str, slug: &str) -> Page {
    browser
        .post(&format!("/s/{at}/admin/settings"), &fields(slug))
        .await
}

#[tokio::test]
async fn an_admin_moves_the_space_and_every_old_link_leads_to_the_new_address() {
    let w = World::new().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let form = ana.get("/s/harbour/admin/settings").await;
    assert!(form.has("name=\"slug\" type=\"text\" value=\"harbour\""));
    assert!(
        form.has("http://swapdesk.test/s/harbour now"),
        "{}",
        form.body
    );
    assert!(form.has("links to the old address"));

    let saved = save(&mut ana, "harbour", "harbour-works").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/s/harbour-works/admin/settings");
    let page = ana.get(saved.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("settings are saved"));
    assert!(page.has("value=\"harbour-works\""));
    assert!(
        page.has("http://swapdesk.test/s/harbour-works/join"),
        "join address"
    );
    assert_eq!(w.slug(w.harbour).await, "harbour-works");
    assert_eq!(w.former(w.harbour).await, ["harbour"]);

    // Any page, for anyone, with the rest of its path and its query.
    let old = ana.get("/s/harbour/market?q=logo%20design&page=2").await;
    assert_eq!(old.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        old.location(),
        "/s/harbour-works/market?q=logo%20design&page=2"
    );
    assert_eq!(old.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(ana.get("/s/harbour").await.location(), "/s/harbour-works");
    let mut bea = w.app.signed_in("bea@example.org").await;
    let credits = bea.get("/s/harbour/credits").await;
    assert_eq!(credits.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(bea.get(credits.location()).await.status, StatusCode::OK);
    // The public join page finds its space by itself, and is sent on too.
    let mut visitor = w.app.browser();
    let join = visitor.get("/s/harbour/join").await;
    assert_eq!(join.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(join.location(), "/s/harbour-works/join");
    assert_eq!(visitor.get(join.location()).await.status, StatusCode::OK);
    // The front page lists it at its new address.
    let front = visitor.get("/").await;
    assert!(front.has("href=\"/s/harbour-works/join\"") && !front.has("/s/harbour/"));
}

#[tokio::test]
async fn a_form_posted_to_the_old_address_is_sent_on_with_its_method_and_token_checked() {
    let w = World::new().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    save(&mut ana, "harbour", "harbour-works").await;
    // A settings page left open at the old address: 308 keeps the POST and its body.
    let mut renamed = fields("harbour-works");
    renamed[0] = ("name", "Harbour Collective");
    let old = ana.post("/s/harbour/admin/settings", &renamed).await;
    assert_eq!(old.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(old.location(), "/s/harbour-works/admin/settings");
    assert_eq!(
        w.app
            .count("select count(*) from spaces where name = 'Harbour Collective'")
            .await,
        0,
        "nothing is saved at the old address itself"
    );
    let again = ana.post(old.location(), &renamed).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .count("select count(*) from spaces where name = 'Harbour Collective'")
            .await,
        1
    );
    // Without its token the form is refused there as anywhere, before it is sent on.
    let forged = ana
        .post_raw(
            "/s/harbour/admin/settings",
            &crate::helpers::encode(&fields("harbour-works")),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_address_that_breaks_the_rules_is_refused_beside_its_field_with_the_form_kept() {
    let w = World::new().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    ana.get("/s/harbour/admin/settings").await;
    let long = "a".repeat(41);
    for (bad, says) in [
        ("", "Enter the space&#39;s address"),
        ("Harbour", "Use only lower-case letters, digits and hyphens"),
        (
            "harbour works",
            "Use only lower-case letters, digits and hyphens",
        ),
        ("-harbour", "no hyphen first or last"),
        ("harbour-", "no hyphen first or last"),
        ("häfen", "Use only lower-case letters"),
        ("harbour/admin", "Use only lower-case letters"),
        (long.as_str(), "The address must be 40 characters or fewer"),
    ] {
        let page = save(&mut ana, "harbour", bad).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(page.has("id=\"slug-error\""), "{bad:?}");
        assert!(page.has(says), "{bad:?}: {}", page.body);
        assert!(page.has("href=\"#slug\""), "the summary links to the field");
        assert!(page.has(&format!("value=\"{bad}\"")), "{bad:?} is kept");
        assert!(page.has("value=\"Harbour Works\""), "the rest is kept");
        assert!(page.has("action=\"/s/harbour/admin/settings\""));
    }
    assert_eq!(w.slug(w.harbour).await, "harbour");
    assert!(w.former(w.harbour).await.is_empty());
    assert_eq!(w.audits("space.settings_changed").await, 0);
    assert_eq!(w.audits("space.slug_changed").await, 0);
}

#[tokio::test]
async fn a_change_of_address_is_audited_with_the_old_and_the_new() {
    let w = World::new().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    // Saved as it is, the address writes no record of a move.
    save(&mut ana, "harbour", "harbour").await;
    assert_eq!(w.audits("space.settings_changed").await, 1);
    assert_eq!(w.audits("space.slug_changed").await, 0);
    save(&mut ana, "harbour", "harbour-works").await;
    let (subject, from, to, actor): (String, String, String, String) = sqlx::query_as(
        "select a.subject, a.detail->>'from', a.detail->>'to', p.email
         from audit_log a join people p on p.id = a.actor_id
         where a.action = 'space.slug_changed' and a.space_id = $1",
    )
    .bind(w.harbour.0)
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(
        (subject.as_str(), from.as_str(), to.as_str(), actor.as_str()),
        (
            "space:harbour-works",
            "harbour",
            "harbour-works",
            "ana@example.org"
        )
    );
    let saved: String = sqlx::query_scalar(
        "select detail->>'slug' from audit_log where action = 'space.settings_changed'
         order by id desc limit 1",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(saved, "harbour-works");
    // The log shows it, at the new address.
    let log = ana.get("/s/harbour-works/admin/audit").await;
    assert!(log.has("space.slug_changed"));
}

#[tokio::test]
async fn only_the_spaces_own_admins_move_it_and_only_with_their_token() {
    let w = World::new().await;
    let mut anonymous = w.app.browser();
    anonymous.get("/s/harbour/join").await;
    let page = save(&mut anonymous, "harbour", "taken-over").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/signin"));
    for email in [
        "bea@example.org",
        "olga@example.org",
        "stranger@example.org",
    ] {
        let mut browser = w.app.signed_in(email).await;
        let page = save(&mut browser, "harbour", "taken-over").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
    }
    let mut ana = w.app.signed_in("ana@example.org").await;
    let forged = ana
        .post_raw(
            "/s/harbour/admin/settings",
            &crate::helpers::encode(&fields("taken-over")),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(w.slug(w.harbour).await, "harbour");
    assert!(w.former(w.harbour).await.is_empty());
    assert_eq!(w.audits("space.slug_changed").await, 0);
}

#[tokio::test]
async fn an_address_no_space_has_or_had_is_still_not_found() {
    let w = World::new().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    save(&mut ana, "harbour", "harbour-works").await;
    let mut visitor = w.app.browser();
    for path in ["/s/nowhere", "/s/nowhere/join", "/s/nowhere/admin/settings"] {
        assert_eq!(ana.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
        let page = visitor.get(path).await;
        assert!(
            page.status == StatusCode::NOT_FOUND || page.location().starts_with("/signin"),
            "{path}: {}",
            page.status
        );
    }
    // Under the address now, what does not exist is not found, not sent anywhere.
    let missing = ana.get("/s/harbour-works/trades/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // Under a former address it is sent on first, then not found there.
    let old = ana.get("/s/harbour/trades/999999").await;
    assert_eq!(old.location(), "/s/harbour-works/trades/999999");
    assert_eq!(ana.get(old.location()).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_settings_form_without_the_address_field_keeps_the_address() {
    let w = World::new().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let without: Vec<_> = fields("ignored")
        .into_iter()
        .filter(|(k, _)| *k != "slug")
        .collect();
    let saved = ana.post("/s/harbour/admin/settings", &without).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/s/harbour/admin/settings");
    assert_eq!(w.slug(w.harbour).await, "harbour");
    assert_eq!(w.audits("space.slug_changed").await, 0);
}
