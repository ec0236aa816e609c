//! A rectification request names the field to correct and the value proposed, so the privacy
//! officer can apply it as it stands. The value is sealed like the NIK it may be.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum SubjectRequests {
    Table,
    Field,
    Proposed,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use SubjectRequests as R;
        // SQLite adds one column per statement.
        m.alter_table(Table::alter().table(R::Table).add_column(text_null(R::Field)).take()).await?;
        m.alter_table(Table::alter().table(R::Table).add_column(text_null(R::Proposed)).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use SubjectRequests as R;
        m.alter_table(Table::alter().table(R::Table).drop_column(R::Proposed).take()).await?;
        m.alter_table(Table::alter().table(R::Table).drop_column(R::Field).take()).await
    }
}
