//! Extractors that authorise: who is signed in, and what they are to the space in the URL
//! (SPEC §8.4). A handler that takes `Member` or `Admin` cannot run for anyone else.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams};
use axum::http::request::Parts;

use crate::audit::Actor;
use crate::auth::model::SessionPerson;
use crate::messages;
use crate::spaces::model::{Membership, Role, Space, Status};
use crate::web::error::AppError;
use crate::web::html::{Layout, NavSpace};
use crate::web::session::Ctx;
use crate::web::state::AppState;

/// A signed-in person; anyone else is sent to sign in and brought back.
pub struct SignedIn {
    pub ctx: Ctx,
    pub person: SessionPerson,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.person() {
            Some(person) => Ok(SignedIn { ctx, person }),
            None => Err(AppError::Unauthorized {
                next: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_else(|| "/".to_owned()),
            }),
        }
    }
}

/// A signed-in person and the space named in the URL, with their membership if any.
pub struct Visitor {
    pub ctx: Ctx,
    pub person: SessionPerson,
    pub space: Space,
    pub membership: Option<Membership>,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let SignedIn { ctx, person } = SignedIn::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let slug = params
            .iter()
            .find(|(k, _)| *k == "slug")
            .map(|(_, v)| v.to_owned())
            .ok_or(AppError::NotFound)?;
        if !crate::spaces::model::valid_slug(&slug) {
            return Err(AppError::NotFound);
        }
        // The session query loaded the space named in the path (none: no such space).
        let (space, membership) = ctx.preloaded_space(&slug).ok_or(AppError::NotFound)?;
        Ok(Visitor {
            ctx,
            person,
            space,
            membership,
        })
    }
}

impl Visitor {
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        let layout = Layout::new(title, &self.ctx);
        match &self.membership {
            Some(m) if m.status == Status::Active => layout.in_space(NavSpace::new(&self.space, m)),
            _ => layout,
        }
    }
}

/// An active member of the space in the URL. Strangers, applicants and suspended members
/// are refused and see nothing of the space.
pub struct Member {
    pub ctx: Ctx,
    pub person: SessionPerson,
    pub space: Space,
    pub membership: Membership,
}

impl FromRequestParts<AppState> for Member {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let membership = match visitor.membership {
            None => return Err(AppError::Forbidden(messages::NOT_A_MEMBER)),
            Some(m) => m,
        };
        match membership.status {
            Status::Active => Ok(Member {
                ctx: visitor.ctx,
                person: visitor.person,
                space: visitor.space,
                membership,
            }),
            Status::Pending => Err(AppError::Forbidden(messages::PENDING)),
            Status::Suspended => Err(AppError::Forbidden(messages::SUSPENDED)),
            Status::Left => Err(AppError::Forbidden(messages::LEFT_SPACE)),
        }
    }
}

/// An active member, or an applicant waiting for approval, of the space in the URL: an
/// applicant fills in their profile and skills meanwhile. Others are refused as by `Member`.
pub struct MemberOrApplicant(pub Member);

impl FromRequestParts<AppState> for MemberOrApplicant {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let membership = match visitor.membership {
            None => return Err(AppError::Forbidden(messages::NOT_A_MEMBER)),
            Some(m) => m,
        };
        match membership.status {
            Status::Active | Status::Pending => Ok(Self(Member {
                ctx: visitor.ctx,
                person: visitor.person,
                space: visitor.space,
                membership,
            })),
            Status::Suspended => Err(AppError::Forbidden(messages::SUSPENDED)),
            Status::Left => Err(AppError::Forbidden(messages::LEFT_SPACE)),
        }
    }
}

impl Member {
    /// The page frame; the space's own links only for an active member.
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        let layout = Layout::new(title, &self.ctx);
        if self.membership.status == Status::Active {
            layout.in_space(NavSpace::new(&self.space, &self.membership))
        } else {
            layout
        }
    }

    pub fn is_admin(&self) -> bool {
        self.membership.role == Role::Admin
    }

    /// This member acting from `ip`, for the audit records of what they do.
    pub fn actor(&self, ip: &ClientIp) -> Actor {
        Actor {
            space: self.space.id,
            person: self.person.id,
            ip: ip.0,
        }
    }
}

/// An active admin of the space in the URL.
pub struct Admin(pub Member);

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let member = Member::from_request_parts(parts, state).await?;
        if member.is_admin() {
            Ok(Admin(member))
        } else {
            Err(AppError::Forbidden(messages::ADMINS_ONLY))
        }
    }
}

impl std::ops::Deref for Admin {
    type Target = Member;
    fn deref(&self) -> &Member {
        &self.0
    }
}

/// The client's address, for rate limits and the audit log.
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    /// A key part for throttles; requests without an address share one bucket. An IPv6
    /// address counts by its /64: one subscriber gets a whole /64, so each of its addresses
    /// is the same someone.
    pub fn key(&self) -> String {
        match self.0.map(|ip| ip.to_canonical()) {
            Some(IpAddr::V4(v4)) => v4.to_string(),
            Some(IpAddr::V6(v6)) => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                format!("{}/64", std::net::Ipv6Addr::from(prefix))
            }
            None => "unknown".to_owned(),
        }
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        // Behind a trusted proxy the peer is the proxy; the client is the last address the
        // proxy appended to X-Forwarded-For (earlier ones are whatever the client claimed).
        let forwarded = state
            .settings
            .trust_proxy
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .filter_map(|a| a.trim().parse::<IpAddr>().ok())
                    .next_back()
            })
            .flatten();
        Ok(ClientIp(forwarded.or(peer)))
    }
}

/// The numeric `{id}` of a path; anything else is a 404, not a bare rejection.
pub struct PathId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        params
            .iter()
            .find(|(k, _)| *k == "id")
            .and_then(|(_, v)| v.parse::<i64>().ok())
            .map(PathId)
            .ok_or(AppError::NotFound)
    }
}

/// The `{id}` of a path that names an object by UUID; anything else is a 404.
pub struct PathUuid(pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for PathUuid {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        params
            .iter()
            .find(|(k, _)| *k == "id")
            .and_then(|(_, v)| uuid::Uuid::parse_str(v).ok())
            .map(PathUuid)
            .ok_or(AppError::NotFound)
    }
}
