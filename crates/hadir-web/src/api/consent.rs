//! The privacy notice, the register of purposes, and each person's consents.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Auth, InstitutionAdmin, PrivacyOfficer, SelfService};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hadir_app::consent::{
    self, Consents, CurrentNotice, Decision, FeedbackInput, FeedbackView, NoticeInput, NoticeView,
};
use hadir_domain::consent::Purpose;

/// The notice in force (or in review) and the purposes with their lawful bases.
#[utoipa::path(get, path = "/api/v1/privacy-notice", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = CurrentNotice)))]
pub async fn current(State(state): State<AppState>, auth: Auth<SelfService>) -> ApiResult<Json<CurrentNotice>> {
    Ok(Json(consent::current(&state.app, &auth.principal).await?))
}

/// Publish the next notice version; it binds after `review_days`.
#[utoipa::path(post, path = "/api/v1/privacy-notices", tag = "privacy", request_body = NoticeInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = NoticeView), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn publish(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    ApiJson(input): ApiJson<NoticeInput>,
) -> ApiResult<(StatusCode, Json<NoticeView>)> {
    Ok((StatusCode::CREATED, Json(consent::publish(&state.app, &auth.principal, input, &auth.meta).await?)))
}

/// Replace the register of purposes: `[{"key", "name_id", "name_en", "basis"}]`.
#[utoipa::path(put, path = "/api/v1/purposes", tag = "privacy", request_body = Object,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Object), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn set_purposes(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    ApiJson(list): ApiJson<Vec<Purpose>>,
) -> ApiResult<Json<Vec<Purpose>>> {
    Ok(Json(consent::set_purposes(&state.app, &auth.principal, list, &auth.meta).await?))
}

/// One's consents: every decision, the standing ones, and those still to decide.
#[utoipa::path(get, path = "/api/v1/me/consents", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Consents)))]
pub async fn mine(State(state): State<AppState>, auth: Auth<SelfService>) -> ApiResult<Json<Consents>> {
    Ok(Json(consent::mine(&state.app, &auth.principal).await?))
}

/// Grant or withdraw consent for one purpose that rests on consent.
#[utoipa::path(post, path = "/api/v1/me/consents", tag = "privacy", request_body = Decision,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Consents), (status = 422, body = super::ProblemBody)))]
pub async fn decide(
    State(state): State<AppState>,
    auth: Auth<SelfService>,
    ApiJson(d): ApiJson<Decision>,
) -> ApiResult<Json<Consents>> {
    Ok(Json(consent::decide(&state.app, &auth.principal, d, &auth.meta).await?))
}

/// A person's consent history, as proof: who, what notice version, when, how.
#[utoipa::path(get, path = "/api/v1/people/{id}/consents", tag = "privacy", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Consents), (status = 404, body = super::ProblemBody)))]
pub async fn of_person(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    Path(id): Path<String>,
) -> ApiResult<Json<Consents>> {
    Ok(Json(consent::of_person(&state.app, &auth.principal, &id).await?))
}

/// Comment on the latest notice (the feedback box that comes with each new version).
#[utoipa::path(post, path = "/api/v1/privacy-notice/feedback", tag = "privacy", request_body = FeedbackInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Recorded"), (status = 422, body = super::ProblemBody)))]
pub async fn give_feedback(
    State(state): State<AppState>,
    auth: Auth<SelfService>,
    ApiJson(input): ApiJson<FeedbackInput>,
) -> ApiResult<StatusCode> {
    consent::give_feedback(&state.app, &auth.principal, input, &auth.meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What people said about a version of the notice; the privacy officer only.
#[utoipa::path(get, path = "/api/v1/privacy-notices/{version}/feedback", tag = "privacy", params(("version" = i32, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<FeedbackView>), (status = 403, body = super::ProblemBody)))]
pub async fn feedback(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    Path(version): Path<i32>,
) -> ApiResult<Json<Vec<FeedbackView>>> {
    Ok(Json(consent::feedback(&state.app, &auth.principal, version).await?))
}
