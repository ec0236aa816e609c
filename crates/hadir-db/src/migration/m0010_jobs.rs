//! Background jobs: work taken off the request path (thumbnails today; exports, data-subject
//! exports and retention later). Any `hadir` process may run any job: a job is claimed by a
//! conditional update that only one process can win, and a claim that is not finished within its
//! lease (a crashed process) may be claimed again.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub(super) enum Jobs {
    Table,
    InstitutionId,
    Id,
    Kind,
    Payload,
    Status,
    Attempts,
    RunAfter,
    LockedUntil,
    LastError,
    CreatedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Jobs as J;
        m.create_table(
            Table::create()
                .table(J::Table)
                .col(id(J::InstitutionId))
                .col(id(J::Id))
                .col(text(J::Kind))
                .col(text(J::Payload))
                .col(text(J::Status))
                .col(int(J::Attempts))
                .col(ms(J::RunAfter))
                .col(ms_null(J::LockedUntil))
                .col(text_null(J::LastError))
                .col(ms(J::CreatedAt))
                .col(ms_null(J::FinishedAt))
                .primary_key(Index::create().col(J::InstitutionId).col(J::Id))
                .take(),
        )
        .await?;
        m.create_index(Index::create().name("jobs_due").table(J::Table).col(J::Status).col(J::RunAfter).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Jobs::Table).take()).await
    }
}
