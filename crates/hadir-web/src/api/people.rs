//! People, their accounts and roles.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, Signed};
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use hadir_app::accounts::{self, AccountView, GrantRequest, NewPassword};
use hadir_app::people::{self, PeoplePage, PeopleQuery, PersonInput, PersonPatch, PersonView, SavedPerson};
use hadir_app::people_import::{self, ImportReport};

/// People in the caller's administrative scope, searchable and paged.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(PeopleQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = PeoplePage), (status = 403, body = super::ProblemBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Query(q): Query<PeopleQuery>,
) -> ApiResult<Json<PeoplePage>> {
    Ok(Json(people::list(&state.app, &auth.principal, q).await?))
}

/// A person: oneself, or someone in the caller's administrative scope.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = PersonView), (status = 404, body = super::ProblemBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonView>> {
    Ok(Json(people::get(&state.app, &auth.principal, &id).await?))
}

/// Add a person. The employee number is checked by the rule of the employment type (NIP for
/// `asn`, NI PPPK for `pppk`, NISN for `student`).
#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = PersonInput,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = SavedPerson), (status = 409, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    ApiJson(input): ApiJson<PersonInput>,
) -> ApiResult<(StatusCode, Json<SavedPerson>)> {
    Ok((StatusCode::CREATED, Json(people::create(&state.app, &auth.principal, input, &auth.meta).await?)))
}

/// Change a person; `"status": "inactive"` deactivates them and ends their sessions.
#[utoipa::path(patch, path = "/api/v1/people/{id}", tag = "people", params(("id" = String, Path)), request_body = PersonPatch,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = SavedPerson), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<PersonPatch>,
) -> ApiResult<Json<SavedPerson>> {
    Ok(Json(people::update(&state.app, &auth.principal, &id, patch, &auth.meta).await?))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/account", tag = "people", params(("id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = AccountView), (status = 404, body = super::ProblemBody)))]
pub async fn get_account(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
) -> ApiResult<Json<AccountView>> {
    Ok(Json(accounts::get(&state.app, &auth.principal, &id).await?))
}

/// Open a login for a person with a first password they must change; grants `employee`.
#[utoipa::path(post, path = "/api/v1/people/{id}/account", tag = "people", params(("id" = String, Path)), request_body = NewPassword,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = AccountView), (status = 409, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn create_account(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<NewPassword>,
) -> ApiResult<(StatusCode, Json<AccountView>)> {
    Ok((StatusCode::CREATED, Json(accounts::create(&state.app, &auth.principal, &id, req, &auth.meta).await?)))
}

/// Set a new password for a person (they must change it at next sign-in; their sessions end).
#[utoipa::path(post, path = "/api/v1/people/{id}/account/password", tag = "people", params(("id" = String, Path)), request_body = NewPassword,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Reset"), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<NewPassword>,
) -> ApiResult<StatusCode> {
    accounts::reset_password(&state.app, &auth.principal, &id, req, &auth.meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Grant a role (never above the caller's own, never outside their scope).
#[utoipa::path(post, path = "/api/v1/people/{id}/account/roles", tag = "people", params(("id" = String, Path)), request_body = GrantRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = AccountView), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn grant_role(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<GrantRequest>,
) -> ApiResult<Json<AccountView>> {
    Ok(Json(accounts::grant(&state.app, &auth.principal, &id, req, &auth.meta).await?))
}

#[utoipa::path(delete, path = "/api/v1/people/{id}/account/roles/{grant_id}", tag = "people",
    params(("id" = String, Path), ("grant_id" = String, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Revoked"), (status = 403, body = super::ProblemBody), (status = 404, body = super::ProblemBody)))]
pub async fn revoke_role(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Path((id, grant_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    accounts::revoke(&state.app, &auth.principal, &id, &grant_id, &auth.meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only check the file and report; write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Add people from a CSV file (`text/csv`, UTF-8, a header row naming the columns:
/// `employee_number`, `employment_type`, `full_name` required; `nik`, `email`, `phone`,
/// `unit_code`, `position`, `supervisor_number` optional). Every row is checked by the rules of
/// adding one person; the report names each problem's row and field. The file is written only
/// when it has no problem and `dry_run` is false — all rows or none.
#[utoipa::path(post, path = "/api/v1/people/import", tag = "people", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ImportReport, description = "Checked (and written, unless a dry run or with problems)"),
        (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody, description = "Not a CSV with the expected columns")))]
pub async fn import(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    headers: axum::http::HeaderMap,
    axum::extract::Query(q): axum::extract::Query<ImportQuery>,
    body: axum::body::Bytes,
) -> ApiResult<Json<ImportReport>> {
    let lang = crate::pages::lang_of(&headers);
    Ok(Json(people_import::import(&state.app, &auth.principal, &body, q.dry_run, lang, &auth.meta).await?))
}

/// The same check or import as `POST /api/v1/people/import`, in the background: the file's
/// shape is checked at once (422), its rows by a job followed at `GET /api/v1/downloads/{id}`,
/// whose file is the report (JSON, as the direct import answers).
#[utoipa::path(post, path = "/api/v1/people/import/jobs", tag = "people", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 202, body = hadir_app::downloads::Download),
        (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody, description = "Not a CSV with the expected columns")))]
pub async fn import_job(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    headers: axum::http::HeaderMap,
    axum::extract::Query(q): axum::extract::Query<ImportQuery>,
    body: axum::body::Bytes,
) -> ApiResult<(axum::http::StatusCode, Json<hadir_app::downloads::Download>)> {
    let lang = crate::pages::lang_of(&headers);
    let queued = people_import::queue(&state.app, &auth.principal, body.to_vec(), q.dry_run, lang, &auth.meta).await?;
    Ok((axum::http::StatusCode::ACCEPTED, Json(queued)))
}
