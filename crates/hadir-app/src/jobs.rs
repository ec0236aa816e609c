//! Background jobs: work taken off the request path. A job row is queued in the same place as
//! the work that needs it; any process's worker claims due jobs with a conditional update that
//! only one can win, runs them, and records the outcome. A claim expires after its lease, so a
//! job left by a crashed process runs again; failures are retried with growing delays. Nightly
//! work (retention) is queued by the worker itself, one job per institution.
//!
//! Jobs someone asked for and waits on (a recap export, a people import: see [`crate::downloads`])
//! run in a lane of their own, so a long PDF never holds up thumbnails. They run with the rights
//! their requester has when they run, report their progress, and leave a file in the object store
//! that expires a day after it was made.

use crate::recap::export::RecapExport;
use crate::{App, AppError, Principal, new_id, people_import, retention, thumbnails};
use hadir_db::entities::{institution, job};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Attempts before a job is left as `failed`.
const MAX_ATTEMPTS: i32 = 5;
/// Jobs claimed per round.
const ROUND: u64 = 32;
/// Finished jobs are kept this long for inspection, then removed.
const KEEP_FINISHED_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// A file a job made is kept this long after it was made, then removed from the object store.
pub const FILE_KEEP_MS: i64 = 24 * 60 * 60 * 1000;

/// What a job does, with what it needs.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// A small copy of a stored photo, for lists and review screens.
    Thumbnail { photo_key: String },
    /// Nightly: the institution's retention schedule applied, then the recap's days of the
    /// current month kept (so the day's first recap counts only today and yesterday).
    Retention,
    /// A monthly recap file (CSV, XLSX or PDF) someone asked for.
    RecapExport(Box<RecapExport>),
    /// A CSV of people checked, or checked and imported, row by row.
    PeopleImport(people_import::QueuedImport),
    /// A person's copy of their data, for their access or portability request.
    SubjectExport(crate::subject_export::SubjectExport),
}

/// Which worker loop runs a job: quick system work, or the files people wait for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lane {
    Quick,
    Files,
}

impl Lane {
    fn kinds(self) -> &'static [&'static str] {
        match self {
            Lane::Quick => &["thumbnail", "retention"],
            Lane::Files => &["recap_export", "people_import", "subject_export"],
        }
    }

    /// How long a claim lasts before another worker may take the job over: long enough for the
    /// largest file (a PDF of 50,000 people typesets in under a minute on a small machine).
    fn lease_ms(self) -> i64 {
        match self {
            Lane::Quick => 5 * 60 * 1000,
            Lane::Files => 30 * 60 * 1000,
        }
    }
}

impl Job {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Job::Thumbnail { .. } => "thumbnail",
            Job::Retention => "retention",
            Job::RecapExport(_) => "recap_export",
            Job::PeopleImport(_) => "people_import",
            Job::SubjectExport(_) => "subject_export",
        }
    }

    /// How long the file a job makes is kept: a day, or three for a person's copy of their data
    /// (which goes at its first download anyway).
    fn keep_ms(kind: &str) -> i64 {
        if kind == "subject_export" { crate::subject_export::KEEP_MS } else { FILE_KEEP_MS }
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
        requested_by: Set(None),
        progress_done: Set(0),
        progress_total: Set(0),
        progress_step: Set(None),
        result_key: Set(None),
        result_name: Set(None),
        result_type: Set(None),
        result_bytes: Set(None),
        expires_at: Set(None),
        downloaded_at: Set(None),
    })
}

/// What one round of [`run_due`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub done: usize,
    pub retried: usize,
    pub failed: usize,
}

impl Round {
    fn busy(&self) -> bool {
        self.done + self.retried + self.failed > 0
    }
}

/// Why a job did not finish, and whether trying again could help.
struct Failure {
    message: String,
    retry: bool,
}

impl From<AppError> for Failure {
    /// A refusal (the requester lost the right, the unit is gone) will be refused again; a
    /// database or store hiccup may pass.
    fn from(e: AppError) -> Failure {
        let retry = matches!(e, AppError::Database(_) | AppError::Internal(_));
        Failure { message: e.to_string(), retry }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure { message, retry: true }
    }
}

