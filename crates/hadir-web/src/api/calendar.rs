//! The holiday calendar and the discipline table.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Auth, InstitutionAdmin, Signed};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use hadir_app::calendar::{self, HolidayInput, HolidayPatch, HolidayView, Imported};
use hadir_app::discipline::{self, DisciplineInput, DisciplineView};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Only this year; all years when absent.
    pub year: Option<i32>,
}

/// The institution's holidays and cuti bersama, in date order, each with its decree.
#[utoipa::path(get, path = "/api/v1/holidays", tag = "calendar", params(YearQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<HolidayView>)))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<Vec<HolidayView>>> {
    Ok(Json(calendar::list(&state.app, &auth.principal, q.year).await?))
}

/// Add a day (a local holiday, or a national day added by an amended decree).
#[utoipa::path(post, path = "/api/v1/holidays", tag = "calendar", request_body = HolidayInput, security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = HolidayView), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    ApiJson(input): ApiJson<HolidayInput>,
) -> ApiResult<(StatusCode, Json<HolidayView>)> {
    Ok((StatusCode::CREATED, Json(calendar::create(&state.app, &auth.principal, input, &auth.meta).await?)))
}

/// Amend a day: move it, rename it, change its decree reference.
#[utoipa::path(patch, path = "/api/v1/holidays/{id}", tag = "calendar", params(("id" = String, Path)), request_body = HolidayPatch,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = HolidayView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<HolidayPatch>,
) -> ApiResult<Json<HolidayView>> {
    Ok(Json(calendar::update(&state.app, &auth.principal, &id, patch, &auth.meta).await?))
}

#[utoipa::path(delete, path = "/api/v1/holidays/{id}", tag = "calendar", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Removed"), (status = 404, body = super::ProblemBody)))]
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    calendar::delete(&state.app, &auth.principal, &id, &auth.meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    pub year: i32,
}

/// Add the shipped decree rows of a year that the calendar lacks; amended rows stay as they are.
#[utoipa::path(post, path = "/api/v1/holidays/import", tag = "calendar", request_body = ImportRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Imported), (status = 403, body = super::ProblemBody)))]
pub async fn import(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    ApiJson(req): ApiJson<ImportRequest>,
) -> ApiResult<Json<Imported>> {
    Ok(Json(calendar::import(&state.app, &auth.principal, req.year, &auth.meta).await?))
}

/// The TL/PSW windows and deductions that apply (Kementan preset until an administrator chooses).
#[utoipa::path(get, path = "/api/v1/discipline-table", tag = "calendar", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = DisciplineView)))]
pub async fn get_discipline(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<DisciplineView>> {
    Ok(Json(discipline::get(&state.app, &auth.principal).await?))
}

/// Choose a preset (`{"preset":"kemenkeu"}`) or set a whole table (`{"table":{…}}`).
#[utoipa::path(put, path = "/api/v1/discipline-table", tag = "calendar", request_body = DisciplineInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = DisciplineView), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn set_discipline(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    ApiJson(input): ApiJson<DisciplineInput>,
) -> ApiResult<Json<DisciplineView>> {
    Ok(Json(discipline::set(&state.app, &auth.principal, input, &auth.meta).await?))
}
