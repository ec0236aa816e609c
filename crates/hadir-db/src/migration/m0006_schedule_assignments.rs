//! Schedules become assignable per person, and a schedule can be a date-bounded override
//! (Ramadan) that applies to everyone between two dates.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Schedules {
    Table,
    InstitutionId,
    Id,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden, Clone, Copy)]
enum ScheduleAssignments {
    Table,
    InstitutionId,
    PersonId,
    ScheduleId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds columns one at a time.
        for column in [Schedules::ValidFrom, Schedules::ValidTo] {
            m.alter_table(
                Table::alter().table(Schedules::Table).add_column(ColumnDef::new(column).string_len(10).null()).take(),
            )
            .await?;
        }
        use ScheduleAssignments as A;
        m.create_table(
            Table::create()
                .table(A::Table)
                .col(id(A::InstitutionId))
                .col(id(A::PersonId))
                .col(id(A::ScheduleId))
                .col(ms(A::CreatedAt))
                .primary_key(Index::create().col(A::InstitutionId).col(A::PersonId))
                .foreign_key(&mut person_fk(A::Table, A::PersonId))
                .foreign_key(
                    ForeignKey::create()
                        .from(A::Table, (A::InstitutionId, A::ScheduleId))
                        .to(Schedules::Table, (Schedules::InstitutionId, Schedules::Id))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ScheduleAssignments::Table).take()).await?;
        for column in [Schedules::ValidTo, Schedules::ValidFrom] {
            m.alter_table(Table::alter().table(Schedules::Table).drop_column(column).take()).await?;
        }
        Ok(())
    }
}
