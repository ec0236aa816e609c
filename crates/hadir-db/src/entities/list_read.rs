//! One read of many people's data at once: `data` names the list (`recap`, `people_list`,
//! `today`), `unit_id` the unit it covered (none: the reader's whole reach), `detail` e.g. the month.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "list_reads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub at: i64,
    pub actor_account_id: String,
    pub actor_person_id: String,
    pub unit_id: Option<String>,
    pub data: String,
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
