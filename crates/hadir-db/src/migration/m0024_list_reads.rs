//! Reads of many people at once — a unit's monthly recap or its download, the people list, today's
//! board — recorded once per read for the unit read (none: the reader's whole reach), so a person
//! sees them among the reads of their data without a row per person per read.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ListReads {
    Table,
    InstitutionId,
    Id,
    At,
    ActorAccountId,
    ActorPersonId,
    UnitId,
    Data,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ListReads as L;
        m.create_table(
            Table::create()
                .table(L::Table)
                .col(id(L::InstitutionId))
                .col(id(L::Id))
                .col(ms(L::At))
                .col(id(L::ActorAccountId))
                .col(id(L::ActorPersonId))
                .col(id_null(L::UnitId))
                .col(text(L::Data))
                .col(text_null(L::Detail))
                .primary_key(Index::create().col(L::InstitutionId).col(L::Id))
                .take(),
        )
        .await?;
        m.create_index(Index::create().name("list_reads_at").table(L::Table).col(L::InstitutionId).col(L::At).take())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ListReads::Table).take()).await
    }
}
