//! The unit tree.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, Signed};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hadir_app::units::{self, UnitInput, UnitPatch, UnitView};

/// Every unit of the caller's institution (the organisation chart is not personal data).
#[utoipa::path(get, path = "/api/v1/units", tag = "units", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<UnitView>)))]
pub async fn list(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<Vec<UnitView>>> {
    Ok(Json(units::list(&state.app, &auth.principal).await?))
}

#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = UnitView), (status = 404, body = super::ProblemBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
) -> ApiResult<Json<UnitView>> {
    Ok(Json(units::get(&state.app, &auth.principal, &id).await?))
}

/// Create a unit: top-level by institution admins, below a unit in scope by unit admins.
#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = UnitInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = UnitView), (status = 409, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    ApiJson(input): ApiJson<UnitInput>,
) -> ApiResult<(StatusCode, Json<UnitView>)> {
    Ok((StatusCode::CREATED, Json(units::create(&state.app, &auth.principal, input, &auth.meta).await?)))
}

/// Rename, recode or move a unit (never below itself).
#[utoipa::path(patch, path = "/api/v1/units/{id}", tag = "units", params(("id" = String, Path)), request_body = UnitPatch,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = UnitView), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<UnitPatch>,
) -> ApiResult<Json<UnitView>> {
    Ok(Json(units::update(&state.app, &auth.principal, &id, patch, &auth.meta).await?))
}
