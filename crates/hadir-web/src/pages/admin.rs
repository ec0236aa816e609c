//! The admin console: phones waiting for approval, flagged check-ins to review, the monthly
//! recap with its downloads. Each decision is an htmx form whose answer replaces its row.

use super::labels;
use super::login::Chrome;
use super::render;
use super::session::Page;
use super::session::failed;
use crate::AppState;
use crate::guard::{Admin, Decider, Policy};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use hadir_app::attendance::{self, ReviewDecision};
use hadir_app::devices::{self, Rejection};
use hadir_app::recap::export::{ExportFormat, RecapExport};
use hadir_app::{AppError, downloads, people, recap, units};
use hadir_domain::geo::{GeoPoint, Geofence};
use serde::Deserialize;
use std::collections::HashMap;

/// Names for the rows' person ids, and the admin's own name for the frame.
async fn names<P: Policy>(
    state: &AppState,
    page: &Page<P>,
    ids: impl IntoIterator<Item = String>,
) -> Result<(String, HashMap<String, String>), AppError> {
    Ok((page.own_name(&state.app).await?, people::names_of(&state.app, &page.principal, ids).await?))
}

pub struct DeviceRow {
    pub id: String,
    pub person: String,
    pub model: String,
    pub registered: String,
    pub has_selfie: bool,
}

#[derive(Template)]
#[template(path = "admin_devices.html")]
struct DevicesPage {
    c: Chrome,
    rows: Vec<DeviceRow>,
}

/// Phones waiting for a decision, with their registration selfies.
pub async fn devices(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let loaded = async {
        let pending = devices::pending(&state.app, &page.principal).await?;
        let (name, names) = names(&state, &page, pending.iter().map(|d| d.person_id.clone())).await?;
        Ok::<_, AppError>((name, pending, names, page.zone(&state.app).await?))
    };
    let (name, pending, names, zone) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(page.t, e),
    };
    let rows = pending
        .into_iter()
        .map(|d| DeviceRow {
            person: names.get(&d.person_id).cloned().unwrap_or_default(),
            model: [d.model, d.os].into_iter().flatten().collect::<Vec<_>>().join(" · "),
            registered: labels::moment(zone, d.created_at),
            has_selfie: d.has_selfie,
            id: d.id,
        })
        .collect();
    render(&DevicesPage { c: Chrome::of(&page, name, "/admin/perangkat"), rows })
}

/// The approve/reject forms' fields (`templates/macros.html`).
#[derive(Deserialize)]
pub struct Decision {
    /// `approve` or `reject`.
    pub(super) decision: String,
    #[serde(default)]
    pub(super) reason: String,
}

impl Decision {
    pub(super) fn approves(&self) -> bool {
        self.decision == "approve"
    }

    /// The reason, if one was typed (an empty field is none).
    pub(super) fn optional_reason(self) -> Option<String> {
        Some(self.reason).filter(|r| !r.trim().is_empty())
    }
}

/// Approves or rejects a phone (a reason is required to reject); the answer replaces the row.
pub async fn decide_device(
    State(state): State<AppState>,
    page: Page<Admin>,
    Path(id): Path<String>,
    Form(form): Form<Decision>,
) -> Response {
    let (app, p, meta) = (&state.app, &page.principal, &page.meta);
    let result = if form.approves() {
        devices::approve(app, p, &id, meta).await
    } else {
        devices::reject(app, p, &id, Rejection { reason: form.reason }, meta).await
    };
    match result {
        Ok(d) => decided_row(page.t, &labels::snake(&d.status), "device"),
        Err(e) => failed(page.t, e),
    }
}

/// The row that replaces a decided one: what was decided, in the page's language.
pub(super) fn decided_row(t: super::Tr, status: &str, what: &str) -> Response {
    axum::response::Html(format!(
        "<tr class=\"decided\"><td colspan=\"10\">{}</td></tr>",
        t.get(&format!("{what}-{status}"))
    ))
    .into_response()
}

pub struct ReviewRow {
    pub id: String,
    /// The check-in's position over the nearest of the institution's fences (SVG), if known.
    pub map: String,
    pub person: String,
    pub when: String,
    pub kind: String,
    pub signals: String,
    pub distance: String,
    pub has_photo: bool,
    pub second: bool,
}

#[derive(Template)]
#[template(path = "admin_reviews.html")]
struct ReviewsPage {
    c: Chrome,
    rows: Vec<ReviewRow>,
}

