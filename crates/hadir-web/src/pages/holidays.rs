//! The holiday calendar in the admin console, a year at a time: national holidays and *cuti
//! bersama* with the decree that sets each, and local days the institution adds. Each row is
//! amended in place (a decree changed mid-year moves days); the shipped decree rows of a year
//! can be loaded again. Institution administrators edit; unit administrators read.

use super::admin::decided_row;
use super::login::Chrome;
use super::session::{Page, escape, failed, saved};
use super::{Tr, render};
use crate::AppState;
use crate::guard::{Admin, InstitutionAdmin};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use hadir_app::calendar::{self, HolidayInput, HolidayPatch, HolidayView};
use hadir_app::{AppError, FieldProblem, Rule};
use hadir_domain::calendar::HolidayKind;
use serde::Deserialize;

pub struct HolidayLine {
    pub id: String,
    pub date: String,
    pub day: String,
    pub kind: &'static str,
    pub name: String,
    pub name_en: String,
    pub decree: String,
    pub national: bool,
}

impl HolidayLine {
    fn kind_key(&self) -> String {
        format!("holiday-kind-{}", self.kind.replace('_', "-"))
    }
}

#[derive(Template)]
#[template(path = "admin_holidays.html")]
struct YearPage {
    c: Chrome,
    year: i32,
    rows: Vec<HolidayLine>,
    holidays: usize,
    cuti_bersama: usize,
    edits: bool,
}

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    tahun: Option<i32>,
}

/// The years a calendar page may show: far enough for history and planning, never a
/// nonsense year from a hand-typed address.
fn year_shown(asked: Option<i32>, this_year: i32) -> i32 {
    asked.filter(|y| (2000..=2100).contains(y)).unwrap_or(this_year)
}

pub async fn year(State(state): State<AppState>, page: Page<Admin>, Query(q): Query<YearQuery>) -> Response {
    let t = page.t;
    let loaded = async {
        let year = year_shown(q.tahun, page.zone(&state.app).await?.local(state.app.clock.now()).date().year());
        let rows = calendar::list(&state.app, &page.principal, Some(year)).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, rows, year))
    };
    let (name, rows, year) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let count = |kind| rows.iter().filter(|h| h.kind == kind).count();
    let (holidays, cuti_bersama) = (count(HolidayKind::Holiday), count(HolidayKind::CutiBersama));
    render(&YearPage {
        c: Chrome::of(&page, name, "/admin/libur"),
        year,
        rows: rows.into_iter().map(|h| line(t, h)).collect(),
        holidays,
        cuti_bersama,
        edits: page.principal.is_institution_admin(),
    })
}

fn line(t: Tr, h: HolidayView) -> HolidayLine {
    HolidayLine {
        id: h.id,
        date: h.date.to_string(),
        day: t.get(&format!("weekday-{}", h.date.weekday().number_from_monday())),
        kind: h.kind.as_str(),
        name: h.name,
        name_en: h.name_en.unwrap_or_default(),
        decree: h.decree,
        national: h.source == "national",
    }
}

/// A row as typed (the add form and each row's in-place form).
#[derive(Deserialize)]
pub struct HolidayFields {
    #[serde(default)]
    date: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    decree: String,
}

/// The date and kind as typed, or each one's problem.
fn date_and_kind(f: &HolidayFields) -> Result<(NaiveDate, HolidayKind), AppError> {
    let date = NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d");
    let kind = HolidayKind::parse(&f.kind);
    match (date, kind) {
        (Ok(date), Some(kind)) => Ok((date, kind)),
        (date, kind) => {
            let mut problems = Vec::new();
            if date.is_err() {
                problems.push(FieldProblem::new("date", &Rule::NotADate));
            }
            if kind.is_none() {
                problems.push(FieldProblem::new("kind", &Rule::UnknownChoice));
            }
            Err(AppError::Invalid(problems))
        }
    }
}

/// The year's page again (a row was added, or the decree's rows loaded).
fn reload(t: Tr, year: i32) -> Response {
    let mut response = saved(t);
    if let Ok(to) = HeaderValue::from_str(&format!("/admin/libur?tahun={year}")) {
        response.headers_mut().insert("hx-redirect", to);
    }
    response
}

