//! Rejected events leave the two indexes that only ever look for events that count: the recap's
//! covering index by outcome and day (`events_counted_by_day`, was `events_outcome_day`) and the
//! kiosk tokens a person used (`events_tokens_used`, was `events_qr_used` — a scan that was
//! rejected did not use its token). In a morning's surge most events a kiosk writes are rejected
//! replays of a token already used; each one cost an entry in both b-trees, written and later
//! copied back from the log, that no query read.
//!
//! A query reaches these indexes only by repeating their condition word for word (see
//! `attendance_event::counted`): SQLite does not derive `outcome <> 'rejected'` from `outcome = 'accepted'`.

use super::index::{drop, on};
use super::m0004_attendance_events::AttendanceEvents as E;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const BY_DAY: [E; 8] =
    [E::InstitutionId, E::Outcome, E::LocalDate, E::PersonId, E::Kind, E::Mode, E::OccurredAt, E::LocationId];
const TOKENS: [E; 5] = [E::InstitutionId, E::PersonId, E::QrSlot, E::LocationId, E::Id];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let counted = || Expr::col(E::Outcome).ne("rejected");
        m.drop_index(drop(E::Table, "events_outcome_day")).await?;
        m.drop_index(drop(E::Table, "events_qr_used")).await?;
        // New names: on SQLite another pooled connection may still hold the old schema.
        m.create_index(on(E::Table, "events_counted_by_day", &BY_DAY).and_where(counted()).to_owned()).await?;
        let mut tokens = on(E::Table, "events_tokens_used", &TOKENS);
        tokens.and_where(Expr::col(E::QrSlot).is_not_null()).and_where(counted());
        m.create_index(tokens).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(drop(E::Table, "events_counted_by_day")).await?;
        m.drop_index(drop(E::Table, "events_tokens_used")).await?;
        m.create_index(on(E::Table, "events_outcome_day", &BY_DAY)).await?;
        let mut tokens = on(E::Table, "events_qr_used", &TOKENS);
        m.create_index(tokens.and_where(Expr::col(E::QrSlot).is_not_null()).to_owned()).await
    }
}
