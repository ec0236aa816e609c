//! Work locations and schedules.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, InstitutionAdmin, Signed};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hadir_app::locations::{self, Assignment, LocationInput, LocationView};
use hadir_app::schedules::{self, ScheduleChoice, ScheduleInput, ScheduleView};

#[utoipa::path(get, path = "/api/v1/locations", tag = "locations", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<LocationView>)))]
pub async fn list(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<Vec<LocationView>>> {
    Ok(Json(locations::list(&state.app, &auth.principal).await?))
}

#[utoipa::path(get, path = "/api/v1/locations/{id}", tag = "locations", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = LocationView), (status = 404, body = super::ProblemBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
) -> ApiResult<Json<LocationView>> {
    Ok(Json(locations::get(&state.app, &auth.principal, &id).await?))
}

/// Create a work location with a circle or polygon geofence.
#[utoipa::path(post, path = "/api/v1/locations", tag = "locations", request_body = LocationInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = LocationView), (status = 422, body = super::ProblemBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    ApiJson(input): ApiJson<LocationInput>,
) -> ApiResult<(StatusCode, Json<LocationView>)> {
    Ok((StatusCode::CREATED, Json(locations::create(&state.app, &auth.principal, input, &auth.meta).await?)))
}

/// Replace a work location's name, address, unit, time zone and geofence.
#[utoipa::path(put, path = "/api/v1/locations/{id}", tag = "locations", params(("id" = String, Path)),
    request_body = LocationInput, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = LocationView), (status = 404, body = super::ProblemBody),
        (status = 422, body = super::ProblemBody)))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<LocationInput>,
) -> ApiResult<Json<LocationView>> {
    Ok(Json(locations::update(&state.app, &auth.principal, &id, input, &auth.meta).await?))
}

/// The institution's weekly schedules.
#[utoipa::path(get, path = "/api/v1/schedules", tag = "locations", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<ScheduleView>)))]
pub async fn schedules(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<Vec<ScheduleView>>> {
    Ok(Json(schedules::list(&state.app, &auth.principal).await?))
}

/// The work locations a person may check in at (oneself, or someone in the caller's scope).
#[utoipa::path(get, path = "/api/v1/people/{id}/locations", tag = "locations", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<LocationView>), (status = 404, body = super::ProblemBody)))]
pub async fn assigned(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<LocationView>>> {
    Ok(Json(locations::assigned(&state.app, &auth.principal, &id).await?))
}

/// Replace the work locations a person may check in at.
#[utoipa::path(put, path = "/api/v1/people/{id}/locations", tag = "locations", params(("id" = String, Path)), request_body = Assignment,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<LocationView>), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn assign(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<Assignment>,
) -> ApiResult<Json<Vec<LocationView>>> {
    Ok(Json(locations::assign(&state.app, &auth.principal, &id, req, &auth.meta).await?))
}

/// Create a schedule: the default, one to assign to people, or (with `valid_from`/`valid_to`) an
/// override for everyone in a period such as Ramadan.
#[utoipa::path(post, path = "/api/v1/schedules", tag = "locations", request_body = ScheduleInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = ScheduleView), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn create_schedule(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    ApiJson(input): ApiJson<ScheduleInput>,
) -> ApiResult<(StatusCode, Json<ScheduleView>)> {
    Ok((StatusCode::CREATED, Json(schedules::save(&state.app, &auth.principal, None, input, &auth.meta).await?)))
}

/// Replace a schedule.
#[utoipa::path(put, path = "/api/v1/schedules/{id}", tag = "locations", params(("id" = String, Path)), request_body = ScheduleInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ScheduleView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn update_schedule(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ScheduleInput>,
) -> ApiResult<Json<ScheduleView>> {
    Ok(Json(schedules::save(&state.app, &auth.principal, Some(&id), input, &auth.meta).await?))
}

/// Delete a schedule (not the default); people assigned to it return to the default.
#[utoipa::path(delete, path = "/api/v1/schedules/{id}", tag = "locations", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Deleted"), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn delete_schedule(
    State(state): State<AppState>,
    auth: Auth<InstitutionAdmin>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    schedules::delete(&state.app, &auth.principal, &id, &auth.meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The schedule a person works by (`null`: the institution's default); oneself, or someone in
/// the caller's scope.
#[utoipa::path(get, path = "/api/v1/people/{id}/schedule", tag = "locations", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ScheduleChoice), (status = 404, body = super::ProblemBody)))]
pub async fn assigned_schedule(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
) -> ApiResult<Json<ScheduleChoice>> {
    Ok(Json(schedules::assigned(&state.app, &auth.principal, &id).await?))
}

/// Set the schedule a person works by (`null`: the institution's default).
#[utoipa::path(put, path = "/api/v1/people/{id}/schedule", tag = "locations", params(("id" = String, Path)), request_body = ScheduleChoice,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Set"), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn assign_schedule(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
    ApiJson(choice): ApiJson<ScheduleChoice>,
) -> ApiResult<StatusCode> {
    schedules::assign(&state.app, &auth.principal, &id, choice, &auth.meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
