//! Legal holds: a person's data that must not be deleted while a case (a dispute, an audit, a
//! court order) is open, whatever the retention schedule says.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum LegalHolds {
    Table,
    InstitutionId,
    Id,
    PersonId,
    Reference,
    Reason,
    CreatedBy,
    CreatedAt,
    ReleasedBy,
    ReleasedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use LegalHolds as H;
        m.create_table(
            Table::create()
                .table(H::Table)
                .col(id(H::InstitutionId))
                .col(id(H::Id))
                .col(id(H::PersonId))
                .col(text(H::Reference))
                .col(text(H::Reason))
                .col(id(H::CreatedBy))
                .col(ms(H::CreatedAt))
                .col(id_null(H::ReleasedBy))
                .col(ms_null(H::ReleasedAt))
                .primary_key(Index::create().col(H::InstitutionId).col(H::Id))
                .foreign_key(&mut person_fk(H::Table, H::PersonId))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LegalHolds::Table).take()).await
    }
}
