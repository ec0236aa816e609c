//! A day off in an institution's calendar: its copy of a national decree row (`source =
//! national`) or a day it added (`local`). `date` is ISO `YYYY-MM-DD`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "holidays")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub date: String,
    pub kind: String,
    pub name: String,
    pub name_en: Option<String>,
    pub decree: String,
    pub source: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