pub async fn create(
    State(state): State<AppState>,
    page: Page<InstitutionAdmin>,
    Form(f): Form<HolidayFields>,
) -> Response {
    let result = async {
        let (date, kind) = date_and_kind(&f)?;
        let input = HolidayInput { date, kind, name: f.name, name_en: Some(f.name_en), decree: f.decree };
        calendar::create(&state.app, &page.principal, input, &page.meta).await
    };
    match result.await {
        Ok(h) => reload(page.t, h.date.year()),
        Err(e) => failed(page.t, e),
    }
}

pub async fn update(
    State(state): State<AppState>,
    page: Page<InstitutionAdmin>,
    Path(id): Path<String>,
    Form(f): Form<HolidayFields>,
) -> Response {
    let result = async {
        let (date, kind) = date_and_kind(&f)?;
        let patch = HolidayPatch {
            date: Some(date),
            kind: Some(kind),
            name: Some(f.name),
            name_en: Some(Some(f.name_en)),
            decree: Some(f.decree),
        };
        calendar::update(&state.app, &page.principal, &id, patch, &page.meta).await
    };
    match result.await {
        Ok(_) => saved(page.t),
        Err(e) => failed(page.t, e),
    }
}

/// Removes a row; the answer replaces it.
pub async fn delete(State(state): State<AppState>, page: Page<InstitutionAdmin>, Path(id): Path<String>) -> Response {
    match calendar::delete(&state.app, &page.principal, &id, &page.meta).await {
        Ok(()) => decided_row(page.t, "deleted", "holiday"),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Deserialize)]
pub struct ImportForm {
    year: i32,
}

/// Loads the shipped decree rows of the year that the calendar lacks.
pub async fn import(
    State(state): State<AppState>,
    page: Page<InstitutionAdmin>,
    Form(f): Form<ImportForm>,
) -> Response {
    match calendar::import(&state.app, &page.principal, f.year, &page.meta).await {
        Ok(done) if done.added > 0 => reload(page.t, f.year),
        Ok(_) => Html(format!("<span>{}</span>", escape(&page.t.get("holidays-nothing-new")))).into_response(),
        Err(e) => failed(page.t, e),
    }
}

/// The national table shipped with this build: which years it covers, for the page's hint.
pub fn shipped_years() -> String {
    let mut years: Vec<i32> = hadir_domain::calendar::shipped().iter().map(|h| h.date.year()).collect();
    years.sort_unstable();
    years.dedup();
    years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
}

impl YearPage {
    fn shipped(&self) -> String {
        shipped_years()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(date: &str, kind: &str) -> HolidayFields {
        HolidayFields {
            date: date.into(),
            kind: kind.into(),
            name: "Hari Jadi Provinsi".into(),
            name_en: String::new(),
            decree: "Pergub 1/2026".into(),
        }
    }

    #[test]
    fn a_typed_row_names_each_field_it_cannot_read() {
        assert_eq!(
            date_and_kind(&typed("2026-11-18", "holiday")).unwrap(),
            (NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(), HolidayKind::Holiday)
        );
        let fields = |e: AppError| match e {
            AppError::Invalid(p) => p.into_iter().map(|p| p.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields(date_and_kind(&typed("18/11/2026", "libur")).unwrap_err()), ["date", "kind"]);
        assert_eq!(fields(date_and_kind(&typed("2026-02-30", "cuti_bersama")).unwrap_err()), ["date"]);
    }

    #[test]
    fn the_year_shown_is_asked_for_or_this_one() {
        assert_eq!(year_shown(Some(2027), 2026), 2027);
        assert_eq!(year_shown(None, 2026), 2026);
        assert_eq!(year_shown(Some(20260), 2026), 2026);
    }

    #[test]
    fn the_shipped_years_are_listed_once_each() {
        let years = shipped_years();
        assert!(years.contains("2026"), "{years}");
        assert_eq!(years.matches("2026").count(), 1);
    }
}
