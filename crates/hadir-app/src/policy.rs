//! The institution's attendance policy (device limit, offline window, thresholds, and what each
//! fraud signal does). Until an administrator changes it, the defaults apply.

use crate::{App, AppError, FieldProblem, Principal, RequestMeta, settings};
use hadir_domain::attendance::AttendancePolicy;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const KEY: &str = "attendance_policy";

/// How long a process keeps a policy it read: every check-in needs it. A change made through
/// this process applies at once; one made through another process within this time.
const CACHE_TTL: Duration = Duration::from_secs(10);

/// Recently read policies, per institution.
#[derive(Default)]
pub struct PolicyCache(Mutex<HashMap<String, (Instant, AttendancePolicy)>>);

impl PolicyCache {
    fn fresh(&self, institution_id: &str) -> Option<AttendancePolicy> {
        let map = self.0.lock().ok()?;
        map.get(institution_id).filter(|(at, _)| at.elapsed() < CACHE_TTL).map(|(_, p)| p.clone())
    }

    fn put(&self, institution_id: &str, policy: &AttendancePolicy) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(institution_id.to_string(), (Instant::now(), policy.clone()));
        }
    }
}

pub async fn get(app: &App, institution_id: &str) -> Result<AttendancePolicy, AppError> {
    if let Some(policy) = app.policies.fresh(institution_id) {
        return Ok(policy);
    }
    let policy: AttendancePolicy = settings::load(app, institution_id, KEY).await?.unwrap_or_default();
    app.policies.put(institution_id, &policy);
    Ok(policy)
}

pub async fn set(
    app: &App,
    principal: &Principal,
    policy: AttendancePolicy,
    meta: &RequestMeta,
) -> Result<AttendancePolicy, AppError> {
    policy.validate().map_err(|e| AppError::Invalid(vec![FieldProblem::new("policy", &e)]))?;
    settings::store(app, principal, KEY, &policy, serde_json::json!({}), meta).await?;
    app.policies.put(&principal.institution_id, &policy);
    Ok(policy)
}
