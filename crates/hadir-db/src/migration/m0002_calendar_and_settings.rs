//! Each institution's holiday calendar (its own copy of the national decree rows plus local
//! days) and its settings (the discipline table, the attendance policy…), one JSON value per key.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Holidays {
    Table,
    InstitutionId,
    Id,
    Date,
    Kind,
    Name,
    NameEn,
    Decree,
    Source,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum InstitutionSettings {
    Table,
    InstitutionId,
    Key,
    Value,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum Institutions {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Holidays::Table)
                .col(id(Holidays::InstitutionId))
                .col(id(Holidays::Id))
                // ISO `YYYY-MM-DD`: sorts and compares the same on both backends.
                .col(ColumnDef::new(Holidays::Date).string_len(10).not_null())
                .col(text(Holidays::Kind))
                .col(text(Holidays::Name))
                .col(text_null(Holidays::NameEn))
                .col(text(Holidays::Decree))
                .col(text(Holidays::Source))
                .col(ms(Holidays::CreatedAt))
                .col(ms(Holidays::UpdatedAt))
                .primary_key(Index::create().col(Holidays::InstitutionId).col(Holidays::Id))
                .foreign_key(
                    ForeignKey::create()
                        .from(Holidays::Table, Holidays::InstitutionId)
                        .to(Institutions::Table, Institutions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("holidays_date")
                .table(Holidays::Table)
                .col(Holidays::InstitutionId)
                .col(Holidays::Date)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(InstitutionSettings::Table)
                .col(id(InstitutionSettings::InstitutionId))
                .col(ColumnDef::new(InstitutionSettings::Key).string_len(60).not_null())
                .col(text(InstitutionSettings::Value))
                .col(ms(InstitutionSettings::UpdatedAt))
                .col(id_null(InstitutionSettings::UpdatedBy))
                .primary_key(Index::create().col(InstitutionSettings::InstitutionId).col(InstitutionSettings::Key))
                .foreign_key(
                    ForeignKey::create()
                        .from(InstitutionSettings::Table, InstitutionSettings::InstitutionId)
                        .to(Institutions::Table, Institutions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(InstitutionSettings::Table).take()).await?;
        m.drop_table(Table::drop().table(Holidays::Table).take()).await
    }
}
