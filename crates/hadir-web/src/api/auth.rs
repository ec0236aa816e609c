//! Sign-in, sign-out, sessions, password, and "who am I".

use super::ApiResult;
use crate::AppState;
use crate::guard::{Auth, Meta, SESSION_COOKIE, SelfService};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hadir_app::access_log::{self, AccessView};
use hadir_app::auth::{self, ChangePassword, ClientKind, LoginRequest, SessionView};
use hadir_app::institutions::{self, InstitutionView};
use hadir_app::people::{self, PersonView};
use hadir_domain::roles::Role;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    pub session_id: String,
    /// Unix milliseconds.
    pub expires_at: i64,
    pub must_change_password: bool,
    /// Only for `"client": "app"`; browsers get an `HttpOnly` cookie instead, out of reach of scripts.
    pub token: Option<String>,
}

pub(crate) fn session_cookie(state: &AppState, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .expect("cookie is ASCII")
}

/// Sign in with a NIP (or other employee number) or e-mail and a password.
///
/// Failed attempts are throttled per account and per client address; a locked login answers 429
/// with `Retry-After` and the minutes left.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse, description = "Signed in; browsers also get the session cookie"),
        (status = 401, body = super::ProblemBody, description = "Wrong login or password"),
        (status = 409, body = super::ProblemBody, description = "Login exists in several institutions; send `institution`"),
        (status = 422, body = super::ProblemBody),
        (status = 429, body = super::ProblemBody, description = "Too many failures; try again later"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let client = req.client;
    let outcome = auth::login(&state.app, req, &meta).await?;
    let max_age = (outcome.expires_at - state.app.clock.now().timestamp_millis()) / 1000;
    let body = LoginResponse {
        session_id: outcome.session_id,
        expires_at: outcome.expires_at,
        must_change_password: outcome.must_change_password,
        token: (client == ClientKind::App).then_some(outcome.token.clone()),
    };
    let mut response = Json(body).into_response();
    if client == ClientKind::Browser {
        response.headers_mut().insert(SET_COOKIE, session_cookie(&state, &outcome.token, max_age));
    }
    Ok(response)
}

/// End the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = super::ProblemBody)))]
pub async fn logout(State(state): State<AppState>, auth: Auth<SelfService>) -> ApiResult<Response> {
    auth::logout(&state.app, &auth.principal, &auth.meta).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(SET_COOKIE, session_cookie(&state, "", 0));
    Ok(response)
}

/// Change one's own password. The old password is required; every other session is ended.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = ChangePassword,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Changed"), (status = 422, body = super::ProblemBody, description = "Old password wrong or new one too weak")))]
pub async fn change_password(
    State(state): State<AppState>,
    auth: Auth<SelfService>,
    ApiJson(req): ApiJson<ChangePassword>,
) -> ApiResult<StatusCode> {
    auth::change_password(&state.app, &auth.principal, req, &auth.meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One's own live sessions.
#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<SessionView>)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    auth: Auth<SelfService>,
) -> ApiResult<Json<Vec<SessionView>>> {
    Ok(Json(auth::list_sessions(&state.app, &auth.principal).await?))
}

/// End one of one's own sessions (e.g. a lost phone).
#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", tag = "auth", security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "Session id")),
    responses((status = 204, description = "Revoked"), (status = 404, body = super::ProblemBody)))]
pub async fn revoke_session(
    State(state): State<AppState>,
    auth: Auth<SelfService>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    auth::revoke(&state.app, &auth.principal, &id, &auth.meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub person: PersonView,
    pub institution: InstitutionView,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
}

/// Who among the staff read the signed-in person's data, what and why: newest first, up to 500.
#[utoipa::path(get, path = "/api/v1/me/access-log", tag = "auth", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<AccessView>), (status = 401, body = super::ProblemBody)))]
pub async fn my_access_log(State(state): State<AppState>, auth: Auth<SelfService>) -> ApiResult<Json<Vec<AccessView>>> {
    Ok(Json(access_log::about_me(&state.app, &auth.principal, 500).await?))
}

/// The signed-in person, their institution and roles.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Me), (status = 401, body = super::ProblemBody)))]
pub async fn me(State(state): State<AppState>, auth: Auth<SelfService>) -> ApiResult<Json<Me>> {
    let p = &auth.principal;
    Ok(Json(Me {
        person: people::get(&state.app, p, &p.person_id).await?,
        institution: institutions::current(&state.app, p).await?,
        roles: p.roles(),
        must_change_password: p.must_change_password,
    }))
}
