//! Hadir's use cases. Each public function is one thing a person or the system does: it checks
//! who is asking ([`Principal`]), opens one transaction, applies the domain rules, writes the
//! audit trail and commits — or changes nothing.
//!
//! Tenant isolation lives here and in the schema: every query filters by the principal's
//! institution, which comes from the session and never from the request.

pub mod access_log;
pub mod accounts;
pub mod attendance;
pub mod audit;
pub mod auth;
mod batch;
mod cache;
pub mod calendar;
pub mod clock;
pub mod consent;
pub mod demo;
pub mod devices;
pub mod discipline;
pub mod downloads;
pub mod duty;
pub mod error;
pub mod institutions;
pub mod jobs;
pub mod keys;
pub mod kiosks;
pub mod leave;
pub mod locations;
pub mod my_day;
pub mod passwords;
pub mod people;
pub mod people_import;
pub mod policy;
pub mod principal;
#[cfg(test)]
mod query_plan;
pub mod recap;
pub mod registers;
pub mod retention;
pub mod schedules;
pub mod sealing;
mod session_activity;
mod settings;
pub mod subject_actions;
pub mod subject_export;
pub mod subject_rights;
mod throttle;
pub mod thumbnails;
pub mod units;
pub mod wfh;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{AppError, FieldProblem, Rule};
pub use principal::{Principal, RequestMeta};

use chrono::Duration;
use hadir_db::Objects;
use passwords::{PasswordCost, Passwords};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Settings the use cases need; loaded by the binary from configuration.
#[derive(Clone, Debug)]
pub struct AppSettings {
    /// How long a browser session lasts after login.
    pub browser_session_ttl: Duration,
    /// How long a phone app's bearer token lasts after login.
    pub app_session_ttl: Duration,
    pub password_cost: PasswordCost,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            browser_session_ttl: Duration::hours(12),
            app_session_ttl: Duration::days(90),
            password_cost: PasswordCost::default(),
        }
    }
}

/// Everything a use case may touch. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub db: DatabaseConnection,
    pub objects: Objects,
    pub clock: Arc<dyn Clock>,
    pub passwords: Passwords,
    pub settings: AppSettings,
    /// Seals and opens specific personal data (NIK, health documents).
    pub keys: Arc<sealing::Keyring>,
    policies: Arc<cache::Recent<String, Arc<hadir_domain::attendance::AttendancePolicy>>>,
    principals: Arc<cache::Recent<String, (Arc<Principal>, i64)>>,
    event_writer: Arc<attendance::EventWriter>,
    recent_reader: Arc<attendance::RecentReader>,
    profile_reader: Arc<attendance::ProfileReader>,
    session_reader: Arc<auth::SessionReader>,
    activity: Arc<session_activity::ActivityRecorder>,
    checkin_profiles: Arc<cache::Recent<(String, String), Arc<attendance::Profile>>>,
    secrets: Arc<settings::SecretCache>,
    /// How far the jobs this process runs have got.
    progress: Arc<jobs::Running>,
}

impl App {
    pub fn new(
        db: DatabaseConnection,
        objects: Objects,
        clock: Arc<dyn Clock>,
        settings: AppSettings,
        keys: sealing::Keyring,
    ) -> App {
        App {
            event_writer: Arc::new(attendance::EventWriter::new(&db)),
            db,
            objects,
            clock,
            passwords: Passwords::new(settings.password_cost),
            settings,
            keys: Arc::new(keys),
            policies: Arc::new(cache::Recent::new(policy::CACHE_TTL)),
            principals: Arc::new(cache::Recent::new(auth::PRINCIPAL_TTL)),
            recent_reader: Arc::default(),
            profile_reader: Arc::default(),
            session_reader: Arc::default(),
            activity: Arc::default(),
            checkin_profiles: Arc::new(cache::Recent::new(attendance::PROFILE_TTL)),
            secrets: Arc::new(settings::SecretCache::default()),
            progress: Arc::default(),
        }
    }

    fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }
}

/// A new row identifier: UUIDv7, so keys sort by creation time.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
