//! Daily status and the monthly recap, as JSON, CSV, XLSX and PDF.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, Signed};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use hadir_app::recap::export::{self, ExportFormat, RecapExport, ReportWords};
use hadir_app::recap::{self, AbsenceRow, PersonMonth, RecapRow, UnitRecapRow};
use serde::Deserialize;

use crate::json::ApiJson;
use crate::pages::Tr;

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

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitsQuery {
    /// `YYYY-MM`.
    pub month: String,
    /// Only this unit and the units below it.
    pub unit_id: Option<String>,
    /// Add each person up in their unit's ancestor this many steps from the top (1: the OPD);
    /// absent or 0: in their own unit.
    pub level: Option<usize>,
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

/// The monthly recap added up per unit (each person counted in their own unit, or rolled up to
/// a level): people, present days, each TL/PSW count, TK, leave, how many lose allowance and the
/// average deduction.
#[utoipa::path(get, path = "/api/v1/recap/units", tag = "attendance", params(UnitsQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<UnitRecapRow>), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn units_recap(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Query(q): Query<UnitsQuery>,
) -> ApiResult<Json<Vec<UnitRecapRow>>> {
    Ok(Json(recap::units_recap(&state.app, &auth.principal, &q.month, q.unit_id.as_deref(), q.level).await?))
}

/// The recap by unit as a CSV download.
#[utoipa::path(get, path = "/api/v1/recap/units.csv", tag = "attendance", params(UnitsQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn units_recap_csv(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Query(q): Query<UnitsQuery>,
) -> ApiResult<Response> {
    let rows = recap::units_recap(&state.app, &auth.principal, &q.month, q.unit_id.as_deref(), q.level).await?;
    let name = format!("rekap-unit-{}.csv", q.month);
    Ok(download(&name, ExportFormat::Csv.content_type(), recap::units_csv(&rows).into_bytes()))
}

/// A file to download under its name.
pub(super) fn download(name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let name = name.replace(|c: char| !c.is_ascii_alphanumeric() && !matches!(c, '-' | '.' | '_'), "");
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(CONTENT_TYPE, content_type.to_string()), (CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

/// The words around a recap file's rows, in the reader's language.
pub fn report_words(t: Tr, month: &str) -> ReportWords {
    let period = match month.split_once('-').map(|(y, m)| (y, m.parse::<u32>())) {
        Some((year, Ok(m))) => format!("{} {year}", t.get(&format!("month-{m}"))),
        _ => month.to_string(),
    };
    ReportWords {
        texts: hadir_reports::RecapTexts {
            title: t.get("admin-recap-title"),
            period_label: t.get("month"),
            unit_label: t.get("unit"),
            generated_label: t.get("generated-at"),
            page_label: t.get("page"),
            number: t.get("employee-number"),
            name: t.get("person"),
            unit: t.get("unit"),
            present: t.get("total-present"),
            absent: "TK".into(),
            leave: t.get("total-leave"),
            deduction: t.get("total-deduction"),
        },
        period,
        all_units: t.get("all-units"),
    }
}

/// The recap as a file in the request. A PDF of more than 5,000 people is refused with
/// `422 export_too_large` (prepare it as a download instead: `POST /api/v1/recap/exports`).
async fn recap_file(
    state: &AppState,
    auth: &Auth<Admin>,
    headers: &HeaderMap,
    q: RecapQuery,
    format: ExportFormat,
) -> ApiResult<Response> {
    let (app, p) = (&state.app, &auth.principal);
    let rows = recap::unit_recap(app, p, &q.month, q.unit_id.as_deref()).await?;
    if format == ExportFormat::Pdf {
        export::check_pdf_size(rows.len(), export::PDF_DIRECT_MAX_ROWS)?;
    }
    let words = report_words(Tr { lang: crate::pages::lang_of(headers) }, &q.month);
    let export = RecapExport { month: q.month, unit_id: q.unit_id, format, words };
    let bytes = export::render(app, p, &export, rows).await?;
    Ok(download(&export.file_name(), format.content_type(), bytes))
}

/// The same recap as a CSV download.
#[utoipa::path(get, path = "/api/v1/recap.csv", tag = "attendance", params(RecapQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = super::ProblemBody)))]
pub async fn unit_recap_csv(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    headers: HeaderMap,
    Query(q): Query<RecapQuery>,
) -> ApiResult<Response> {
    recap_file(&state, &auth, &headers, q, ExportFormat::Csv).await
}

/// The same recap as an XLSX workbook (numbers as numbers; texts in the reader's language).
#[utoipa::path(get, path = "/api/v1/recap.xlsx", tag = "attendance", params(RecapQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 403, body = super::ProblemBody)))]
pub async fn unit_recap_xlsx(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    headers: HeaderMap,
    Query(q): Query<RecapQuery>,
) -> ApiResult<Response> {
    recap_file(&state, &auth, &headers, q, ExportFormat::Xlsx).await
}

/// The same recap as an A4 PDF with the institution, period, unit, when it was made and page
/// numbers; at most 5,000 people here (`422 export_too_large`: filter by unit, or prepare it
/// with `POST /api/v1/recap/exports`).
#[utoipa::path(get, path = "/api/v1/recap.pdf", tag = "attendance", params(RecapQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = super::ProblemBody),
        (status = 422, body = super::ProblemBody, description = "More than 5,000 people")))]
