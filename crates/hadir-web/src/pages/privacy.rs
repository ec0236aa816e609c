//! "Privasi saya": what the institution tells the person (the notice in force and its purposes
//! with their lawful bases), their consent decisions (consent-based purposes can be given and
//! withdrawn here, and undecided ones are marked), who among the staff read their data, and
//! their data-subject requests with the 3×24-hour clock — filed from the same page.

use super::Tr;
use super::labels;
use super::login::Chrome;
use super::render;
use super::session::Page;
use super::session::failed;
use crate::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use hadir_app::subject_rights::{self, RequestInput};
use hadir_app::{AppError, access_log, consent};
use hadir_domain::Lang;
use hadir_domain::subject_rights::RequestKind;

pub struct PurposeLine {
    pub key: String,
    pub name: String,
    pub basis: String,
    /// For consent-based purposes: the standing decision (`None`: not decided yet).
    pub consent: Option<Option<bool>>,
}

pub struct RequestLine {
    /// The copy of one's data made for an access or portability request: (job id, whether it
    /// can be fetched now, what to say about it).
    pub copy: Option<(String, bool, String)>,
    pub kind: String,
    pub status: String,
    pub filed: String,
    pub due: String,
    pub overdue: bool,
    pub answer: String,
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct Privacy {
    c: Chrome,
    notice: Option<(i32, String)>,
    /// A version under review: its number, text, and the date it binds.
    upcoming: Option<(i32, String, String)>,
    purposes: Vec<PurposeLine>,
    pending: usize,
    reads: Vec<(String, String, String, String)>,
    requests: Vec<RequestLine>,
    kinds: Vec<(String, String)>,
    /// What a person may ask to correct: field → label.
    fields: Vec<(String, String)>,
}

pub async fn page(State(state): State<AppState>, page: Page) -> Response {
    let t = page.t;
    let p = &page.principal;
    let loaded = async {
        Ok::<_, AppError>((
            page.own_name(&state.app).await?,
            consent::current(&state.app, p).await?,
            consent::mine(&state.app, p).await?,
            access_log::about_me(&state.app, p, 100).await?,
            subject_rights::mine(&state.app, p).await?,
            consent::upcoming(&state.app, p).await?,
            hadir_app::downloads::mine(&state.app, p).await?,
            page.zone(&state.app).await?,
        ))
    };
    let (name, current, mine, reads, requests, upcoming, copies, zone) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let purposes = current
        .purposes
        .iter()
        .map(|purpose| PurposeLine {
            key: purpose.key.clone(),
            name: if t.lang == Lang::En { purpose.name_en.clone() } else { purpose.name_id.clone() },
            basis: t.get(&format!("basis-{}", labels::snake(&purpose.basis))),
            consent: purpose.needs_consent().then(|| {
                if mine.pending.contains(&purpose.key) { None } else { mine.current.get(&purpose.key).copied() }
            }),
        })
        .collect();
    render(&Privacy {
        c: Chrome::of(&page, name, "/app/privasi"),
        upcoming: upcoming.map(|n| {
            let binds = labels::moment(zone, n.effective_at);
            (n.version, if t.lang == Lang::En { n.text_en } else { n.text_id }, binds)
        }),
        notice: current.notice.map(|n| (n.version, if t.lang == Lang::En { n.text_en } else { n.text_id })),
        purposes,
        pending: mine.pending.len(),
        reads: reads
            .into_iter()
            .map(|r| {
                let what = t.get(&format!("data-{}", labels::snake(&r.data)));
                let data = match &r.detail {
                    Some(detail) => format!("{what} ({detail})"),
                    None => what,
                };
                (
                    labels::moment(zone, r.at),
                    r.actor_name.unwrap_or_default(),
                    data,
                    t.get(&format!("read-{}", r.purpose)),
                )
            })
            .collect(),
        requests: requests
            .into_iter()
            .map(|r| RequestLine {
                copy: copies.iter().find(|d| d.request_id.as_deref() == Some(r.id.as_str())).map(|d| {
                    let ready = d.status == "done";
                    (d.id.clone(), ready, t.get(&format!("copy-{}", d.status)))
                }),
                kind: kind_label(t, r.kind),
                status: t.get(&format!("request-{}", r.status.as_str())),
                filed: labels::moment(zone, r.filed_at),
                due: r.due_at.map(|at| labels::moment(zone, at)).unwrap_or_default(),
                overdue: r.overdue,
                answer: r.answer.unwrap_or_default(),
            })
            .collect(),
        kinds: RequestKind::ALL.iter().map(|k| (k.as_str().to_string(), kind_label(t, *k))).collect(),
        fields: subject_rights::RECTIFIABLE
            .iter()
            .map(|f| (f.to_string(), t.get(&format!("rectify-{}", f.replace('_', "-")))))
            .collect(),
    })
}

fn kind_label(t: Tr, kind: RequestKind) -> String {
    t.get(&format!("right-{}", kind.as_str()))
}

/// After a change the page is read again: the ledger and the clocks are the server's.
fn refreshed() -> Response {
    let mut response = axum::http::StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert("hx-refresh", HeaderValue::from_static("true"));
    response
}

#[derive(serde::Deserialize)]
pub struct ConsentForm {
    purpose: String,
    granted: String,
}

/// Gives or withdraws consent for one purpose; recorded in the ledger with this channel.
pub async fn decide(State(state): State<AppState>, page: Page, Form(form): Form<ConsentForm>) -> Response {
    let decision = consent::Decision { purpose: form.purpose, granted: form.granted == "true" };
    match consent::decide(&state.app, &page.principal, decision, &page.meta).await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}

#[derive(serde::Deserialize)]
pub struct FeedbackForm {
    version: i32,
    #[serde(default)]
    text: String,
}

/// A comment on the notice under review, for the privacy officer.
pub async fn feedback(State(state): State<AppState>, page: Page, Form(form): Form<FeedbackForm>) -> Response {
    let input = consent::FeedbackInput { version: form.version, text: form.text };
    match consent::give_feedback(&state.app, &page.principal, input, &page.meta).await {
        Ok(()) => super::session::saved(page.t),
        Err(e) => failed(page.t, e),
    }
}

#[derive(serde::Deserialize)]
pub struct RequestForm {
    kind: String,
    detail: String,
    /// A rectification's field and the correct value (sent with any kind; used for that one).
    #[serde(default)]
    field: String,
    #[serde(default)]
    value: String,
}

/// Files a data-subject request; its clock starts now.
pub async fn file(State(state): State<AppState>, page: Page, Form(form): Form<RequestForm>) -> Response {
    let Some(kind) = RequestKind::ALL.into_iter().find(|k| k.as_str() == form.kind) else {
        return super::session::refusal(axum::http::StatusCode::UNPROCESSABLE_ENTITY, page.t, "form-unreadable");
    };
    let rectifies = kind == RequestKind::Rectification && !form.field.is_empty();
    let input = RequestInput {
        kind,
        detail: form.detail,
        field: rectifies.then_some(form.field),
        value: rectifies.then_some(form.value),
    };
    match subject_rights::file(&state.app, &page.principal, input, &page.meta).await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}
