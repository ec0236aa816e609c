//! Jobs that someone asked for and waits on — a recap export, a people import — record who asked,
//! how far they are, and the file they made: kept in the object store until it expires, and
//! downloadable by the one who asked.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Jobs {
    Table,
    RequestedBy,
    ProgressDone,
    ProgressTotal,
    ProgressStep,
    ResultKey,
    ResultName,
    ResultType,
    ResultBytes,
    ExpiresAt,
    DownloadedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Jobs as J;
        let count = |c: J| ColumnDef::new(c).big_integer().not_null().default(0).take();
        // SQLite adds one column per statement.
        for column in [
            id_null(J::RequestedBy),
            count(J::ProgressDone),
            count(J::ProgressTotal),
            text_null(J::ProgressStep),
            text_null(J::ResultKey),
            text_null(J::ResultName),
            text_null(J::ResultType),
            ColumnDef::new(J::ResultBytes).big_integer().null().take(),
            ms_null(J::ExpiresAt),
            ms_null(J::DownloadedAt),
        ] {
            m.alter_table(Table::alter().table(J::Table).add_column(column).take()).await?;
        }
        m.create_index(Index::create().name("jobs_requested_by").table(J::Table).col(J::RequestedBy).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Jobs as J;
        m.drop_index(Index::drop().name("jobs_requested_by").table(J::Table).to_owned()).await?;
        for column in [
            J::DownloadedAt,
            J::ExpiresAt,
            J::ResultBytes,
            J::ResultType,
            J::ResultName,
            J::ResultKey,
            J::ProgressStep,
            J::ProgressTotal,
            J::ProgressDone,
            J::RequestedBy,
        ] {
            m.alter_table(Table::alter().table(J::Table).drop_column(column).take()).await?;
        }
        Ok(())
    }
}