pub async fn unit_recap_pdf(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    headers: HeaderMap,
    Query(q): Query<RecapQuery>,
) -> ApiResult<Response> {
    recap_file(&state, &auth, &headers, q, ExportFormat::Pdf).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    /// `YYYY-MM`.
    pub month: String,
    /// Only this unit and the units below it.
    #[serde(default)]
    pub unit_id: Option<String>,
    pub format: ExportFormat,
}

/// Prepare the recap as a file in the background — any size (a PDF up to 50,000 people) — and
/// follow it at `GET /api/v1/downloads/{id}`; the file stays a day.
#[utoipa::path(post, path = "/api/v1/recap/exports", tag = "attendance", request_body = ExportRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 202, body = hadir_app::downloads::Download), (status = 403, body = super::ProblemBody),
        (status = 404, body = super::ProblemBody), (status = 422, body = super::ProblemBody)))]
pub async fn request_export(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    headers: HeaderMap,
    ApiJson(r): ApiJson<ExportRequest>,
) -> ApiResult<(StatusCode, Json<hadir_app::downloads::Download>)> {
    let words = report_words(Tr { lang: crate::pages::lang_of(&headers) }, &r.month);
    let export = RecapExport { month: r.month, unit_id: r.unit_id, format: r.format, words };
    let queued = hadir_app::downloads::request_recap(&state.app, &auth.principal, export, &auth.meta).await?;
    Ok((StatusCode::ACCEPTED, Json(queued)))
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

/// Today for everyone in the administrator's scope, by unit: on time, late, on leave, not in yet,
/// off (the institution's date).
#[utoipa::path(get, path = "/api/v1/recap/today", tag = "attendance", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<hadir_app::recap::today::UnitToday>), (status = 403, body = super::ProblemBody)))]
pub async fn today(
    State(state): State<AppState>,
    auth: Auth<Admin>,
) -> ApiResult<Json<Vec<hadir_app::recap::today::UnitToday>>> {
    Ok(Json(hadir_app::recap::today::in_institution(&state.app, &auth.principal).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TodayQuery {
    /// One unit and the units below it; all of the caller's scope when absent.
    #[serde(default)]
    unit_id: Option<String>,
}

/// Today for each person in the administrator's scope (optionally one unit and those below it):
/// the board's column, the status, and the first check-in and last check-out at the site.
#[utoipa::path(get, path = "/api/v1/recap/today/people", tag = "attendance", params(TodayQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<hadir_app::recap::today::PersonToday>), (status = 403, body = super::ProblemBody)))]
pub async fn today_people(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    Query(q): Query<TodayQuery>,
) -> ApiResult<Json<Vec<hadir_app::recap::today::PersonToday>>> {
    Ok(Json(hadir_app::recap::today::people(&state.app, &auth.principal, q.unit_id.as_deref()).await?))
}
