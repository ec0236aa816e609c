//! The append-only audit log: one entry per write, in the same transaction as the write, so an
//! entry exists exactly when the change does. Entries form a hash chain per institution, which
//! `hadir audit verify` walks to prove nothing was changed, removed or cut off.

use crate::{App, AppError, Principal, RequestMeta, new_id};
use hadir_db::entities::{audit_entry, audit_head, institution};
use hadir_domain::audit_chain::{self as chain, Break, GENESIS, Link};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
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

/// Appends an entry to the institution's chain. Call it inside the transaction of the write it
/// records: the head's row stays locked until that transaction ends, so concurrent writers of one
/// institution take their numbers one after the other and the chain never forks.
pub async fn record(
    conn: &impl ConnectionTrait,
    now_ms: i64,
    meta: &RequestMeta,
    entry: Entry<'_>,
) -> Result<(), AppError> {
    let inst = entry.institution_id;
    let next = || {
        audit_head::Entity::update_many()
            .col_expr(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq).add(1))
            .filter(audit_head::Column::InstitutionId.eq(inst))
    };
    if next().exec(conn).await?.rows_affected == 0 {
        // The institution's first entry: start its chain (a concurrent first writer may win).
        audit_head::Entity::insert(audit_head::ActiveModel {
            institution_id: Set(inst.to_string()),
            seq: Set(0),
            hash: Set(GENESIS.to_string()),
        })
        .on_conflict(OnConflict::column(audit_head::Column::InstitutionId).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
        next().exec(conn).await?;
    }
    let head = audit_head::Entity::find_by_id(inst.to_string())
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("audit chain head vanished".into()))?;
    let (id, detail) = (new_id(), entry.detail.to_string());
    let hash = Link {
        institution_id: inst,
        seq: head.seq,
        id: &id,
        at: now_ms,
        actor_account_id: entry.actor_account_id,
        action: entry.action,
        subject_type: entry.subject_type,
        subject_id: entry.subject_id,
        request_id: meta.request_id.as_deref(),
        detail: &detail,
        prev_hash: &head.hash,
    }
    .hash();
    audit_entry::Entity::insert(audit_entry::ActiveModel {
        institution_id: Set(inst.to_string()),
        id: Set(id),
        at: Set(now_ms),
        actor_account_id: Set(entry.actor_account_id.map(str::to_string)),
        action: Set(entry.action.to_string()),
        subject_type: Set(entry.subject_type.to_string()),
        subject_id: Set(entry.subject_id.map(str::to_string)),
        request_id: Set(meta.request_id.clone()),
        detail: Set(detail),
        seq: Set(Some(head.seq)),
        prev_hash: Set(Some(head.hash)),
        hash: Set(Some(hash.clone())),
    })
    .exec_without_returning(conn)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(hash))
        .filter(audit_head::Column::InstitutionId.eq(inst))
        .exec(conn)
        .await?;
    Ok(())
}

/// One institution's chain, as `hadir audit verify` reports it.
#[derive(Debug)]
pub struct ChainReport {
    pub institution_id: String,
    pub slug: String,
    pub result: Result<u64, Break>,
}

/// Walks every institution's audit chain and reports each: its length, or its first broken link.
pub async fn verify(app: &App) -> Result<Vec<ChainReport>, AppError> {
    let mut reports = Vec::new();
    for inst in institution::Entity::find().order_by_asc(institution::Column::Slug).all(&app.db).await? {
        let head = audit_head::Entity::find_by_id(inst.id.clone()).one(&app.db).await?;
        let entries = audit_entry::Entity::find()
            .filter(audit_entry::Column::InstitutionId.eq(&inst.id))
            .order_by_asc(audit_entry::Column::Seq)
            .order_by_asc(audit_entry::Column::At)
            .all(&app.db)
            .await?;
        // An entry without a number sorts apart and is reported as out of place.
        let links = entries.iter().map(audit_entry::Model::link);
        let result = match &head {
            Some(h) => chain::verify(links, (h.seq, &h.hash)),
            None => chain::verify(links, (0, GENESIS)),
        };
        reports.push(ChainReport { institution_id: inst.id, slug: inst.slug, result });
    }
    Ok(reports)
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
