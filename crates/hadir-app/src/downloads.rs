//! Files prepared in the background for the one who asked: a recap of any size, a people import's
//! report. Each is a job ([`crate::jobs`]) whose progress can be watched and whose file can be
//! fetched — by its requester only — until it expires a day after it was made.

use crate::audit::{self, Entry};
use crate::jobs::{self, Job};
use crate::recap::export::RecapExport;
use crate::{App, AppError, Principal, RequestMeta};
use hadir_db::entities::job;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use serde::Serialize;

/// A prepared file's job, as its requester sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Download {
    pub id: String,
    /// `recap_export` or `people_import`.
    pub kind: String,
    /// `queued`, `running`, `done`, `failed`, `downloaded` (a copy of one's data, fetched once
    /// and gone), or `expired` (done, and the file is gone).
    pub status: String,
    /// For a copy of one's data: the data-subject request it answers.
    pub request_id: Option<String>,
    /// What it is doing now: `computing`, `writing`, `checking`, `importing`.
    pub step: Option<String>,
    /// How far within the step (of `total`; both 0 when the step has no count).
    pub done: i64,
    pub total: i64,
    pub file_name: Option<String>,
    pub file_bytes: Option<i64>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub downloaded_at: Option<i64>,
}

impl Download {
    fn of(app: &App, j: job::Model) -> Download {
        let running = (j.status == "running").then(|| app.progress.of(&j.id)).flatten();
        let (step, done, total) = match running {
            Some(p) => (p.step, p.done, p.total),
            None => (j.progress_step, j.progress_done, j.progress_total),
        };
        let status = match (j.status.as_str(), &j.result_key, j.expires_at, j.downloaded_at) {
            ("done", None, _, Some(_)) if j.kind == "subject_export" => "downloaded".to_string(),
            ("done", None, Some(_), _) => "expired".to_string(),
            (other, ..) => other.to_string(),
        };
        let request_id = match serde_json::from_str::<Job>(&j.payload) {
            Ok(Job::SubjectExport(export)) => Some(export.request_id),
            _ => None,
        };
        Download {
            id: j.id,
            kind: j.kind,
            status,
            request_id,
            step,
            done,
            total,
            file_name: j.result_name,
            file_bytes: j.result_bytes,
            created_at: j.created_at,
            finished_at: j.finished_at,
            expires_at: j.expires_at,
            downloaded_at: j.downloaded_at,
        }
    }
}

/// Inserts a job on the principal's behalf within the caller's transaction; returns its id.
pub(crate) async fn insert_requested(
    conn: &impl sea_orm::ConnectionTrait,
    principal: &Principal,
    job: &Job,
    now_ms: i64,
) -> Result<String, AppError> {
    let mut row = jobs::row(&principal.institution_id, job, now_ms)?;
    row.requested_by = Set(Some(principal.account_id.clone()));
    let id = match &row.id {
        sea_orm::ActiveValue::Set(id) => id.clone(),
        _ => return Err(AppError::Internal("a job row without an id".into())),
    };
    job::Entity::insert(row).exec_without_returning(conn).await?;
    Ok(id)
}

/// Queues a job on the principal's behalf, with its audit entry, in one transaction.
pub(crate) async fn queue(
    app: &App,
    principal: &Principal,
    job: &Job,
    meta: &RequestMeta,
) -> Result<Download, AppError> {
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let id = insert_requested(&txn, principal, job, now_ms).await?;
    let action = format!("{}.request", job.kind());
    audit::record(&txn, now_ms, meta, Entry::by(principal, &action, "job", Some(&id))).await?;
    txn.commit().await?;
    get(app, principal, &id).await
}

/// Queues a recap file; administrators only, for the units in their scope (checked again when it
/// runs, with the rights the requester has then).
pub async fn request_recap(
    app: &App,
    principal: &Principal,
    export: RecapExport,
    meta: &RequestMeta,
) -> Result<Download, AppError> {
    if !principal.is_admin() {
        return Err(AppError::Forbidden);
    }
    crate::recap::month_days(&export.month)?;
    if let Some(unit) = &export.unit_id {
        crate::units::get(app, principal, unit).await?;
    }
    queue(app, principal, &Job::RecapExport(Box::new(export)), meta).await
}

/// The jobs this account asked for in the last week, newest first.
pub async fn mine(app: &App, principal: &Principal) -> Result<Vec<Download>, AppError> {
    Ok(job::Entity::find()
        .filter(job::Column::InstitutionId.eq(&principal.institution_id))
        .filter(job::Column::RequestedBy.eq(&principal.account_id))
        .order_by_desc(job::Column::CreatedAt)
        .limit(50)
        .all(&app.db)
        .await?
        .into_iter()
        .map(|j| Download::of(app, j))
        .collect())
}

/// One of this account's jobs; anyone else's is not found.
async fn own(app: &App, principal: &Principal, id: &str) -> Result<job::Model, AppError> {
    job::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .filter(|j| j.requested_by.as_deref() == Some(principal.account_id.as_str()))
        .ok_or(AppError::NotFound("download"))
}

pub async fn get(app: &App, principal: &Principal, id: &str) -> Result<Download, AppError> {
    Ok(Download::of(app, own(app, principal, id).await?))
}

/// A ready file: its name, type and bytes. Fetching it is noted on the job; a person's copy of
/// their data is fetched once, then removed from the store.
pub async fn file(app: &App, principal: &Principal, id: &str) -> Result<(String, String, Vec<u8>), AppError> {
    let j = own(app, principal, id).await?;
    let (Some(key), Some(name), Some(content_type)) = (j.result_key, j.result_name, j.result_type) else {
        return Err(AppError::NotFound("download"));
    };
    let bytes = app.objects.get(&key).await.map_err(|e| AppError::Internal(format!("object store: {e}")))?;
    let once = j.kind == "subject_export";
    let mut update = job::Entity::update_many()
        .col_expr(job::Column::DownloadedAt, Expr::value(app.now_ms()))
        .filter(job::Column::InstitutionId.eq(&principal.institution_id))
        .filter(job::Column::Id.eq(id));
    if once {
        update = update.col_expr(job::Column::ResultKey, Expr::value(Option::<String>::None));
    }
    update.exec(&app.db).await?;
    if once {
        app.objects.delete(&key).await.map_err(|e| AppError::Internal(format!("object store: {e}")))?;
    }
    Ok((name, content_type, bytes))
}
