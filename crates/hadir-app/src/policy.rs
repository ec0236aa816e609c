//! The institution's attendance policy (device limit, offline window, thresholds, and what each
//! fraud signal does). Until an administrator changes it, the defaults apply.

use crate::{App, AppError, FieldProblem, Principal, RequestMeta, settings};
use hadir_domain::attendance::AttendancePolicy;

const KEY: &str = "attendance_policy";

pub async fn get(app: &App, institution_id: &str) -> Result<AttendancePolicy, AppError> {
    Ok(settings::load(app, institution_id, KEY).await?.unwrap_or_default())
}

pub async fn set(
    app: &App,
    principal: &Principal,
    policy: AttendancePolicy,
    meta: &RequestMeta,
) -> Result<AttendancePolicy, AppError> {
    policy.validate().map_err(|e| AppError::Invalid(vec![FieldProblem::new("policy", &e)]))?;
    settings::store(app, principal, KEY, &policy, serde_json::json!({}), meta).await?;
    Ok(policy)
}
