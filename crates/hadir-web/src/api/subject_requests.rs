//! Data-subject requests: filed by the person, handled by institution administrators.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Auth, PrivacyOfficer, SelfService};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use hadir_app::subject_actions::{self, ErasurePlan};
use hadir_app::subject_rights::{self, RequestInput, RequestView, StepInput};
use serde::Deserialize;

/// File a request about oneself: `access`, `rectification`, `erasure`, `restriction`,
/// `objection`, `portability`, `consent_withdrawal`. Where the law sets a deadline (3×24 hours),
/// `due_at` says when it runs out.
#[utoipa::path(post, path = "/api/v1/me/requests", tag = "privacy", request_body = RequestInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = RequestView), (status = 422, body = super::ProblemBody)))]
pub async fn file(
    State(state): State<AppState>,
    auth: Auth<SelfService>,
    ApiJson(input): ApiJson<RequestInput>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    Ok((StatusCode::CREATED, Json(subject_rights::file(&state.app, &auth.principal, input, &auth.meta).await?)))
}

/// One's own requests with their steps and answers.
#[utoipa::path(get, path = "/api/v1/me/requests", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<RequestView>)))]
pub async fn mine(State(state): State<AppState>, auth: Auth<SelfService>) -> ApiResult<Json<Vec<RequestView>>> {
    Ok(Json(subject_rights::mine(&state.app, &auth.principal).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeskQuery {
    /// Only requests still open.
    #[serde(default)]
    pub open: bool,
}

/// Every request of the institution, open ones first by due time, with time left and an
/// `overdue` flag.
#[utoipa::path(get, path = "/api/v1/subject-requests", tag = "privacy", params(DeskQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<RequestView>), (status = 403, body = super::ProblemBody)))]
pub async fn desk(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    Query(q): Query<DeskQuery>,
) -> ApiResult<Json<Vec<RequestView>>> {
    Ok(Json(subject_rights::desk(&state.app, &auth.principal, q.open).await?))
}

/// Move a request forward (`in_progress`, `answered`, `refused`); closing needs the answer.
#[utoipa::path(post, path = "/api/v1/subject-requests/{id}/steps", tag = "privacy", params(("id" = String, Path)),
    request_body = StepInput, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = RequestView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn advance(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StepInput>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(subject_rights::advance(&state.app, &auth.principal, &id, input, &auth.meta).await?))
}

/// Apply a rectification as the person proposed it (their `field` and `value`): the record is
/// corrected, audited, and the request answered.
#[utoipa::path(post, path = "/api/v1/subject-requests/{id}/rectification", tag = "privacy", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = RequestView), (status = 404, body = super::ProblemBody),
        (status = 409, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn rectify(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    Path(id): Path<String>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(subject_actions::apply_rectification(&state.app, &auth.principal, &id, &auth.meta).await?))
}

/// How an erasure request weighs against the retention schedule and legal holds: each class of
/// the person's data erased or kept (with the ground and until when), and the answer.
#[utoipa::path(get, path = "/api/v1/subject-requests/{id}/erasure", tag = "privacy", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ErasurePlan), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn erasure_plan(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<ErasurePlan>> {
    let lang = crate::pages::lang_of(&headers);
    Ok(Json(subject_actions::erasure_plan(&state.app, &auth.principal, &id, lang).await?))
}

/// Carry the erasure out as weighed, and answer the request with what was erased and kept.
#[utoipa::path(post, path = "/api/v1/subject-requests/{id}/erasure", tag = "privacy", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = RequestView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn erase(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    Path(id): Path<String>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(subject_actions::apply_erasure(&state.app, &auth.principal, &id, &auth.meta).await?))
}
