//! A disclosure to an authority: who asked, on which legal basis, what was disclosed and when,
//! and whether (and when) the person was told.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub authority: String,
    pub legal_basis: String,
    pub disclosed: String,
    pub disclosed_at: i64,
    pub subject_told: bool,
    pub subject_told_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
