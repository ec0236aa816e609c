//! The privacy desk (the DPO console): every data-subject request with the time left on its legal
//! clock — overdue ones first and marked — filtered by state and kind, each moved along with a
//! note, a proposed correction applied, an erasure weighed and carried out; and the privacy
//! notice: publishing a version with its review period, reading what people said about it.
//! The registers, retention and holds are in `dpo_registers.rs`.

use super::login::Chrome;
use super::session::{Page, failed};
use super::{Tr, labels, render};
use crate::AppState;
use crate::guard::PrivacyOfficer;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use hadir_app::subject_rights::{self, RequestView, StepInput};
use hadir_app::{AppError, Rule, consent, subject_actions};
use hadir_domain::Lang;
use hadir_domain::subject_rights::{RequestKind, RequestStatus};
use hadir_domain::time_zone::WorkZone;
use serde::Deserialize;

/// "2 hari 3 jam lagi" / "lewat 5 jam": what is left of a legal clock, in whole hours.
pub fn time_left(t: Tr, ms: i64) -> String {
    let hours = ms.abs() / 3_600_000;
    let span = match (hours / 24, hours % 24) {
        (0, h) => format!("{h} {}", t.get("hours-short")),
        (d, 0) => format!("{d} {}", t.get("days-short")),
        (d, h) => format!("{d} {} {h} {}", t.get("days-short"), t.get("hours-short")),
    };
    if ms >= 0 { format!("{span} {}", t.get("time-left")) } else { format!("{} {span}", t.get("time-over")) }
}

pub struct RequestLine {
    pub id: String,
    pub person: String,
    pub kind: String,
    pub rectification: bool,
    pub erasure: bool,
    pub open: bool,
    pub detail: String,
    /// A proposed correction: the field's name and the value.
    pub proposal: Option<(String, String)>,
    pub filed: String,
    pub due: String,
    pub left: String,
    pub overdue: bool,
    pub status: String,
    pub steps: Vec<(String, String, String)>,
}

fn line(t: Tr, zone: WorkZone, r: RequestView) -> RequestLine {
    RequestLine {
        kind: t.get(&format!("right-{}", r.kind.as_str())),
        rectification: r.kind == RequestKind::Rectification && r.proposed.is_some(),
        erasure: r.kind == RequestKind::Erasure,
        open: r.status.is_open(),
        proposal: r.field.zip(r.proposed).map(|(f, v)| (t.get(&format!("rectify-{}", f.replace('_', "-"))), v)),
        filed: labels::moment(zone, r.filed_at),
        due: r.due_at.map(|at| labels::moment(zone, at)).unwrap_or_else(|| t.get("dpo-no-deadline")),
        left: r.time_left_ms.filter(|_| r.due_at.is_some()).map(|ms| time_left(t, ms)).unwrap_or_default(),
        overdue: r.overdue,
        status: t.get(&format!("request-{}", r.status.as_str())),
        steps: r
            .steps
            .into_iter()
            .map(|s| {
                (
                    labels::moment(zone, s.at),
                    t.get(&format!("request-{}", s.status.as_str())),
                    s.note.unwrap_or_default(),
                )
            })
            .collect(),
        detail: r.detail,
        id: r.id,
        person: r.person_name,
    }
}

#[derive(Template)]
#[template(path = "dpo_requests.html")]
struct DeskPage {
    c: Chrome,
    rows: Vec<RequestLine>,
    overdue: usize,
    open_only: bool,
    kind: String,
    kinds: Vec<(String, String)>,
    /// The steps an open request may take: status → label.
    steps: Vec<(&'static str, String)>,
}

#[derive(Deserialize)]
pub struct DeskQuery {
    /// `semua` shows closed requests too.
    #[serde(default)]
    status: String,
    #[serde(default)]
    jenis: String,
}

pub async fn desk(State(state): State<AppState>, page: Page<PrivacyOfficer>, Query(q): Query<DeskQuery>) -> Response {
    let (t, p) = (page.t, &page.principal);
    let open_only = q.status != "semua";
    let kind = RequestKind::parse(&q.jenis);
    let loaded = async {
        let all = subject_rights::desk(&state.app, p, open_only).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, all, page.zone(&state.app).await?))
    };
    let (name, all, zone) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let rows: Vec<RequestLine> =
        all.into_iter().filter(|r| kind.is_none_or(|k| r.kind == k)).map(|r| line(t, zone, r)).collect();
    render(&DeskPage {
        c: Chrome::of(&page, name, "/dpo"),
        overdue: rows.iter().filter(|r| r.overdue).count(),
        rows,
        open_only,
        kind: kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        kinds: RequestKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), t.get(&format!("right-{}", k.as_str()))))
            .collect(),
        steps: [RequestStatus::InProgress, RequestStatus::Answered, RequestStatus::Refused]
            .into_iter()
            .map(|s| (s.as_str(), t.get(&format!("request-{}", s.as_str()))))
            .collect(),
    })
}

/// The desk again after a change: the clocks and the steps are the server's.
fn refreshed() -> Response {
    let mut response = axum::http::StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert("hx-refresh", HeaderValue::from_static("true"));
    response
}

#[derive(Deserialize)]
pub struct StepForm {
    status: String,
    #[serde(default)]
    note: String,
}

