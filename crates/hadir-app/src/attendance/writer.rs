//! The one writer of check-in events: concurrent check-ins' rows go in as one multi-row statement
//! (group commit), each acknowledged only after that statement has committed. On SQLite it writes
//! through a connection of its own that leaves WAL checkpoints to a task beside it
//! (`hadir_db::writer_connection`).

use crate::batch::{Batcher, Job};
use crate::{App, AppError, recap};
use hadir_db::entities::{attendance_event as event, job};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// Rows written between two checkpoints, about 5,000 pages of log. A page that many rows change
/// (the newest leaf of each index) is copied back once per checkpoint, so rarer checkpoints copy
/// less per row: 1,024 rows served a QR surge 5–10 % faster than 256, and 2,048 no faster
/// (docs/PERFORMANCE.md, thirteenth session).
const CHECKPOINT_ROWS: usize = 1_024;

/// Whether a row went in, or met a unique key: the same attempt id, or the person's check-in for
/// that day, already stored.
#[derive(Debug, PartialEq)]
pub(crate) enum Written {
    Inserted,
    Collided,
}

/// A row to insert, the first of its person's kept recap days it changes (see `recap`), and the
/// background jobs it needs once stored (a thumbnail of its photo).
pub(crate) struct NewEvent {
    pub id: String,
    pub institution_id: String,
    pub person_id: String,
    pub row: event::ActiveModel,
    pub stale_days: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub jobs: Vec<job::ActiveModel>,
}

pub(crate) struct InsertEvents;

pub(crate) struct EventWriter {
    batcher: Batcher<InsertEvents>,
    db: DatabaseConnection,
    /// Rows written since the last checkpoint began.
    unchecked: AtomicUsize,
    /// Check-ins written by this process since it started: how busy the morning is (see `jobs`).
    written: AtomicU64,
    checkpointing: Arc<AtomicBool>,
    restarts: Arc<hadir_db::LogRestarts>,
}

impl EventWriter {
    pub fn new(main: &DatabaseConnection) -> EventWriter {
        EventWriter {
            batcher: Batcher::default(),
            db: hadir_db::writer_connection(main),
            unchecked: AtomicUsize::new(0),
            written: AtomicU64::new(0),
            checkpointing: Arc::default(),
            restarts: Arc::default(),
        }
    }

    /// The writer's own connection (on SQLite the one writer), for other small writes a surge
    /// brings with it (see `session_activity`).
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Check-ins written by this process so far.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// Starts a checkpoint beside the writer once enough rows went in and none is running (see
    /// `hadir_db::checkpoint`: a restart of the log takes its turn on the writer's connection).
    pub fn wrote(&self, main: &DatabaseConnection, rows: usize) {
        if self.unchecked.fetch_add(rows, Ordering::Relaxed) + rows < CHECKPOINT_ROWS
            || self.checkpointing.swap(true, Ordering::AcqRel)
        {
            return;
        }
        self.unchecked.store(0, Ordering::Relaxed);
        let (main, writer) = (main.clone(), self.db.clone());
        let (checkpointing, restarts) = (self.checkpointing.clone(), self.restarts.clone());
        tokio::spawn(async move {
            if let Err(err) = hadir_db::checkpoint(&main, &writer, &restarts).await {
                tracing::warn!(error = %err, "checkpointing the write-ahead log failed");
            }
            checkpointing.store(false, Ordering::Release);
        });
    }
}

impl Job for InsertEvents {
    type Request = NewEvent;
    type Answer = Written;

