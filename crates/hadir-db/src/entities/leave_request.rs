//! A leave or absence request: `pending` until the supervisor or an administrator approves or
//! rejects it; `cancelled` by the person while pending. Dates are ISO `YYYY-MM-DD`, inclusive.
//! `document_key` names a supporting document (a doctor's letter) in the object store.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leave_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub person_id: String,
    pub kind: String,
    pub start_date: String,
    pub end_date: String,
    pub working_days: i32,
    pub reason: String,
    pub document_key: Option<String>,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub decision_reason: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
