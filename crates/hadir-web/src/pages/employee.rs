//! The employee app: home with today's check-in, the phone's registration, and the password
//! (the month's history is in `month.rs`).

use super::labels;
use super::login::Chrome;
use super::render;
use super::session::{Page, failed};
use crate::AppState;
use crate::guard::SelfService;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::DateTime;
use hadir_app::auth::ChangePassword;
use hadir_app::my_day::MyDay;
use hadir_app::{AppError, devices, my_day};
use hadir_domain::attendance::checkin::EventKind;
use hadir_domain::time_zone::WorkZone;
use serde::{Deserialize, Serialize};

pub struct EventLine {
    pub time: String,
    pub kind: String,
    pub outcome: String,
    pub bad: bool,
    pub signals: String,
}

pub(super) fn event_line(t: super::Tr, zone: WorkZone, e: &hadir_app::attendance::EventView) -> EventLine {
    let at = DateTime::from_timestamp_millis(e.occurred_at).unwrap_or_default();
    EventLine {
        time: zone.local(at).format("%H:%M").to_string(),
        kind: t.get(if e.kind == EventKind::In { "check-in" } else { "check-out" }),
        outcome: labels::outcome(t, e.outcome),
        bad: e.outcome != hadir_domain::attendance::checkin::Outcome::Accepted,
        signals: labels::signals(t, &e.signals),
    }
}

/// What the check-in script needs, embedded in the page as JSON (not executed).
#[derive(Serialize)]
struct CheckinSetup<'a> {
    sites: &'a [hadir_app::locations::LocationView],
    /// The person's phones: the script compares its own device id with them.
    devices: Vec<(String, String)>,
    /// Selfies may be taken (consent, where the institution asks for it).
    photos: bool,
}

/// JSON to place inside `<script type="application/json">`: no `<` can end the element.
fn embedded_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into()).replace('<', "\\u003c")
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    c: Chrome,
    date: String,
    zone: &'static str,
    hours: Option<String>,
    status: Option<String>,
    status_bad: bool,
    events: Vec<EventLine>,
    setup: String,
    photos: bool,
    /// A privacy notice under review: its version and when it binds.
    upcoming_notice: Option<(i32, String)>,
}

pub async fn home(State(state): State<AppState>, page: Page) -> Response {
    let t = page.t;
    let loaded = async {
        let name = page.own_name(&state.app).await?;
        let day: MyDay = my_day::my_day(&state.app, &page.principal).await?;
        let devices = devices::mine(&state.app, &page.principal).await?;
        let upcoming = hadir_app::consent::upcoming(&state.app, &page.principal).await?;
        let photos = photos_allowed(&state, &page).await?;
        Ok::<_, AppError>((name, day, devices, upcoming, photos))
    };
    let (name, day, devices, upcoming, photos) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let setup = CheckinSetup {
        sites: &day.sites,
        devices: devices.into_iter().map(|d| (d.device_id, labels::snake(&d.status))).collect(),
        photos,
    };
    render(&Home {
        c: Chrome::of(&page, name, "/app"),
        date: labels::date(t, day.date),
        zone: day.zone.abbreviation(),
        hours: day.work.as_ref().map(|w| format!("{}–{}", w.start.format("%H:%M"), w.end.format("%H:%M"))),
        status: day.status.as_ref().map(|d| labels::day(t, &d.status, d.code.as_deref())),
        status_bad: day.status.as_ref().is_some_and(|d| labels::day_is_bad(&d.status)),
        events: day.events.iter().map(|e| event_line(t, day.zone, e)).collect(),
        setup: embedded_json(&setup),
        photos,
        upcoming_notice: upcoming.map(|n| (n.version, labels::moment(day.zone, n.effective_at))),
    })
}

async fn photos_allowed(state: &AppState, page: &Page) -> Result<bool, AppError> {
    hadir_app::consent::photos_allowed(&state.app, &page.principal.institution_id, &page.principal.person_id).await
}

#[derive(Template)]
#[template(path = "device.html")]
struct DevicePage {
    c: Chrome,
    devices: Vec<(String, String, String)>,
    photos: bool,
}

/// Registering this phone with a live selfie (the script does the camera and the upload).
pub async fn device(State(state): State<AppState>, page: Page) -> Response {
    let t = page.t;
    let loaded = async {
        let mine = devices::mine(&state.app, &page.principal).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, mine, photos_allowed(&state, &page).await?))
    };
    let (name, mine, photos) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let devices = mine
        .into_iter()
        .map(|d| {
            let status = labels::snake(&d.status);
            let label = t.get(&format!("device-{status}"));
            (d.device_id, d.model.unwrap_or_default(), label)
        })
        .collect();
    render(&DevicePage { c: Chrome::of(&page, name, "/app/perangkat"), devices, photos })
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    c: Chrome,
    must_change: bool,
}

pub async fn password_form(State(state): State<AppState>, page: Page<SelfService>) -> Response {
    let name = match page.own_name(&state.app).await {
        Ok(n) => n,
        Err(e) => return failed(page.t, e),
    };
    let must_change = page.principal.must_change_password;
    render(&PasswordPage { c: Chrome::of(&page, name, "/app/sandi"), must_change })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    old_password: String,
    new_password: String,
}

/// Changes the password; every other session ends. The answer replaces the form's message.
pub async fn change_password(
    State(state): State<AppState>,
    page: Page<SelfService>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let request = ChangePassword { old_password: form.old_password, new_password: form.new_password };
    match hadir_app::auth::change_password(&state.app, &page.principal, request, &page.meta).await {
        Ok(()) => {
            let mut response = page.t.get("password-changed").into_response();
            response.headers_mut().insert("hx-redirect", axum::http::HeaderValue::from_static("/app"));
            response
        }
        Err(e) => failed(page.t, e),
    }
}
