//! Kiosk tablets: paired to one work location by a one-time code, they hold a token that shows
//! that location's rotating codes and nothing else (see `hadir_app::kiosks`).

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, Meta};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use hadir_app::AppError;
use hadir_app::kiosks::{self, KioskScreen, KioskView, NewKiosk};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KioskName {
    /// What the administrator calls the tablet, e.g. "Tablet lobi".
    pub name: String,
}

/// Name a tablet for a location and get its pairing code (valid ten minutes, shown once).
#[utoipa::path(post, path = "/api/v1/locations/{id}/kiosks", tag = "attendance", params(("id" = String, Path)),
    request_body = KioskName, security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = NewKiosk), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<KioskName>,
) -> ApiResult<(StatusCode, Json<NewKiosk>)> {
    let new = kiosks::create(&state.app, &auth.principal, &id, &body.name, &auth.meta).await?;
    Ok((StatusCode::CREATED, Json(new)))
}

/// A location's tablets: waiting for their code, paired, expired or revoked.
#[utoipa::path(get, path = "/api/v1/locations/{id}/kiosks", tag = "attendance", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<KioskView>), (status = 404, body = super::ProblemBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<KioskView>>> {
    Ok(Json(kiosks::list(&state.app, &auth.principal, &id).await?))
}

/// Revoke a tablet: its token stops working at once.
#[utoipa::path(post, path = "/api/v1/kiosks/{id}/revoke", tag = "attendance", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = KioskView), (status = 404, body = super::ProblemBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
) -> ApiResult<Json<KioskView>> {
    Ok(Json(kiosks::revoke(&state.app, &auth.principal, &id, &auth.meta).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairingCode {
    pub code: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KioskCredential {
    /// Send as `Authorization: Bearer …` to `GET /api/v1/kiosk/screen`.
    pub token: String,
}

/// Pair a tablet with the code an administrator made; wrong codes are throttled per address.
#[utoipa::path(post, path = "/api/v1/kiosk/pair", tag = "attendance", request_body = PairingCode,
    responses((status = 200, body = KioskCredential), (status = 422, body = super::ProblemBody), (status = 429, body = super::ProblemBody)))]
pub async fn pair(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<PairingCode>,
) -> ApiResult<Json<KioskCredential>> {
    Ok(Json(KioskCredential { token: kiosks::pair(&state.app, &body.code, &meta).await? }))
}

/// What a paired tablet shows now: the token to draw as a QR code and the code to type under it.
#[utoipa::path(get, path = "/api/v1/kiosk/screen", tag = "attendance", security(("bearer" = [])),
    responses((status = 200, body = KioskScreen), (status = 401, body = super::ProblemBody)))]
pub async fn screen(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Json<KioskScreen>> {
    let token = crate::guard::bearer(&headers).ok_or(AppError::Unauthenticated)?;
    let kiosk = kiosks::authenticate(&state.app, token).await?;
    Ok(Json(kiosks::screen(&state.app, &kiosk).await?))
}
