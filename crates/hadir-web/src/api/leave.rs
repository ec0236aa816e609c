//! Leave and absence requests, their decisions, and the annual leave balance.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, InstitutionAdmin, Signed};
use crate::json::ApiJson;
use crate::multipart::Upload;
use crate::problem::ApiError;
use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hadir_app::leave::{self, Balance, LeaveDecision, LeaveInput, LeaveView, OpeningInput, OpeningView};
use hadir_domain::attendance::leave::LeavePolicy;
use serde::Deserialize;

/// The form of `POST /api/v1/leave`.
#[derive(utoipa::ToSchema)]
// Only describes the form in the OpenAPI document; the handler reads the parts itself.
#[allow(dead_code)]
pub struct LeaveForm {
    /// JSON: `{"kind": "annual_leave", "start_date": "2026-04-06", "end_date": "2026-04-08", "reason": "…"}`.
    #[schema(value_type = LeaveInput)]
    metadata: String,
    /// A doctor's letter (PDF or JPEG, at most 2 MiB): required for sickness of more than one day.
    #[schema(value_type = Option<String>, format = Binary)]
    document: Option<Vec<u8>>,
}

/// File a leave or absence request (`annual_leave`, `sick_leave`, `maternity_leave`,
/// `important_reason_leave`, `long_leave`, `unpaid_leave`, `permission`, `sick`, `official_duty`,
/// `study_assignment`). Annual leave is checked against the balance.
#[utoipa::path(post, path = "/api/v1/leave", tag = "leave", request_body(content = LeaveForm, content_type = "multipart/form-data"),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = LeaveView), (status = 409, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn request(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    request: Request,
) -> Result<(StatusCode, Json<LeaveView>), Response> {
    let upload = Upload::<LeaveInput>::read(request, "document").await.map_err(IntoResponse::into_response)?;
    leave::request(&state.app, &auth.principal, upload.metadata, upload.photo, &auth.meta)
        .await
        .map(|v| (StatusCode::CREATED, Json(v)))
        .map_err(|e| ApiError(e).into_response())
}

/// One's own requests, newest first.
#[utoipa::path(get, path = "/api/v1/leave", tag = "leave", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<LeaveView>)))]
pub async fn mine(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<Vec<LeaveView>>> {
    Ok(Json(leave::mine(&state.app, &auth.principal).await?))
}

/// Requests waiting for the caller's decision (as supervisor or unit administrator).
#[utoipa::path(get, path = "/api/v1/leave/pending", tag = "leave", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<LeaveView>)))]
pub async fn pending(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<Vec<LeaveView>>> {
    Ok(Json(leave::pending(&state.app, &auth.principal).await?))
}

/// Approve or reject a request (a reason is required to reject).
#[utoipa::path(post, path = "/api/v1/leave/{id}/decide", tag = "leave", params(("id" = String, Path)), request_body = LeaveDecision,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = LeaveView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn decide(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<LeaveDecision>,
) -> ApiResult<Json<LeaveView>> {
    Ok(Json(leave::decide(&state.app, &auth.principal, &id, d, &auth.meta).await?))
}

/// Withdraw one's own pending request.
/// The request's supporting document (a doctor's letter): for the person and those who decide.
#[utoipa::path(get, path = "/api/v1/leave/{id}/document", tag = "leave", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = super::ProblemBody)))]
pub async fn document(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let (bytes, kind) = leave::document(&state.app, &auth.principal, &id).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, kind)], bytes).into_response())
}

#[utoipa::path(post, path = "/api/v1/leave/{id}/cancel", tag = "leave", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = LeaveView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
) -> ApiResult<Json<LeaveView>> {
    Ok(Json(leave::cancel(&state.app, &auth.principal, &id, &auth.meta).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BalanceQuery {
    pub year: i32,
}

/// A person's annual leave balance for a year.
#[utoipa::path(get, path = "/api/v1/people/{id}/leave-balance", tag = "leave", params(("id" = String, Path), BalanceQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Balance), (status = 404, body = super::ProblemBody)))]
pub async fn balance(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
    Query(q): Query<BalanceQuery>,
) -> ApiResult<Json<Balance>> {
    Ok(Json(leave::balance(&state.app, &auth.principal, &id, q.year).await?))
}

/// A person's opening balances: annual leave taken in years before Hadir kept their leave.
#[utoipa::path(get, path = "/api/v1/people/{id}/leave-openings", tag = "leave", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<OpeningView>), (status = 403, body = super::ProblemBody), (status = 404, body = super::ProblemBody)))]
pub async fn openings(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<OpeningView>>> {
    Ok(Json(leave::openings(&state.app, &auth.principal, &id).await?))
}

/// Record or correct the annual leave a person took in a year before Hadir kept their leave
/// (with where the figure comes from). It counts in that year's balance and in the carry-over;
/// administrators of the person's unit, never for themselves.
#[utoipa::path(put, path = "/api/v1/people/{id}/leave-openings/{year}", tag = "leave",
    params(("id" = String, Path), ("year" = i32, Path)), request_body = OpeningInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = OpeningView), (status = 403, body = super::ProblemBody), (status = 404, body = super::ProblemBody),
        (status = 422, body = super::ProblemBody)))]
pub async fn set_opening(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path((id, year)): Path<(String, i32)>,
    ApiJson(input): ApiJson<OpeningInput>,
) -> ApiResult<Json<OpeningView>> {
    Ok(Json(leave::set_opening(&state.app, &auth.principal, &id, year, input, &auth.meta).await?))
}

/// The institution's leave rules: annual days, carry-over caps, whether cuti bersama are taken
/// from annual leave, and how long a sickness may last without a doctor's letter.
#[utoipa::path(get, path = "/api/v1/leave-policy", tag = "leave", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Object)))]
pub async fn get_policy(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<LeavePolicy>> {
    Ok(Json(leave::policy(&state.app, &auth.principal.institution_id).await?))
}

/// Replace the leave rules; fields left out take the civil-service defaults.
#[utoipa::path(put, path = "/api/v1/leave-policy", tag = "leave", request_body = Object, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Object), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn set_policy(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    ApiJson(p): ApiJson<LeavePolicy>,
) -> ApiResult<Json<LeavePolicy>> {
    Ok(Json(leave::set_policy(&state.app, &auth.principal, p, &auth.meta).await?))
}
