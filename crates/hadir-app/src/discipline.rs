//! The institution's discipline table: TL/PSW windows, what each costs, the TK day, the monthly
//! cap and the make-up rule. Until an administrator chooses, the Kementan preset applies.

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta};
use hadir_db::entities::discipline_table;
use hadir_domain::attendance::{DisciplineTable, Preset};
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait, sea_query::OnConflict};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DisciplineView {
    /// The preset the table was taken from, or `null` for a custom table.
    pub preset: Option<Preset>,
    /// Windows in minutes (`from_minutes`..=`to_minutes`, the last open-ended) and deductions in
    /// basis points (hundredths of a percent: 50 = 0.5 %).
    #[schema(value_type = Object)]
    pub table: DisciplineTable,
}

/// Either a preset or a whole table.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum DisciplineInput {
    Preset(Preset),
    #[schema(value_type = Object)]
    Table(DisciplineTable),
}

pub async fn get(app: &App, principal: &Principal) -> Result<DisciplineView, AppError> {
    match discipline_table::Entity::find_by_id(principal.institution_id.clone()).one(&app.db).await? {
        None => Ok(DisciplineView { preset: Some(Preset::Kementan), table: Preset::Kementan.table() }),
        Some(row) => Ok(DisciplineView {
            preset: row
                .preset
                .as_deref()
                .and_then(|p| serde_json::from_value(serde_json::Value::String(p.into())).ok()),
            table: serde_json::from_str(&row.definition)
                .map_err(|e| AppError::Internal(format!("stored discipline table: {e}")))?,
        }),
    }
}

/// Replaces the table; institution administrators only.
pub async fn set(
    app: &App,
    principal: &Principal,
    input: DisciplineInput,
    meta: &RequestMeta,
) -> Result<DisciplineView, AppError> {
    if !principal.is_institution_admin() {
        return Err(AppError::Forbidden);
    }
    let (preset, table) = match input {
        DisciplineInput::Preset(p) => (Some(p), p.table()),
        DisciplineInput::Table(t) => (None, t),
    };
    table.validate().map_err(|e| AppError::Invalid(vec![FieldProblem::new("table", &e)]))?;
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    discipline_table::Entity::insert(discipline_table::ActiveModel {
        institution_id: Set(principal.institution_id.clone()),
        preset: Set(preset.map(|p| p.as_str().to_string())),
        definition: Set(serde_json::to_string(&table).map_err(|e| AppError::Internal(e.to_string()))?),
        updated_at: Set(now_ms),
        updated_by: Set(Some(principal.account_id.clone())),
    })
    .on_conflict(
        OnConflict::column(discipline_table::Column::InstitutionId)
            .update_columns([
                discipline_table::Column::Preset,
                discipline_table::Column::Definition,
                discipline_table::Column::UpdatedAt,
                discipline_table::Column::UpdatedBy,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry::by(principal, "discipline_table.set", "institution", Some(&principal.institution_id))
            .with(serde_json::json!({ "preset": preset.map(Preset::as_str) })),
    )
    .await?;
    txn.commit().await?;
    Ok(DisciplineView { preset, table })
}
