//! The route table proves tenancy and authorisation: every route is walked, judged by the
//! level it declares (not by its URL), by everyone below that level, and every form is sent
//! without its CSRF token. A refusal changes nothing in the database. Every space route at
//! a former address of the space is sent on to its address now.

mod samples;

use axum::http::{Method, StatusCode};
use swapdesk::spaces::model::{Role, SignupMode, Status};
use swapdesk::web::routes::{Access, Route};

use crate::helpers::{Browser, Page, TestApp, encode};
use samples::{Cast, Sample};

/// Who visits, from the lowest standing to the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visitor {
    Anonymous,
    /// Signed in, a member of another space only.
    Outsider,
    Suspended,
    Pending,
    /// An active member who owns none of the objects in the paths.
    Member,
    /// The active member who owns the objects (a skill) in the paths.
    Owner,
    Admin,
}

impl Visitor {
    /// Whether this visitor may use a route of this level.
    fn may(self, access: Access) -> bool {
        use Visitor::*;
        match access {
            Access::Public => true,
            Access::SignedIn => self != Anonymous,
            Access::Applicant => matches!(self, Pending | Member | Owner | Admin),
            Access::Member => matches!(self, Member | Owner | Admin),
            Access::Owner => self == Owner,
            Access::Admin => self == Admin,
        }
    }

    /// Someone allowed at this level, to send the forms without their token.
    fn allowed(access: Access) -> Visitor {
        match access {
            Access::Public => Visitor::Anonymous,
            Access::SignedIn | Access::Member | Access::Owner => Visitor::Owner,
            Access::Applicant => Visitor::Pending,
            Access::Admin => Visitor::Admin,
        }
    }
}

const EVERYONE: [Visitor; 7] = [
    Visitor::Anonymous,
    Visitor::Outsider,
    Visitor::Suspended,
    Visitor::Pending,
    Visitor::Member,
    Visitor::Owner,
    Visitor::Admin,
];

/// A space with someone of every standing, and one object of each kind the paths name.
struct World {
    app: TestApp,
    samples: Vec<Sample>,
}

impl World {
    async fn new() -> Self {
        let app = TestApp::new().await;
        let space = app.space("harbour", SignupMode::Approval).await;
        let other = app.space("other", SignupMode::Open).await;
        app.member(space, "admin@example.org", Role::Admin, Status::Active)
            .await;
        let (_, owner) = app
            .member(space, "owner@example.org", Role::Member, Status::Active)
            .await;
        app.member(space, "member@example.org", Role::Member, Status::Active)
            .await;
        // Trades with the owner, and nobody else who visits.
        let (_, partner) = app
            .member(space, "partner@example.org", Role::Member, Status::Active)
            .await;
        let (_, pending) = app
            .member(space, "pending@example.org", Role::Member, Status::Pending)
            .await;
        app.member(
            space,
            "suspended@example.org",
            Role::Member,
            Status::Suspended,
        )
        .await;
        app.member(other, "outsider@example.org", Role::Admin, Status::Active)
            .await;
        let cast = Cast {
            owner,
            partner,
            pending,
        };
        let samples = samples::make(&app, space, &cast).await;
        Self { app, samples }
    }

    /// The path to request for a route: its own sample, or its pattern in the space.
    fn path(&self, route: &Route) -> String {
        if let Some((_, path)) = self.samples.iter().find(|(p, _)| *p == route.path) {
            return path.clone();
        }
        assert!(
            !route.path.replace("{slug}", "").contains('{'),
            "{} {} has no sample path: add one to tests/it/routes/samples.rs",
            route.method,
            route.path
        );
        route.path.replace("{slug}", "harbour")
    }

    async fn visitor(&self, who: Visitor) -> Browser {
        let email = match who {
            Visitor::Anonymous => {
                let mut browser = self.app.browser();
                browser.get("/signin").await;
                return browser;
            }
            Visitor::Outsider => "outsider@example.org",
            Visitor::Suspended => "suspended@example.org",
            Visitor::Pending => "pending@example.org",
            Visitor::Member => "member@example.org",
            Visitor::Owner => "owner@example.org",
            Visitor::Admin => "admin@example.org",
        };
        self.app.signed_in(email).await
    }

