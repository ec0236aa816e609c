//! A breach incident (Ps 46): the facts the notices are made from, and when the data subjects and
//! the authority were notified (due 3×24 hours after `discovered_at`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "breaches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub discovered_at: i64,
    pub occurred: String,
    pub data_affected: String,
    pub how: String,
    pub remediation: String,
    pub people_affected: i32,
    /// Where affected people can ask (the DPO's address).
    pub contact: String,
    pub subjects_notified_at: Option<i64>,
    pub authority_notified_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
