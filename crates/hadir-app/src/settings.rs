//! Per-institution settings stored as one JSON value per key. Each setting module (discipline
//! table, attendance policy) owns its type, default and validation; this one stores and audits.

use crate::audit::{self, Entry};
use crate::{App, AppError, Principal, RequestMeta};
use hadir_db::entities::institution_setting;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait, sea_query::OnConflict};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::Arc;

/// The stored value of `key`, or `None` when the institution never set it.
pub(crate) async fn load<T: DeserializeOwned>(
    db: &DatabaseConnection,
    institution_id: &str,
    key: &str,
) -> Result<Option<T>, AppError> {
    let row = institution_setting::Entity::find_by_id((institution_id.to_string(), key.to_string())).one(db).await?;
    row.map(|r| serde_json::from_str(&r.value).map_err(|e| AppError::Internal(format!("stored setting {key}: {e}"))))
        .transpose()
}

/// Replaces `key` with `value`; institution administrators only. `detail` goes to the audit log.
pub(crate) async fn store<T: Serialize>(
    app: &App,
    principal: &Principal,
    key: &str,
    value: &T,
    detail: serde_json::Value,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    if !principal.is_institution_admin() {
        return Err(AppError::Forbidden);
    }
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    institution_setting::Entity::insert(institution_setting::ActiveModel {
        institution_id: Set(principal.institution_id.clone()),
        key: Set(key.into()),
        value: Set(serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))?),
        updated_at: Set(now_ms),
        updated_by: Set(Some(principal.account_id.clone())),
    })
    .on_conflict(
        OnConflict::columns([institution_setting::Column::InstitutionId, institution_setting::Column::Key])
            .update_columns([
                institution_setting::Column::Value,
                institution_setting::Column::UpdatedAt,
                institution_setting::Column::UpdatedBy,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let action = format!("setting.{key}");
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry::by(principal, &action, "institution", Some(&principal.institution_id)).with(detail),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Secrets already read by this process, by key and then institution (looked up by `&str`, with
/// nothing copied). A secret never changes once created, so it is kept for the life of the
/// process: every QR check-in needs one.
#[derive(Default)]
pub struct SecretCache(std::sync::Mutex<SecretsByKey>);

/// Secret key → institution → secret.
type SecretsByKey = HashMap<&'static str, HashMap<String, Arc<[u8]>>>;

/// A random per-institution secret (e.g. for QR tokens), created on first use. Every process
/// reads the same one: the first insert wins and later ones do nothing.
pub(crate) async fn secret(app: &App, institution_id: &str, key: &'static str) -> Result<Arc<[u8]>, AppError> {
    use base64::Engine;
    let known = |map: &SecretsByKey| map.get(key)?.get(institution_id).cloned();
    if let Some(known) = app.secrets.0.lock().ok().and_then(|map| known(&map)) {
        return Ok(known);
    }
    if let Some(encoded) = load::<String>(&app.db, institution_id, key).await? {
        let secret: Arc<[u8]> = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|e| AppError::Internal(format!("stored secret {key}: {e}")))?
            .into();
        if let Ok(mut map) = app.secrets.0.lock() {
            map.entry(key).or_default().insert(institution_id.to_string(), Arc::clone(&secret));
        }
        return Ok(secret);
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("random source: {e}")))?;
    let encoded = serde_json::to_string(&base64::engine::general_purpose::STANDARD.encode(bytes))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    institution_setting::Entity::insert(institution_setting::ActiveModel {
        institution_id: Set(institution_id.into()),
        key: Set(key.into()),
        value: Set(encoded),
        updated_at: Set(app.now_ms()),
        updated_by: Set(None),
    })
    .on_conflict(
        OnConflict::columns([institution_setting::Column::InstitutionId, institution_setting::Column::Key])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&app.db)
    .await?;
    Box::pin(secret(app, institution_id, key)).await
}
