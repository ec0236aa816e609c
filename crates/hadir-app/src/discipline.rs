//! The institution's discipline table: TL/PSW windows, what each costs, the TK day, the monthly
//! cap and the make-up rule. Until an administrator chooses, the Kementan preset applies.

use crate::{App, AppError, FieldProblem, Principal, RequestMeta, settings};
use hadir_domain::attendance::{DisciplineTable, Preset};
use serde::{Deserialize, Serialize};

const KEY: &str = "discipline_table";

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
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
    Ok(settings::load(&app.db, &principal.institution_id, KEY)
        .await?
        .unwrap_or(DisciplineView { preset: Some(Preset::Kementan), table: Preset::Kementan.table() }))
}

/// Replaces the table; institution administrators only.
pub async fn set(
    app: &App,
    principal: &Principal,
    input: DisciplineInput,
    meta: &RequestMeta,
) -> Result<DisciplineView, AppError> {
    let view = match input {
        DisciplineInput::Preset(p) => DisciplineView { preset: Some(p), table: p.table() },
        DisciplineInput::Table(table) => DisciplineView { preset: None, table },
    };
    view.table.validate().map_err(|e| AppError::Invalid(vec![FieldProblem::new("table", &e)]))?;
    let detail = serde_json::json!({ "preset": view.preset.map(Preset::as_str) });
    settings::store(app, principal, KEY, &view, detail, meta).await?;
    // Every month's deductions may change.
    crate::recap::forget_months(&app.db, &principal.institution_id, None).await?;
    Ok(view)
}
