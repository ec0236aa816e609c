//! Phones: registration with a selfie, approval, reset; and the attendance policy.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, InstitutionAdmin, Signed};
use crate::json::ApiJson;
use crate::multipart::Upload;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use hadir_app::devices::{self, DeviceRegistration, DeviceView, Rejection};
use hadir_app::policy;
use hadir_domain::attendance::AttendancePolicy;
use serde::Serialize;

/// The form of `POST /api/v1/devices`.
#[derive(utoipa::ToSchema)]
// Only describes the form in the OpenAPI document; the handler reads the parts itself.
#[allow(dead_code)]
pub struct DeviceForm {
    /// JSON: `{"device_id": "…", "model": "…", "os": "…"}`.
    #[schema(value_type = DeviceRegistration)]
    metadata: String,
    /// A live selfie, JPEG, at most 2 MiB and 4096 px a side; metadata (EXIF, GPS) is stripped.
    #[schema(value_type = String, format = Binary)]
    selfie: Vec<u8>,
}

/// Register this phone with a live selfie; it can be used once a unit administrator approves it.
#[utoipa::path(post, path = "/api/v1/devices", tag = "devices", request_body(content = DeviceForm, content_type = "multipart/form-data"),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = DeviceView), (status = 409, body = super::ProblemBody), (status = 413, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn register(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    request: Request,
) -> Result<(StatusCode, Json<DeviceView>), Response> {
    let upload = Upload::<DeviceRegistration>::read(request, "selfie").await.map_err(IntoResponse::into_response)?;
    let device = devices::register(&state.app, &auth.principal, upload.metadata, upload.photo, &auth.meta)
        .await
        .map_err(|e| crate::problem::ApiError(e).into_response())?;
    Ok((StatusCode::CREATED, Json(device)))
}

/// One's own phones and their state.
#[utoipa::path(get, path = "/api/v1/devices", tag = "devices", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<DeviceView>)))]
pub async fn mine(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<Vec<DeviceView>>> {
    Ok(Json(devices::mine(&state.app, &auth.principal).await?))
}

/// Registrations waiting for a decision, in the caller's units.
#[utoipa::path(get, path = "/api/v1/devices/pending", tag = "devices", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<DeviceView>), (status = 403, body = super::ProblemBody)))]
pub async fn pending(State(state): State<AppState>, auth: Auth<Admin>) -> ApiResult<Json<Vec<DeviceView>>> {
    Ok(Json(devices::pending(&state.app, &auth.principal).await?))
}

/// Approve a phone; beyond the institution's limit, the person's oldest phone is retired.
#[utoipa::path(post, path = "/api/v1/devices/{id}/approve", tag = "devices", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = DeviceView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn approve(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
) -> ApiResult<Json<DeviceView>> {
    Ok(Json(devices::approve(&state.app, &auth.principal, &id, &auth.meta).await?))
}

/// Reject a phone, with a reason the person sees.
#[utoipa::path(post, path = "/api/v1/devices/{id}/reject", tag = "devices", params(("id" = String, Path)), request_body = Rejection,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = DeviceView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn reject(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<Rejection>,
) -> ApiResult<Json<DeviceView>> {
    Ok(Json(devices::reject(&state.app, &auth.principal, &id, req, &auth.meta).await?))
}

/// The registration selfie (the person themself, or an administrator deciding).
#[utoipa::path(get, path = "/api/v1/devices/{id}/selfie", tag = "devices", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = super::ProblemBody)))]
pub async fn selfie(State(state): State<AppState>, auth: Auth<Signed>, Path(id): Path<String>) -> ApiResult<Response> {
    let bytes = devices::selfie(&state.app, &auth.principal, &id).await?;
    Ok(([(CONTENT_TYPE, "image/jpeg")], bytes).into_response())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Reset {
    pub retired: usize,
}

/// Retire every phone of a person (lost phone); they register again.
#[utoipa::path(post, path = "/api/v1/people/{id}/devices/reset", tag = "devices", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Reset), (status = 404, body = super::ProblemBody)))]
pub async fn reset(State(state): State<AppState>, auth: Auth<Admin>, Path(id): Path<String>) -> ApiResult<Json<Reset>> {
    Ok(Json(Reset { retired: devices::reset(&state.app, &auth.principal, &id, &auth.meta).await? }))
}

/// The attendance policy: device limit, offline window, thresholds, and per fraud signal
/// whether it rejects a check-in or sends it for review.
#[utoipa::path(get, path = "/api/v1/attendance-policy", tag = "devices", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Object)))]
pub async fn get_policy(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<AttendancePolicy>> {
    let policy = policy::get(&state.app, &auth.principal.institution_id).await?;
    Ok(Json(AttendancePolicy::clone(&policy)))
}

/// Replace the attendance policy; fields left out take their defaults.
#[utoipa::path(put, path = "/api/v1/attendance-policy", tag = "devices", request_body = Object,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Object), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn set_policy(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    ApiJson(p): ApiJson<AttendancePolicy>,
) -> ApiResult<Json<AttendancePolicy>> {
    Ok(Json(policy::set(&state.app, &auth.principal, p, &auth.meta).await?))
}
