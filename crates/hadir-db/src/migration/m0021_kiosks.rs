//! Kiosk tablets paired to a work location: the tablet at the entrance holds a credential that
//! can only show that location's rotating code — not an administrator's session. A pairing code
//! (shown once to the administrator, valid a few minutes) turns into the tablet's own token;
//! only hashes of either are stored.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Kiosks {
    Table,
    InstitutionId,
    Id,
    LocationId,
    Name,
    TokenHash,
    PairingCodeHash,
    PairingExpiresAt,
    CreatedBy,
    CreatedAt,
    PairedAt,
    LastSeenAt,
    RevokedAt,
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
        use Kiosks as K;
        m.create_table(
            Table::create()
                .table(K::Table)
                .col(id(K::InstitutionId))
                .col(id(K::Id))
                .col(id(K::LocationId))
                .col(text(K::Name))
                .col(text_null(K::TokenHash))
                .col(text_null(K::PairingCodeHash))
                .col(ms_null(K::PairingExpiresAt))
                .col(id(K::CreatedBy))
                .col(ms(K::CreatedAt))
                .col(ms_null(K::PairedAt))
                .col(ms_null(K::LastSeenAt))
                .col(ms_null(K::RevokedAt))
                .primary_key(Index::create().col(K::InstitutionId).col(K::Id))
                .foreign_key(
                    ForeignKey::create()
                        .from(K::Table, (K::InstitutionId, K::LocationId))
                        .to(WorkLocations::Table, (WorkLocations::InstitutionId, WorkLocations::Id))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(Index::create().name("kiosks_token").table(K::Table).col(K::TokenHash).unique().take()).await?;
        m.create_index(Index::create().name("kiosks_pairing").table(K::Table).col(K::PairingCodeHash).unique().take())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Kiosks::Table).take()).await
    }
}
