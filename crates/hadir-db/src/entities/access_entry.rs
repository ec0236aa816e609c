//! One read of a person's personal data by someone else: `data` names what was read
//! (`profile`, `nik`, `checkins`, `photo`, …), `purpose` why (`supervision`, `administration`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub at: i64,
    pub actor_account_id: String,
    pub actor_person_id: String,
    pub subject_person_id: String,
    pub data: String,
    pub purpose: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
