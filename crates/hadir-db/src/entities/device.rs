//! A phone a person registered: `pending` until a unit admin approves or rejects it (with a
//! reason); `retired` when replaced or reset. `photo_key` names the registration selfie in the
//! object store.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "devices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub person_id: String,
    pub device_key: String,
    pub model: Option<String>,
    pub os: Option<String>,
    pub user_agent: Option<String>,
    pub status: String,
    pub photo_key: String,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub retired_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
