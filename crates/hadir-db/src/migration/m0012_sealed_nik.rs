//! NIK is sealed (encrypted) in `people.nik` from now on, with a keyed hash beside it so that it
//! can still be looked up: `nik_index`. The sealing itself needs the key file, so the
//! application seals values left in plain text on its next start.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum People {
    Table,
    InstitutionId,
    NikIndex,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use People as P;
        m.alter_table(Table::alter().table(P::Table).add_column(text_null(P::NikIndex)).take()).await?;
        m.create_index(Index::create().name("people_nik").table(P::Table).col(P::InstitutionId).col(P::NikIndex).take())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use People as P;
        m.drop_index(Index::drop().name("people_nik").table(P::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(P::Table).drop_column(P::NikIndex).take()).await
    }
}