/// Flagged check-ins with their evidence: photo, signals, distance from the fence.
pub async fn reviews(State(state): State<AppState>, page: Page<Decider>) -> Response {
    let t = page.t;
    let loaded = async {
        let queue = attendance::review_queue(&state.app, &page.principal).await?;
        let (name, names) = names(&state, &page, queue.iter().map(|e| e.person_id.clone())).await?;
        let sites = hadir_app::locations::list(&state.app, &page.principal).await?;
        Ok::<_, AppError>((name, queue, names, sites, page.zone(&state.app).await?))
    };
    let (name, queue, names, sites, home) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let fences: Vec<Geofence> = sites.iter().map(|l| l.geofence.clone()).collect();
    // A check-in's time as it was where it was made; the institution's zone away from any site.
    let zone_of = |e: &attendance::EventView| {
        e.location_id.as_ref().and_then(|id| sites.iter().find(|l| &l.id == id)).map_or(home, |l| l.time_zone)
    };
    let rows = queue
        .into_iter()
        .map(|e| ReviewRow {
            map: evidence_map(&fences, &e),
            person: names.get(&e.person_id).cloned().unwrap_or_default(),
            when: labels::moment(zone_of(&e), e.occurred_at),
            kind: t.get(if e.kind == hadir_domain::attendance::checkin::EventKind::In {
                "check-in"
            } else {
                "check-out"
            }),
            signals: labels::signals(t, &e.signals),
            distance: e.distance_m.map(|d| format!("{d:.0} m")).unwrap_or_default(),
            has_photo: e.has_photo,
            second: e.first_reviewed_by.is_some(),
            id: e.id,
        })
        .collect();
    render(&ReviewsPage { c: Chrome::of(&page, name, "/admin/tinjauan"), rows })
}

/// Where a flagged check-in was, over the institution's fence nearest to it. Drawn without map
/// tiles even when the operator configured some: a tile server would learn where a person was.
fn evidence_map(fences: &[Geofence], e: &attendance::EventView) -> String {
    let (Some(lat), Some(lon)) = (e.lat, e.lon) else { return String::new() };
    let Ok(at) = GeoPoint::new(lat, lon) else { return String::new() };
    let nearest = fences.iter().min_by(|a, b| a.distance_to_center_m(at).total_cmp(&b.distance_to_center_m(at)));
    let marker = super::fence_map::Marker { at, accuracy_m: e.accuracy_m.unwrap_or(0.0) };
    nearest.map(|f| super::fence_map::draw_with(f, Some(marker), None)).unwrap_or_default()
}

/// Approves or rejects a flagged check-in with a reason; the answer replaces the row.
pub async fn review(
    State(state): State<AppState>,
    page: Page<Decider>,
    Path(id): Path<String>,
    Form(form): Form<Decision>,
) -> Response {
    let decision = ReviewDecision { approve: form.approves(), reason: form.reason };
    match attendance::review(&state.app, &page.principal, &id, decision, &page.meta).await {
        Ok(e) => decided_row(page.t, &labels::snake(&e.outcome), "review"),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Deserialize)]
pub struct RecapQuery {
    #[serde(default)]
    bulan: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    /// The page of the table, from 1.
    #[serde(default)]
    halaman: Option<usize>,
    /// The table by unit rolled up to this level from the top (1: the OPDs); each person's own
    /// unit when absent.
    #[serde(default)]
    tingkat: Option<usize>,
}

/// Rows of the recap table a page shows: a whole institution is thousands of people, whom the
/// downloads carry in full.
const RECAP_PER_PAGE: usize = 100;

/// The page to show of `total` rows when `asked` for one (kept within the pages there are),
/// how many pages there are, and the rows on it.
fn recap_page(total: usize, asked: Option<usize>) -> (usize, usize, std::ops::Range<usize>) {
    let pages = total.div_ceil(RECAP_PER_PAGE).max(1);
    let page = asked.unwrap_or(1).clamp(1, pages);
    let first = (page - 1) * RECAP_PER_PAGE;
    (page, pages, first..total.min(first + RECAP_PER_PAGE))
}

/// A unit's line in the recap page's table by unit.
pub struct UnitLine {
    pub unit: String,
    pub people: u32,
    pub present: u32,
    pub late: u32,
    pub early: u32,
    pub absent: u32,
    pub leave: u32,
    pub deducted: u32,
    pub average: String,
}

pub struct RecapLine {
    pub number: String,
    pub name: String,
    pub unit: String,
    pub present: u32,
    pub late: u32,
    pub early: u32,
    pub absent: u32,
    pub leave: u32,
    pub deduction: String,
}

#[derive(Template)]
#[template(path = "admin_recap.html")]
struct RecapPage {
    c: Chrome,
    month: String,
    unit: String,
    units: Vec<(String, String)>,
    /// Every unit in the recap, its people added up.
    units_rows: Vec<UnitLine>,
    rows: Vec<RecapLine>,
    /// `month=…&unit_id=…` for the downloads (`/api/v1/recap.csv?…`, `.xlsx`, `.pdf`).
    query: String,
    /// The same and `&level=…` for the table by unit's download.
    units_query: String,
    /// The level the table by unit is rolled up to; 0 for each person's own unit.
    level: usize,
    /// People in the recap, on every page.
    total: usize,
    page: usize,
    pages: usize,
    /// `bulan=…&unit=…`: this page's address without the page number.
    here: String,
}

