//! The controller's registers (UU PDP): processors (Ps 51–52), disclosures to authorities, and
//! breach incidents with their notification times (Ps 46).

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Processors {
    Table,
    InstitutionId,
    Id,
    Name,
    Processes,
    Purpose,
    ContractReference,
    CreatedAt,
    EndedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Disclosures {
    Table,
    InstitutionId,
    Id,
    Authority,
    LegalBasis,
    Disclosed,
    DisclosedAt,
    SubjectTold,
    SubjectToldAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Breaches {
    Table,
    InstitutionId,
    Id,
    DiscoveredAt,
    Occurred,
    DataAffected,
    How,
    Remediation,
    PeopleAffected,
    Contact,
    SubjectsNotifiedAt,
    AuthorityNotifiedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Breaches as B;
        use Disclosures as D;
        use Processors as P;
        m.create_table(
            Table::create()
                .table(P::Table)
                .col(id(P::InstitutionId))
                .col(id(P::Id))
                .col(text(P::Name))
                .col(text(P::Processes))
                .col(text(P::Purpose))
                .col(text(P::ContractReference))
                .col(ms(P::CreatedAt))
                .col(ms_null(P::EndedAt))
                .primary_key(Index::create().col(P::InstitutionId).col(P::Id))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(D::Table)
                .col(id(D::InstitutionId))
                .col(id(D::Id))
                .col(text(D::Authority))
                .col(text(D::LegalBasis))
                .col(text(D::Disclosed))
                .col(ms(D::DisclosedAt))
                .col(ColumnDef::new(D::SubjectTold).boolean().not_null())
                .col(ms_null(D::SubjectToldAt))
                .col(ms(D::CreatedAt))
                .primary_key(Index::create().col(D::InstitutionId).col(D::Id))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(B::Table)
                .col(id(B::InstitutionId))
                .col(id(B::Id))
                .col(ms(B::DiscoveredAt))
                .col(text(B::Occurred))
                .col(text(B::DataAffected))
                .col(text(B::How))
                .col(text(B::Remediation))
                .col(int(B::PeopleAffected))
                .col(text(B::Contact))
                .col(ms_null(B::SubjectsNotifiedAt))
                .col(ms_null(B::AuthorityNotifiedAt))
                .col(ms(B::CreatedAt))
                .primary_key(Index::create().col(B::InstitutionId).col(B::Id))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Breaches::Table).take()).await?;
        m.drop_table(Table::drop().table(Disclosures::Table).take()).await?;
        m.drop_table(Table::drop().table(Processors::Table).take()).await
    }
}
