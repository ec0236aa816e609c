//! A data-subject request: `kind` (`access`, `rectification`, …), the person's own words in
//! `detail`, `status` (`received`, `in_progress`, `answered`, `refused`), `due_at` where the law
//! sets a deadline, and the `answer` that closes it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subject_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub person_id: String,
    pub kind: String,
    pub detail: String,
    pub status: String,
    pub filed_at: i64,
    pub due_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub answer: Option<String>,
    /// A rectification: the field to correct, and the proposed value (sealed).
    pub field: Option<String>,
    pub proposed: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
