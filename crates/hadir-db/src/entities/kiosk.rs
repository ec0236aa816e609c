//! A kiosk tablet paired to a work location. `token_hash` is the SHA-256 of the tablet's own
//! token once paired; `pairing_code_hash` that of the one-time code until then.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kiosks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub location_id: String,
    pub name: String,
    pub token_hash: Option<String>,
    pub pairing_code_hash: Option<String>,
    pub pairing_expires_at: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
    pub paired_at: Option<i64>,
    pub last_seen_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