/// A file a job made, for its requester to download.
pub(crate) struct Made {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Where the file of a job is kept.
fn file_key(institution_id: &str, job_id: &str, name: &str) -> String {
    format!("files/{institution_id}/{job_id}/{name}")
}

/// Claims the jobs that are due (or whose claim expired) and runs them: system work first,
/// then the files people asked for.
pub async fn run_due(app: &App) -> Result<Round, AppError> {
    let mut surge = SurgeWatch::new(app.event_writer.written());
    let quick = run_lane(app, Lane::Quick, &mut surge).await?;
    let files = run_lane(app, Lane::Files, &mut surge).await?;
    Ok(Round {
        done: quick.done + files.done,
        retried: quick.retried + files.retried,
        failed: quick.failed + files.failed,
    })
}

async fn run_lane(app: &App, lane: Lane, surge: &mut SurgeWatch) -> Result<Round, AppError> {
    let now = app.now_ms();
    let candidates = candidates(app, lane, now).await?;
    let mut round = Round::default();
    for candidate in candidates {
        // A surge that began during the round stops it between two jobs.
        if lane == Lane::Quick && surge.surging(app.event_writer.written()) {
            break;
        }
        if !claim(&app.db, &candidate, now, lane.lease_ms()).await? {
            continue; // another worker won it
        }
        let job = serde_json::from_str::<Job>(&candidate.payload);
        let outcome = match &job {
            Ok(job) => perform(app, &candidate, job.clone()).await,
            Err(e) => Err(Failure { message: format!("unreadable payload: {e}"), retry: false }),
        };
        let stored_for = match (&job, &outcome) {
            (Ok(Job::SubjectExport(export)), Ok(Some(_))) => Some(export.request_id.clone()),
            _ => None,
        };
        let attempts = candidate.attempts + 1;
        let mut update = job::Entity::update_many()
            .filter(job::Column::InstitutionId.eq(&candidate.institution_id))
            .filter(job::Column::Id.eq(&candidate.id));
        // Where it got to, kept on the row (counts may have lived in this process's memory only).
        if let Some(last) = app.progress.of(&candidate.id) {
            app.progress.forget(&candidate.id);
            update = update
                .col_expr(job::Column::ProgressStep, Expr::value(last.step))
                .col_expr(job::Column::ProgressDone, Expr::value(last.done))
                .col_expr(job::Column::ProgressTotal, Expr::value(last.total));
        }
        update = match outcome {
            Ok(made) => {
                round.done += 1;
                let finished = app.now_ms();
                update = update
                    .col_expr(job::Column::Status, Expr::value("done"))
                    .col_expr(job::Column::FinishedAt, Expr::value(finished));
                match made {
                    Some(file) => {
                        let key = file_key(&candidate.institution_id, &candidate.id, &file.name);
                        let size = file.bytes.len() as i64;
                        app.objects.put(&key, file.bytes).await.map_err(|e| AppError::Internal(e.to_string()))?;
                        update
                            .col_expr(job::Column::ResultKey, Expr::value(key))
                            .col_expr(job::Column::ResultName, Expr::value(file.name))
                            .col_expr(job::Column::ResultType, Expr::value(file.content_type))
                            .col_expr(job::Column::ResultBytes, Expr::value(size))
                            .col_expr(job::Column::ExpiresAt, Expr::value(finished + Job::keep_ms(&candidate.kind)))
                    }
                    None => update,
                }
            }
            Err(Failure { message, retry: true }) if attempts < MAX_ATTEMPTS => {
                round.retried += 1;
                // 1, 4, 9, 16 minutes.
                let delay = i64::from(attempts * attempts) * 60_000;
                update
                    .col_expr(job::Column::Status, Expr::value("queued"))
                    .col_expr(job::Column::RunAfter, Expr::value(app.now_ms() + delay))
                    .col_expr(job::Column::LastError, Expr::value(message))
            }
            Err(Failure { message, .. }) => {
                round.failed += 1;
                tracing::warn!(job = %candidate.id, kind = %candidate.kind, "job failed for good");
                update
                    .col_expr(job::Column::Status, Expr::value("failed"))
                    .col_expr(job::Column::FinishedAt, Expr::value(app.now_ms()))
                    .col_expr(job::Column::LastError, Expr::value(message))
            }
        };
        update.exec(&app.db).await?;
        // The person's request says where their copy is, once it is there.
        if let Some(request_id) = stored_for {
            let until = app.now_ms() + crate::subject_export::KEEP_MS;
            crate::subject_rights::note_export_ready(app, &candidate.institution_id, &request_id, until).await?;
        }
    }
    if lane == Lane::Files {
        remove_expired_files(app, now).await?;
    }
    job::Entity::delete_many()
        .filter(job::Column::Kind.is_in(lane.kinds().iter().copied()))
        .filter(job::Column::Status.is_in(["done", "failed"]))
        .filter(job::Column::FinishedAt.lt(now - KEEP_FINISHED_MS))
        .filter(job::Column::ResultKey.is_null())
        .exec(&app.db)
        .await?;
    Ok(round)
}

/// Files past their time leave the object store; their jobs stay listed as expired.
async fn remove_expired_files(app: &App, now: i64) -> Result<(), AppError> {
    let expired = job::Entity::find()
        .filter(job::Column::ResultKey.is_not_null())
        .filter(job::Column::ExpiresAt.lt(now))
        .limit(ROUND)
        .all(&app.db)
        .await?;
    for j in expired {
        if let Some(key) = &j.result_key {
            app.objects.delete(key).await.map_err(|e| AppError::Internal(e.to_string()))?;
        }
        job::Entity::update_many()
            .col_expr(job::Column::ResultKey, Expr::value(Option::<String>::None))
            .filter(job::Column::InstitutionId.eq(&j.institution_id))
            .filter(job::Column::Id.eq(&j.id))
            .exec(&app.db)
            .await?;
    }
    Ok(())
}

/// A round's worth of the lane's jobs, the longest due first: those queued and due, one kind at a
/// time (each a short range of `jobs_due_by_kind`, however long the backlog), and those whose
/// claim has lapsed (a process that stopped mid-job).
async fn candidates(app: &App, lane: Lane, now: i64) -> Result<Vec<job::Model>, AppError> {
    let mut found = Vec::new();
    for kind in lane.kinds() {
        found.extend(due(kind, now).all(&app.db).await?);
    }
    let lapsed = job::Entity::find()
        .filter(job::Column::Status.eq("running"))
        .filter(job::Column::Kind.is_in(lane.kinds().iter().copied()))
        .filter(job::Column::LockedUntil.lt(now))
        .limit(ROUND);
    found.extend(lapsed.all(&app.db).await?);
    found.sort_by_key(|j| j.run_after);
    found.truncate(ROUND as usize);
    Ok(found)
}

/// The queued jobs of one kind that are due, the longest due first.
fn due(kind: &str, now: i64) -> sea_orm::Select<job::Entity> {
    job::Entity::find()
        .filter(job::Column::Status.eq("queued"))
        .filter(job::Column::Kind.eq(kind))
        .filter(job::Column::RunAfter.lte(now))
        .order_by_asc(job::Column::RunAfter)
        .limit(ROUND)
}

/// Takes the job if it is still as it was read: one worker wins, the others change nothing.
async fn claim(db: &impl ConnectionTrait, j: &job::Model, now: i64, lease_ms: i64) -> Result<bool, AppError> {
    let still = match j.status.as_str() {
        "running" => Condition::all().add(job::Column::Status.eq("running")).add(job::Column::LockedUntil.lt(now)),
        _ => Condition::all().add(job::Column::Status.eq("queued")),
    };
    let claimed = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("running"))
        .col_expr(job::Column::LockedUntil, Expr::value(now + lease_ms))
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

/// The requester of a job, with the rights they have now.
async fn requester(app: &App, j: &job::Model) -> Result<Principal, Failure> {
    let account = j.requested_by.as_deref().ok_or_else(|| Failure { message: "no requester".into(), retry: false })?;
    Ok(crate::auth::principal_of_account(app, &j.institution_id, account).await?)
}

async fn perform(app: &App, j: &job::Model, job: Job) -> Result<Option<Made>, Failure> {
    let progress = Progress { app: app.clone(), institution_id: j.institution_id.clone(), job_id: j.id.clone() };
    match job {
        Job::Thumbnail { photo_key } => thumbnails::make(app, &j.institution_id, &photo_key).await?,
        Job::Retention => {
            let inst = retention::institution_of(app, &j.institution_id).await.map_err(|e| e.to_string())?;
            let done = retention::run_for(app, &inst, false).await.map_err(|e| e.to_string())?;
            tracing::info!(
                photos = done.photos,
                locations = done.locations,
                records = done.records,
                access_entries = done.access_entries,
                held = done.held,
                "retention applied"
            );
            crate::recap::keep_recent_months(app, &j.institution_id).await.map_err(|e| e.to_string())?;
        }
        Job::RecapExport(export) => {
            let principal = requester(app, j).await?;
            let bytes = crate::recap::export::make(app, &principal, &export, &progress).await?;
            let content_type = export.format.content_type().to_string();
            return Ok(Some(Made { name: export.file_name(), content_type, bytes }));
        }
        Job::PeopleImport(queued) => {
            let principal = requester(app, j).await?;
            let report = people_import::run_queued(app, &principal, &queued, &progress).await;
            // The uploaded file holds personal data: it goes as soon as it has been read.
            app.objects.delete(&queued.upload_key).await.map_err(|e| e.to_string())?;
            let report = report?;
            let bytes = serde_json::to_vec(&report).map_err(|e| e.to_string())?;
            return Ok(Some(Made {
                name: "import-report.json".into(),
                content_type: "application/json".into(),
                bytes,
            }));
        }
        // Made for the person who asked, whatever their role: their own data.
        Job::SubjectExport(export) => {
            return Ok(Some(crate::subject_export::make(app, &j.institution_id, &export, &progress).await?));
        }
    }
    Ok(None)
}

/// How far a job is: a step (`computing`, `writing`, `checking`…) and a count of a total.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobProgress {
    pub step: Option<String>,
    pub done: i64,
    pub total: i64,
}

