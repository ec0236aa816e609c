//! Opening the database named by a URL: `sqlite://…` or `postgres://…`.

use crate::migration::Migrator;
use libsqlite3_sys::{SQLITE_DBCONFIG_ENABLE_QPSG, SQLITE_OK, sqlite3_db_config};
use sea_orm::sqlx;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, SqlxSqliteConnector,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::ffi::c_int;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// How long a SQLite statement waits for a lock another connection holds.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("database URL must start with sqlite:// or postgres:// (got scheme {0:?})")]
    Scheme(String),
    #[error("cannot open the database: {0}")]
    Open(#[source] DbErr),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[source] DbErr),
}

/// Opens the pool. SQLite gets WAL, foreign keys and a busy timeout, and is created if missing.
pub async fn connect(url: &str) -> Result<DatabaseConnection, ConnectError> {
    let backend =
        Backend::of_url(url).ok_or_else(|| ConnectError::Scheme(url.split(':').next().unwrap_or("").to_string()))?;
    let mut options = ConnectOptions::new(url.to_string());
    options.sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
    match backend {
        Backend::Sqlite => {
            options
                .max_connections(8)
                .map_sqlx_sqlite_opts(|o| {
                    o.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(BUSY_TIMEOUT)
                })
                .map_sqlx_sqlite_pool_opts(with_stable_plans);
        }
        Backend::Postgres => {
            options.max_connections(16);
        }
    }
    Database::connect(options).await.map_err(ConnectError::Open)
}

/// Has every SQLite connection plan a statement without looking at the values bound to it
/// (`SQLITE_DBCONFIG_ENABLE_QPSG`). Otherwise a bound `LIMIT ?` — sea-orm's `one()`, every paged
/// list — folds its value into the plan, so each run's fresh binding (sqlx binds on every run)
/// expires the cached statement and SQLite prepares it again: in a check-in surge, about 350
/// prepares a second of the settings read alone. Hadir runs no `ANALYZE`, so a plan has nothing
/// to gain from bound values. sqlx has no option for it, hence the raw handle.
fn with_stable_plans(options: SqlitePoolOptions) -> SqlitePoolOptions {
    options.after_connect(|conn, _| {
        Box::pin(async move {
            let mut handle = conn.lock_handle().await?;
            // SAFETY: the handle is locked, so sqlx's worker thread makes no call on it meanwhile;
            // this option takes an int (1 = on) and an optional out-pointer (none).
            let code = unsafe {
                sqlite3_db_config(
                    handle.as_raw_handle().as_ptr(),
                    SQLITE_DBCONFIG_ENABLE_QPSG,
                    1 as c_int,
                    null_mut::<c_int>(),
                )
            };
            match code {
                SQLITE_OK => Ok(()),
                _ => Err(sqlx::Error::Protocol(format!("SQLite refused SQLITE_DBCONFIG_ENABLE_QPSG (code {code})"))),
            }
        })
    })
}

/// A pool of one connection to the same SQLite file, for one busy writer (the check-in writer):
/// its commits never run a WAL checkpoint (`wal_autocheckpoint = 0`), which copies pages back into
/// the database file and syncs it — in a surge, more than half of the writer's time. Whoever
/// writes through it calls [`checkpoint`] now and then instead, whose copy-back runs on the main
/// pool beside the writer. Its thread is named `hadir-writer`, for `top -H` and profilers. PostgreSQL
/// has no such step: its pool is shared as it is.
pub fn writer_connection(db: &DatabaseConnection) -> DatabaseConnection {
    if db.get_database_backend() != DbBackend::Sqlite {
        return db.clone();
    }
    let options = db.get_sqlite_connection_pool().connect_options();
    // No idle timeout or lifetime: the pool then starts no task of its own, so this needs no runtime.
    let pool = with_stable_plans(SqlitePoolOptions::new())
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy_with((*options).clone().pragma("wal_autocheckpoint", "0").thread_name(|_| "hadir-writer".into()));
    SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
}

/// Log frames (pages) past which a checkpoint also makes the log start over (`RESTART`): 64 MiB.
const RESTART_FRAMES: i64 = 16_384;

