//! The job worker looks for due jobs one kind at a time (`jobs_due_by_kind`: status, kind, then
//! when due), each look a range that stops at a round's worth. Through `jobs_due` (status, when
//! due) a round had to read every queued job of every kind and sort them to find its lane's
//! first few: after a check-in surge, tens of thousands of thumbnails, read by both lanes at
//! every round while the backlog drained.

use super::index::{drop, on};
use super::m0010_jobs::Jobs as J;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(drop(J::Table, "jobs_due")).await?;
        m.create_index(on(J::Table, "jobs_due_by_kind", &[J::Status, J::Kind, J::RunAfter])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(drop(J::Table, "jobs_due_by_kind")).await?;
        m.create_index(on(J::Table, "jobs_due", &[J::Status, J::RunAfter])).await
    }
}