    async fn run(db: &DatabaseConnection, batch: &[NewEvent]) -> Vec<Result<Written, String>> {
        let mut answers: Vec<Result<Written, String>> = match insert(db, batch).await {
            Ok(inserted) => batch.iter().map(|e| Ok(written_if(inserted.contains(&e.id)))).collect(),
            // One bad row must not fail its neighbours: retry each on its own.
            Err(_) => {
                let mut answers = Vec::with_capacity(batch.len());
                for one in batch {
                    let result = insert(db, std::slice::from_ref(one)).await;
                    answers.push(result.map(|ids| written_if(ids.contains(&one.id))).map_err(|e| e.to_string()));
                }
                answers
            }
        };
        // The stored events' jobs, in one statement too. A failure here loses only thumbnails.
        let jobs: Vec<job::ActiveModel> = batch
            .iter()
            .zip(&answers)
            .filter(|(_, answer)| answer.as_ref().is_ok_and(|w| *w == Written::Inserted))
            .flat_map(|(e, _)| e.jobs.iter().cloned())
            .collect();
        if !jobs.is_empty()
            && let Err(err) = job::Entity::insert_many(jobs).exec_without_returning(db).await
        {
            tracing::warn!(error = %err, "queueing thumbnails failed");
        }
        // Rare (an offline sync of an earlier day): the person's kept recap days stop counting.
        for (e, answer) in batch.iter().zip(answers.iter_mut()) {
            if let Some(days) = e.stale_days
                && answer.as_ref().is_ok_and(|w| *w == Written::Inserted)
                && let Err(err) = recap::forget_kept_days(db, &e.institution_id, &e.person_id, days).await
            {
                *answer = Err(format!("stored, but the month's recap was not refreshed: {err}"));
            }
        }
        answers
    }
}

pub(crate) async fn write(app: &App, event: NewEvent) -> Result<Written, AppError> {
    let writer = &app.event_writer;
    let written = writer.batcher.call(&writer.db, event).await;
    // Counted here, not in `wrote`: session activity goes through `wrote` too.
    writer.written.fetch_add(1, Ordering::Relaxed);
    writer.wrote(&app.db, 1);
    written.map_err(|e| AppError::Internal(format!("writing a check-in: {e}")))
}

fn written_if(inserted: bool) -> Written {
    if inserted { Written::Inserted } else { Written::Collided }
}

/// Inserts the rows, skipping any that meet a unique key, and returns the ids that went in. The
/// count of rows stored usually says it (all of them); only after a collision are they read back,
/// rather than have every insert return a row per event.
async fn insert(db: &DatabaseConnection, batch: &[NewEvent]) -> Result<HashSet<String>, sea_orm::DbErr> {
    let statement = event::Entity::insert_many(batch.iter().map(|e| e.row.clone()))
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .into_query();
    let stored = db.execute(&statement).await?.rows_affected();
    let ids = batch.iter().map(|e| e.id.clone());
    if stored == batch.len() as u64 {
        return Ok(ids.collect());
    }
    let institutions: HashSet<&str> = batch.iter().map(|e| e.institution_id.as_str()).collect();
    event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .filter(event::Column::InstitutionId.is_in(institutions))
        .filter(event::Column::Id.is_in(ids))
        .into_tuple::<String>()
        .all(db)
        .await
        .map(|found| found.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_checkpoint_starts_once_enough_rows_went_in_and_one_at_a_time() {
        let main = hadir_db::connect("sqlite::memory:").await.unwrap();
        let writer = EventWriter::new(&main);
        writer.wrote(&main, CHECKPOINT_ROWS - 1);
        assert!(!writer.checkpointing.load(Ordering::Acquire), "too early");
        writer.wrote(&main, 1);
        assert!(writer.checkpointing.load(Ordering::Acquire), "not started");
        writer.wrote(&main, CHECKPOINT_ROWS);
        assert_eq!(writer.unchecked.load(Ordering::Relaxed), CHECKPOINT_ROWS, "a second one started");
        let finished = async {
            while writer.checkpointing.load(Ordering::Acquire) {
                tokio::task::yield_now().await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), finished).await.expect("the checkpoint ends");
        writer.wrote(&main, 1);
        assert!(writer.checkpointing.load(Ordering::Acquire), "the rows waiting start the next one");
    }
}
