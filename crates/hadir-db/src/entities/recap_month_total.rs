//! One person's counted month, cached for a month that is over; valid only while `generation`
//! equals the month's row in `recap_generations`. Deductions are in basis points.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recap_month_totals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: String,
    pub generation: i64,
    pub present_days: i32,
    pub late1: i32,
    pub late2: i32,
    pub late3: i32,
    pub late4: i32,
    pub early1: i32,
    pub early2: i32,
    pub early3: i32,
    pub early4: i32,
    pub absent_days: i32,
    pub leave_days: i32,
    pub deduction_uncapped: i32,
    pub deduction: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
