//! Privacy notices (versioned, Indonesian and English) and the consent ledger: append-only, one
//! row per decision, with the notice version it was made under and how it was given (Ps 21–25).

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum PrivacyNotices {
    Table,
    InstitutionId,
    Id,
    Version,
    TextId,
    TextEn,
    PublishedAt,
    EffectiveAt,
    PublishedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum ConsentLedger {
    Table,
    InstitutionId,
    Id,
    PersonId,
    Purpose,
    NoticeVersion,
    Granted,
    At,
    Channel,
    Ip,
    UserAgent,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ConsentLedger as C;
        use PrivacyNotices as N;
        m.create_table(
            Table::create()
                .table(N::Table)
                .col(id(N::InstitutionId))
                .col(id(N::Id))
                .col(int(N::Version))
                .col(text(N::TextId))
                .col(text(N::TextEn))
                .col(ms(N::PublishedAt))
                .col(ms(N::EffectiveAt))
                .col(id(N::PublishedBy))
                .primary_key(Index::create().col(N::InstitutionId).col(N::Id))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("notice_version")
                .table(N::Table)
                .col(N::InstitutionId)
                .col(N::Version)
                .unique()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(id(C::InstitutionId))
                .col(id(C::Id))
                .col(id(C::PersonId))
                .col(text(C::Purpose))
                .col(int(C::NoticeVersion))
                .col(ColumnDef::new(C::Granted).boolean().not_null())
                .col(ms(C::At))
                .col(text(C::Channel))
                .col(text_null(C::Ip))
                .col(text_null(C::UserAgent))
                .primary_key(Index::create().col(C::InstitutionId).col(C::Id))
                .foreign_key(&mut person_fk(C::Table, C::PersonId))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consent_person")
                .table(C::Table)
                .col(C::InstitutionId)
                .col(C::PersonId)
                .col(C::At)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ConsentLedger::Table).take()).await?;
        m.drop_table(Table::drop().table(PrivacyNotices::Table).take()).await
    }
}
