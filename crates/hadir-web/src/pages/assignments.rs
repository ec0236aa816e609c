//! On a person's page: where they may check in (work locations ticked from those in the
//! administrator's reach) and which schedule they work by (the default, or one of the
//! institution's schedules for particular people). Each is its own small form.

use super::session::{Page, failed, saved};
use crate::AppState;
use crate::guard::Admin;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use hadir_app::locations::{self, Assignment};
use hadir_app::schedules::{self, ScheduleChoice};
use hadir_app::{AppError, Principal};

/// What the person page's assignment section shows.
pub struct Assignments {
    /// Every location the administrator may assign: id, name, and whether the person has it.
    pub locations: Vec<(String, String, bool)>,
    /// Schedules a person may be given (not period overrides, not the default): id → name.
    pub schedules: Vec<(String, String)>,
    /// The person's schedule, or empty for the default.
    pub schedule_id: String,
    /// The default schedule's name, or empty when the institution has not named one.
    pub default_name: String,
}

pub async fn load(state: &AppState, principal: &Principal, person_id: &str) -> Result<Assignments, AppError> {
    let app = &state.app;
    let theirs = locations::assigned(app, principal, person_id).await?;
    let offered = locations::list(app, principal).await?;
    let all_schedules = schedules::list(app, principal).await?;
    let chosen = schedules::assigned(app, principal, person_id).await?;
    let mut locations: Vec<(String, String, bool)> = offered
        .into_iter()
        // Shared locations (no unit) serve the whole institution; any administrator assigns them.
        .filter(|l| l.unit_id.is_none() || principal.admin_scope.covers_unit(l.unit_id.as_ref()))
        .map(|l| {
            let has = theirs.iter().any(|t| t.id == l.id);
            (l.id, l.name, has)
        })
        .collect();
    // A location assigned earlier by someone with a wider reach still shows, ticked.
    for l in theirs {
        if !locations.iter().any(|(id, _, _)| *id == l.id) {
            locations.push((l.id, l.name, true));
        }
    }
    Ok(Assignments {
        locations,
        default_name: all_schedules.iter().find(|s| s.is_default).map(|s| s.name.clone()).unwrap_or_default(),
        schedules: all_schedules
            .into_iter()
            .filter(|s| !s.is_default && s.valid_from.is_none())
            .map(|s| (s.id, s.name))
            .collect(),
        schedule_id: chosen.schedule_id.unwrap_or_default(),
    })
}

/// Replaces the person's work locations with those ticked (`location_id`, repeated).
pub async fn set_locations(
    State(state): State<AppState>,
    page: Page<Admin>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let location_ids = pairs.into_iter().filter(|(k, _)| k == "location_id").map(|(_, v)| v).collect();
    match locations::assign(&state.app, &page.principal, &id, Assignment { location_ids }, &page.meta).await {
        Ok(_) => saved(page.t),
        Err(e) => failed(page.t, e),
    }
}

#[derive(serde::Deserialize)]
pub struct ScheduleField {
    #[serde(default)]
    schedule_id: String,
}

/// Sets the person's schedule; empty returns them to the default.
pub async fn set_schedule(
    State(state): State<AppState>,
    page: Page<Admin>,
    Path(id): Path<String>,
    Form(f): Form<ScheduleField>,
) -> Response {
    let choice = ScheduleChoice { schedule_id: Some(f.schedule_id).filter(|s| !s.is_empty()) };
    match schedules::assign(&state.app, &page.principal, &id, choice, &page.meta).await {
        Ok(()) => saved(page.t),
        Err(e) => failed(page.t, e),
    }
}
