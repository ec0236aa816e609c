//! Daily status and the monthly recap, as JSON, CSV, XLSX and PDF.

use super::ApiResult;
use crate::AppState;
use crate::guard::{Admin, Auth, Signed};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
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

/// A file to download, named after the month (`rekap-2026-11.xlsx`).
fn download(month: &str, extension: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let month = month.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "");
    let disposition = format!("attachment; filename=\"rekap-{month}.{extension}\"");
    ([(CONTENT_TYPE, content_type.to_string()), (CONTENT_DISPOSITION, disposition)], bytes).into_response()
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
    Ok(download(&q.month, "csv", "text/csv; charset=utf-8", recap::recap_csv(&rows).into_bytes()))
}

/// The recap with its heading (institution, period, unit, when made) in the reader's language.
async fn report(
    state: &AppState,
    auth: &Auth<Admin>,
    q: &RecapQuery,
    headers: &HeaderMap,
) -> Result<hadir_reports::RecapReport, hadir_app::AppError> {
    let (app, p) = (&state.app, &auth.principal);
    let rows = recap::unit_recap(app, p, &q.month, q.unit_id.as_deref()).await?;
    let t = crate::pages::Tr { lang: crate::pages::lang_of(headers) };
    let institution = hadir_app::institutions::current(app, p).await?.name;
    let unit = match &q.unit_id {
        Some(id) => hadir_app::units::list(app, p)
            .await?
            .into_iter()
            .find(|u| &u.id == id)
            .map_or_else(String::new, |u| format!("{} · {}", u.code, u.name)),
        None => t.get("all-units"),
    };
    let period = match q.month.split_once('-').map(|(y, m)| (y, m.parse::<u32>())) {
        Some((year, Ok(month))) => format!("{} {year}", t.get(&format!("month-{month}"))),
        _ => q.month.clone(),
    };
    let zone = hadir_domain::time_zone::WorkZone::Jakarta;
    let generated_at = format!("{} {}", zone.local(app.clock.now()).format("%d-%m-%Y %H:%M"), zone.abbreviation());
    Ok(hadir_reports::RecapReport {
        institution,
        period,
        unit,
        generated_at,
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
        lines: rows.into_iter().map(report_line).collect(),
    })
}

/// One person's month as the report files show it.
pub fn report_line(r: RecapRow) -> hadir_reports::RecapLine {
    hadir_reports::RecapLine {
        employee_number: r.employee_number,
        full_name: r.full_name,
        unit: r.unit_code.unwrap_or_default(),
        present_days: r.totals.present_days,
        late: r.totals.late,
        early: r.totals.early,
        absent_days: r.totals.absent_days,
        leave_days: r.totals.leave_days,
        deduction_bp: r.totals.deduction.0,
    }
}

/// Typesetting is CPU work: it runs beside the request threads, not on them.
async fn render_file(
    report: hadir_reports::RecapReport,
    render: fn(&hadir_reports::RecapReport) -> Result<Vec<u8>, hadir_reports::ReportError>,
) -> Result<Vec<u8>, hadir_app::AppError> {
    tokio::task::spawn_blocking(move || render(&report))
        .await
        .map_err(|e| hadir_app::AppError::Internal(e.to_string()))?
        .map_err(|e| hadir_app::AppError::Internal(e.to_string()))
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
    let bytes = render_file(report(&state, &auth, &q, &headers).await?, hadir_reports::recap_xlsx).await?;
    Ok(download(&q.month, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes))
}

/// More rows than this take longer than a request should (about 0.8 ms a row, see
/// docs/PERFORMANCE.md): the PDF is refused with the way out, until export jobs exist.
const PDF_MAX_ROWS: usize = 5_000;

struct TooLarge;

impl hadir_domain::Explain for TooLarge {
    fn code(&self) -> &'static str {
        "export_too_large"
    }
    fn message(&self, lang: hadir_domain::Lang) -> String {
        match lang {
            hadir_domain::Lang::Id => "PDF paling banyak 5.000 orang: pilih satu unit, atau unduh XLSX".into(),
            hadir_domain::Lang::En => "A PDF holds at most 5,000 people: choose a unit, or download the XLSX".into(),
        }
    }
}

/// The same recap as an A4 PDF with the institution, period, unit, when it was made and page
/// numbers; at most 5,000 people (`422 export_too_large`: filter by unit or take the XLSX).
#[utoipa::path(get, path = "/api/v1/recap.pdf", tag = "attendance", params(RecapQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = super::ProblemBody),
        (status = 422, body = super::ProblemBody, description = "More than 5,000 people")))]
pub async fn unit_recap_pdf(
    State(state): State<AppState>,
    auth: Auth<Admin>,
    headers: HeaderMap,
    Query(q): Query<RecapQuery>,
) -> ApiResult<Response> {
    let report = report(&state, &auth, &q, &headers).await?;
    if report.lines.len() > PDF_MAX_ROWS {
        return Err(hadir_app::AppError::field("unit_id", &TooLarge).into());
    }
    let bytes = render_file(report, hadir_reports::recap_pdf).await?;
    Ok(download(&q.month, "pdf", "application/pdf", bytes))
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
