//! A home a person works from: proposed by them, `pending` until an administrator approves or
//! rejects it; `weekdays` (JSON array like `["Fri"]`) are the days WFH check-ins are allowed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "wfh_points")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub person_id: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
    pub address: Option<String>,
    pub weekdays: String,
    pub status: String,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
