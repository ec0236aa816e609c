//! The caller's institution, all institutions (superadmin) and the audit log.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Auth, InstitutionAdmin, Signed, Superadmin};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use hadir_app::audit::{self, AuditView};
use hadir_app::institutions::{self, InstitutionChange, InstitutionInput, InstitutionView};
use serde::Deserialize;

/// The caller's own institution.
#[utoipa::path(get, path = "/api/v1/institution", tag = "institutions", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = InstitutionView)))]
pub async fn current(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<InstitutionView>> {
    Ok(Json(institutions::current(&state.app, &auth.principal).await?))
}

/// Rename the caller's institution or move its default zone (institution administrators); a new
/// zone makes the recap count the kept days again.
#[utoipa::path(put, path = "/api/v1/institution", tag = "institutions", request_body = InstitutionChange,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = InstitutionView), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    ApiJson(change): ApiJson<InstitutionChange>,
) -> ApiResult<Json<InstitutionView>> {
    Ok(Json(institutions::update(&state.app, &auth.principal, change, &auth.meta).await?))
}

/// Every institution on this installation (superadmin).
#[utoipa::path(get, path = "/api/v1/institutions", tag = "institutions", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<InstitutionView>), (status = 403, body = super::ProblemBody)))]
pub async fn list(State(state): State<AppState>, auth: Auth<Superadmin>) -> ApiResult<Json<Vec<InstitutionView>>> {
    Ok(Json(institutions::list(&state.app, &auth.principal).await?))
}

/// Create an institution (superadmin). Its first administrator is then created in it.
#[utoipa::path(post, path = "/api/v1/institutions", tag = "institutions", request_body = InstitutionInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = InstitutionView), (status = 409, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth<Superadmin>,
    ApiJson(input): ApiJson<InstitutionInput>,
) -> ApiResult<(StatusCode, Json<InstitutionView>)> {
    let created = institutions::create(&state.app, Some(&auth.principal), input, &auth.meta).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries strictly before this instant (Unix milliseconds), for paging backwards.
    pub before: Option<i64>,
    /// At most 500; default 100.
    pub limit: Option<u64>,
}

/// The institution's audit log, newest first (institution admins).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<AuditView>), (status = 403, body = super::ProblemBody)))]
pub async fn audit_log(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditView>>> {
    Ok(Json(audit::list(&state.app, &auth.principal, q.before, q.limit.unwrap_or(100)).await?))
}
