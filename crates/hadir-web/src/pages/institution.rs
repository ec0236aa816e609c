//! The institution's own settings in the admin console: its name and default zone, which dates
//! the check-ins made away from any work site. Institution administrators edit; unit
//! administrators read.

use super::login::Chrome;
use super::render;
use super::session::{Page, failed, saved};
use crate::AppState;
use crate::guard::{Admin, InstitutionAdmin};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use hadir_app::institutions::{self, InstitutionChange};
use hadir_app::{AppError, Rule};
use hadir_domain::time_zone::WorkZone;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin_institution.html")]
struct SettingsPage {
    c: Chrome,
    slug: String,
    name: String,
    time_zone: &'static str,
    /// `(IANA name, label)`, e.g. `("Asia/Makassar", "Asia/Makassar (WITA)")`.
    zones: Vec<(&'static str, String)>,
    edits: bool,
}

pub async fn page(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let loaded = async {
        Ok::<_, AppError>((page.own_name(&state.app).await?, institutions::current(&state.app, &page.principal).await?))
    };
    let (name, current) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(page.t, e),
    };
    render(&SettingsPage {
        c: Chrome::of(&page, name, "/admin/instansi"),
        slug: current.slug,
        name: current.name,
        time_zone: current.time_zone.iana(),
        zones: WorkZone::ALL.iter().map(|z| (z.iana(), format!("{} ({})", z.iana(), z.abbreviation()))).collect(),
        edits: page.principal.is_institution_admin(),
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn save(
    State(state): State<AppState>,
    page: Page<InstitutionAdmin>,
    Form(f): Form<SettingsForm>,
) -> Response {
    let Some(time_zone) = WorkZone::parse(&f.time_zone) else {
        return failed(page.t, AppError::field("time_zone", &Rule::UnknownChoice));
    };
    let change = InstitutionChange { name: f.name, time_zone };
    match institutions::update(&state.app, &page.principal, change, &page.meta).await {
        Ok(_) => saved(page.t),
        Err(e) => failed(page.t, e),
    }
}