/// The progress of jobs this process runs, as they run: read by the status page between the
/// writes to the job's row.
#[derive(Default)]
pub(crate) struct Running(Mutex<HashMap<String, JobProgress>>);

impl Running {
    pub(crate) fn of(&self, job_id: &str) -> Option<JobProgress> {
        self.0.lock().ok()?.get(job_id).cloned()
    }

    fn set(&self, job_id: &str, now: JobProgress) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(job_id.to_string(), now);
        }
    }

    fn forget(&self, job_id: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(job_id);
        }
    }
}

/// The handle a running job reports its progress through.
pub(crate) struct Progress {
    app: App,
    institution_id: String,
    job_id: String,
}

impl Progress {
    /// A new step: kept in memory and written to the job's row, so every process sees it.
    pub(crate) async fn step(&self, step: &str, done: i64, total: i64) {
        self.app.progress.set(&self.job_id, JobProgress { step: Some(step.into()), done, total });
        self.save(step, done, total).await;
    }

    /// A count within a step, called as often as each row. Kept in memory; written to the row
    /// now and then where the database lets another connection write while the job holds a
    /// transaction open (PostgreSQL). SQLite takes one writer at a time, and an SQLite
    /// installation is one process, which reads the memory.
    pub(crate) async fn count(&self, step: &str, done: i64, total: i64) {
        self.app.progress.set(&self.job_id, JobProgress { step: Some(step.into()), done, total });
        if self.app.db.get_database_backend() == DbBackend::Postgres && (done % 250 == 0 || done == total) {
            self.save(step, done, total).await;
        }
    }

