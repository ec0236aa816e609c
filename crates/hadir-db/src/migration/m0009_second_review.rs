//! An optional second review of flagged check-ins: who approved at the first level, and when.
//! While set and the outcome is still `needs_review`, the event waits for the second reviewer.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AttendanceEvents {
    Table,
    FirstReviewedBy,
    FirstReviewedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AttendanceEvents as E;
        // SQLite adds one column per statement.
        m.alter_table(Table::alter().table(E::Table).add_column(id_null(E::FirstReviewedBy)).take()).await?;
        m.alter_table(Table::alter().table(E::Table).add_column(ms_null(E::FirstReviewedAt)).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AttendanceEvents as E;
        m.alter_table(Table::alter().table(E::Table).drop_column(E::FirstReviewedAt).take()).await?;
        m.alter_table(Table::alter().table(E::Table).drop_column(E::FirstReviewedBy).take()).await
    }
}
