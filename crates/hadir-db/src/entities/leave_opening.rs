//! Annual leave taken in a year before Hadir kept the person's leave (`reference`: where the
//! figure comes from, e.g. the earlier system's report or the personnel file).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leave_openings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub taken_days: i32,
    pub reference: String,
    pub recorded_by: String,
    pub recorded_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
