//! Check-in and check-out, the kiosk token, history, photos and the review queue.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, Signed};
use crate::json::ApiJson;
use crate::multipart::Upload;
use crate::problem::ApiError;
use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use hadir_app::attendance::{self, CheckInAnswer, CheckInRequest, EventView, KioskToken, ReviewDecision};
use serde::Deserialize;

/// The form of `POST /api/v1/checkins`.
#[derive(utoipa::ToSchema)]
// Only describes the form in the OpenAPI document; the handler reads the parts itself.
#[allow(dead_code)]
pub struct CheckInForm {
    /// JSON, see `CheckInRequest`.
    #[schema(value_type = CheckInRequest)]
    metadata: String,
    /// A live selfie (JPEG), required for `office`; metadata such as EXIF GPS is stripped.
    #[schema(value_type = Option<String>, format = Binary)]
    photo: Option<Vec<u8>>,
}

/// Check in or out, in any mode. Always answers how the attempt was judged (`accepted`,
/// `needs_review`, `rejected`, with its signals); a retry with the same `attempt_id` gets the
/// same answer and writes nothing.
#[utoipa::path(post, path = "/api/v1/checkins", tag = "attendance", request_body(content = CheckInForm, content_type = "multipart/form-data"),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = CheckInAnswer),
        (status = 409, body = super::ProblemBody, description = "already_checked_in, no_check_in_today, attempt_id_reused"),
        (status = 413, body = super::ProblemBody),
        (status = 422, body = super::ProblemBody),
    ))]
pub async fn check_in(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    request: Request,
) -> Result<Json<CheckInAnswer>, Response> {
    let upload = Upload::<CheckInRequest>::read(request, "photo").await.map_err(IntoResponse::into_response)?;
    attendance::check_in(&state.app, &auth.principal, upload.metadata, upload.photo, &auth.meta)
        .await
        .map(Json)
        .map_err(|e| ApiError(e).into_response())
}

/// The token a location's kiosk shows now; fetch the next at `refresh_at`.
#[utoipa::path(get, path = "/api/v1/locations/{id}/kiosk-token", tag = "attendance", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = KioskToken), (status = 404, body = super::ProblemBody)))]
pub async fn kiosk_token(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
) -> ApiResult<Json<KioskToken>> {
    Ok(Json(attendance::kiosk_token(&state.app, &auth.principal, &id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Range {
    /// First day, `YYYY-MM-DD`.
    pub from: chrono::NaiveDate,
    /// Last day, `YYYY-MM-DD`.
    pub to: chrono::NaiveDate,
}

/// A person's check-ins and check-outs (oneself, someone one supervises or administers).
#[utoipa::path(get, path = "/api/v1/people/{id}/checkins", tag = "attendance", params(("id" = String, Path), Range),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<EventView>), (status = 404, body = super::ProblemBody)))]
pub async fn history(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
    Query(range): Query<Range>,
) -> ApiResult<Json<Vec<EventView>>> {
    let (from, to) = (range.from.to_string(), range.to.to_string());
    Ok(Json(attendance::history(&state.app, &auth.principal, &id, &from, &to).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PhotoSize {
    /// `thumb` for a copy at most 240 px on its longer side (the full photo until it is made).
    #[serde(default)]
    pub size: Option<Size>,
}

#[derive(Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    Full,
    Thumb,
}

/// The selfie of a check-in.
#[utoipa::path(get, path = "/api/v1/checkins/{id}/photo", tag = "attendance", params(("id" = String, Path), PhotoSize),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = super::ProblemBody)))]
pub async fn photo(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
    Query(size): Query<PhotoSize>,
) -> ApiResult<Response> {
    let thumbnail = size.size == Some(Size::Thumb);
    let bytes = attendance::photo(&state.app, &auth.principal, &id, thumbnail).await?;
    Ok(([(CONTENT_TYPE, "image/jpeg")], bytes).into_response())
}

/// Flagged check-ins of the people one supervises or administers.
#[utoipa::path(get, path = "/api/v1/checkins/review", tag = "attendance", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<EventView>), (status = 403, body = super::ProblemBody)))]
pub async fn review_queue(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<Vec<EventView>>> {
    Ok(Json(attendance::review_queue(&state.app, &auth.principal).await?))
}

/// Approve or reject a flagged check-in, with a reason.
#[utoipa::path(post, path = "/api/v1/checkins/{id}/review", tag = "attendance", params(("id" = String, Path)), request_body = ReviewDecision,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = EventView), (status = 403, body = super::ProblemBody), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn review(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
    ApiJson(decision): ApiJson<ReviewDecision>,
) -> ApiResult<Json<EventView>> {
    Ok(Json(attendance::review(&state.app, &auth.principal, &id, decision, &auth.meta).await?))
}
