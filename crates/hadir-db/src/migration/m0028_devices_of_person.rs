//! A person's phones in a given state (the approved ones a check-in accepts, the live ones a
//! registration or an approval looks at) through one index, `devices_of_person`. With only
//! `devices_person` (institution, person) beside `devices_status` (institution, state), SQLite's
//! planner took the index by state for these lookups — equal in its eyes — and where nearly
//! every phone is approved that visited all of the institution's phones each time: thousands of
//! rows for each check-in whose profile was not cached, in a morning's surge.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Devices {
    Table,
    InstitutionId,
    PersonId,
    Status,
}

fn drop(name: &str) -> IndexDropStatement {
    Index::drop().name(name).table(Devices::Table).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(drop("devices_person")).await?;
        // A new name: on SQLite another pooled connection may still hold the old schema.
        m.create_index(
            Index::create()
                .name("devices_of_person")
                .table(Devices::Table)
                .col(Devices::InstitutionId)
                .col(Devices::PersonId)
                .col(Devices::Status)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(drop("devices_of_person")).await?;
        m.create_index(
            Index::create()
                .name("devices_person")
                .table(Devices::Table)
                .col(Devices::InstitutionId)
                .col(Devices::PersonId)
                .take(),
        )
        .await
    }
}
