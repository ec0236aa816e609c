//! The privacy desk's registers and schedule: processors, legal disclosures and breaches (with
//! the 3×24-hour clock and the notices as Markdown or PDF), the record of processing and the DPIA
//! draft; the retention schedule with what the next nightly run would remove, and legal holds.

use super::dpo::time_left;
use super::login::Chrome;
use super::session::{Page, failed, saved};
use super::{labels, render};
use crate::AppState;
use crate::guard::PrivacyOfficer;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, NaiveDateTime};
use hadir_app::registers::{self, BreachInput, DisclosureInput, NoticeFor, ProcessorInput};
use hadir_app::retention::{self, HoldInput};
use hadir_app::{AppError, Rule, people};
use hadir_domain::retention::RetentionPolicy;
use hadir_domain::time_zone::WorkZone;
use serde::Deserialize;

/// The page again after a change.
fn refreshed() -> Response {
    let mut response = axum::http::StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert("hx-refresh", HeaderValue::from_static("true"));
    response
}

pub struct BreachLine {
    pub id: String,
    pub discovered: String,
    pub data: String,
    pub people: u32,
    pub clock: String,
    pub overdue: bool,
    pub subjects_notified: String,
    pub authority_notified: String,
}

#[derive(Template)]
#[template(path = "dpo_registers.html")]
struct RegistersPage {
    c: Chrome,
    processors: Vec<(String, String, String, String)>,
    disclosures: Vec<(String, String, String, String, String)>,
    breaches: Vec<BreachLine>,
}

pub async fn page(State(state): State<AppState>, page: Page<PrivacyOfficer>) -> Response {
    let (t, p) = (page.t, &page.principal);
    let loaded = async {
        Ok::<_, AppError>((
            page.own_name(&state.app).await?,
            registers::processors(&state.app, p).await?,
            registers::disclosures(&state.app, p).await?,
            registers::breaches(&state.app, p).await?,
            page.zone(&state.app).await?,
        ))
    };
    let (name, processors, disclosures, breaches, zone) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let now = state.app.clock.now().timestamp_millis();
    let yes_no = |told: bool| t.get(if told { "yes" } else { "no" });
    render(&RegistersPage {
        c: Chrome::of(&page, name, "/dpo/register"),
        processors: processors.into_iter().map(|x| (x.name, x.processes, x.purpose, x.contract_reference)).collect(),
        disclosures: disclosures
            .into_iter()
            .map(|d| {
                (labels::moment(zone, d.disclosed_at), d.authority, d.legal_basis, d.disclosed, yes_no(d.subject_told))
            })
            .collect(),
        breaches: breaches
            .into_iter()
            .map(|b| {
                let open = b.subjects_notified_at.is_none() || b.authority_notified_at.is_none();
                BreachLine {
                    discovered: labels::moment(zone, b.discovered_at),
                    clock: if open { time_left(t, b.notify_by - now) } else { String::new() },
                    overdue: b.overdue,
                    subjects_notified: b.subjects_notified_at.map(|at| labels::moment(zone, at)).unwrap_or_default(),
                    authority_notified: b.authority_notified_at.map(|at| labels::moment(zone, at)).unwrap_or_default(),
                    people: b.people_affected,
                    data: b.data_affected,
                    id: b.id,
                }
            })
            .collect(),
    })
}

/// A date and time typed in a form (`2026-11-29T10:30`), read in the institution's zone;
/// `field` names the input when it is not one.
fn instant(zone: WorkZone, field: &str, text: &str) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let local = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        })
        .map_err(|_| AppError::field(field, &Rule::NotADate))?;
    Ok(local.and_local_timezone(zone.offset()).single().map(|t| t.to_utc()).unwrap_or_else(|| local.and_utc()))
}

#[derive(Deserialize)]
pub struct ProcessorForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    processes: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    contract_reference: String,
}

