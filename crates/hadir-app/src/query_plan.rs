//! For tests that pin a hot query to its index: a plan can change silently (a partial index's
//! condition no longer repeated, a new index the planner likes better) and leave every result
//! right while each call reads thousands of rows.

use sea_orm::{ConnectionTrait, Statement};

/// SQLite's plan for `statement` (built for SQLite) on a freshly migrated database, one step a line.
pub(crate) async fn sqlite_plan(statement: Statement) -> String {
    let db = hadir_db::connect("sqlite::memory:").await.unwrap();
    hadir_db::migrate(&db).await.unwrap();
    let explain = format!("EXPLAIN QUERY PLAN {}", statement.sql);
    let values = statement.values.unwrap_or_else(|| sea_orm::Values(Vec::new()));
    let plan = db.query_all_raw(Statement::from_sql_and_values(statement.db_backend, explain, values)).await.unwrap();
    let steps: Vec<String> = plan.iter().map(|row| row.try_get::<String>("", "detail").unwrap()).collect();
    steps.join("\n")
}
