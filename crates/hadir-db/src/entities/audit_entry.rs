//! One write, as it happened: append-only, and chained per institution (`seq`, the previous
//! entry's hash, its own: see `hadir_domain::audit_chain`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub at: i64,
    pub actor_account_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub request_id: Option<String>,
    pub detail: String,
    pub seq: Option<i64>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The entry as a link of its institution's chain, with the hash it claims. An entry
    /// without chain fields (tampered with) gets values that cannot verify.
    pub fn link(&self) -> (hadir_domain::audit_chain::Link<'_>, &str) {
        let link = hadir_domain::audit_chain::Link {
            institution_id: &self.institution_id,
            seq: self.seq.unwrap_or(0),
            id: &self.id,
            at: self.at,
            actor_account_id: self.actor_account_id.as_deref(),
            action: &self.action,
            subject_type: &self.subject_type,
            subject_id: self.subject_id.as_deref(),
            request_id: self.request_id.as_deref(),
            detail: &self.detail,
            prev_hash: self.prev_hash.as_deref().unwrap_or(""),
        };
        (link, self.hash.as_deref().unwrap_or(""))
    }
}
