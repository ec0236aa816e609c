//! Files prepared in the background for the one who asked (a recap of any size, a people
//! import's report): their progress, and the file itself while it is kept.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Auth, Signed};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use hadir_app::downloads::{self, Download};

/// The files this account asked for in the last week, newest first.
#[utoipa::path(get, path = "/api/v1/downloads", tag = "downloads", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<Download>)))]
pub async fn mine(State(state): State<AppState>, auth: Auth<Signed>) -> ApiResult<Json<Vec<Download>>> {
    Ok(Json(downloads::mine(&state.app, &auth.principal).await?))
}

/// One prepared file's state: queued, running (with its step and count), done, failed or expired.
#[utoipa::path(get, path = "/api/v1/downloads/{id}", tag = "downloads", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Download), (status = 404, body = super::ProblemBody)))]
pub async fn one(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
) -> ApiResult<Json<Download>> {
    Ok(Json(downloads::get(&state.app, &auth.principal, &id).await?))
}

/// The file, once done and until it expires (a day after it was made); only its requester's.
#[utoipa::path(get, path = "/api/v1/downloads/{id}/file", tag = "downloads", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The file"), (status = 404, body = super::ProblemBody)))]
pub async fn file(State(state): State<AppState>, auth: Auth<Signed>, Path(id): Path<String>) -> ApiResult<Response> {
    let (name, content_type, bytes) = downloads::file(&state.app, &auth.principal, &id).await?;
    Ok(super::recap::download(&name, &content_type, bytes))
}
