//! Work-from-home points (proposed by the person, approved by an administrator, for given
//! weekdays) and official-duty assignments (a place and a date range).

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum WfhPoints {
    Table,
    InstitutionId,
    Id,
    PersonId,
    Lat,
    Lon,
    RadiusM,
    Address,
    Weekdays,
    Status,
    Reason,
    DecidedBy,
    DecidedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DutyAssignments {
    Table,
    InstitutionId,
    Id,
    PersonId,
    Place,
    Lat,
    Lon,
    RadiusM,
    StartDate,
    EndDate,
    Reference,
    CreatedBy,
    CreatedAt,
}

fn degrees(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).double().not_null().take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use DutyAssignments as D;
        use WfhPoints as W;
        m.create_table(
            Table::create()
                .table(W::Table)
                .col(id(W::InstitutionId))
                .col(id(W::Id))
                .col(id(W::PersonId))
                .col(degrees(W::Lat))
                .col(degrees(W::Lon))
                .col(degrees(W::RadiusM))
                .col(text_null(W::Address))
                .col(text(W::Weekdays))
                .col(text(W::Status))
                .col(text_null(W::Reason))
                .col(id_null(W::DecidedBy))
                .col(ms_null(W::DecidedAt))
                .col(ms(W::CreatedAt))
                .primary_key(Index::create().col(W::InstitutionId).col(W::Id))
                .foreign_key(&mut person_fk(W::Table, W::PersonId))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("wfh_person").table(W::Table).col(W::InstitutionId).col(W::PersonId).take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(D::Table)
                .col(id(D::InstitutionId))
                .col(id(D::Id))
                .col(id(D::PersonId))
                .col(text(D::Place))
                .col(degrees(D::Lat))
                .col(degrees(D::Lon))
                .col(degrees(D::RadiusM))
                .col(ColumnDef::new(D::StartDate).string_len(10).not_null())
                .col(ColumnDef::new(D::EndDate).string_len(10).not_null())
                .col(text(D::Reference))
                .col(id(D::CreatedBy))
                .col(ms(D::CreatedAt))
                .primary_key(Index::create().col(D::InstitutionId).col(D::Id))
                .foreign_key(&mut person_fk(D::Table, D::PersonId))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("duty_person")
                .table(D::Table)
                .col(D::InstitutionId)
                .col(D::PersonId)
                .col(D::StartDate)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DutyAssignments::Table).take()).await?;
        m.drop_table(Table::drop().table(WfhPoints::Table).take()).await
    }
}
