//! A cache of monthly totals per person, for months that are over. The recap of a whole
//! institution would otherwise read every event of the month (millions of rows at 100,000
//! people). A row counts only while its `generation` equals the month's current generation in
//! `recap_generations`; anything that can change a settled month's result bumps that number.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum RecapGenerations {
    Table,
    InstitutionId,
    Month,
    Generation,
}

#[derive(DeriveIden, Clone, Copy)]
enum RecapMonthTotals {
    Table,
    InstitutionId,
    Month,
    PersonId,
    Generation,
    PresentDays,
    Late1,
    Late2,
    Late3,
    Late4,
    Early1,
    Early2,
    Early3,
    Early4,
    AbsentDays,
    LeaveDays,
    DeductionUncapped,
    Deduction,
}

fn month(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).string_len(7).not_null().take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use RecapGenerations as G;
        m.create_table(
            Table::create()
                .table(G::Table)
                .col(id(G::InstitutionId))
                .col(month(G::Month))
                .col(ms(G::Generation))
                .primary_key(Index::create().col(G::InstitutionId).col(G::Month))
                .take(),
        )
        .await?;
        m.create_table(totals_table()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RecapMonthTotals::Table).if_exists().take()).await?;
        m.drop_table(Table::drop().table(RecapGenerations::Table).take()).await
    }
}

/// The whole month's totals per person (replaced by migration 0026, whose `down` restores it).
pub(super) fn totals_table() -> TableCreateStatement {
    use RecapMonthTotals as T;
    let mut totals = Table::create()
        .table(T::Table)
        .col(id(T::InstitutionId))
        .col(month(T::Month))
        .col(id(T::PersonId))
        .col(ms(T::Generation))
        .primary_key(Index::create().col(T::InstitutionId).col(T::Month).col(T::PersonId))
        .foreign_key(&mut person_fk(T::Table, T::PersonId))
        .take();
    for count in [
        T::PresentDays,
        T::Late1,
        T::Late2,
        T::Late3,
        T::Late4,
        T::Early1,
        T::Early2,
        T::Early3,
        T::Early4,
        T::AbsentDays,
        T::LeaveDays,
        T::DeductionUncapped,
        T::Deduction,
    ] {
        totals.col(int(count));
    }
    totals
}
