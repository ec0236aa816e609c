//! Work from home points and official-duty assignments.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Auth, Signed};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hadir_app::duty::{self, DutyInput, DutyView};
use hadir_app::wfh::{self, WfhDecision, WfhProposal, WfhView};

/// Propose one's home point and the weekdays worked there; it waits for approval.
#[utoipa::path(post, path = "/api/v1/wfh-points", tag = "attendance", request_body = WfhProposal,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = WfhView), (status = 422, body = super::ProblemBody)))]
pub async fn propose(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    ApiJson(p): ApiJson<WfhProposal>,
) -> ApiResult<(StatusCode, Json<WfhView>)> {
    Ok((StatusCode::CREATED, Json(wfh::propose(&state.app, &auth.principal, p, &auth.meta).await?)))
}

/// One's own WFH points.
#[utoipa::path(get, path = "/api/v1/wfh-points", tag = "attendance", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<WfhView>)))]
pub async fn mine(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<Vec<WfhView>>> {
    Ok(Json(wfh::mine(&state.app, &auth.principal).await?))
}

/// Proposals waiting for the caller's decision (supervisor or unit administrator).
#[utoipa::path(get, path = "/api/v1/wfh-points/pending", tag = "attendance", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<WfhView>)))]
pub async fn pending(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<Vec<WfhView>>> {
    Ok(Json(wfh::pending(&state.app, &auth.principal).await?))
}

/// Approve (the person's previous point retires) or reject (with a reason) a proposal.
#[utoipa::path(post, path = "/api/v1/wfh-points/{id}/decide", tag = "attendance", params(("id" = String, Path)), request_body = WfhDecision,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = WfhView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn decide(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<WfhDecision>,
) -> ApiResult<Json<WfhView>> {
    Ok(Json(wfh::decide(&state.app, &auth.principal, &id, d, &auth.meta).await?))
}

/// Record a duty assignment (*surat tugas*) for someone one supervises or administers.
#[utoipa::path(post, path = "/api/v1/people/{id}/duties", tag = "attendance", params(("id" = String, Path)), request_body = DutyInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = DutyView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn assign_duty(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DutyInput>,
) -> ApiResult<(StatusCode, Json<DutyView>)> {
    Ok((StatusCode::CREATED, Json(duty::assign(&state.app, &auth.principal, &id, input, &auth.meta).await?)))
}

/// A person's duty assignments.
#[utoipa::path(get, path = "/api/v1/people/{id}/duties", tag = "attendance", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<DutyView>), (status = 404, body = super::ProblemBody)))]
pub async fn duties(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DutyView>>> {
    Ok(Json(duty::of_person(&state.app, &auth.principal, &id).await?))
}
