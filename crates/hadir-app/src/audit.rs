//! The append-only audit log: one entry per write, in the same transaction as the write, so an
//! entry exists exactly when the change does.

use crate::{App, AppError, Principal, RequestMeta, new_id};
use hadir_db::entities::audit_entry;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

/// What was done: `action` like `person.create`, the subject, and a JSON detail that names the
/// fields touched but never holds personal values.
pub struct Entry<'a> {
    pub institution_id: &'a str,
    pub actor_account_id: Option<&'a str>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<&'a str>,
    pub detail: serde_json::Value,
}

impl<'a> Entry<'a> {
    /// An entry for something `principal` did.
    pub fn by(
        principal: &'a Principal,
        action: &'a str,
        subject_type: &'a str,
        subject_id: Option<&'a str>,
    ) -> Entry<'a> {
        Entry {
            institution_id: &principal.institution_id,
            actor_account_id: Some(&principal.account_id),
            action,
            subject_type,
            subject_id,
            detail: serde_json::Value::Null,
        }
    }

    pub fn with(mut self, detail: serde_json::Value) -> Entry<'a> {
        self.detail = detail;
        self
    }
}

pub async fn record(
    conn: &impl ConnectionTrait,
    now_ms: i64,
    meta: &RequestMeta,
    entry: Entry<'_>,
) -> Result<(), AppError> {
    audit_entry::Entity::insert(audit_entry::ActiveModel {
        institution_id: Set(entry.institution_id.to_string()),
        id: Set(new_id()),
        at: Set(now_ms),
        actor_account_id: Set(entry.actor_account_id.map(str::to_string)),
        action: Set(entry.action.to_string()),
        subject_type: Set(entry.subject_type.to_string()),
        subject_id: Set(entry.subject_id.map(str::to_string)),
        request_id: Set(meta.request_id.clone()),
        detail: Set(entry.detail.to_string()),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditView {
    pub id: String,
    /// Unix milliseconds.
    pub at: i64,
    pub actor_account_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub request_id: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// The newest entries of the principal's institution, newest first. Institution admins only.
pub async fn list(
    app: &App,
    principal: &Principal,
    before_ms: Option<i64>,
    limit: u64,
) -> Result<Vec<AuditView>, AppError> {
    if !principal.is_institution_admin() {
        return Err(AppError::Forbidden);
    }
    let mut query = audit_entry::Entity::find()
        .filter(audit_entry::Column::InstitutionId.eq(&principal.institution_id))
        .order_by_desc(audit_entry::Column::At)
        .order_by_desc(audit_entry::Column::Id)
        .limit(limit.clamp(1, 500));
    if let Some(before) = before_ms {
        query = query.filter(audit_entry::Column::At.lt(before));
    }
    Ok(query
        .all(&app.db)
        .await?
        .into_iter()
        .map(|e| AuditView {
            id: e.id,
            at: e.at,
            actor_account_id: e.actor_account_id,
            action: e.action,
            subject_type: e.subject_type,
            subject_id: e.subject_id,
            request_id: e.request_id,
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
        })
        .collect())
}
