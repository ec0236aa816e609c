//! One step in a data-subject request's life: who moved it to which status, when, with a note.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subject_request_steps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub request_id: String,
    pub at: i64,
    pub actor_account_id: String,
    pub status: String,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
