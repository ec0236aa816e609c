//! "Akun saya": the person's biodata as the institution holds it (NIK masked) and their live
//! sessions, each of which they can end (a lost phone).

use super::labels;
use super::login::Chrome;
use super::render;
use super::session::Page;
use super::session::failed;
use crate::AppState;
use crate::guard::SelfService;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use hadir_app::{AppError, auth, people, units};

pub struct SessionLine {
    pub id: String,
    pub client: String,
    pub since: String,
    pub last_seen: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct Account {
    c: Chrome,
    fields: Vec<(String, String)>,
    sessions: Vec<SessionLine>,
}

pub async fn page(State(state): State<AppState>, page: Page<SelfService>) -> Response {
    let t = page.t;
    let p = &page.principal;
    let loaded = async {
        let me = people::get(&state.app, p, &p.person_id).await?;
        let unit = match &me.unit_id {
            Some(id) => units::list(&state.app, p).await?.into_iter().find(|u| &u.id == id).map(|u| u.name),
            None => None,
        };
        Ok::<_, AppError>((me, unit, auth::list_sessions(&state.app, p).await?, page.zone(&state.app).await?))
    };
    let (me, unit, sessions, zone) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let fields = [
        ("person", Some(me.full_name.clone())),
        ("employee-number", Some(me.employee_number.clone())),
        ("account-type", Some(t.get(&format!("employment-{}", labels::snake(&me.employment_type))))),
        ("account-nik", me.nik_masked.clone()),
        ("account-email", me.email.clone()),
        ("account-phone", me.phone.clone()),
        ("unit", unit),
        ("account-position", me.position.clone()),
    ]
    .into_iter()
    .map(|(key, value)| (t.get(key), value.unwrap_or_else(|| "—".into())))
    .collect();
    let sessions = sessions
        .into_iter()
        .map(|s| SessionLine {
            client: format!("{} · {}", labels::snake(&s.client), s.user_agent.unwrap_or_default()),
            since: labels::moment(zone, s.created_at),
            last_seen: labels::moment(zone, s.last_seen_at),
            current: s.current,
            id: s.id,
        })
        .collect();
    render(&Account { c: Chrome::of(&page, me.full_name, "/app/akun"), fields, sessions })
}

/// Ends one of one's own sessions; the row says so.
pub async fn revoke(State(state): State<AppState>, page: Page<SelfService>, Path(id): Path<String>) -> Response {
    match auth::revoke(&state.app, &page.principal, &id, &page.meta).await {
        Ok(()) => Html(format!("<tr class=\"decided\"><td colspan=\"4\">{}</td></tr>", page.t.get("session-ended")))
            .into_response(),
        Err(e) => failed(page.t, e),
    }
}