/// How long that restart waits for readers still on the log. It runs on the writer's connection, so
/// the check-in writer waits as long: short, and a restart that does not get its turn is tried
/// again once the log has grown by as much again.
const RESTART_WAIT: Duration = Duration::from_millis(20);

/// When the next checkpoint tries to make the log start over. A restart is refused when a reader
/// is still on the log after the wait — a long read such as a large export — and trying again at
/// every checkpoint would hold the writer back for the whole wait each time while that read
/// lasts; so after a refusal the next try waits until the log has grown by as much again.
pub struct LogRestarts {
    every: i64,
    next: AtomicI64,
}

impl Default for LogRestarts {
    fn default() -> Self {
        LogRestarts::every(RESTART_FRAMES)
    }
}

impl LogRestarts {
    fn every(frames: i64) -> LogRestarts {
        LogRestarts { every: frames, next: AtomicI64::new(frames) }
    }
}

/// Copies what the SQLite write-ahead log holds back into the database file, as far as readers
/// allow, waiting for no one (`PASSIVE`), on a connection of the main pool `db` beside the writer;
/// once the log is long, also makes it start over (below) on the `writer`'s own connection.
/// Nothing to do on PostgreSQL.
///
/// Copying back alone does not shorten the log: a writer starts it over only when no reader is
/// still on it, and in a surge some reader always is, so the log grew by a gigabyte in eight
/// seconds, each append to new file space zeroed by the kernel and each page read searched a
/// longer index. Once the log is long, the checkpoint therefore also waits (briefly) for the
/// readers on it to finish, after which the next write starts the log from the beginning.
///
/// That restart holds the write lock. Taken from another connection, it made the writer's next
/// statement meet a busy lock and sleep in SQLite's growing steps (25, 50, 100 ms) well past the
/// restart's end: a surge's writes stood still for 90–200 ms about once a second, and every
/// request then waiting went past 150 ms. On the writer's own connection it simply comes between
/// two of the writer's statements, which wait for the connection (about 50 ms) and no longer.
pub async fn checkpoint(
    db: &DatabaseConnection,
    writer: &DatabaseConnection,
    restarts: &LogRestarts,
) -> Result<(), DbErr> {
    checkpoint_waiting(db, writer, restarts, RESTART_WAIT).await
}

async fn checkpoint_waiting(
    db: &DatabaseConnection,
    writer: &DatabaseConnection,
    restarts: &LogRestarts,
    wait: Duration,
) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(());
    }
    let (_busy, logged, _copied): (i64, i64, i64) = {
        let mut conn = db.get_sqlite_connection_pool().acquire().await.map_err(sqlx_error)?;
        sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&mut *conn).await.map_err(sqlx_error)?
    };
    let mut next = restarts.next.load(Ordering::Relaxed);
    if logged < next - restarts.every {
        // The log started over by itself since a refused restart (no reader was left on it).
        next = restarts.every;
        restarts.next.store(next, Ordering::Relaxed);
    }
    if logged < next {
        return Ok(());
    }
    let mut conn = writer.get_sqlite_connection_pool().acquire().await.map_err(sqlx_error)?;
    // The pooled connection's busy timeout is shortened for the restart only, then put back.
    let busy_timeout =
        |wait: Duration| sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA busy_timeout = {}", wait.as_millis())));
    busy_timeout(wait).execute(&mut *conn).await.map_err(sqlx_error)?;
    let restarted: Result<(i64, i64, i64), _> =
        sqlx::query_as("PRAGMA wal_checkpoint(RESTART)").fetch_one(&mut *conn).await;
    let restored = busy_timeout(BUSY_TIMEOUT).execute(&mut *conn).await;
    if restored.is_err() {
        conn.close_on_drop();
    }
    let (busy, _, _) = restarted.map_err(sqlx_error)?;
    let next = if busy == 0 { restarts.every } else { logged + restarts.every };
    restarts.next.store(next, Ordering::Relaxed);
    restored.map(drop).map_err(sqlx_error)
}

fn sqlx_error(err: sqlx::Error) -> DbErr {
    DbErr::Conn(sea_orm::RuntimeErr::SqlxError(err.into()))
}

