//! Units can be deactivated (a bidang dissolved in a reorganisation) without losing their
//! history: an inactive unit keeps its past people's records and recaps, and takes no new people.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Units {
    Table,
    Active,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let active = ColumnDef::new(Units::Active).boolean().not_null().default(true).take();
        m.alter_table(Table::alter().table(Units::Table).add_column(active).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Units::Table).drop_column(Units::Active).take()).await
    }
}