    async fn save(&self, step: &str, done: i64, total: i64) {
        let saved = job::Entity::update_many()
            .col_expr(job::Column::ProgressStep, Expr::value(step))
            .col_expr(job::Column::ProgressDone, Expr::value(done))
            .col_expr(job::Column::ProgressTotal, Expr::value(total))
            .filter(job::Column::InstitutionId.eq(&self.institution_id))
            .filter(job::Column::Id.eq(&self.job_id))
            .exec(&self.app.db)
            .await;
        // Progress is a courtesy to the reader: a failed write must not fail the job.
        if let Err(e) = saved {
            tracing::warn!(job = %self.job_id, error = %e, "job progress not saved");
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

/// Check-ins a second, written by this process, above which the quick lane waits. A thumbnail
/// costs milliseconds of CPU and two commits, which a morning's surge on the same cores cannot
/// spare (docs/PERFORMANCE.md, fourteenth session), and none is urgent: lists show the full
/// photo until its thumbnail exists. The nightly retention run waits too, at most as long.
const SURGE_PER_SECOND: f64 = 50.0;

/// Whether `checkins` written over `elapsed` make a surge the quick lane gives way to.
fn gives_way(checkins: u64, elapsed: Duration) -> bool {
    !elapsed.is_zero() && checkins as f64 / elapsed.as_secs_f64() > SURGE_PER_SECOND
}

/// The check-in rate the quick lane watches, measured over at least a tenth of a second so that
/// asking between two jobs costs nothing.
struct SurgeWatch {
    since: std::time::Instant,
    written: u64,
    surging: bool,
}

impl SurgeWatch {
    const SAMPLE: Duration = Duration::from_millis(100);

    fn new(written: u64) -> SurgeWatch {
        SurgeWatch { since: std::time::Instant::now(), written, surging: false }
    }

    /// Whether check-ins surge, given how many this process has written so far.
    fn surging(&mut self, written: u64) -> bool {
        let elapsed = self.since.elapsed();
        if elapsed >= Self::SAMPLE {
            self.surging = gives_way(written.saturating_sub(self.written), elapsed);
            (self.since, self.written) = (std::time::Instant::now(), written);
        }
        self.surging
    }
}

/// One worker loop: runs its lane's due jobs until `stop` says so.
async fn lane_loop(app: App, lane: Lane, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut scheduled: Option<std::time::Instant> = None;
    let mut surge = SurgeWatch::new(app.event_writer.written());
    loop {
        if lane == Lane::Quick {
            if surge.surging(app.event_writer.written()) {
                tokio::select! {
                    _ = stop.changed() => return,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                }
            }
            if scheduled.is_none_or(|at| at.elapsed() > Duration::from_secs(3600)) {
                match schedule_nightly(&app).await {
                    Ok(()) => scheduled = Some(std::time::Instant::now()),
                    Err(e) => tracing::warn!(error = %e, "scheduling nightly jobs failed"),
                }
            }
        }
        let pause = match run_lane(&app, lane, &mut surge).await {
            Ok(round) if round.busy() => Duration::from_millis(50),
            Ok(_) => Duration::from_secs(1),
            Err(e) => {
                tracing::warn!(error = %e, "job round failed");
                Duration::from_secs(5)
            }
        };
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// Runs due jobs until `stop` resolves: what `hadir serve` starts beside the web server. Each
/// lane finishes the job in hand.
pub async fn work(app: App, stop: impl std::future::Future<Output = ()>) {
    let (tell, told) = tokio::sync::watch::channel(false);
    let quick = tokio::spawn(lane_loop(app.clone(), Lane::Quick, told.clone()));
    let files = tokio::spawn(lane_loop(app, Lane::Files, told));
    stop.await;
    let _ = tell.send(true);
    let _ = tokio::join!(quick, files);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_kinds_due_jobs_are_one_range_of_the_index_in_the_order_wanted() {
        use sea_orm::QueryTrait;
        let statement = due("thumbnail", 1_000).build(sea_orm::DbBackend::Sqlite);
        let plan = crate::query_plan::sqlite_plan(statement).await;
        assert!(
            plan.contains("USING INDEX jobs_due_by_kind (status=? AND kind=? AND run_after<?)"),
            "not one range: {plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "sorted apart, so every due job is read: {plan}");
    }

    #[test]
    fn the_quick_lane_gives_way_to_a_surge_of_check_ins_only() {
        let second = Duration::from_secs(1);
        assert!(!gives_way(0, second), "a quiet hour");
        assert!(!gives_way(50, second), "50 a second is not yet a surge");
        assert!(gives_way(51, second));
        assert!(gives_way(3, Duration::from_millis(50)), "60 a second, over a short pause");
        assert!(!gives_way(200, Duration::from_secs(10)), "20 a second");
        assert!(!gives_way(5, Duration::ZERO), "no time passed: nothing measured");
    }

    #[test]
    fn the_surge_is_measured_over_a_tenth_of_a_second_at_least() {
        let mut watch = SurgeWatch::new(0);
        watch.since -= Duration::from_millis(200);
        assert!(watch.surging(100), "500 a second");
        // Asked again at once: too short to measure, the last verdict holds.
        assert!(watch.surging(100));
        watch.since -= Duration::from_millis(200);
        assert!(!watch.surging(101), "5 a second");
    }
}
