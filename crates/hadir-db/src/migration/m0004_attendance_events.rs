//! Check-in and check-out events. Each is its own record of who, when, where and why it was
//! judged as it was; rejected attempts are kept too, with their signals.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub(super) enum AttendanceEvents {
    Table,
    InstitutionId,
    Id,
    AttemptId,
    PersonId,
    Kind,
    Mode,
    Outcome,
    OccurredAt,
    ReceivedAt,
    DeviceTime,
    Offline,
    LocalDate,
    InSlot,
    LocationId,
    Lat,
    Lon,
    AccuracyM,
    DistanceM,
    DeviceId,
    PhotoKey,
    QrSlot,
    Signals,
    RequestId,
    ReviewedBy,
    ReviewedAt,
    ReviewReason,
    Answer,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AttendanceEvents as E;
        m.create_table(
            Table::create()
                .table(E::Table)
                .col(id(E::InstitutionId))
                .col(id(E::Id))
                .col(id(E::AttemptId))
                .col(id(E::PersonId))
                .col(text(E::Kind))
                .col(text(E::Mode))
                .col(text(E::Outcome))
                .col(ms(E::OccurredAt))
                .col(ms(E::ReceivedAt))
                .col(ms(E::DeviceTime))
                .col(flag(E::Offline))
                .col(ColumnDef::new(E::LocalDate).string_len(10).not_null())
                // The local date of a live check-in (accepted or in review), else NULL: unique per
                // person, so two check-ins of one day cannot both land, however close together.
                .col(ColumnDef::new(E::InSlot).string_len(10).null())
                .col(id_null(E::LocationId))
                .col(ColumnDef::new(E::Lat).double().null())
                .col(ColumnDef::new(E::Lon).double().null())
                .col(ColumnDef::new(E::AccuracyM).double().null())
                .col(ColumnDef::new(E::DistanceM).double().null())
                .col(id_null(E::DeviceId))
                .col(text_null(E::PhotoKey))
                .col(ColumnDef::new(E::QrSlot).big_integer().null())
                .col(text(E::Signals))
                .col(text_null(E::RequestId))
                .col(id_null(E::ReviewedBy))
                .col(ms_null(E::ReviewedAt))
                .col(text_null(E::ReviewReason))
                .col(text(E::Answer))
                .primary_key(Index::create().col(E::InstitutionId).col(E::Id))
                .foreign_key(&mut person_fk(E::Table, E::PersonId))
                .take(),
        )
        .await?;
        let indexes: [(&str, Vec<E>, bool); 5] = [
            ("events_attempt", vec![E::InstitutionId, E::AttemptId], true),
            ("events_one_check_in_a_day", vec![E::InstitutionId, E::PersonId, E::InSlot], true),
            ("events_person_day", vec![E::InstitutionId, E::PersonId, E::LocalDate], false),
            ("events_outcome", vec![E::InstitutionId, E::Outcome], false),
            ("events_photo", vec![E::InstitutionId, E::PhotoKey], false),
        ];
        for (name, cols, unique) in indexes {
            let mut index = Index::create().name(name).table(E::Table).take();
            for c in cols {
                index.col(c);
            }
            if unique {
                index.unique();
            }
            m.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AttendanceEvents::Table).take()).await
    }
}
