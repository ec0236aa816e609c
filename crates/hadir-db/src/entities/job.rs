//! A background job. `status`: `queued` (waiting until `run_after`), `running` (claimed until
//! `locked_until`), `done`, or `failed` (after its last attempt, with `last_error`). `payload` is
//! JSON whose shape depends on `kind`; it never holds personal data beyond ids and object keys.
//! A job someone asked for (`requested_by`, an account) also records its progress and the file
//! it made (`result_*`, in the object store until `expires_at`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub run_after: i64,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub requested_by: Option<String>,
    pub progress_done: i64,
    pub progress_total: i64,
    /// What the job is doing now, as a short key (`computing`, `writing`, `checking`…).
    pub progress_step: Option<String>,
    pub result_key: Option<String>,
    pub result_name: Option<String>,
    pub result_type: Option<String>,
    pub result_bytes: Option<i64>,
    pub expires_at: Option<i64>,
    pub downloaded_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
