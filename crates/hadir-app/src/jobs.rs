//! Background jobs: work taken off the request path. A job row is queued in the same place as
//! the work that needs it; any process's worker claims due jobs with a conditional update that
//! only one can win, runs them, and records the outcome. A claim expires after its lease, so a
//! job left by a crashed process runs again; failures are retried with growing delays. Nightly
//! work (retention) is queued by the worker itself, one job per institution.

use crate::{App, AppError, new_id, retention, thumbnails};
use hadir_db::entities::{institution, job};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How long a claim lasts before another worker may take the job over.
const LEASE_MS: i64 = 5 * 60 * 1000;
/// Attempts before a job is left as `failed`.
const MAX_ATTEMPTS: i32 = 5;
/// Jobs claimed per round.
const ROUND: u64 = 32;
/// Finished jobs are kept this long for inspection, then removed.
const KEEP_FINISHED_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// What a job does, with what it needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// A small copy of a stored photo, for lists and review screens.
    Thumbnail { photo_key: String },
    /// The institution's retention schedule, applied (nightly).
    Retention,
}

impl Job {
    fn kind(&self) -> &'static str {
        match self {
            Job::Thumbnail { .. } => "thumbnail",
            Job::Retention => "retention",
        }
    }
}

/// A job row, ready to insert (alone, or many at once with the work that needs them).
pub(crate) fn row(institution_id: &str, job: &Job, now_ms: i64) -> Result<job::ActiveModel, AppError> {
    Ok(job::ActiveModel {
        institution_id: Set(institution_id.into()),
        id: Set(new_id()),
        kind: Set(job.kind().into()),
        payload: Set(serde_json::to_string(job).map_err(|e| AppError::Internal(e.to_string()))?),
        status: Set("queued".into()),
        attempts: Set(0),
        run_after: Set(now_ms),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now_ms),
        finished_at: Set(None),
    })
}

/// What one round of [`run_due`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub done: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Claims the jobs that are due (or whose claim expired) and runs them.
pub async fn run_due(app: &App) -> Result<Round, AppError> {
    let now = app.now_ms();
    let expired = Condition::all().add(job::Column::Status.eq("running")).add(job::Column::LockedUntil.lt(now));
    let due = Condition::all().add(job::Column::Status.eq("queued")).add(job::Column::RunAfter.lte(now));
    let candidates = job::Entity::find()
        .filter(Condition::any().add(due).add(expired))
        .order_by_asc(job::Column::RunAfter)
        .limit(ROUND)
        .all(&app.db)
        .await?;
    let mut round = Round::default();
    for candidate in candidates {
        if !claim(&app.db, &candidate, now).await? {
            continue; // another worker won it
        }
        let outcome = match serde_json::from_str::<Job>(&candidate.payload) {
            Ok(job) => perform(app, &candidate.institution_id, job).await,
            Err(e) => Err(format!("unreadable payload: {e}")),
        };
        let attempts = candidate.attempts + 1;
        let mut update = job::Entity::update_many()
            .filter(job::Column::InstitutionId.eq(&candidate.institution_id))
            .filter(job::Column::Id.eq(&candidate.id));
        update = match outcome {
            Ok(()) => {
                round.done += 1;
                update
                    .col_expr(job::Column::Status, Expr::value("done"))
                    .col_expr(job::Column::FinishedAt, Expr::value(app.now_ms()))
            }
            Err(error) if attempts < MAX_ATTEMPTS => {
                round.retried += 1;
                // 1, 4, 9, 16 minutes.
                let delay = i64::from(attempts * attempts) * 60_000;
                update
                    .col_expr(job::Column::Status, Expr::value("queued"))
                    .col_expr(job::Column::RunAfter, Expr::value(app.now_ms() + delay))
                    .col_expr(job::Column::LastError, Expr::value(error))
            }
            Err(error) => {
                round.failed += 1;
                tracing::warn!(job = %candidate.id, kind = %candidate.kind, "job failed for good");
                update
                    .col_expr(job::Column::Status, Expr::value("failed"))
                    .col_expr(job::Column::FinishedAt, Expr::value(app.now_ms()))
                    .col_expr(job::Column::LastError, Expr::value(error))
            }
        };
        update.exec(&app.db).await?;
    }
    job::Entity::delete_many()
        .filter(job::Column::Status.is_in(["done", "failed"]))
        .filter(job::Column::FinishedAt.lt(now - KEEP_FINISHED_MS))
        .exec(&app.db)
        .await?;
    Ok(round)
}

