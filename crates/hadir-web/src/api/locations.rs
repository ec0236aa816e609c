//! Work locations and schedules.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, Signed};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hadir_app::locations::{self, Assignment, LocationInput, LocationView};
use hadir_app::schedules::{self, ScheduleView};

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