pub async fn add_processor(
    State(state): State<AppState>,
    page: Page<PrivacyOfficer>,
    Form(f): Form<ProcessorForm>,
) -> Response {
    let input = ProcessorInput {
        name: f.name,
        processes: f.processes,
        purpose: f.purpose,
        contract_reference: f.contract_reference,
    };
    match registers::add_processor(&state.app, &page.principal, input, &page.meta).await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Deserialize)]
pub struct DisclosureForm {
    #[serde(default)]
    authority: String,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    disclosed: String,
    #[serde(default)]
    disclosed_at: String,
    #[serde(default)]
    subject_told: Option<String>,
}

pub async fn add_disclosure(
    State(state): State<AppState>,
    page: Page<PrivacyOfficer>,
    Form(f): Form<DisclosureForm>,
) -> Response {
    let result = async {
        let disclosed_at = instant(page.zone(&state.app).await?, "disclosed_at", &f.disclosed_at)?;
        let subject_told = f.subject_told.is_some();
        let input = DisclosureInput {
            authority: f.authority,
            legal_basis: f.legal_basis,
            disclosed: f.disclosed,
            disclosed_at,
            subject_told,
            subject_told_at: subject_told.then(|| state.app.clock.now()),
        };
        registers::add_disclosure(&state.app, &page.principal, input, &page.meta).await
    };
    match result.await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Deserialize)]
pub struct BreachForm {
    #[serde(default)]
    discovered_at: String,
    #[serde(default)]
    occurred: String,
    #[serde(default)]
    data_affected: String,
    #[serde(default)]
    how: String,
    #[serde(default)]
    remediation: String,
    #[serde(default)]
    people_affected: String,
    #[serde(default)]
    contact: String,
}

pub async fn record_breach(
    State(state): State<AppState>,
    page: Page<PrivacyOfficer>,
    Form(f): Form<BreachForm>,
) -> Response {
    let result = async {
        let discovered_at = instant(page.zone(&state.app).await?, "discovered_at", &f.discovered_at)?;
        let people_affected =
            f.people_affected.trim().parse().map_err(|_| AppError::field("people_affected", &Rule::NotANumber))?;
        let input = BreachInput {
            discovered_at,
            occurred: f.occurred,
            data_affected: f.data_affected,
            how: f.how,
            remediation: f.remediation,
            people_affected,
            contact: f.contact,
        };
        registers::record_breach(&state.app, &page.principal, input, &page.meta).await
    };
    match result.await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Deserialize)]
pub struct Audience {
    to: NoticeFor,
}

/// Records that the notice went out now (to the people affected, or to the authority).
pub async fn notified(
    State(state): State<AppState>,
    page: Page<PrivacyOfficer>,
    Path(id): Path<String>,
    Query(q): Query<Audience>,
) -> Response {
    match registers::mark_notified(&state.app, &page.principal, &id, q.to, &page.meta).await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Template)]
#[template(path = "dpo_retention.html")]
struct RetentionPage {
    c: Chrome,
    policy: RetentionPolicy,
    /// What the next nightly run would remove.
    due: retention::Report,
    holds: Vec<(String, String, String, String, String, bool)>,
    edits: bool,
}

impl RetentionPage {
    /// Each period of the schedule: field name, days, and its label's text key.
    fn periods(&self) -> [(&'static str, u32, &'static str); 9] {
        let p = &self.policy;
        [
            ("checkin_photo_days", p.checkin_photo_days, "dpo-keep-photos"),
            ("exact_location_days", p.exact_location_days, "dpo-keep-locations"),
            ("attendance_record_days", p.attendance_record_days, "dpo-keep-records"),
            ("access_log_days", p.access_log_days, "dpo-keep-access"),
            ("leave_document_days", p.leave_document_days, "dpo-keep-letters"),
            ("leave_record_days", p.leave_record_days, "dpo-keep-leave"),
            ("retired_device_days", p.retired_device_days, "dpo-keep-devices"),
            ("departed_account_days", p.departed_account_days, "dpo-keep-accounts"),
            ("consent_ledger_days", p.consent_ledger_days, "dpo-keep-consents"),
        ]
    }
}

