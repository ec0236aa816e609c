//! What people say about a privacy notice while it is under review (and after): the feedback box
//! that comes with each new version, read by the privacy officer.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum NoticeFeedback {
    Table,
    InstitutionId,
    Id,
    NoticeVersion,
    PersonId,
    Text,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use NoticeFeedback as F;
        m.create_table(
            Table::create()
                .table(F::Table)
                .col(id(F::InstitutionId))
                .col(id(F::Id))
                .col(int(F::NoticeVersion))
                .col(id(F::PersonId))
                .col(text(F::Text))
                .col(ms(F::CreatedAt))
                .primary_key(Index::create().col(F::InstitutionId).col(F::Id))
                .foreign_key(&mut person_fk(F::Table, F::PersonId))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(NoticeFeedback::Table).take()).await
    }
}
