//! Opening the database named by a URL: `sqlite://…` or `postgres://…`.

use crate::migration::Migrator;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, SqlxSqliteConnector,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
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
            options.max_connections(8).map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
            });
        }
        Backend::Postgres => {
            options.max_connections(16);
        }
    }
    Database::connect(options).await.map_err(ConnectError::Open)
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
    let pool = SqlitePoolOptions::new()
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
