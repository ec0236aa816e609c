//! Weekly schedules: the institution's default, others assigned to people (shifts, schools'
//! timetables), and date-bounded overrides that apply to everyone (Ramadan).

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, new_id};
use chrono::NaiveDate;
use hadir_db::entities::{person, schedule, schedule_assignment};
use hadir_domain::person as rules;
use hadir_domain::schedule::WeeklySchedule;
use hadir_domain::{Explain, Lang};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScheduleView {
    pub id: String,
    pub name: String,
    pub is_default: bool,
    /// Days with start, end and break (wall-clock time at the work site), and `flex_minutes`.
    #[schema(value_type = Object)]
    pub week: WeeklySchedule,
    /// Paid minutes per week.
    pub weekly_minutes: i64,
    /// For an override: the first and last day it applies to everyone.
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl ScheduleView {
    fn of(s: schedule::Model) -> Result<ScheduleView, AppError> {
        let week: WeeklySchedule =
            serde_json::from_str(&s.definition).map_err(|e| AppError::Internal(format!("stored schedule: {e}")))?;
        let date = |d: Option<String>| d.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        Ok(ScheduleView {
            weekly_minutes: week.weekly_minutes(),
            id: s.id,
            name: s.name,
            is_default: s.is_default,
            week,
            valid_from: date(s.valid_from),
            valid_to: date(s.valid_to),
        })
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    pub name: String,
    #[schema(value_type = Object)]
    pub week: WeeklySchedule,
    /// Make this the institution's default (the previous default stops being one).
    #[serde(default)]
    pub is_default: bool,
    /// Both dates make the schedule an override for everyone in that period.
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
}

#[derive(Clone, Copy)]
enum ScheduleRule {
    Period,
    DefaultOverride,
    DeleteDefault,
    AssignOverride,
}

impl Explain for ScheduleRule {
    fn code(&self) -> &'static str {
        match self {
            ScheduleRule::Period => "schedule_period",
            ScheduleRule::DefaultOverride => "schedule_default_override",
            ScheduleRule::DeleteDefault => "schedule_delete_default",
            ScheduleRule::AssignOverride => "schedule_assign_override",
        }
    }
    fn message(&self, lang: Lang) -> String {
        let (id, en) = match self {
            ScheduleRule::Period => (
                "Isi kedua tanggal berlaku, dan yang awal tidak setelah yang akhir",
                "Give both dates, the first not after the last",
            ),
            ScheduleRule::DefaultOverride => {
                ("Jadwal khusus periode tidak bisa menjadi jadwal utama", "A period override cannot be the default")
            }
            ScheduleRule::DeleteDefault => (
                "Jadwal utama tidak bisa dihapus; jadikan jadwal lain utama dulu",
                "The default cannot be deleted; make another one the default first",
            ),
            ScheduleRule::AssignOverride => (
                "Jadwal khusus periode berlaku untuk semua; tidak ditetapkan per orang",
                "A period override applies to everyone; it is not assigned to people",
            ),
        };
        match lang {
            Lang::Id => id.into(),
            Lang::En => en.into(),
        }
    }
}

pub async fn list(app: &App, principal: &Principal) -> Result<Vec<ScheduleView>, AppError> {
    schedule::Entity::find()
        .filter(schedule::Column::InstitutionId.eq(&principal.institution_id))
        .order_by_asc(schedule::Column::Name)
        .all(&app.db)
        .await?
        .into_iter()
        .map(ScheduleView::of)
        .collect()
}

fn require_institution_admin(principal: &Principal) -> Result<(), AppError> {
    if principal.is_institution_admin() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Checks an input; returns the name and the period as stored.
fn check(input: &ScheduleInput) -> Result<(String, Option<String>, Option<String>), AppError> {
    let mut problems = Vec::new();
    let name =
        rules::text(&input.name, rules::MAX_NAME_LEN).map_err(|e| problems.push(FieldProblem::new("name", &e))).ok();
    if let Err(e) = input.week.validate() {
        problems.push(FieldProblem::new("week", &e));
    }
    let period = match (input.valid_from, input.valid_to) {
        (None, None) => Some((None, None)),
        (Some(from), Some(to)) if from <= to => Some((Some(from.to_string()), Some(to.to_string()))),
        _ => {
            problems.push(FieldProblem::new("valid_from", &ScheduleRule::Period));
            None
        }
    };
    if input.is_default && input.valid_from.is_some() {
        problems.push(FieldProblem::new("is_default", &ScheduleRule::DefaultOverride));
    }
    match (name, period, problems.is_empty()) {
        (Some(name), Some((from, to)), true) => Ok((name, from, to)),
        _ => Err(AppError::Invalid(problems)),
    }
}

async fn clear_default(conn: &impl ConnectionTrait, institution_id: &str) -> Result<(), AppError> {
    schedule::Entity::update_many()
        .col_expr(schedule::Column::IsDefault, sea_orm::sea_query::Expr::value(false))
        .filter(schedule::Column::InstitutionId.eq(institution_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Creates a schedule, or replaces the one named by `id`.
pub async fn save(
    app: &App,
    principal: &Principal,
    id: Option<&str>,
    input: ScheduleInput,
    meta: &RequestMeta,
) -> Result<ScheduleView, AppError> {
    require_institution_admin(principal)?;
    let (name, valid_from, valid_to) = check(&input)?;
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let existing = match id {
        Some(id) => Some(
            schedule::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound("schedule"))?,
        ),
        None => None,
    };
    if existing.as_ref().is_some_and(|s| s.is_default) && !input.is_default {
        return Err(AppError::field("is_default", &ScheduleRule::DeleteDefault));
    }
    if input.is_default {
        clear_default(&txn, &principal.institution_id).await?;
    }
    let model = schedule::Model {
        institution_id: principal.institution_id.clone(),
        id: existing.as_ref().map(|s| s.id.clone()).unwrap_or_else(new_id),
        name,
        definition: serde_json::to_string(&input.week).map_err(|e| AppError::Internal(e.to_string()))?,
        is_default: input.is_default,
        valid_from,
        valid_to,
        created_at: existing.as_ref().map(|s| s.created_at).unwrap_or(now_ms),
    };
    let action = if existing.is_some() {
        schedule::Entity::update(sea_orm::ActiveModelTrait::reset_all(schedule::ActiveModel::from(model.clone())))
            .exec(&txn)
            .await?;
        "schedule.update"
    } else {
        schedule::Entity::insert(schedule::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
        "schedule.create"
    };
    audit::record(&txn, now_ms, meta, Entry::by(principal, action, "schedule", Some(&model.id))).await?;
    // Every month's result may change.
    crate::recap::forget_months(&txn, &principal.institution_id, None).await?;
    txn.commit().await?;
    ScheduleView::of(model)
}

pub async fn delete(app: &App, principal: &Principal, id: &str, meta: &RequestMeta) -> Result<(), AppError> {
    require_institution_admin(principal)?;
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let current = schedule::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("schedule"))?;
    if current.is_default {
        return Err(AppError::field("id", &ScheduleRule::DeleteDefault));
    }
    schedule::Entity::delete_by_id((principal.institution_id.clone(), id.to_string())).exec(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "schedule.delete", "schedule", Some(id))).await?;
    // Every month's result may change.
    crate::recap::forget_months(&txn, &principal.institution_id, None).await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleChoice {
    /// `null` returns the person to the institution's default.
    pub schedule_id: Option<String>,
}

/// The schedule a person works by (`None`: the institution's default); oneself, or someone in
/// the admin scope.
pub async fn assigned(app: &App, principal: &Principal, person_id: &str) -> Result<ScheduleChoice, AppError> {
    crate::locations::visible_person(&app.db, principal, person_id, false).await?;
    let row = schedule_assignment::Entity::find()
        .filter(schedule_assignment::Column::InstitutionId.eq(&principal.institution_id))
        .filter(schedule_assignment::Column::PersonId.eq(person_id))
        .one(&app.db)
        .await?;
    Ok(ScheduleChoice { schedule_id: row.map(|a| a.schedule_id) })
}

/// Sets the schedule a person works by (administrators of their unit).
pub async fn assign(
    app: &App,
    principal: &Principal,
    person_id: &str,
    choice: ScheduleChoice,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    person::Entity::find_by_id((principal.institution_id.clone(), person_id.to_string()))
        .one(&txn)
        .await?
        .filter(|p| principal.admin_scope.covers_unit(p.unit_id.as_ref()))
        .ok_or(AppError::NotFound("person"))?;
    schedule_assignment::Entity::delete_many()
        .filter(schedule_assignment::Column::InstitutionId.eq(&principal.institution_id))
        .filter(schedule_assignment::Column::PersonId.eq(person_id))
        .exec(&txn)
        .await?;
    if let Some(schedule_id) = &choice.schedule_id {
        let chosen = schedule::Entity::find_by_id((principal.institution_id.clone(), schedule_id.clone()))
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::field("schedule_id", &crate::Rule::UnknownSchedule))?;
        if chosen.valid_from.is_some() {
            return Err(AppError::field("schedule_id", &ScheduleRule::AssignOverride));
        }
        schedule_assignment::Entity::insert(schedule_assignment::ActiveModel {
            institution_id: Set(principal.institution_id.clone()),
            person_id: Set(person_id.into()),
            schedule_id: Set(schedule_id.clone()),
            created_at: Set(now_ms),
        })
        .exec_without_returning(&txn)
        .await?;
    }
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry::by(principal, "person.assign_schedule", "person", Some(person_id))
            .with(serde_json::json!({ "schedule_id": choice.schedule_id })),
    )
    .await?;
    // Every month's result may change.
    crate::recap::forget_months(&txn, &principal.institution_id, None).await?;
    txn.commit().await?;
    Ok(())
}

/// Which weekly schedule applies to whom on which day: an override covering the date, else the
/// person's assigned schedule, else the institution's default (else the standard ASN week).
pub(crate) struct Schedules {
    default: WeeklySchedule,
    by_id: HashMap<String, WeeklySchedule>,
    assigned: HashMap<String, String>,
    overrides: Vec<(NaiveDate, NaiveDate, WeeklySchedule)>,
}

impl Schedules {
    pub(crate) async fn load(app: &App, institution_id: &str) -> Result<Schedules, AppError> {
        let mut out = Schedules {
            default: WeeklySchedule::standard_asn(),
            by_id: HashMap::new(),
            assigned: HashMap::new(),
            overrides: Vec::new(),
        };
        for row in
            schedule::Entity::find().filter(schedule::Column::InstitutionId.eq(institution_id)).all(&app.db).await?
        {
            let view = ScheduleView::of(row)?;
            match (view.valid_from, view.valid_to) {
                (Some(from), Some(to)) => out.overrides.push((from, to, view.week)),
                _ if view.is_default => out.default = view.week,
                _ => {
                    out.by_id.insert(view.id, view.week);
                }
            }
        }
        out.assigned = schedule_assignment::Entity::find()
            .filter(schedule_assignment::Column::InstitutionId.eq(institution_id))
            .all(&app.db)
            .await?
            .into_iter()
            .map(|a| (a.person_id, a.schedule_id))
            .collect();
        Ok(out)
    }

    pub(crate) fn for_person(&self, person_id: &str, date: NaiveDate) -> &WeeklySchedule {
        if let Some((_, _, week)) = self.overrides.iter().find(|(from, to, _)| *from <= date && date <= *to) {
            return week;
        }
        self.assigned.get(person_id).and_then(|id| self.by_id.get(id)).unwrap_or(&self.default)
    }
}
