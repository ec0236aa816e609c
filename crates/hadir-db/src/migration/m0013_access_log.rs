//! The access log: every read of another person's personal data by staff — who, whose, what,
//! for which purpose, when (UU PDP Ps 31: the processing trail). The person can read their own.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AccessLog {
    Table,
    InstitutionId,
    Id,
    At,
    ActorAccountId,
    ActorPersonId,
    SubjectPersonId,
    Data,
    Purpose,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AccessLog as A;
        m.create_table(
            Table::create()
                .table(A::Table)
                .col(id(A::InstitutionId))
                .col(id(A::Id))
                .col(ms(A::At))
                .col(id(A::ActorAccountId))
                .col(id(A::ActorPersonId))
                .col(id(A::SubjectPersonId))
                .col(text(A::Data))
                .col(text(A::Purpose))
                .primary_key(Index::create().col(A::InstitutionId).col(A::Id))
                .foreign_key(&mut person_fk(A::Table, A::SubjectPersonId))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("access_log_subject")
                .table(A::Table)
                .col(A::InstitutionId)
                .col(A::SubjectPersonId)
                .col(A::At)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AccessLog::Table).take()).await
    }
}
