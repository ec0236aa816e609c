//! Phones people check in with. A person registers a phone with a live selfie; a unit
//! administrator approves it (or rejects it, with a reason). Approving one more phone than the
//! institution allows retires the oldest; an administrator can reset a person's phones.

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, attendance, new_id, policy};
use hadir_db::entities::{device, person};
use hadir_domain::person as rules;
use hadir_domain::photo::{PhotoLimits, clean_jpeg};
use hadir_domain::{Explain, Lang};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    Pending,
    Approved,
    Rejected,
    Retired,
}

impl DeviceStatus {
    fn as_str(self) -> &'static str {
        match self {
            DeviceStatus::Pending => "pending",
            DeviceStatus::Approved => "approved",
            DeviceStatus::Rejected => "rejected",
            DeviceStatus::Retired => "retired",
        }
    }

    fn parse(s: &str) -> DeviceStatus {
        match s {
            "approved" => DeviceStatus::Approved,
            "rejected" => DeviceStatus::Rejected,
            "retired" => DeviceStatus::Retired,
            _ => DeviceStatus::Pending,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeviceView {
    pub id: String,
    pub person_id: String,
    /// The id the phone generated for itself.
    pub device_id: String,
    pub model: Option<String>,
    pub os: Option<String>,
    pub status: DeviceStatus,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    /// Registered with a selfie: not when the person withholds consent to selfies, nor once an
    /// erasure or retention removed it.
    pub has_selfie: bool,
}

impl From<device::Model> for DeviceView {
    fn from(d: device::Model) -> Self {
        DeviceView {
            status: DeviceStatus::parse(&d.status),
            id: d.id,
            person_id: d.person_id,
            device_id: d.device_key,
            model: d.model,
            os: d.os,
            reason: d.reason,
            created_at: d.created_at,
            decided_at: d.decided_at,
            has_selfie: !d.photo_key.is_empty(),
        }
    }
}

/// What the phone says about itself when registering (the `metadata` part).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceRegistration {
    /// Generated on the phone and kept there: 8–100 letters, digits, `-`, `_`, `:` or `.`.
    pub device_id: String,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
}

#[derive(Clone, Copy)]
enum DeviceRule {
    IdFormat,
    AlreadyDecided,
}

impl Explain for DeviceRule {
    fn code(&self) -> &'static str {
        match self {
            DeviceRule::IdFormat => "device_id_format",
            DeviceRule::AlreadyDecided => "device_already_decided",
        }
    }
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (DeviceRule::IdFormat, Lang::Id) => "ID perangkat 8-100 karakter: huruf, angka, '-', '_', ':', '.'".into(),
            (DeviceRule::IdFormat, Lang::En) => {
                "Device id is 8-100 characters: letters, digits, '-', '_', ':', '.'".into()
            }
            (DeviceRule::AlreadyDecided, Lang::Id) => "Perangkat ini sudah diputuskan".into(),
            (DeviceRule::AlreadyDecided, Lang::En) => "This device was already decided".into(),
        }
    }
}

/// The object-store key of a photo: its content hash, so identical bytes are stored once.
pub(crate) fn photo_key(institution_id: &str, bytes: &[u8]) -> String {
    let hash = format!("{:x}", Sha256::digest(bytes));
    format!("photos/{institution_id}/{}/{hash}.jpg", &hash[..2])
}

/// Every folder an institution's photos ([`photo_key`]) and their thumbnails can go into: one
/// per first byte of the hash.
pub(crate) fn photo_folders(institution_id: &str) -> Vec<String> {
    (0..=u8::MAX)
        .map(|byte| format!("photos/{institution_id}/{byte:02x}"))
        .flat_map(|photos| {
            let thumbs = crate::thumbnails::key_of(&photos);
            std::iter::once(photos).chain(thumbs)
        })
        .collect()
}

fn optional_text(field: &str, value: Option<&str>, problems: &mut Vec<FieldProblem>) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    rules::text(value, 100).map_err(|e| problems.push(FieldProblem::new(field, &e))).ok()
}

