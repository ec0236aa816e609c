//! Leave and absence requests, decided by the supervisor or an administrator.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum LeaveRequests {
    Table,
    InstitutionId,
    Id,
    PersonId,
    Kind,
    StartDate,
    EndDate,
    WorkingDays,
    Reason,
    DocumentKey,
    Status,
    DecidedBy,
    DecidedAt,
    DecisionReason,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use LeaveRequests as L;
        m.create_table(
            Table::create()
                .table(L::Table)
                .col(id(L::InstitutionId))
                .col(id(L::Id))
                .col(id(L::PersonId))
                .col(text(L::Kind))
                .col(ColumnDef::new(L::StartDate).string_len(10).not_null())
                .col(ColumnDef::new(L::EndDate).string_len(10).not_null())
                .col(int(L::WorkingDays))
                .col(text(L::Reason))
                .col(text_null(L::DocumentKey))
                .col(text(L::Status))
                .col(id_null(L::DecidedBy))
                .col(ms_null(L::DecidedAt))
                .col(text_null(L::DecisionReason))
                .col(ms(L::CreatedAt))
                .primary_key(Index::create().col(L::InstitutionId).col(L::Id))
                .foreign_key(&mut person_fk(L::Table, L::PersonId))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("leave_person")
                .table(L::Table)
                .col(L::InstitutionId)
                .col(L::PersonId)
                .col(L::StartDate)
                .take(),
        )
        .await?;
        m.create_index(Index::create().name("leave_status").table(L::Table).col(L::InstitutionId).col(L::Status).take())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LeaveRequests::Table).take()).await
    }
}
