//! Leave: the employee's balance, requests and their state; the supervisor's or unit
//! administrator's decisions.

use super::Tr;
use super::admin::{Decision, decided_row};
use super::labels;
use super::login::Chrome;
use super::render;
use super::session::Page;
use super::session::failed;
use crate::AppState;
use crate::guard::Decider;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use hadir_app::leave::{self, LeaveDecision, LeaveInput, LeaveView};
use hadir_app::{AppError, people};
use hadir_domain::attendance::Absence;

/// The kinds an employee may ask for, in the order the form lists them.
const KINDS: [Absence; 10] = [
    Absence::AnnualLeave,
    Absence::Permission,
    Absence::Sick,
    Absence::SickLeave,
    Absence::ImportantReasonLeave,
    Absence::MaternityLeave,
    Absence::LongLeave,
    Absence::UnpaidLeave,
    Absence::OfficialDuty,
    Absence::StudyAssignment,
];

fn kind_label(t: Tr, kind: Absence) -> String {
    t.get(&format!("absence-{}", labels::snake(&kind)))
}

pub struct RequestLine {
    pub id: String,
    pub person: String,
    pub kind: String,
    pub dates: String,
    pub days: i32,
    pub reason: String,
    pub status: String,
    pub pending: bool,
    pub has_document: bool,
}

fn line(t: Tr, l: LeaveView, person: String) -> RequestLine {
    RequestLine {
        kind: kind_label(t, l.kind),
        dates: if l.start_date == l.end_date { l.start_date } else { format!("{} – {}", l.start_date, l.end_date) },
        days: l.working_days,
        status: t.get(&format!("leave-{}", labels::snake(&l.status))),
        pending: matches!(l.status, leave::LeaveStatus::Pending | leave::LeaveStatus::FirstApproved),
        reason: l.reason,
        has_document: l.has_document,
        person,
        id: l.id,
    }
}

#[derive(Template)]
#[template(path = "leave.html")]
struct LeavePage {
    c: Chrome,
    year: i32,
    entitlement: u32,
    taken: u32,
    pending: u32,
    remaining: u32,
    kinds: Vec<(String, String)>,
    requests: Vec<RequestLine>,
}

/// The employee's leave: this year's annual balance, the request form, the requests so far.
pub async fn mine(State(state): State<AppState>, page: Page) -> Response {
    let t = page.t;
    let p = &page.principal;
    let loaded = async {
        let year = page.zone(&state.app).await?.local(state.app.clock.now()).year();
        let name = page.own_name(&state.app).await?;
        let balance = leave::balance(&state.app, p, &p.person_id, year).await?;
        let requests = leave::mine(&state.app, p).await?;
        Ok::<_, AppError>((name, balance, requests, year))
    };
    let (name, balance, requests, year) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    render(&LeavePage {
        c: Chrome::of(&page, name, "/app/cuti"),
        year,
        entitlement: balance.entitlement,
        taken: balance.taken,
        pending: balance.pending,
        remaining: balance.remaining,
        kinds: KINDS.iter().map(|k| (labels::snake(k), kind_label(t, *k))).collect(),
        requests: requests.into_iter().map(|l| line(t, l, String::new())).collect(),
    })
}

/// Files a request from the form (a doctor's letter optional, required by the rules for
/// sickness beyond a day); the answer replaces the form's message, and the form keeps what was
/// typed when something is wrong.
pub async fn request(State(state): State<AppState>, page: Page, mut form: Multipart) -> Response {
    let t = page.t;
    let unreadable = || super::session::refusal(StatusCode::BAD_REQUEST, t, "form-unreadable");
    let (mut kind, mut start, mut end, mut reason, mut document) = (None, None, None, String::new(), None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return unreadable(),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "document" {
            match field.bytes().await {
                Ok(bytes) if !bytes.is_empty() => document = Some(bytes.to_vec()),
                Ok(_) => {}
                Err(_) => return unreadable(),
            }
            continue;
        }
        let Ok(value) = field.text().await else { return unreadable() };
        match name.as_str() {
            "kind" => kind = serde_json::from_value::<Absence>(serde_json::Value::String(value)).ok(),
            "start_date" => start = value.parse::<NaiveDate>().ok(),
            "end_date" => end = value.parse::<NaiveDate>().ok(),
            "reason" => reason = value,
            _ => {}
        }
    }
    let (Some(kind), Some(start_date), Some(end_date)) = (kind, start, end) else {
        return super::session::refusal(StatusCode::UNPROCESSABLE_ENTITY, t, "leave-fill-dates");
    };
    let input = LeaveInput { kind, start_date, end_date, reason };
    match leave::request(&state.app, &page.principal, input, document, &page.meta).await {
        Ok(_) => {
            let mut response = t.get("leave-filed").into_response();
            response.headers_mut().insert("hx-refresh", axum::http::HeaderValue::from_static("true"));
            response
        }
        Err(e) => failed(t, e),
    }
}

/// Withdraws one's own request while it waits.
pub async fn cancel(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Response {
    match leave::cancel(&state.app, &page.principal, &id, &page.meta).await {
        Ok(l) => decided_row(page.t, &labels::snake(&l.status), "leave"),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Template)]
#[template(path = "admin_leave.html")]
struct Approvals {
    c: Chrome,
    rows: Vec<RequestLine>,
}

/// Requests waiting for this supervisor's or administrator's decision.
pub async fn pending(State(state): State<AppState>, page: Page<Decider>) -> Response {
    let t = page.t;
    let p = &page.principal;
    let loaded = async {
        let waiting = leave::pending(&state.app, p).await?;
        let names = people::names_of(&state.app, p, waiting.iter().map(|l| l.person_id.clone())).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, waiting, names))
    };
    let (name, waiting, names) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let rows = waiting
        .into_iter()
        .map(|l| {
            let person = names.get(&l.person_id).cloned().unwrap_or_default();
            line(t, l, person)
        })
        .collect();
    render(&Approvals { c: Chrome::of(&page, name, "/admin/cuti"), rows })
}

pub async fn decide(
    State(state): State<AppState>,
    page: Page<Decider>,
    Path(id): Path<String>,
    Form(form): Form<Decision>,
) -> Response {
    let decision = LeaveDecision { approve: form.approves(), reason: form.optional_reason() };
    match leave::decide(&state.app, &page.principal, &id, decision, &page.meta).await {
        Ok(l) => decided_row(page.t, &labels::snake(&l.status), "leave"),
        Err(e) => failed(page.t, e),
    }
}
