//! A person's month: the status of each day, the TL/PSW counts and deduction, and the check-ins
//! with their photos — for the employee (*Riwayat*) and, for an administrator or supervisor, for
//! someone they manage (the dashboard's drill-down; the read is in the person's access log).

use super::employee::{EventLine, event_line};
use super::login::Chrome;
use super::session::{Page, failed};
use super::{labels, render};
use crate::AppState;
use crate::guard::{Decider, Policy};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hadir_app::{AppError, attendance, institutions, locations, people, recap};
use hadir_domain::time_zone::WorkZone;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
pub struct MonthQuery {
    #[serde(default)]
    bulan: Option<String>,
}

pub struct DayLine {
    pub date: String,
    pub status: String,
    pub bad: bool,
    pub deduction: String,
}

#[derive(Template)]
#[template(path = "history.html")]
struct History {
    c: Chrome,
    /// Where the month picker sends its choice.
    action: String,
    /// Whose month, when it is not the reader's own.
    subject: Option<String>,
    month: String,
    days: Vec<DayLine>,
    present: u32,
    late: String,
    early: String,
    absent: u32,
    leave: u32,
    deduction: String,
    events: Vec<(String, String, EventLine, bool)>,
}

/// Each work site's zone, and the institution's for an event with no site: times are shown as
/// they were at the site.
async fn zones(state: &AppState, p: &hadir_app::Principal) -> Result<(HashMap<String, WorkZone>, WorkZone), AppError> {
    let sites = locations::list(&state.app, p).await?.into_iter().map(|l| (l.id, l.time_zone)).collect();
    Ok((sites, institutions::current(&state.app, p).await?.time_zone))
}

async fn month_page<P: Policy>(
    state: &AppState,
    page: &Page<P>,
    person: &str,
    month: Option<String>,
    path: &'static str,
    action: String,
) -> Response {
    let (t, p) = (page.t, &page.principal);
    let loaded = async {
        let (sites, home) = zones(state, p).await?;
        let month = month.filter(|m| !m.is_empty()).unwrap_or_else(|| labels::this_month(home, state.app.clock.now()));
        let name = page.own_name(&state.app).await?;
        let subject = match person == p.person_id {
            true => None,
            false => {
                Some(people::names_of(&state.app, p, [person.to_string()]).await?.remove(person).unwrap_or_default())
            }
        };
        let result = recap::person_month(&state.app, p, person, &month).await?;
        let days = recap::month_days(&month)?;
        let (from, to) = (days[0].to_string(), days[days.len() - 1].to_string());
        let events = attendance::history(&state.app, p, person, &from, &to).await?;
        Ok::<_, AppError>((name, subject, result, events, (sites, home), month))
    };
    let (name, subject, result, events, (sites, home), month) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let counts = |levels: &[u32; 4], prefix: &str| {
        levels.iter().enumerate().map(|(i, n)| format!("{prefix}{} {n}", i + 1)).collect::<Vec<_>>().join(" · ")
    };
    let totals = &result.totals;
    render(&History {
        c: Chrome::of(page, name, path),
        action,
        subject,
        days: result
            .days
            .iter()
            .rev()
            .map(|d| DayLine {
                date: labels::date(t, d.date),
                status: labels::day(t, &d.status, d.code.as_deref()),
                bad: labels::day_is_bad(&d.status),
                deduction: if d.deduction.0 > 0 { labels::percent(t, d.deduction.0) } else { String::new() },
            })
            .collect(),
        present: totals.present_days,
        late: counts(&totals.late, "TL"),
        early: counts(&totals.early, "PSW"),
        absent: totals.absent_days,
        leave: totals.leave_days,
        deduction: labels::percent(t, totals.deduction.0),
        events: events
            .iter()
            .map(|e| {
                let zone = e.location_id.as_ref().and_then(|l| sites.get(l)).copied().unwrap_or(home);
                (e.id.clone(), e.local_date.clone(), event_line(t, zone, e), e.has_photo)
            })
            .collect(),
        month,
    })
}

/// The employee's own month (*Riwayat*).
pub async fn mine(State(state): State<AppState>, page: Page, Query(q): Query<MonthQuery>) -> Response {
    let me = page.principal.person_id.clone();
    month_page(&state, &page, &me, q.bulan, "/app/riwayat", "/app/riwayat".into()).await
}

/// Someone's month, for the administrator of their unit (from today's board or their page) or
/// their direct supervisor.
pub async fn of_person(
    State(state): State<AppState>,
    page: Page<Decider>,
    Path(id): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Response {
    let action = format!("/admin/orang/{id}/bulan");
    month_page(&state, &page, &id, q.bulan, "/admin/orang", action).await
}
