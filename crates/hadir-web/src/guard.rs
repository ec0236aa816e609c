//! The one place that decides who is asking and whether they may: [`Auth<P>`] authenticates the
//! bearer token or session cookie, rejects cross-site cookie requests (CSRF), resolves the
//! institution from the session (never from the request), and checks the policy `P` named in the
//! handler's signature.

use crate::AppState;
use crate::problem::{ApiError, fixed};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE, HOST, ORIGIN, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use hadir_app::{Principal, RequestMeta};
use hadir_domain::roles::Role;
use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};

pub const SESSION_COOKIE: &str = "hadir_session";

/// Who may use an endpoint.
pub trait Policy: Send + Sync + 'static {
    /// Whether an account that must change its password may still use the endpoint.
    const DURING_PASSWORD_CHANGE: bool = false;
    fn allows(principal: &Principal) -> bool;
}

/// Any signed-in account, even one that must change its password first: sessions, logout,
/// password change, "me".
pub struct SelfService;
/// Any signed-in account.
pub struct Signed;
/// Unit and institution administrators (and superadmins).
pub struct Admin;
pub struct InstitutionAdmin;
/// Those who decide for others: supervisors (for the people reporting to them) and
/// administrators; each use case still checks the person in question.
pub struct Decider;
/// The data protection officer, or an institution administrator.
pub struct PrivacyOfficer;
pub struct Superadmin;

impl Policy for SelfService {
    const DURING_PASSWORD_CHANGE: bool = true;
    fn allows(_: &Principal) -> bool {
        true
    }
}
impl Policy for Signed {
    fn allows(_: &Principal) -> bool {
        true
    }
}
impl Policy for Admin {
    fn allows(p: &Principal) -> bool {
        p.is_admin()
    }
}
impl Policy for Decider {
    fn allows(p: &Principal) -> bool {
        p.is_admin() || p.has(Role::Supervisor)
    }
}
impl Policy for InstitutionAdmin {
    fn allows(p: &Principal) -> bool {
        p.is_institution_admin()
    }
}
impl Policy for PrivacyOfficer {
    fn allows(p: &Principal) -> bool {
        p.is_privacy_officer()
    }
}
impl Policy for Superadmin {
    fn allows(p: &Principal) -> bool {
        p.has(Role::Superadmin)
    }
}

pub struct Auth<P: Policy = Signed> {
    pub principal: std::sync::Arc<Principal>,
    pub meta: RequestMeta,
    policy: PhantomData<P>,
}

/// Request facts for the audit trail, for endpoints that need no sign-in (login).
pub struct Meta(pub RequestMeta);

fn header(parts: &Parts, name: axum::http::HeaderName) -> Option<&str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The token of an `Authorization: Bearer …` header, if the request has one.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim)
}

/// The address of the peer that opened the connection (a proxy, if there is one).
pub fn peer(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

/// The client's address: the peer, or — when the peer is a trusted proxy — the nearest
/// untrusted address in `X-Forwarded-For`.
pub fn client_ip(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let chain = forwarded_for.unwrap_or("");
    chain
        .rsplit(',')
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .find(|ip| !trusted.contains(ip))
        .or(Some(peer))
}

pub(crate) fn meta_of(parts: &Parts, state: &AppState) -> RequestMeta {
    let peer = peer(&parts.extensions);
    RequestMeta {
        request_id: header(parts, axum::http::HeaderName::from_static("x-request-id")).map(str::to_string),
        ip: client_ip(
            peer,
            header(parts, axum::http::HeaderName::from_static("x-forwarded-for")),
            &state.config.trusted_proxies,
        )
        .map(|ip| ip.to_string()),
        user_agent: header(parts, USER_AGENT).map(str::to_string),
    }
}

pub fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// Cross-site request forgery check for cookie-authenticated writes: a browser says where the
/// request comes from (`Sec-Fetch-Site`, `Origin`); a cross-site write is refused. Clients that
/// send neither header are not browsers and cannot be forged by a page.
pub fn same_origin(parts: &Parts) -> bool {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = header(parts, axum::http::HeaderName::from_static("sec-fetch-site")) {
        return matches!(site, "same-origin" | "none");
    }
    match (header(parts, ORIGIN), header(parts, HOST)) {
        (Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(_, rest)| rest == host),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

/// `429` with the seconds to wait, in the answer and in `Retry-After`.
fn rate_limited(seconds: u64) -> Response {
    let mut response = fixed(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "Terlalu banyak permintaan; coba lagi sebentar lagi",
        "Too many requests; try again shortly",
    )
    .into_response();
    response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
    response
}

/// Whether this session may ask now (see [`crate::rate_limit`]); the refusal says how long to wait.
pub fn within_rate(state: &AppState, principal: &hadir_app::Principal) -> Result<(), u64> {
    state.limiter.check(&principal.session_id, state.app.clock.now().timestamp_millis())
}

fn csrf_rejected() -> Response {
    fixed(StatusCode::FORBIDDEN, "csrf_rejected", "Permintaan dari situs lain ditolak", "Cross-site request refused")
        .into_response()
}

impl<P: Policy> FromRequestParts<AppState> for Auth<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let meta = meta_of(parts, state);
        let bearer = bearer(&parts.headers);
        let cookie = header(parts, COOKIE).and_then(|c| cookie_value(c, SESSION_COOKIE));
        let token = match (bearer, cookie) {
            (Some(token), _) => token,
            (None, Some(token)) => {
                if !same_origin(parts) {
                    return Err(csrf_rejected());
                }
                token
            }
            (None, None) => return Err(ApiError(hadir_app::AppError::Unauthenticated).into_response()),
        };
        let principal =
            hadir_app::auth::authenticate(&state.app, token).await.map_err(|e| ApiError(e).into_response())?;
        within_rate(state, &principal).map_err(rate_limited)?;
        if principal.must_change_password && !P::DURING_PASSWORD_CHANGE {
            return Err(fixed(
                StatusCode::FORBIDDEN,
                "password_change_required",
                "Ganti kata sandi Anda terlebih dahulu",
                "Change your password first",
            )
            .into_response());
        }
        if !P::allows(&principal) {
            return Err(ApiError(hadir_app::AppError::Forbidden).into_response());
        }
        Ok(Auth { principal, meta, policy: PhantomData })
    }
}

impl FromRequestParts<AppState> for Meta {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if !same_origin(parts) {
            return Err(csrf_rejected());
        }
        Ok(Meta(meta_of(parts, state)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        let spoofed = "198.51.100.1, 203.0.113.9";
        assert_eq!(client_ip(Some(client), Some("1.2.3.4"), &[proxy]), Some(client));
        assert_eq!(client_ip(Some(proxy), Some(spoofed), &[proxy]), Some(client));
        assert_eq!(client_ip(Some(proxy), None, &[proxy]), Some(proxy));
        assert_eq!(client_ip(None, None, &[]), None);
    }

    #[test]
    fn cookie_lookup() {
        assert_eq!(cookie_value("a=1; hadir_session=tok; b=2", SESSION_COOKIE), Some("tok"));
        assert_eq!(cookie_value("hadir_sessionx=1", SESSION_COOKIE), None);
    }
}