/// Applies pending migrations. On PostgreSQL several `hadir` processes may start at once, so the
/// migration runs inside one transaction holding an advisory lock: the first migrates, the others
/// wait and then find nothing to do.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), ConnectError> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await.map_err(ConnectError::Migrate)?;
            txn.execute_unprepared("SELECT pg_advisory_xact_lock(424200001)").await.map_err(ConnectError::Migrate)?;
            Migrator::up(&txn, None).await.map_err(ConnectError::Migrate)?;
            txn.commit().await.map_err(ConnectError::Migrate)
        }
        _ => Migrator::up(db, None).await.map_err(ConnectError::Migrate),
    }
}

/// Names of migrations not yet applied (for `hadir check-config`).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.iter().map(|m| m.name().to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use libsqlite3_sys::{SQLITE_STMTSTATUS_REPREPARE, sqlite3_next_stmt, sqlite3_sql, sqlite3_stmt_status};
    use sea_orm::sqlx::pool::PoolConnection;
    use sea_orm::sqlx::{Pool, Sqlite};
    use std::ffi::CStr;

    const PAGED: &str = "SELECT column1 FROM (VALUES (1), (2), (3)) LIMIT ?";

    /// Runs `PAGED` three times with three limits on one connection of `pool`, then asks SQLite
    /// how often it prepared the cached statement again.
    async fn reprepares_of_a_paged_read(pool: &Pool<Sqlite>) -> i32 {
        let mut conn = pool.acquire().await.unwrap();
        for limit in 1..=3 {
            let rows = sqlx::query(PAGED).bind(limit).fetch_all(&mut *conn).await.unwrap();
            assert_eq!(rows.len(), limit as usize);
        }
        let mut handle = conn.lock_handle().await.unwrap();
        let db = handle.as_raw_handle().as_ptr();
        // SAFETY: the handle is locked; the walk only reads the connection's statement list.
        unsafe {
            let mut stmt = sqlite3_next_stmt(db, null_mut());
            while !stmt.is_null() {
                if CStr::from_ptr(sqlite3_sql(stmt)).to_str() == Ok(PAGED) {
                    return sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_REPREPARE, 0);
                }
                stmt = sqlite3_next_stmt(db, stmt);
            }
        }
        panic!("the paged read is not among the connection's prepared statements");
    }

    #[tokio::test]
    async fn a_bound_limit_does_not_make_sqlite_prepare_a_statement_again() {
        let (path, db, writer) = file_database().await;
        assert_eq!(reprepares_of_a_paged_read(db.get_sqlite_connection_pool()).await, 0, "main pool");
        assert_eq!(reprepares_of_a_paged_read(writer.get_sqlite_connection_pool()).await, 0, "writer");
        close(path, db, writer).await;
    }

    /// A fresh SQLite file with the main pool and the check-in writer's connection on it.
    async fn file_database() -> (std::path::PathBuf, DatabaseConnection, DatabaseConnection) {
        let path = std::env::temp_dir().join(format!("hadir-connect-{}.db", uuid::Uuid::new_v4().simple()));
        let db = connect(&format!("sqlite://{}", path.display())).await.unwrap();
        let writer = writer_connection(&db);
        (path, db, writer)
    }

    /// A file database with a table, the main pool, the check-in writer's connection, and a
    /// reader in a transaction that began after the writer's first 200-odd pages of log.
    async fn log_with_a_reader_on_it()
    -> (std::path::PathBuf, DatabaseConnection, DatabaseConnection, PoolConnection<Sqlite>) {
        let (path, db, writer) = file_database().await;
        writer.execute_unprepared("CREATE TABLE filler (bytes BLOB)").await.unwrap();
        for _ in 0..20 {
            writer.execute_unprepared(FILL).await.unwrap();
        }
        let mut reader = db.get_sqlite_connection_pool().acquire().await.unwrap();
        sqlx::query("BEGIN").execute(&mut *reader).await.unwrap();
        sqlx::query("SELECT count(*) FROM filler").fetch_one(&mut *reader).await.unwrap();
        (path, db, writer, reader)
    }

    const FILL: &str =
        "INSERT INTO filler SELECT randomblob(4000) FROM (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10))";

    async fn frames_in_log(db: &DatabaseConnection) -> i64 {
        let mut conn = db.get_sqlite_connection_pool().acquire().await.unwrap();
        let (_, frames, _): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&mut *conn).await.unwrap();
        frames
    }

    async fn close(path: std::path::PathBuf, db: DatabaseConnection, writer: DatabaseConnection) {
        writer.close().await.unwrap();
        db.close().await.unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[tokio::test]
    async fn a_long_log_starts_over_once_the_readers_on_it_finish() {
        let (path, db, writer, mut reader) = log_with_a_reader_on_it().await;
        assert!(frames_in_log(&db).await >= 200);
        let finishing = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            sqlx::query("COMMIT").execute(&mut *reader).await.unwrap();
        });
        // A plain copy-back would return at once, and the write below would find the reader still
        // on the log and append to it.
        checkpoint_waiting(&db, &writer, &LogRestarts::every(100), Duration::from_secs(5)).await.unwrap();
        writer.execute_unprepared(FILL).await.unwrap();
        let frames = frames_in_log(&db).await;
        assert!(frames < 100, "the log did not start over: {frames} frames");
        finishing.await.unwrap();
        close(path, db, writer).await;
    }

    #[tokio::test]
    async fn a_reader_that_stays_holds_the_restart_back_briefly_and_then_not_until_the_log_grows() {
        let (path, db, writer, mut reader) = log_with_a_reader_on_it().await;
        let restarts = LogRestarts::every(100);
        let started = std::time::Instant::now();
        checkpoint_waiting(&db, &writer, &restarts, RESTART_WAIT).await.unwrap();
        // The writer's lock is held while the restart waits, not the ten seconds of a busy timeout.
        assert!(started.elapsed() < Duration::from_secs(2), "waited {:?}", started.elapsed());
        // Refused: the next try waits for another 100 frames of log.
        let logged = frames_in_log(&db).await;
        assert_eq!(restarts.next.load(Ordering::Relaxed), logged + 100);
        checkpoint_waiting(&db, &writer, &restarts, Duration::from_secs(10)).await.unwrap();
        assert_eq!(restarts.next.load(Ordering::Relaxed), logged + 100, "tried again too soon");
        // Once the reader has gone, the log starts over with the next write, and restarts are
        // tried at the usual length again.
        sqlx::query("COMMIT").execute(&mut *reader).await.unwrap();
        drop(reader);
        for _ in 0..12 {
            writer.execute_unprepared(FILL).await.unwrap();
        }
        checkpoint_waiting(&db, &writer, &restarts, Duration::from_secs(5)).await.unwrap();
        assert!(frames_in_log(&db).await < logged, "the log did not start over");
        assert_eq!(restarts.next.load(Ordering::Relaxed), 100);
        close(path, db, writer).await;
    }

    #[tokio::test]
    async fn the_restart_waits_for_the_writers_connection_instead_of_locking_it_out() {
        let (path, db, writer) = file_database().await;
        writer.execute_unprepared("CREATE TABLE filler (bytes BLOB)").await.unwrap();
        for _ in 0..20 {
            writer.execute_unprepared(FILL).await.unwrap();
        }
        // The writer between two statements of a batch: from another connection the restart
        // would go ahead at once and the writer's next statement would meet the lock.
        let in_use = writer.get_sqlite_connection_pool().acquire().await.unwrap();
        let checkpointing = tokio::spawn({
            let (db, writer) = (db.clone(), writer.clone());
            async move { checkpoint_waiting(&db, &writer, &LogRestarts::every(100), Duration::from_secs(5)).await }
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!checkpointing.is_finished(), "the restart did not wait for the writer's connection");
        drop(in_use);
        checkpointing.await.unwrap().unwrap();
        writer.execute_unprepared(FILL).await.unwrap();
        let frames = frames_in_log(&db).await;
        assert!(frames < 100, "the log did not start over: {frames} frames");
        close(path, db, writer).await;
    }
}
