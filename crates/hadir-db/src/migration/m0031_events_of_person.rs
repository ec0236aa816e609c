//! One index of a person's events where there were two: `events_person_day` (institution, person,
//! day) and the partial `events_positioned` (the counted events with a position, by time, for
//! impossible travel). Every check-in wrote an entry in both, each at a random place in its
//! b-tree, and each such page is written to the log and later copied back: in a surge the log's
//! size sets how often it must start over, and each restart holds the check-in writer back.
//!
//! `events_of_person` keeps the day first, so a person's days are still one range (history,
//! export, erasure, the foreign key to the person), and carries the outcome, the latitude, the
//! time and the id after it: the check-in's "where were they last" reads the person's recent days
//! from the index alone, skipping rejected scans and events without a position there rather than
//! in the table (a phone that keeps scanning one kiosk token piles up rejected replays).

use super::index::{drop, on};
use super::m0004_attendance_events::AttendanceEvents as E;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const OF_PERSON: [E; 7] = [E::InstitutionId, E::PersonId, E::LocalDate, E::Outcome, E::Lat, E::OccurredAt, E::Id];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(on(E::Table, "events_of_person", &OF_PERSON)).await?;
        m.drop_index(drop(E::Table, "events_person_day")).await?;
        m.drop_index(drop(E::Table, "events_positioned")).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(on(E::Table, "events_person_day", &[E::InstitutionId, E::PersonId, E::LocalDate])).await?;
        let positioned = on(E::Table, "events_positioned", &[E::InstitutionId, E::PersonId, E::OccurredAt, E::Id])
            .and_where(Expr::col(E::Outcome).ne("rejected"))
            .and_where(Expr::col(E::Lat).is_not_null())
            .to_owned();
        m.create_index(positioned).await?;
        m.drop_index(drop(E::Table, "events_of_person")).await
    }
}
