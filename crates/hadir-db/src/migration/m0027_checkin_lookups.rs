//! What a check-in reads of the person's recent events, each through an index of its own that
//! holds only the events that can answer it, so the read costs the same however many events the
//! person has (a phone that keeps scanning one kiosk token piles up rejected replays, and each
//! used to be visited in the table by every later check-in):
//!
//! - `events_qr_used`: the kiosk tokens a person used (events with a slot), covering the lookup.
//! - `events_positioned`: events with a position that were not rejected, newest last, for
//!   impossible travel.
//!
//! The one-check-in-a-day key and the photo index leave out the rows they never match (no
//! counted check-in, no photo): most events are check-outs or rejected scans.

use super::index::{drop, on};
use super::m0004_attendance_events::AttendanceEvents as E;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let qr_used = on(E::Table, "events_qr_used", &[E::InstitutionId, E::PersonId, E::QrSlot, E::LocationId, E::Id])
            .and_where(Expr::col(E::QrSlot).is_not_null())
            .to_owned();
        m.create_index(qr_used).await?;
        let positioned = on(E::Table, "events_positioned", &[E::InstitutionId, E::PersonId, E::OccurredAt, E::Id])
            .and_where(Expr::col(E::Outcome).ne("rejected"))
            .and_where(Expr::col(E::Lat).is_not_null())
            .to_owned();
        m.create_index(positioned).await?;
        // New names: on SQLite another pooled connection may still hold the old schema, and would
        // refuse to create an index under a name it believes taken.
        m.drop_index(drop(E::Table, "events_one_check_in_a_day")).await?;
        let one_a_day = on(E::Table, "events_check_in_of_day", &[E::InstitutionId, E::PersonId, E::InSlot])
            .unique()
            .and_where(Expr::col(E::InSlot).is_not_null())
            .to_owned();
        m.create_index(one_a_day).await?;
        m.drop_index(drop(E::Table, "events_photo")).await?;
        let photo = on(E::Table, "events_with_photo", &[E::InstitutionId, E::PhotoKey])
            .and_where(Expr::col(E::PhotoKey).is_not_null())
            .to_owned();
        m.create_index(photo).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(drop(E::Table, "events_qr_used")).await?;
        m.drop_index(drop(E::Table, "events_positioned")).await?;
        m.drop_index(drop(E::Table, "events_check_in_of_day")).await?;
        m.create_index(
            on(E::Table, "events_one_check_in_a_day", &[E::InstitutionId, E::PersonId, E::InSlot]).unique().to_owned(),
        )
        .await?;
        m.drop_index(drop(E::Table, "events_with_photo")).await?;
        m.create_index(on(E::Table, "events_photo", &[E::InstitutionId, E::PhotoKey])).await
    }
}
