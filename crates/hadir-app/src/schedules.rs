//! Weekly schedules. This module only lists them; editing comes with the attendance work.

use crate::{App, AppError, Principal};
use hadir_db::entities::schedule;
use hadir_domain::schedule::WeeklySchedule;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScheduleView {
    pub id: String,
    pub name: String,
    pub is_default: bool,
    #[schema(value_type = Object)]
    pub week: WeeklySchedule,
    /// Paid minutes per week.
    pub weekly_minutes: i64,
}

pub async fn list(app: &App, principal: &Principal) -> Result<Vec<ScheduleView>, AppError> {
    schedule::Entity::find()
        .filter(schedule::Column::InstitutionId.eq(&principal.institution_id))
        .order_by_asc(schedule::Column::Name)
        .all(&app.db)
        .await?
        .into_iter()
        .map(|s| {
            let week: WeeklySchedule =
                serde_json::from_str(&s.definition).map_err(|e| AppError::Internal(format!("stored schedule: {e}")))?;
            Ok(ScheduleView {
                weekly_minutes: week.weekly_minutes(),
                id: s.id,
                name: s.name,
                is_default: s.is_default,
                week,
            })
        })
        .collect()
}
