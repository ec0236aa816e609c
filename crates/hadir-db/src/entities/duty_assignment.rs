//! Official duty away (*dinas luar*): a place (point and radius) and an inclusive date range,
//! set by the person's supervisor or an administrator with the assignment letter's reference.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub person_id: String,
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
    pub start_date: String,
    pub end_date: String,
    pub reference: String,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
