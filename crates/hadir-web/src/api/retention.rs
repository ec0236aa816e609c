//! The retention schedule (set by institution administrators), its dry run and legal holds (the
//! data protection officer or an institution administrator).

use super::ApiResult;
use crate::AppState;
use crate::guard::{Auth, InstitutionAdmin, PrivacyOfficer};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hadir_app::retention::{self, HoldInput, HoldView, Report};
use hadir_domain::retention::RetentionPolicy;

/// How long each class of personal data is kept, in days.
#[utoipa::path(get, path = "/api/v1/retention-policy", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Object), (status = 403, body = super::ProblemBody)))]
pub async fn get_policy(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
) -> ApiResult<Json<RetentionPolicy>> {
    Ok(Json(retention::policy(&state.app, &auth.principal.institution_id).await?))
}

/// Replace the schedule: `checkin_photo_days`, `exact_location_days`, `attendance_record_days`,
/// `access_log_days` (fields left out take their defaults).
#[utoipa::path(put, path = "/api/v1/retention-policy", tag = "privacy", request_body = Object, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Object), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn set_policy(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    ApiJson(p): ApiJson<RetentionPolicy>,
) -> ApiResult<Json<RetentionPolicy>> {
    Ok(Json(retention::set_policy(&state.app, &auth.principal, p, &auth.meta).await?))
}

/// What the next nightly run would remove now, and what legal holds keep (a dry run).
#[utoipa::path(get, path = "/api/v1/retention/preview", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Report), (status = 403, body = super::ProblemBody)))]
pub async fn preview(State(state): State<AppState>, auth: Auth<PrivacyOfficer>) -> ApiResult<Json<Report>> {
    Ok(Json(retention::preview(&state.app, &auth.principal).await?))
}

#[utoipa::path(get, path = "/api/v1/legal-holds", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<HoldView>), (status = 403, body = super::ProblemBody)))]
pub async fn holds(State(state): State<AppState>, auth: Auth<PrivacyOfficer>) -> ApiResult<Json<Vec<HoldView>>> {
    Ok(Json(retention::holds(&state.app, &auth.principal).await?))
}

/// Keep a person's data whatever the schedule says, for a case (`reference`) and a reason.
#[utoipa::path(post, path = "/api/v1/legal-holds", tag = "privacy", request_body = HoldInput, security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = HoldView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn hold(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    ApiJson(input): ApiJson<HoldInput>,
) -> ApiResult<(StatusCode, Json<HoldView>)> {
    Ok((StatusCode::CREATED, Json(retention::hold(&state.app, &auth.principal, input, &auth.meta).await?)))
}

/// End a hold; the schedule applies again from the next run.
#[utoipa::path(post, path = "/api/v1/legal-holds/{id}/release", tag = "privacy", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = HoldView), (status = 404, body = super::ProblemBody)))]
pub async fn release(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    Path(id): Path<String>,
) -> ApiResult<Json<HoldView>> {
    Ok(Json(retention::release(&state.app, &auth.principal, &id, &auth.meta).await?))
}
