//! Fresh databases for tests, on both backends.
//!
//! SQLite always: a new file in the temp folder. PostgreSQL when `HADIR_TEST_DATABASE_URL`
//! names a server (any database on it): a new database is created for the test and dropped
//! afterwards, so tests run in parallel without seeing each other.
//!
//! [`db_test!`](crate::db_test) turns one async test body into a `sqlite` and a `postgres` test.
//!
//! The PostgreSQL half runs as Hadir runs at scale: its objects go to an S3-compatible bucket
//! when `HADIR_TEST_OBJECT_STORE` names one (`s3://bucket`, credentials and endpoint from the
//! usual `AWS_*` variables), each test under its own prefix. SQLite tests keep objects in memory.

use crate::{Backend, Objects, connect, migrate};
use sea_orm::{ConnectionTrait, DatabaseConnection};

pub const POSTGRES_ENV: &str = "HADIR_TEST_DATABASE_URL";
pub const OBJECT_STORE_ENV: &str = "HADIR_TEST_OBJECT_STORE";

pub struct TestDatabase {
    pub url: String,
    pub backend: Backend,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Database { admin_url: String, name: String },
}

/// The PostgreSQL server to test against, if configured.
pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty())
}

/// A fresh prefix in the S3 test bucket, if one is configured.
pub fn s3_store() -> Option<String> {
    let bucket = std::env::var(OBJECT_STORE_ENV).ok().filter(|u| u.starts_with("s3://"))?;
    Some(format!("{}/test-{}", bucket.trim_end_matches('/'), uuid::Uuid::new_v4().simple()))
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

impl TestDatabase {
    /// A new, empty, migrated database.
    pub async fn fresh(backend: Backend) -> TestDatabase {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let db = match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("hadir-test-{tag}.db"));
                TestDatabase {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    backend,
                    cleanup: Cleanup::File(path),
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_url().unwrap_or_else(|| panic!("{POSTGRES_ENV} is not set"));
                let name = format!("hadir_test_{tag}");
                let admin = connect(&admin_url).await.expect("connect to the PostgreSQL test server");
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
                admin.close().await.ok();
                TestDatabase {
                    url: with_database(&admin_url, &name),
                    backend,
                    cleanup: Cleanup::Database { admin_url, name },
                }
            }
        };
        let conn = db.connect().await;
        migrate(&conn).await.expect("migrations apply");
        conn.close().await.ok();
        db
    }

    /// The object store that goes with this backend (see the module's comment).
    pub fn objects(&self) -> Objects {
        let spec = match self.backend {
            Backend::Postgres => s3_store().unwrap_or_else(|| "memory://".into()),
            Backend::Sqlite => "memory://".into(),
        };
        Objects::open(&spec).expect("open the test object store")
    }

    pub async fn connect(&self) -> DatabaseConnection {
        connect(&self.url).await.expect("connect to the test database")
    }

    /// Removes the database. Call at the end of the test (a failed test leaves it for inspection).
    pub async fn drop_database(self) {
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(admin) = connect(&admin_url).await {
                    let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                    admin.close().await.ok();
                }
            }
        }
    }
}

/// Declares `mod $name { sqlite, postgres }`: the body runs once per backend with a fresh
/// [`TestDatabase`] bound to `$db`. The PostgreSQL test reports itself skipped when
/// `HADIR_TEST_DATABASE_URL` is unset; CI always sets it, and `.ci/run` fails without a server.
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: &$crate::testing::TestDatabase) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::testing::TestDatabase::fresh($crate::Backend::Sqlite).await;
                run(&db).await;
                db.drop_database().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::testing::postgres_url().is_none() {
                    eprintln!("skipped: {} is not set", $crate::testing::POSTGRES_ENV);
                    return;
                }
                let db = $crate::testing::TestDatabase::fresh($crate::Backend::Postgres).await;
                run(&db).await;
                db.drop_database().await;
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_swapped() {
        assert_eq!(with_database("postgres://u:p@127.0.0.1:5432/postgres", "x"), "postgres://u:p@127.0.0.1:5432/x");
        assert_eq!(with_database("postgres://127.0.0.1", "x"), "postgres://127.0.0.1/x");
        assert_eq!(with_database("postgres://h/db?sslmode=disable", "x"), "postgres://h/x?sslmode=disable");
    }
}