    /// A digest of every row the app keeps, but for sessions (a visit may touch its own).
    async fn state(&self) -> String {
        sqlx::query_scalar(
            "select string_agg(tablename || ':' || (xpath('/row/h/text()', query_to_xml(
                        format('select md5(coalesce(string_agg(t::text, '','' order by t::text), ''''))
                                as h from %I t', tablename), false, true, '')))[1]::text,
                    ';' order by tablename)
             from pg_tables where schemaname = 'public' and tablename <> 'sessions'",
        )
        .fetch_one(&self.app.db)
        .await
        .unwrap()
    }
}

async fn send(browser: &mut Browser, route: &Route, path: &str, with_token: bool) -> Page {
    if route.method == Method::GET {
        return browser.get(path).await;
    }
    let token = browser.csrf.clone().unwrap_or_default();
    let fields: Vec<(&str, &str)> = if with_token {
        vec![("csrf", &token)]
    } else {
        Vec::new()
    };
    browser.post_raw(path, &encode(&fields)).await
}

fn refused(page: &Page, who: Visitor) -> bool {
    match page.status {
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => true,
        StatusCode::SEE_OTHER => {
            who == Visitor::Anonymous && page.location().starts_with("/signin")
        }
        _ => false,
    }
}

fn all_routes() -> Vec<Route> {
    let mut routes = swapdesk::web::routes::table();
    routes.extend(swapdesk::web::infra_routes());
    routes
}

#[tokio::test]
async fn everyone_below_a_routes_level_is_refused_and_changes_nothing() {
    let world = World::new().await;
    let routes = all_routes();
    let mut checked = 0;
    for who in EVERYONE {
        let mut browser = world.visitor(who).await;
        for route in routes.iter().filter(|r| !who.may(r.access)) {
            let path = world.path(route);
            let before = world.state().await;
            let page = send(&mut browser, route, &path, true).await;
            assert!(
                refused(&page, who),
                "{who:?} was let through {} {path} ({:?}): {}",
                route.method,
                route.access,
                page.status
            );
            assert_eq!(
                world.state().await,
                before,
                "{who:?} changed something through {path}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} refusals were checked");
    eprintln!("{checked} refusals checked");
}

#[tokio::test]
async fn every_page_opens_for_those_at_its_level_with_a_title_of_its_own() {
    let world = World::new().await;
    let mut titles: Vec<(String, String)> = Vec::new();
    for route in all_routes().iter().filter(|r| r.method == Method::GET) {
        let who = Visitor::allowed(route.access);
        let mut browser = world.visitor(who).await;
        let path = world.path(route);
        let page = browser.get(&path).await;
        assert!(
            page.status.is_success() || page.status.is_redirection(),
            "{who:?} could not open {path}: {}",
            page.status
        );
        let is_html = page
            .headers
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
        if page.status == StatusCode::OK && is_html {
            let title = page.title();
            if let Some((other, _)) = titles.iter().find(|(_, t)| *t == title) {
                panic!("{path} and {other} share the title {title:?}");
            }
            titles.push((path, title));
        }
    }
    assert!(titles.len() > 20, "{} pages", titles.len());
}

#[tokio::test]
async fn no_form_works_without_its_csrf_token() {
    let world = World::new().await;
    let forms: Vec<Route> = all_routes()
        .into_iter()
        .filter(|r| r.changes_state() && r.csrf_exempt.is_none())
        .collect();
    // The one exemption, with its reason: the one-click unsubscribe that mail clients post.
    let exempt: Vec<&str> = all_routes()
        .iter()
        .filter(|r| r.changes_state() && r.csrf_exempt.is_some())
        .map(|r| r.path)
        .collect();
    assert_eq!(exempt, ["/unsubscribe/{token}"]);
    eprintln!("{} forms sent without their token", forms.len());
    for route in &forms {
        let who = Visitor::allowed(route.access);
        let mut browser = world.visitor(who).await;
        let path = world.path(route);
        let before = world.state().await;
        let page = send(&mut browser, route, &path, false).await;
        assert_eq!(
            page.status,
            StatusCode::FORBIDDEN,
            "{who:?} posted {path} without a token"
        );
        assert!(page.has("This form has expired or did not come from this site"));
        assert_eq!(world.state().await, before, "{path} changed something");
    }
}

#[tokio::test]
async fn every_route_declares_one_method_on_a_known_path() {
    let routes = all_routes();
    let mut seen = std::collections::HashSet::new();
    for route in &routes {
        assert!(
            seen.insert((route.method.clone(), route.path)),
            "{} {} is listed twice",
            route.method,
            route.path
        );
        assert!(
            route.path == "/" || route.path.starts_with('/') && !route.path.ends_with('/'),
            "{}",
            route.path
        );
        if route.path.starts_with("/s/{slug}") && route.path != "/s/{slug}/join" {
            assert_ne!(
                route.access,
                Access::Public,
                "{} shows a space's data: it cannot be public",
                route.path
            );
        }
    }
    eprintln!("route table: {} routes", routes.len());
}

#[tokio::test]
async fn every_space_route_at_a_former_address_goes_on_to_the_address_now() {
    let world = World::new().await;
    sqlx::query(
        "insert into space_slugs (slug, space_id)
         select 'old-harbour', id from spaces where slug = 'harbour'",
    )
    .execute(&world.app.db)
    .await
    .unwrap();
    let routes: Vec<Route> = all_routes()
        .into_iter()
        .filter(|r| r.path.starts_with("/s/{slug}"))
        .collect();
    let mut checked = 0;
    for who in EVERYONE {
        let mut browser = world.visitor(who).await;
        for route in routes.iter().filter(|r| Visitor::allowed(r.access) == who) {
            let path = world.path(route);
            let old = path.replacen("/s/harbour", "/s/old-harbour", 1);
            let before = world.state().await;
            // Forms with their token: it is checked at the old address, then sent on.
            let page = send(&mut browser, route, &old, true).await;
            assert_eq!(
                page.status,
                StatusCode::PERMANENT_REDIRECT,
                "{who:?} {} {old}",
                route.method
            );
            assert_eq!(page.location(), path, "{} {old}", route.method);
            assert_eq!(world.state().await, before, "{old} changed something");
            checked += 1;
        }
    }
    assert_eq!(checked, routes.len());
    eprintln!("{checked} routes sent on from a former address");
}
