//! An institution's discipline table (JSON of `hadir_domain::attendance::DisciplineTable`);
//! `preset` names the shipped table it was taken from, if unchanged.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "discipline_tables")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    pub preset: Option<String>,
    pub definition: String,
    pub updated_at: i64,
    pub updated_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
