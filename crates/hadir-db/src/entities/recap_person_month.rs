//! One person's counted days of a month, cached for the recap (see migration 0026): valid only
//! while `generation` equals the month's row in `recap_generations`, and only before
//! `stale_from` when that is set.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recap_person_months")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: String,
    pub generation: i64,
    /// Bumped by every change to the person's month, so a recap computed before it never lands.
    pub version: i64,
    /// Two characters per day from the 1st (`hadir_domain::attendance::encode_days`).
    pub days: String,
    /// The first day (`YYYY-MM-DD`) changed since `days` was written.
    pub stale_from: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
