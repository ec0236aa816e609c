//! Working from home: the employee proposes a home point (found by the phone's location or typed)
//! and the weekdays worked there; a supervisor or unit administrator decides, seeing how far the
//! point lies from the person's office.

use super::admin::{Decision, decided_row};
use super::login::Chrome;
use super::session::{Page, failed};
use super::{Tr, render};
use crate::AppState;
use crate::guard::Decider;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use chrono::Weekday;
use hadir_app::wfh::{self, WfhDecision, WfhProposal, WfhView};
use hadir_app::{AppError, FieldProblem, Rule, people};

/// The weekdays a WFH point can be proposed for (offices work Monday to Friday).
const WEEKDAYS: [Weekday; 5] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];

fn weekday_names(t: Tr, days: &[Weekday]) -> String {
    days.iter().map(|d| t.get(&format!("weekday-{}", d.number_from_monday()))).collect::<Vec<_>>().join(", ")
}

pub struct PointLine {
    pub id: String,
    pub person: String,
    pub place: String,
    pub address: String,
    pub weekdays: String,
    pub status: String,
    pub reason: String,
    /// "2.4 km from Kantor Gubernur", when the person has an office.
    pub from_office: String,
}

fn line(t: Tr, w: WfhView, person: String, from_office: Option<(String, f64)>) -> PointLine {
    PointLine {
        place: format!("{:.5}, {:.5} · {:.0} m", w.lat, w.lon, w.radius_m),
        address: w.address.unwrap_or_default(),
        weekdays: weekday_names(t, &w.weekdays),
        status: t.get(&format!("wfh-{}", w.status)),
        reason: w.reason.unwrap_or_default(),
        from_office: from_office
            .map(|(office, m)| format!("{:.1} km {} {office}", m / 1000.0, t.get("wfh-from")))
            .unwrap_or_default(),
        person,
        id: w.id,
    }
}

#[derive(Template)]
#[template(path = "wfh.html")]
struct MinePage {
    c: Chrome,
    weekdays: Vec<(String, String)>,
    points: Vec<PointLine>,
}

/// The employee's WFH points and the form to propose one.
pub async fn mine(State(state): State<AppState>, page: Page) -> Response {
    let t = page.t;
    let loaded =
        async { Ok::<_, AppError>((page.own_name(&state.app).await?, wfh::mine(&state.app, &page.principal).await?)) };
    let (name, points) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    render(&MinePage {
        c: Chrome::of(&page, name, "/app/wfh"),
        weekdays: WEEKDAYS
            .iter()
            .map(|d| (format!("{d}"), t.get(&format!("weekday-{}", d.number_from_monday()))))
            .collect(),
        points: points.into_iter().map(|w| line(t, w, String::new(), None)).collect(),
    })
}

fn number(field: &str, text: &str, problems: &mut Vec<FieldProblem>) -> Option<f64> {
    let parsed = text.trim().replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite());
    if parsed.is_none() {
        problems.push(FieldProblem::new(field, &Rule::NotANumber));
    }
    parsed
}

/// Files a proposal; the page reloads to list it as waiting.
pub async fn propose(State(state): State<AppState>, page: Page, Form(fields): Form<Vec<(String, String)>>) -> Response {
    // A list of pairs, because each ticked weekday box sends a `weekday` field of its own.
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default();
    let mut problems = Vec::new();
    let lat = number("lat", value("lat"), &mut problems);
    let lon = number("lon", value("lon"), &mut problems);
    let radius = value("radius_m");
    let radius_m = if radius.trim().is_empty() { None } else { number("radius_m", radius, &mut problems) };
    let weekdays =
        fields.iter().filter(|(k, _)| k == "weekday").filter_map(|(_, d)| d.parse::<Weekday>().ok()).collect();
    let (Some(lat), Some(lon), true) = (lat, lon, problems.is_empty()) else {
        return failed(page.t, AppError::Invalid(problems));
    };
    let proposal = WfhProposal { lat, lon, radius_m, address: Some(value("address").to_string()), weekdays };
    match wfh::propose(&state.app, &page.principal, proposal, &page.meta).await {
        Ok(_) => {
            let mut response = page.t.get("wfh-proposed").into_response();
            response.headers_mut().insert("hx-refresh", HeaderValue::from_static("true"));
            response
        }
        Err(e) => failed(page.t, e),
    }
}

#[derive(Template)]
#[template(path = "admin_wfh.html")]
struct Approvals {
    c: Chrome,
    rows: Vec<PointLine>,
}

/// Proposals waiting for this supervisor's or administrator's decision, with the evidence.
pub async fn pending(State(state): State<AppState>, page: Page<Decider>) -> Response {
    let (t, app, p) = (page.t, &state.app, &page.principal);
    let loaded = async {
        let waiting = wfh::pending(app, p).await?;
        let names = people::names_of(app, p, waiting.iter().map(|w| w.person_id.clone())).await?;
        let mut rows = Vec::with_capacity(waiting.len());
        for w in waiting {
            let from_office = wfh::nearest_office(app, p, &w).await?;
            let person = names.get(&w.person_id).cloned().unwrap_or_default();
            rows.push(line(t, w, person, from_office));
        }
        Ok::<_, AppError>((page.own_name(app).await?, rows))
    };
    match loaded.await {
        Ok((name, rows)) => render(&Approvals { c: Chrome::of(&page, name, "/admin/wfh"), rows }),
        Err(e) => failed(t, e),
    }
}

pub async fn decide(
    State(state): State<AppState>,
    page: Page<Decider>,
    Path(id): Path<String>,
    Form(form): Form<Decision>,
) -> Response {
    let decision = WfhDecision { approve: form.approves(), reason: form.optional_reason() };
    match wfh::decide(&state.app, &page.principal, &id, decision, &page.meta).await {
        Ok(w) => decided_row(page.t, &w.status, "wfh"),
        Err(e) => failed(page.t, e),
    }
}
