//! A weekly schedule (JSON of `hadir_domain::schedule::WeeklySchedule`). With `valid_from` and
//! `valid_to` (ISO dates) it is an override that applies to everyone in that period.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schedules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    pub definition: String,
    pub is_default: bool,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
