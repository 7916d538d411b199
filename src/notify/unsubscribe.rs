//! One-click unsubscribe (RFC 8058): every email that is not an account email carries a
//! link, signed with the instance key, that turns off one group's email for one
//! membership. It needs no session: its signature is its authentication, and it can do
//! nothing but unsubscribe, so its POST (which a mail client sends with no cookie and no
//! token) is exempt from the CSRF check, as the route table records.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie::{Cookie, Key};
use time::{Duration, OffsetDateTime};

use crate::messages;
use crate::notify::inbox;
use crate::notify::model::{Group, Mode};
use crate::spaces::model::MembershipId;
use crate::web::csrf;
use crate::web::error::AppResult;
use crate::web::html::{Layout, NoticePage};
use crate::web::session::Ctx;
use crate::web::state::AppState;

/// How long a link works after its email was written.
pub const VALID_FOR: Duration = Duration::days(90);

/// The signed cookie name the signature is bound to, so no other signed value passes.
const PURPOSE: &str = "swapdesk-unsubscribe";

/// What a link turns off: one group's email, or the daily digest (every group that
/// was coming by digest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Group(Group),
    Digest,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Group(g) => g.as_str(),
            Scope::Digest => "digest",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "digest" => Some(Scope::Digest),
            _ => Group::parse(raw).map(Scope::Group),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Scope::Group(g) => g.label(),
            Scope::Digest => "the daily digest",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsubscribe {
    pub membership: MembershipId,
    pub scope: Scope,
    pub expires: OffsetDateTime,
}

impl Unsubscribe {
    /// The token for the URL: the signed value, URL-safe.
    pub fn token(&self, key: &Key) -> String {
        let value = format!(
            "{}.{}.{}",
            self.membership.0,
            self.scope.as_str(),
            self.expires.unix_timestamp()
        );
        let signed = csrf::sign(key, Cookie::new(PURPOSE, value))
            .map(|c| c.value().to_owned())
            .unwrap_or_default();
        URL_SAFE_NO_PAD.encode(signed)
    }

    /// The link for `membership`'s `scope`, valid for `VALID_FOR` from `now`.
    pub fn url(
        base_url: &str,
        key: &Key,
        membership: MembershipId,
        scope: Scope,
        now: OffsetDateTime,
    ) -> String {
        let link = Unsubscribe {
            membership,
            scope,
            expires: now + VALID_FOR,
        };
        format!("{base_url}/unsubscribe/{}", link.token(key))
    }

    /// The link a token names, if its signature holds and it has not expired at `now`.
    pub fn open(key: &Key, token: &str, now: OffsetDateTime) -> Option<Self> {
        let signed = String::from_utf8(URL_SAFE_NO_PAD.decode(token.trim()).ok()?).ok()?;
        let value = csrf::open_signed(key, PURPOSE, &signed)?;
        let mut parts = value.split('.');
        let membership = MembershipId(parts.next()?.parse().ok()?);
        let scope = Scope::parse(parts.next()?)?;
        let expires = OffsetDateTime::from_unix_timestamp(parts.next()?.parse().ok()?).ok()?;
        if parts.next().is_some() || expires <= now {
            return None;
        }
        Some(Self {
            membership,
            scope,
            expires,
        })
    }
}

#[derive(askama::Template)]
#[template(path = "notify/unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    token: String,
    group: &'static str,
}

fn not_valid(ctx: &Ctx) -> AppResult<Response> {
    NoticePage::new(
        Layout::new(messages::LINK_NOT_VALID_TITLE, ctx),
        messages::LINK_NOT_VALID,
        messages::UNSUBSCRIBE_LINK_NOT_VALID,
        ("/", messages::GO_TO_START),
    )
    .respond(StatusCode::NOT_FOUND)
}

/// The page the link opens in a browser: one button, so that a mail scanner following
/// links changes nothing.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(link) = Unsubscribe::open(&state.settings.key, &token, OffsetDateTime::now_utc())
    else {
        return not_valid(&ctx);
    };
    crate::web::html::page(&UnsubscribePage {
        layout: Layout::new(messages::UNSUBSCRIBE_TITLE, &ctx),
        token,
        group: link.scope.label(),
    })
}

/// Turns the group's email off: from the page's button, or from the mail client's
/// one-click POST ("List-Unsubscribe=One-Click"), which carries no session.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(link) = Unsubscribe::open(&state.settings.key, &token, OffsetDateTime::now_utc())
    else {
        return not_valid(&ctx);
    };
    match link.scope {
        Scope::Group(g) => inbox::set_preference(&state.db, link.membership, g, Mode::None).await?,
        Scope::Digest => {
            let mut tx = state.db.begin().await?;
            for (g, mode) in inbox::preferences(&mut *tx, link.membership).await? {
                if mode == Mode::Digest {
                    inbox::set_preference(&mut *tx, link.membership, g, Mode::None).await?;
                }
            }
            tx.commit().await?;
        }
    }
    NoticePage::new(
        Layout::new(messages::UNSUBSCRIBED_TITLE, &ctx),
        messages::UNSUBSCRIBED_TITLE,
        messages::unsubscribed(link.scope.label()),
        ("/", messages::GO_TO_START),
    )
    .respond(StatusCode::OK)
}
