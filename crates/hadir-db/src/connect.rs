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
use std::time::Duration;

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
                        .busy_timeout(Duration::from_secs(10))
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
/// writes through it calls [`checkpoint`] on the main pool now and then instead, where it runs
/// beside the writer. PostgreSQL has no such step: its pool is shared as it is.
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
        .connect_lazy_with((*options).clone().pragma("wal_autocheckpoint", "0"));
    SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
}

/// Copies what the SQLite write-ahead log holds back into the database file, as far as readers
/// allow, without waiting for anyone (`PASSIVE`). Nothing to do on PostgreSQL.
pub async fn checkpoint(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await?;
    }
    Ok(())
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
        let path = std::env::temp_dir().join(format!("hadir-plans-{}.db", uuid::Uuid::new_v4().simple()));
        let db = connect(&format!("sqlite://{}", path.display())).await.unwrap();
        assert_eq!(reprepares_of_a_paged_read(db.get_sqlite_connection_pool()).await, 0, "main pool");
        let writer = writer_connection(&db);
        assert_eq!(reprepares_of_a_paged_read(writer.get_sqlite_connection_pool()).await, 0, "writer");
        writer.close().await.unwrap();
        db.close().await.unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
