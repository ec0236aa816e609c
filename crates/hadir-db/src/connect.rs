//! Opening the database named by a URL: `sqlite://…` or `postgres://…`.

use crate::migration::Migrator;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, TransactionTrait};
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