/// A step on a request: in progress, answered or refused, with the note the person reads.
pub async fn step(
    State(state): State<AppState>,
    page: Page<PrivacyOfficer>,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Response {
    let Some(status) = RequestStatus::parse(&f.status).filter(|s| *s != RequestStatus::Received) else {
        return failed(page.t, AppError::field("status", &Rule::UnknownChoice));
    };
    let input = StepInput { status, note: Some(f.note) };
    match subject_rights::advance(&state.app, &page.principal, &id, input, &page.meta).await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}

/// Applies the correction the person proposed.
pub async fn rectify(State(state): State<AppState>, page: Page<PrivacyOfficer>, Path(id): Path<String>) -> Response {
    match subject_actions::apply_rectification(&state.app, &page.principal, &id, &page.meta).await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Template)]
#[template(path = "dpo_erasure.html")]
struct ErasurePage {
    c: Chrome,
    id: String,
    person: String,
    detail: String,
    erased: Vec<String>,
    kept: Vec<String>,
}

/// An erasure request weighed: what would be erased and what kept, before carrying it out.
pub async fn erasure(State(state): State<AppState>, page: Page<PrivacyOfficer>, Path(id): Path<String>) -> Response {
    let (t, p) = (page.t, &page.principal);
    let loaded = async {
        let request = subject_rights::one(&state.app, p, &id).await?;
        let plan = subject_actions::erasure_plan(&state.app, p, &id, t.lang).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, request, plan))
    };
    match loaded.await {
        Ok((name, request, plan)) => render(&ErasurePage {
            c: Chrome::of(&page, name, "/dpo"),
            id,
            person: request.person_name,
            detail: request.detail,
            erased: plan.erased,
            kept: plan.kept,
        }),
        Err(e) => failed(t, e),
    }
}

/// Carries the erasure out as weighed and answers the request; back to the desk.
pub async fn erase(State(state): State<AppState>, page: Page<PrivacyOfficer>, Path(id): Path<String>) -> Response {
    match subject_actions::apply_erasure(&state.app, &page.principal, &id, &page.meta).await {
        Ok(_) => {
            let mut response = super::session::saved(page.t);
            response.headers_mut().insert("hx-redirect", HeaderValue::from_static("/dpo?status=semua"));
            response
        }
        Err(e) => failed(page.t, e),
    }
}

#[derive(Template)]
#[template(path = "dpo_notices.html")]
struct NoticesPage {
    c: Chrome,
    /// The latest version: its number, when it binds (or bound), whether it is in force, its text.
    latest: Option<(i32, String, bool, String)>,
    feedback: Vec<(String, String, String)>,
    purposes: Vec<(String, String, String)>,
}

pub async fn notices(State(state): State<AppState>, page: Page<PrivacyOfficer>) -> Response {
    let (t, p) = (page.t, &page.principal);
    let loaded = async {
        let current = consent::current(&state.app, p).await?;
        let feedback = match &current.notice {
            Some(n) => consent::feedback(&state.app, p, n.version).await?,
            None => Vec::new(),
        };
        Ok::<_, AppError>((page.own_name(&state.app).await?, current, feedback, page.zone(&state.app).await?))
    };
    let (name, current, feedback, zone) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let now = state.app.clock.now().timestamp_millis();
    render(&NoticesPage {
        c: Chrome::of(&page, name, "/dpo/pemberitahuan"),
        latest: current.notice.map(|n| {
            let text = if t.lang == Lang::En { n.text_en } else { n.text_id };
            (n.version, labels::moment(zone, n.effective_at), n.effective_at <= now, text)
        }),
        feedback: feedback.into_iter().map(|f| (labels::moment(zone, f.created_at), f.full_name, f.text)).collect(),
        purposes: current
            .purposes
            .into_iter()
            .map(|purpose| {
                let name = if t.lang == Lang::En { purpose.name_en } else { purpose.name_id };
                (purpose.key, name, t.get(&format!("basis-{}", labels::snake(&purpose.basis))))
            })
            .collect(),
    })
}

#[derive(Deserialize)]
pub struct NoticeForm {
    #[serde(default)]
    text_id: String,
    #[serde(default)]
    text_en: String,
    #[serde(default)]
    review_days: String,
}

/// Publishes the next version; it binds after its review period.
pub async fn publish(State(state): State<AppState>, page: Page<PrivacyOfficer>, Form(f): Form<NoticeForm>) -> Response {
    let result = async {
        let review_days =
            f.review_days.trim().parse::<u32>().map_err(|_| AppError::field("review_days", &Rule::NotANumber))?;
        let input = consent::NoticeInput { text_id: f.text_id, text_en: f.text_en, review_days };
        consent::publish(&state.app, &page.principal, input, &page.meta).await
    };
    match result.await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read_in_days_and_hours_either_side_of_the_deadline() {
        let t = Tr { lang: Lang::Id };
        let hour = 3_600_000;
        assert_eq!(time_left(t, 51 * hour + 59 * 60_000), "2 hari 3 jam lagi");
        assert_eq!(time_left(t, 48 * hour), "2 hari lagi");
        assert_eq!(time_left(t, 30 * 60_000), "0 jam lagi");
        assert_eq!(time_left(t, -5 * hour), "lewat 5 jam");
    }
}