/// Takes the job if it is still as it was read: one worker wins, the others change nothing.
async fn claim(db: &impl ConnectionTrait, j: &job::Model, now: i64) -> Result<bool, AppError> {
    let still = match j.status.as_str() {
        "running" => Condition::all().add(job::Column::Status.eq("running")).add(job::Column::LockedUntil.lt(now)),
        _ => Condition::all().add(job::Column::Status.eq("queued")),
    };
    let claimed = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("running"))
        .col_expr(job::Column::LockedUntil, Expr::value(now + LEASE_MS))
        .col_expr(job::Column::Attempts, Expr::col(job::Column::Attempts).add(1))
        .filter(job::Column::InstitutionId.eq(&j.institution_id))
        .filter(job::Column::Id.eq(&j.id))
        .filter(job::Column::Attempts.eq(j.attempts))
        .filter(still)
        .exec(db)
        .await?
        .rows_affected;
    Ok(claimed == 1)
}

async fn perform(app: &App, institution_id: &str, job: Job) -> Result<(), String> {
    match job {
        Job::Thumbnail { photo_key } => thumbnails::make(app, institution_id, &photo_key).await,
        Job::Retention => {
            let done = retention::run_for(
                app,
                &retention::institution_of(app, institution_id).await.map_err(|e| e.to_string())?,
                false,
            )
            .await
            .map_err(|e| e.to_string())?;
            tracing::info!(
                photos = done.photos,
                locations = done.locations,
                records = done.records,
                access_entries = done.access_entries,
                held = done.held,
                "retention applied"
            );
            Ok(())
        }
    }
}

/// The hour (UTC) nightly work runs: 02:00 in Jakarta, 03:00 in Makassar, 04:00 in Jayapura.
const NIGHTLY_HOUR_UTC: u32 = 19;

/// Queues each institution's next nightly retention run unless one is already waiting.
pub async fn schedule_nightly(app: &App) -> Result<(), AppError> {
    let now = app.clock.now();
    let today = now.date_naive().and_hms_opt(NIGHTLY_HOUR_UTC, 0, 0).map(|t| t.and_utc()).unwrap_or(now);
    let next = if today > now { today } else { today + chrono::Duration::days(1) };
    for inst in institution::Entity::find().all(&app.db).await? {
        let waiting = job::Entity::find()
            .filter(job::Column::InstitutionId.eq(&inst.id))
            .filter(job::Column::Kind.eq("retention"))
            .filter(job::Column::Status.is_in(["queued", "running"]))
            .one(&app.db)
            .await?;
        if waiting.is_none() {
            job::Entity::insert(row(&inst.id, &Job::Retention, next.timestamp_millis())?)
                .exec_without_returning(&app.db)
                .await?;
        }
    }
    Ok(())
}

/// Runs due jobs until `stop` resolves: what `hadir serve` starts beside the web server.
pub async fn work(app: App, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    let mut scheduled: Option<std::time::Instant> = None;
    loop {
        if scheduled.is_none_or(|at| at.elapsed() > Duration::from_secs(3600)) {
            match schedule_nightly(&app).await {
                Ok(()) => scheduled = Some(std::time::Instant::now()),
                Err(e) => tracing::warn!(error = %e, "scheduling nightly jobs failed"),
            }
        }
        let pause = match run_due(&app).await {
            Ok(round) if round.done + round.retried + round.failed > 0 => Duration::from_millis(50),
            Ok(_) => Duration::from_secs(1),
            Err(e) => {
                tracing::warn!(error = %e, "job round failed");
                Duration::from_secs(5)
            }
        };
        tokio::select! {
            _ = &mut stop => return,
            _ = tokio::time::sleep(pause) => {}
        }
    }
}