pub async fn retention(State(state): State<AppState>, page: Page<PrivacyOfficer>) -> Response {
    let (t, p) = (page.t, &page.principal);
    let loaded = async {
        Ok::<_, AppError>((
            page.own_name(&state.app).await?,
            retention::policy(&state.app, &p.institution_id).await?,
            retention::preview(&state.app, p).await?,
            retention::holds(&state.app, p).await?,
            page.zone(&state.app).await?,
        ))
    };
    let (name, policy, due, holds, zone) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    render(&RetentionPage {
        c: Chrome::of(&page, name, "/dpo/retensi"),
        policy,
        due,
        holds: holds
            .into_iter()
            .map(|h| {
                (
                    h.id,
                    h.person_name,
                    h.reference,
                    h.reason,
                    labels::moment(zone, h.created_at),
                    h.released_at.is_none(),
                )
            })
            .collect(),
        edits: p.is_institution_admin(),
    })
}

/// The schedule's periods as typed, by field name.
#[derive(Deserialize)]
pub struct PolicyForm(std::collections::HashMap<String, String>);

/// Saves the schedule (institution administrators; the use case refuses others).
pub async fn save_policy(
    State(state): State<AppState>,
    page: Page<PrivacyOfficer>,
    Form(f): Form<PolicyForm>,
) -> Response {
    let result = async {
        let days = |field: &str| {
            f.0.get(field)
                .and_then(|text| text.trim().parse::<u32>().ok())
                .ok_or_else(|| AppError::field(field, &Rule::NotANumber))
        };
        let policy = RetentionPolicy {
            checkin_photo_days: days("checkin_photo_days")?,
            exact_location_days: days("exact_location_days")?,
            attendance_record_days: days("attendance_record_days")?,
            access_log_days: days("access_log_days")?,
            leave_document_days: days("leave_document_days")?,
            leave_record_days: days("leave_record_days")?,
            retired_device_days: days("retired_device_days")?,
            departed_account_days: days("departed_account_days")?,
            consent_ledger_days: days("consent_ledger_days")?,
        };
        if !page.principal.is_institution_admin() {
            return Err(AppError::Forbidden);
        }
        retention::set_policy(&state.app, &page.principal, policy, &page.meta).await
    };
    match result.await {
        Ok(_) => saved(page.t),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Deserialize)]
pub struct HoldForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    reason: String,
}

/// Places a hold on a person's data, found by their NIP or e-mail.
pub async fn hold(State(state): State<AppState>, page: Page<PrivacyOfficer>, Form(f): Form<HoldForm>) -> Response {
    let result = async {
        let (person_id, _) = people::find_for_privacy_desk(&state.app, &page.principal, &f.login)
            .await?
            .ok_or_else(|| AppError::field("login", &Rule::UnknownPerson))?;
        let input = HoldInput { person_id, reference: f.reference, reason: f.reason };
        retention::hold(&state.app, &page.principal, input, &page.meta).await
    };
    match result.await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}

pub async fn release(State(state): State<AppState>, page: Page<PrivacyOfficer>, Path(id): Path<String>) -> Response {
    match retention::release(&state.app, &page.principal, &id, &page.meta).await {
        Ok(_) => refreshed(),
        Err(e) => failed(page.t, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_moment_is_read_in_the_institutions_zone() {
        let at = |zone, text| instant(zone, "x", text).unwrap().to_rfc3339();
        assert_eq!(at(WorkZone::Jakarta, "2026-11-29T10:30"), "2026-11-29T03:30:00+00:00");
        assert_eq!(at(WorkZone::Jakarta, "2026-11-29"), "2026-11-28T17:00:00+00:00");
        assert_eq!(at(WorkZone::Makassar, "2026-11-29T10:30"), "2026-11-29T02:30:00+00:00");
        let Err(AppError::Invalid(problems)) = instant(WorkZone::Jakarta, "discovered_at", "kemarin") else {
            panic!("refused")
        };
        assert_eq!(problems[0].field, "discovered_at");
    }
}
