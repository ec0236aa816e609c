//! `/api/v1`: one module per resource. Every handler is documented with `utoipa::path` and
//! registered through `routes!`, so the OpenAPI document at `/api/v1/openapi.json` covers every
//! endpoint by construction.

pub mod attendance;
pub mod auth;
pub mod away;
pub mod calendar;
pub mod consent;
pub mod devices;
pub mod downloads;
pub mod health;
pub mod institutions;
pub mod kiosks;
pub mod leave;
pub mod locations;
pub mod people;
pub mod recap;
pub mod registers;
pub mod retention;
pub mod subject_requests;
pub mod units;

use crate::AppState;
use crate::problem::ApiError;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub type ApiResult<T> = Result<T, ApiError>;

/// The shape of every error body (RFC 9457 problem details).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ProblemBody {
    /// `urn:hadir:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The message, in the language chosen by `Accept-Language` (Indonesian by default).
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code, e.g. `invalid_credentials`, `id_birth_date`.
    pub code: String,
    /// Per-field problems, for `422`.
    pub errors: Vec<FieldProblemBody>,
    pub request_id: Option<String>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct FieldProblemBody {
    /// The field, as a JSON path (`employee_number`, `geofence.radius_m`).
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hadir API",
        description = "Presensi dan kinerja — attendance and performance for Indonesian institutions. \
            Errors are `application/problem+json` with a stable `code`; messages follow `Accept-Language` \
            (Indonesian by default, English on request).",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&SecurityAddon),
    components(schemas(ProblemBody, FieldProblemBody)),
    tags(
        (name = "auth", description = "Sign-in, sessions, password"),
        (name = "people", description = "Employees and students, their logins and roles"),
        (name = "units", description = "The organisation tree"),
        (name = "locations", description = "Work locations, geofences and schedules"),
        (name = "attendance", description = "Check-in and check-out, kiosk tokens, review"),
        (name = "devices", description = "Phones and the attendance policy"),
        (name = "leave", description = "Leave and absence requests, balances"),
        (name = "privacy", description = "Data-subject requests, retention, legal holds, registers"),
        (name = "calendar", description = "Holidays, cuti bersama and the discipline table"),
        (name = "institutions", description = "Tenants"),
        (name = "audit", description = "The audit log of writes"),
        (name = "downloads", description = "Files prepared in the background: recap exports, import reports")
    )
)]
struct ApiDoc;

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::guard::SESSION_COOKIE))),
        );
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    // Photo uploads get a larger body limit than the rest of the API.
    let uploads = OpenApiRouter::new()
        .routes(routes!(devices::register, devices::mine))
        .routes(routes!(attendance::check_in))
        .routes(routes!(leave::request, leave::mine))
        .layer(axum::extract::DefaultBodyLimit::max(crate::multipart::UPLOAD_LIMIT));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(uploads)
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::change_password))
        .routes(routes!(auth::list_sessions))
        .routes(routes!(auth::revoke_session))
        .routes(routes!(auth::me))
        .routes(routes!(auth::my_access_log))
        .routes(routes!(institutions::current, institutions::update))
        .routes(routes!(institutions::list, institutions::create))
        .routes(routes!(institutions::audit_log))
        .routes(routes!(units::list, units::create))
        .routes(routes!(units::get, units::update))
        .routes(routes!(people::list, people::create))
        .routes(routes!(people::get, people::update))
        .routes(routes!(people::get_account, people::create_account))
        .routes(routes!(people::reset_password))
        .routes(routes!(people::grant_role))
        .routes(routes!(people::revoke_role))
        .routes(routes!(locations::list, locations::create))
        .routes(routes!(locations::get, locations::update))
        .routes(routes!(locations::schedules, locations::create_schedule))
        .routes(routes!(locations::update_schedule, locations::delete_schedule))
        .routes(routes!(locations::assigned_schedule, locations::assign_schedule))
        .routes(routes!(calendar::list, calendar::create))
        .routes(routes!(calendar::update, calendar::delete))
        .routes(routes!(calendar::import))
        .routes(routes!(calendar::get_discipline, calendar::set_discipline))
        .routes(routes!(devices::pending))
        .routes(routes!(devices::approve))
        .routes(routes!(devices::reject))
        .routes(routes!(devices::selfie))
        .routes(routes!(devices::reset))
        .routes(routes!(devices::get_policy, devices::set_policy))
        .routes(routes!(locations::assigned, locations::assign))
        .routes(routes!(attendance::kiosk_token))
        .routes(routes!(attendance::history))
        .routes(routes!(attendance::photo))
        .routes(routes!(attendance::review_queue))
        .routes(routes!(attendance::review))
        .routes(routes!(recap::person_month))
        .routes(routes!(recap::unit_recap))
        .routes(routes!(recap::units_recap))
        .routes(routes!(recap::units_recap_csv))
        .routes(routes!(people::import))
        .routes(routes!(people::import_job))
        .routes(routes!(recap::today))
        .routes(routes!(recap::today_people))
        .routes(routes!(recap::unit_recap_csv))
        .routes(routes!(recap::unit_recap_xlsx))
        .routes(routes!(recap::unit_recap_pdf))
        .routes(routes!(recap::request_export))
        .routes(routes!(kiosks::create, kiosks::list))
        .routes(routes!(kiosks::revoke))
        .routes(routes!(kiosks::pair))
        .routes(routes!(kiosks::screen))
        .routes(routes!(downloads::mine))
        .routes(routes!(downloads::one))
        .routes(routes!(downloads::file))
        .routes(routes!(recap::absences))
        .routes(routes!(leave::pending))
        .routes(routes!(leave::decide))
        .routes(routes!(leave::cancel))
        .routes(routes!(leave::document))
        .routes(routes!(retention::get_policy, retention::set_policy))
        .routes(routes!(retention::preview))
        .routes(routes!(retention::holds, retention::hold))
        .routes(routes!(retention::release))
        .routes(routes!(subject_requests::file, subject_requests::mine))
        .routes(routes!(subject_requests::desk))
        .routes(routes!(subject_requests::advance))
        .routes(routes!(subject_requests::rectify))
        .routes(routes!(subject_requests::erasure_plan, subject_requests::erase))
        .routes(routes!(registers::processors, registers::add_processor))
        .routes(routes!(registers::disclosures, registers::add_disclosure))
        .routes(routes!(registers::breaches, registers::record_breach))
        .routes(routes!(registers::notice))
        .routes(routes!(registers::notified))
        .routes(routes!(registers::ropa))
        .routes(routes!(registers::dpia))
        .routes(routes!(consent::current))
        .routes(routes!(consent::publish))
        .routes(routes!(consent::set_purposes))
        .routes(routes!(consent::mine, consent::decide))
        .routes(routes!(consent::of_person))
        .routes(routes!(consent::give_feedback))
        .routes(routes!(consent::feedback))
        .routes(routes!(leave::balance))
        .routes(routes!(leave::openings))
        .routes(routes!(leave::set_opening))
        .routes(routes!(leave::get_policy, leave::set_policy))
        .routes(routes!(away::propose, away::mine))
        .routes(routes!(away::pending))
        .routes(routes!(away::decide))
        .routes(routes!(away::duties, away::assign_duty))
}
