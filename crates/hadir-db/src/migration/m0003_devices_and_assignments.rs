//! Registered phones, and which work locations each person may check in at.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Devices {
    Table,
    InstitutionId,
    Id,
    PersonId,
    DeviceKey,
    Model,
    Os,
    UserAgent,
    Status,
    PhotoKey,
    Reason,
    DecidedBy,
    DecidedAt,
    RetiredAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LocationAssignments {
    Table,
    InstitutionId,
    PersonId,
    LocationId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WorkLocations {
    Table,
    InstitutionId,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Devices::Table)
                .col(id(Devices::InstitutionId))
                .col(id(Devices::Id))
                .col(id(Devices::PersonId))
                .col(text(Devices::DeviceKey))
                .col(text_null(Devices::Model))
                .col(text_null(Devices::Os))
                .col(text_null(Devices::UserAgent))
                .col(text(Devices::Status))
                .col(text(Devices::PhotoKey))
                .col(text_null(Devices::Reason))
                .col(id_null(Devices::DecidedBy))
                .col(ms_null(Devices::DecidedAt))
                .col(ms_null(Devices::RetiredAt))
                .col(ms(Devices::CreatedAt))
                .primary_key(Index::create().col(Devices::InstitutionId).col(Devices::Id))
                .foreign_key(&mut person_fk(Devices::Table, Devices::PersonId))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("devices_person")
                .table(Devices::Table)
                .col(Devices::InstitutionId)
                .col(Devices::PersonId)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("devices_status")
                .table(Devices::Table)
                .col(Devices::InstitutionId)
                .col(Devices::Status)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LocationAssignments::Table)
                .col(id(LocationAssignments::InstitutionId))
                .col(id(LocationAssignments::PersonId))
                .col(id(LocationAssignments::LocationId))
                .col(ms(LocationAssignments::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(LocationAssignments::InstitutionId)
                        .col(LocationAssignments::PersonId)
                        .col(LocationAssignments::LocationId),
                )
                .foreign_key(&mut person_fk(LocationAssignments::Table, LocationAssignments::PersonId))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            LocationAssignments::Table,
                            (LocationAssignments::InstitutionId, LocationAssignments::LocationId),
                        )
                        .to(WorkLocations::Table, (WorkLocations::InstitutionId, WorkLocations::Id))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LocationAssignments::Table).take()).await?;
        m.drop_table(Table::drop().table(Devices::Table).take()).await
    }
}
