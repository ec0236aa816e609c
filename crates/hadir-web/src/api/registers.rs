//! The data protection officer's registers: processors, disclosures, breaches (with notices) and
//! the record of processing activities.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Auth, PrivacyOfficer};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use hadir_app::registers::{
    self, BreachInput, BreachView, DisclosureInput, DisclosureView, NoticeFor, ProcessorInput, ProcessorView, Ropa,
};
use serde::Deserialize;

#[utoipa::path(get, path = "/api/v1/processors", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<ProcessorView>), (status = 403, body = super::ProblemBody)))]
pub async fn processors(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
) -> ApiResult<Json<Vec<ProcessorView>>> {
    Ok(Json(registers::processors(&state.app, &auth.principal).await?))
}

/// Register a processor: who, which data, for which purpose, under which contract.
#[utoipa::path(post, path = "/api/v1/processors", tag = "privacy", request_body = ProcessorInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = ProcessorView), (status = 422, body = super::ProblemBody)))]
pub async fn add_processor(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    ApiJson(input): ApiJson<ProcessorInput>,
) -> ApiResult<(StatusCode, Json<ProcessorView>)> {
    Ok((StatusCode::CREATED, Json(registers::add_processor(&state.app, &auth.principal, input, &auth.meta).await?)))
}

#[utoipa::path(get, path = "/api/v1/disclosures", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<DisclosureView>), (status = 403, body = super::ProblemBody)))]
pub async fn disclosures(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
) -> ApiResult<Json<Vec<DisclosureView>>> {
    Ok(Json(registers::disclosures(&state.app, &auth.principal).await?))
}

/// Record a disclosure to an authority: who asked, the legal basis, what, when, whether the person was told.
#[utoipa::path(post, path = "/api/v1/disclosures", tag = "privacy", request_body = DisclosureInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = DisclosureView), (status = 422, body = super::ProblemBody)))]
pub async fn add_disclosure(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    ApiJson(input): ApiJson<DisclosureInput>,
) -> ApiResult<(StatusCode, Json<DisclosureView>)> {
    Ok((StatusCode::CREATED, Json(registers::add_disclosure(&state.app, &auth.principal, input, &auth.meta).await?)))
}

#[utoipa::path(get, path = "/api/v1/breaches", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<BreachView>), (status = 403, body = super::ProblemBody)))]
pub async fn breaches(State(state): State<AppState>, auth: Auth<PrivacyOfficer>) -> ApiResult<Json<Vec<BreachView>>> {
    Ok(Json(registers::breaches(&state.app, &auth.principal).await?))
}

/// Record a breach: the 3×24-hour clock starts at `discovered_at`.
#[utoipa::path(post, path = "/api/v1/breaches", tag = "privacy", request_body = BreachInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = BreachView), (status = 422, body = super::ProblemBody)))]
pub async fn record_breach(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    ApiJson(input): ApiJson<BreachInput>,
) -> ApiResult<(StatusCode, Json<BreachView>)> {
    Ok((StatusCode::CREATED, Json(registers::record_breach(&state.app, &auth.principal, input, &auth.meta).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NoticeQuery {
    /// `subjects` or `authority`.
    pub to: NoticeFor,
    /// `md` (the default) or `pdf`.
    #[serde(default)]
    pub format: Option<String>,
}

/// The notice to the affected people or to the authority, as Markdown (Indonesian, then English)
/// or, with `format=pdf`, as an A4 letter.
#[utoipa::path(get, path = "/api/v1/breaches/{id}/notice", tag = "privacy", params(("id" = String, Path), NoticeQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "text/markdown", body = String), (status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 404, body = super::ProblemBody)))]
pub async fn notice(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> ApiResult<Response> {
    let text = registers::breach_notice(&state.app, &auth.principal, &id, q.to).await?;
    match q.format.as_deref() {
        Some("pdf") => {
            let title = text.lines().next().unwrap_or_default().trim_start_matches('#').trim().to_string();
            let pdf = tokio::task::spawn_blocking(move || hadir_reports::letter_pdf(&title, &text))
                .await
                .map_err(|e| hadir_app::AppError::Internal(e.to_string()))?
                .map_err(|e| hadir_app::AppError::Internal(e.to_string()))?;
            Ok(super::recap::download(&format!("pemberitahuan-{id}.pdf"), "application/pdf", pdf))
        }
        _ => Ok(([(CONTENT_TYPE, "text/markdown; charset=utf-8")], text).into_response()),
    }
}

/// Record that the notice went out (now) to the subjects or to the authority.
#[utoipa::path(post, path = "/api/v1/breaches/{id}/notified", tag = "privacy", params(("id" = String, Path), NoticeQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = BreachView), (status = 404, body = super::ProblemBody)))]
pub async fn notified(
    State(state): State<AppState>,
    auth: Auth<PrivacyOfficer>,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> ApiResult<Json<BreachView>> {
    Ok(Json(registers::mark_notified(&state.app, &auth.principal, &id, q.to, &auth.meta).await?))
}

/// The record of processing activities (UU PDP Ps 31), generated from what Hadir processes, the
/// retention schedule and the processors.
#[utoipa::path(get, path = "/api/v1/ropa", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Ropa), (status = 403, body = super::ProblemBody)))]
pub async fn ropa(State(state): State<AppState>, auth: Auth<PrivacyOfficer>) -> ApiResult<Json<Ropa>> {
    Ok(Json(registers::ropa(&state.app, &auth.principal).await?))
}

/// A draft data protection impact assessment (Ps 34), as Markdown, for the DPO to complete.
#[utoipa::path(get, path = "/api/v1/dpia", tag = "privacy", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "text/markdown", body = String), (status = 403, body = super::ProblemBody)))]
pub async fn dpia(State(state): State<AppState>, auth: Auth<PrivacyOfficer>) -> ApiResult<Response> {
    let text = registers::dpia(&state.app, &auth.principal).await?;
    Ok(([(CONTENT_TYPE, "text/markdown; charset=utf-8")], text).into_response())
}
