//! A person's religion, an item of personnel records that UU PDP treats as specific-purpose data:
//! sealed at rest like the NIK.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum People {
    Table,
    Religion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(People::Table).add_column(text_null(People::Religion)).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(People::Table).drop_column(People::Religion).take()).await
    }
}
