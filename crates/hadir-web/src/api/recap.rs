//! Daily status and the monthly recap, as JSON and CSV.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, Signed};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use hadir_app::recap::{self, AbsenceRow, PersonMonth, RecapRow};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM`.
    pub month: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecapQuery {
    /// `YYYY-MM`.
    pub month: String,
    /// Only this unit and the units below it.
    pub unit_id: Option<String>,
}

/// A person's days of a month (status, TL/PSW, deduction) and the month's totals.
#[utoipa::path(get, path = "/api/v1/people/{id}/attendance", tag = "attendance", params(("id" = String, Path), MonthQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = PersonMonth), (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn person_month(
    State(state): State<AppState>,
    auth: Auth<Signed>,
    Path(id): Path<String>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<Json<PersonMonth>> {
    Ok(Json(recap::person_month(&state.app, &auth.principal, &id, &q.month).await?))
}

/// The monthly recap of everyone in the caller's scope: present days, each TL/PSW count, TK,
/// leave and the capped deduction.
#[utoipa::path(get, path = "/api/v1/recap", tag = "attendance", params(RecapQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<RecapRow>), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn unit_recap(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Query(q): Query<RecapQuery>,
) -> ApiResult<Json<Vec<RecapRow>>> {
    Ok(Json(recap::unit_recap(&state.app, &auth.principal, &q.month, q.unit_id.as_deref()).await?))
}

/// The same recap as a CSV download.
#[utoipa::path(get, path = "/api/v1/recap.csv", tag = "attendance", params(RecapQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = super::ProblemBody)))]
pub async fn unit_recap_csv(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Query(q): Query<RecapQuery>,
) -> ApiResult<Response> {
    let rows = recap::unit_recap(&state.app, &auth.principal, &q.month, q.unit_id.as_deref()).await?;
    let disposition = format!(
        "attachment; filename=\"rekap-{}.csv\"",
        q.month.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    );
    Ok((
        [(CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (CONTENT_DISPOSITION, disposition)],
        recap::recap_csv(&rows),
    )
        .into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: i32,
    /// Only this unit and the units below it.
    pub unit_id: Option<String>,
}

/// Cumulative unexcused absence (TK) this year, with the PP 94/2021 threshold each person has
/// reached — for the unit's HR staff to act on.
#[utoipa::path(get, path = "/api/v1/absences", tag = "attendance", params(YearQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<AbsenceRow>), (status = 403, body = super::ProblemBody)))]
pub async fn absences(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<Vec<AbsenceRow>>> {
    Ok(Json(recap::absence_report(&state.app, &auth.principal, q.year, q.unit_id.as_deref()).await?))
}
