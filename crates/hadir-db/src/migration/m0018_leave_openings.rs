//! Opening leave balances: annual leave a person took in years before Hadir kept their leave
//! (recorded from the earlier system or the personnel file), so carry-over starts from facts.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum LeaveOpenings {
    Table,
    InstitutionId,
    PersonId,
    Year,
    TakenDays,
    Reference,
    RecordedBy,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use LeaveOpenings as O;
        m.create_table(
            Table::create()
                .table(O::Table)
                .col(id(O::InstitutionId))
                .col(id(O::PersonId))
                .col(int(O::Year))
                .col(int(O::TakenDays))
                .col(text(O::Reference))
                .col(id(O::RecordedBy))
                .col(ms(O::RecordedAt))
                .primary_key(Index::create().col(O::InstitutionId).col(O::PersonId).col(O::Year))
                .foreign_key(&mut person_fk(O::Table, O::PersonId))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LeaveOpenings::Table).take()).await
    }
}