/// The month per person in the admin's scope, filtered by unit, with the CSV download.
pub async fn recap(State(state): State<AppState>, page: Page<Admin>, Query(q): Query<RecapQuery>) -> Response {
    let t = page.t;
    let unit = q.unit.filter(|u| !u.is_empty());
    let loaded = async {
        let zone = page.zone(&state.app).await?;
        let month =
            q.bulan.filter(|m| !m.is_empty()).unwrap_or_else(|| labels::this_month(zone, state.app.clock.now()));
        let rows = recap::unit_recap(&state.app, &page.principal, &month, unit.as_deref()).await?;
        let units = units::list(&state.app, &page.principal).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, rows, units, month))
    };
    let (name, rows, all_units, month) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let mut query = format!("month={month}");
    let mut here = format!("bulan={month}");
    if let Some(u) = &unit {
        query.push_str(&format!("&unit_id={u}"));
        here.push_str(&format!("&unit={u}"));
    }
    let level = q.tingkat.unwrap_or(0);
    let units_query = format!("{query}&level={level}");
    here.push_str(&format!("&tingkat={level}"));
    let total = rows.len();
    let (shown, pages, range) = recap_page(total, q.halaman);
    let units_rows = recap::by_unit(&rows, &all_units, Some(level))
        .into_iter()
        .map(|u| UnitLine {
            unit: match (u.unit_code, u.unit_name) {
                (Some(code), Some(name)) => format!("{code} · {name}"),
                (Some(code), None) => code,
                (None, _) => t.get("no-unit"),
            },
            people: u.totals.people,
            present: u.totals.present_days,
            late: u.totals.late.iter().sum(),
            early: u.totals.early.iter().sum(),
            absent: u.totals.absent_days,
            leave: u.totals.leave_days,
            deducted: u.totals.people_deducted,
            average: labels::percent(t, u.totals.average_deduction.0),
        })
        .collect();
    render(&RecapPage {
        c: Chrome::of(&page, name, "/admin/rekap"),
        rows: rows
            .into_iter()
            .skip(range.start)
            .take(range.len())
            .map(|r| RecapLine {
                number: r.employee_number,
                name: r.full_name,
                unit: r.unit_code.unwrap_or_default(),
                present: r.totals.present_days,
                late: r.totals.late.iter().sum(),
                early: r.totals.early.iter().sum(),
                absent: r.totals.absent_days,
                leave: r.totals.leave_days,
                deduction: labels::percent(t, r.totals.deduction.0),
            })
            .collect(),
        units: all_units.into_iter().map(|u| (u.id, format!("{} · {}", u.code, u.name))).collect(),
        units_rows,
        unit: unit.unwrap_or_default(),
        month,
        query,
        units_query,
        level,
        total,
        page: shown,
        pages,
        here,
    })
}

/// The recap page's "prepare in the background" form.
#[derive(Deserialize)]
pub struct PrepareForm {
    month: String,
    #[serde(default)]
    unit_id: String,
    format: String,
}

/// Queues the recap as a file of any size; the answer is its progress line, in place.
pub async fn prepare_recap(State(state): State<AppState>, page: Page<Admin>, Form(f): Form<PrepareForm>) -> Response {
    let format = match f.format.as_str() {
        "csv" => ExportFormat::Csv,
        "xlsx" => ExportFormat::Xlsx,
        "pdf" => ExportFormat::Pdf,
        _ => return failed(page.t, AppError::field("format", &hadir_app::Rule::UnknownChoice)),
    };
    let words = crate::api::recap::report_words(page.t, &f.month);
    let export = RecapExport { month: f.month, unit_id: Some(f.unit_id).filter(|u| !u.is_empty()), format, words };
    match downloads::request_recap(&state.app, &page.principal, export, &page.meta).await {
        Ok(d) => super::downloads::progress_of(&state, page.t, &page.principal, &d.id).await,
        Err(e) => super::downloads::not_queued(page.t, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recap_table_shows_a_page_of_rows_and_stays_within_its_pages() {
        assert_eq!(recap_page(0, None), (1, 1, 0..0));
        assert_eq!(recap_page(486, None), (1, 5, 0..100));
        assert_eq!(recap_page(486, Some(5)), (5, 5, 400..486));
        assert_eq!(recap_page(486, Some(9)), (5, 5, 400..486), "past the last page: the last");
        assert_eq!(recap_page(486, Some(0)), (1, 5, 0..100));
        assert_eq!(recap_page(100, Some(2)), (1, 1, 0..100));
    }
}