/// Registers the principal's phone with a live selfie; it waits for approval.
pub async fn register(
    app: &App,
    principal: &Principal,
    reg: DeviceRegistration,
    selfie: Option<Vec<u8>>,
    meta: &RequestMeta,
) -> Result<DeviceView, AppError> {
    let mut problems = Vec::new();
    let key = reg.device_id.trim().to_string();
    let key_ok = (8..=100).contains(&key.len())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
    if !key_ok {
        problems.push(FieldProblem::new("device_id", &DeviceRule::IdFormat));
    }
    let model = optional_text("model", reg.model.as_deref(), &mut problems);
    let os = optional_text("os", reg.os.as_deref(), &mut problems);
    // Without consent to selfies (where the institution asks for it), the phone is registered
    // without one and whoever approves it knows the person by other means; a selfie sent anyway
    // is not kept.
    let photos = crate::consent::photos_allowed(app, &principal.institution_id, &principal.person_id).await?;
    let photo = match selfie.filter(|_| photos) {
        None if photos => {
            problems.push(FieldProblem::new("selfie", &rules::FieldError::Empty));
            None
        }
        None => None,
        Some(bytes) => {
            clean_jpeg(&bytes, PhotoLimits::default()).map_err(|e| problems.push(FieldProblem::new("selfie", &e))).ok()
        }
    };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let photo_key = match photo {
        Some(photo) => {
            let key = photo_key(&principal.institution_id, &photo.bytes);
            // Content-addressed, so a retry or a failed insert below leaves at most one harmless object.
            app.objects.put(&key, photo.bytes).await.map_err(|e| AppError::Internal(format!("object store: {e}")))?;
            key
        }
        None => String::new(),
    };

    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let live = device::Entity::find()
        .filter(device::Column::InstitutionId.eq(&principal.institution_id))
        .filter(device::Column::PersonId.eq(&principal.person_id))
        .filter(device::Column::DeviceKey.eq(&key))
        .filter(device::Column::Status.is_in(["pending", "approved"]))
        .one(&txn)
        .await?;
    if live.is_some() {
        return Err(AppError::Conflict { code: "device_already_registered", field: "device_id" });
    }
    let model = device::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        person_id: principal.person_id.clone(),
        device_key: key,
        model,
        os,
        user_agent: meta.user_agent.as_ref().map(|ua| ua.chars().take(300).collect()),
        status: DeviceStatus::Pending.as_str().into(),
        photo_key,
        reason: None,
        decided_by: None,
        decided_at: None,
        retired_at: None,
        created_at: now_ms,
    };
    device::Entity::insert(device::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "device.register", "device", Some(&model.id))).await?;
    txn.commit().await?;
    Ok(model.into())
}

