//! A person the institution employs or teaches. `nik` is sensitive: never logged, masked in lists.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub employee_number: String,
    pub employment_type: String,
    pub full_name: String,
    /// Sealed (`enc:v1:<key id>:…`, see `hadir_app::sealing`); plain only until the first start
    /// after an upgrade seals it.
    pub nik: Option<String>,
    /// Keyed hash of the NIK, for lookups without opening every row.
    pub nik_index: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub unit_id: Option<String>,
    pub position: Option<String>,
    pub supervisor_id: Option<String>,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Sealed like the NIK: the code of a `hadir_domain::person::Religion`.
    pub religion: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
