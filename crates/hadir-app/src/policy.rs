//! The institution's attendance policy (device limit, offline window, thresholds, and what each
//! fraud signal does). Until an administrator changes it, the defaults apply.

use crate::{App, AppError, FieldProblem, Principal, RequestMeta, settings};
use hadir_domain::attendance::AttendancePolicy;
use std::sync::Arc;
use std::time::Duration;

const KEY: &str = "attendance_policy";

/// How long a process keeps a policy it read: every check-in needs it.
pub(crate) const CACHE_TTL: Duration = Duration::from_secs(10);

pub async fn get(app: &App, institution_id: &str) -> Result<Arc<AttendancePolicy>, AppError> {
    if let Some(policy) = app.policies.get(institution_id) {
        return Ok(policy);
    }
    let policy: Arc<AttendancePolicy> =
        Arc::new(settings::load(&app.db, institution_id, KEY).await?.unwrap_or_default());
    app.policies.put(institution_id.to_string(), policy.clone());
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
    app.policies.put(principal.institution_id.clone(), Arc::new(policy.clone()));
    Ok(policy)
}