/// The principal's own phones, newest first.
pub async fn mine(app: &App, principal: &Principal) -> Result<Vec<DeviceView>, AppError> {
    Ok(device::Entity::find()
        .filter(device::Column::InstitutionId.eq(&principal.institution_id))
        .filter(device::Column::PersonId.eq(&principal.person_id))
        .order_by_desc(device::Column::CreatedAt)
        .all(&app.db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Whether the principal administers the person (is their unit in scope?).
async fn administers(conn: &impl ConnectionTrait, principal: &Principal, person_id: &str) -> Result<bool, AppError> {
    Ok(person::Entity::find_by_id((principal.institution_id.clone(), person_id.to_string()))
        .one(conn)
        .await?
        .is_some_and(|p| principal.admin_scope.covers_unit(p.unit_id.as_ref())))
}

/// Registrations waiting for a decision, of people in the principal's scope, oldest first.
pub async fn pending(app: &App, principal: &Principal) -> Result<Vec<DeviceView>, AppError> {
    if !principal.is_admin() {
        return Err(AppError::Forbidden);
    }
    let waiting = device::Entity::find()
        .filter(device::Column::InstitutionId.eq(&principal.institution_id))
        .filter(device::Column::Status.eq("pending"))
        .order_by_asc(device::Column::CreatedAt)
        .all(&app.db)
        .await?;
    let people =
        crate::people::by_ids(app, &principal.institution_id, waiting.iter().map(|d| d.person_id.clone())).await?;
    let in_scope = |d: &device::Model| {
        people.get(&d.person_id).is_some_and(|p| principal.admin_scope.covers_unit(p.unit_id.as_ref()))
    };
    Ok(waiting.into_iter().filter(in_scope).map(Into::into).collect())
}

/// A device the principal may decide on: pending-or-not, of a person in their scope.
async fn administered(conn: &impl ConnectionTrait, principal: &Principal, id: &str) -> Result<device::Model, AppError> {
    let d = device::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound("device"))?;
    if administers(conn, principal, &d.person_id).await? { Ok(d) } else { Err(AppError::NotFound("device")) }
}

fn decided(
    mut d: device::ActiveModel,
    status: DeviceStatus,
    principal: &Principal,
    reason: Option<String>,
    now_ms: i64,
) -> device::ActiveModel {
    use sea_orm::ActiveValue::Set;
    d.status = Set(status.as_str().into());
    d.reason = Set(reason);
    d.decided_by = Set(Some(principal.account_id.clone()));
    d.decided_at = Set(Some(now_ms));
    d
}

/// Approves a pending phone. If the person would then have more approved phones than the
/// institution allows, the oldest are retired.
pub async fn approve(app: &App, principal: &Principal, id: &str, meta: &RequestMeta) -> Result<DeviceView, AppError> {
    let limit = usize::from(policy::get(app, &principal.institution_id).await?.max_active_devices);
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let d = administered(&txn, principal, id).await?;
    if d.status != "pending" {
        return Err(AppError::field("status", &DeviceRule::AlreadyDecided));
    }
    let person_id = d.person_id.clone();
    let approved = decided(d.into(), DeviceStatus::Approved, principal, None, now_ms).update(&txn).await?;
    let active = device::Entity::find()
        .filter(device::Column::InstitutionId.eq(&principal.institution_id))
        .filter(device::Column::PersonId.eq(&person_id))
        .filter(device::Column::Status.eq("approved"))
        .filter(device::Column::Id.ne(id))
        .order_by_desc(device::Column::DecidedAt)
        .all(&txn)
        .await?;
    for old in active.into_iter().skip(limit.saturating_sub(1)) {
        let old_id = old.id.clone();
        retire(&txn, old, now_ms).await?;
        audit::record(&txn, now_ms, meta, Entry::by(principal, "device.retire", "device", Some(&old_id))).await?;
    }
    audit::record(&txn, now_ms, meta, Entry::by(principal, "device.approve", "device", Some(id))).await?;
    txn.commit().await?;
    attendance::forget_profile(app, &principal.institution_id, &person_id);
    Ok(approved.into())
}

async fn retire(conn: &impl ConnectionTrait, d: device::Model, now_ms: i64) -> Result<(), AppError> {
    use sea_orm::ActiveValue::Set;
    let mut active: device::ActiveModel = d.into();
    active.status = Set(DeviceStatus::Retired.as_str().into());
    active.retired_at = Set(Some(now_ms));
    active.update(conn).await?;
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// Shown to the person, so they can register again properly.
    pub reason: String,
}

pub async fn reject(
    app: &App,
    principal: &Principal,
    id: &str,
    req: Rejection,
    meta: &RequestMeta,
) -> Result<DeviceView, AppError> {
    let reason = rules::text(&req.reason, 300).map_err(|e| AppError::field("reason", &e))?;
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let d = administered(&txn, principal, id).await?;
    if d.status != "pending" {
        return Err(AppError::field("status", &DeviceRule::AlreadyDecided));
    }
    let rejected = decided(d.into(), DeviceStatus::Rejected, principal, Some(reason), now_ms).update(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "device.reject", "device", Some(id))).await?;
    txn.commit().await?;
    Ok(rejected.into())
}

/// Retires every pending or approved phone of a person (lost phone, new phone without the old).
pub async fn reset(app: &App, principal: &Principal, person_id: &str, meta: &RequestMeta) -> Result<usize, AppError> {
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    if !administers(&txn, principal, person_id).await? {
        return Err(AppError::NotFound("person"));
    }
    let live = device::Entity::find()
        .filter(device::Column::InstitutionId.eq(&principal.institution_id))
        .filter(device::Column::PersonId.eq(person_id))
        .filter(device::Column::Status.is_in(["pending", "approved"]))
        .all(&txn)
        .await?;
    let count = live.len();
    for d in live {
        retire(&txn, d, now_ms).await?;
    }
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry::by(principal, "device.reset", "person", Some(person_id)).with(serde_json::json!({ "retired": count })),
    )
    .await?;
    txn.commit().await?;
    attendance::forget_profile(app, &principal.institution_id, person_id);
    Ok(count)
}

/// The registration selfie, for the person themself or an administrator deciding on it.
pub async fn selfie(app: &App, principal: &Principal, id: &str) -> Result<Vec<u8>, AppError> {
    let d = device::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("device"))?;
    if d.person_id != principal.person_id && !administers(&app.db, principal, &d.person_id).await? {
        return Err(AppError::NotFound("device"));
    }
    if d.photo_key.is_empty() {
        return Err(AppError::NotFound("photo"));
    }
    if let Some(subject) =
        person::Entity::find_by_id((principal.institution_id.clone(), d.person_id.clone())).one(&app.db).await?
    {
        crate::access_log::record(app, principal, &subject, &[crate::access_log::Data::DeviceSelfie]).await?;
    }
    app.objects.get(&d.photo_key).await.map_err(|e| AppError::Internal(format!("object store: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_photo_and_thumbnail_goes_into_one_of_the_institutions_folders() {
        let folders = photo_folders("inst");
        assert_eq!(folders.len(), 512);
        assert_eq!(folders.iter().collect::<std::collections::HashSet<_>>().len(), 512);
        for n in 0..2_000u32 {
            let photo = photo_key("inst", &n.to_le_bytes());
            let thumb = crate::thumbnails::key_of(&photo).unwrap();
            for key in [photo, thumb] {
                let (folder, _) = key.rsplit_once('/').unwrap();
                assert!(folders.iter().any(|f| f == folder), "{key} outside the folders");
            }
        }
    }
}
