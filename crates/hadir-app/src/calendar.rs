//! The institution's holiday calendar: its copy of the national decree rows, plus local days,
//! each with its decree reference. Institution administrators add and amend rows; everyone reads.

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, new_id};
use chrono::NaiveDate;
use hadir_db::entities::holiday;
use hadir_domain::calendar::{self as national, HolidayKind};
use hadir_domain::person as rules;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HolidayView {
    pub id: String,
    pub date: NaiveDate,
    pub kind: HolidayKind,
    pub name: String,
    pub name_en: Option<String>,
    /// The decree (SKB) or local regulation that sets this day.
    pub decree: String,
    /// `national` (copied from the shipped decree table) or `local` (added by the institution).
    pub source: String,
}

impl HolidayView {
    fn of(m: holiday::Model) -> Result<HolidayView, AppError> {
        Ok(HolidayView {
            date: NaiveDate::parse_from_str(&m.date, "%Y-%m-%d")
                .map_err(|e| AppError::Internal(format!("stored date: {e}")))?,
            kind: HolidayKind::parse(&m.kind).ok_or_else(|| AppError::Internal(format!("stored kind {:?}", m.kind)))?,
            id: m.id,
            name: m.name,
            name_en: m.name_en,
            decree: m.decree,
            source: m.source,
        })
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayInput {
    pub date: NaiveDate,
    pub kind: HolidayKind,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    /// E.g. the SKB number, or the regent's decree for a local holiday.
    pub decree: String,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayPatch {
    pub date: Option<NaiveDate>,
    pub kind: Option<HolidayKind>,
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::people::present")]
    #[schema(value_type = Option<String>)]
    pub name_en: Option<Option<String>>,
    pub decree: Option<String>,
}

/// Checked text fields of a row.
struct Texts {
    name: String,
    name_en: Option<String>,
    decree: String,
}

fn texts(name: &str, name_en: Option<&str>, decree: &str) -> Result<Texts, AppError> {
    let mut problems = Vec::new();
    let mut check = |field: &str, value: &str, max| {
        rules::text(value, max).map_err(|e| problems.push(FieldProblem::new(field, &e))).ok()
    };
    let name = check("name", name, rules::MAX_NAME_LEN);
    let name_en = name_en.map(str::trim).filter(|n| !n.is_empty()).map(|n| check("name_en", n, rules::MAX_NAME_LEN));
    let decree = check("decree", decree, 300);
    match (name, name_en, decree) {
        (Some(name), en, Some(decree)) if problems.is_empty() => Ok(Texts { name, name_en: en.flatten(), decree }),
        _ => Err(AppError::Invalid(problems)),
    }
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The calendar of a year (or all years), in date order.
pub async fn list(app: &App, principal: &Principal, year: Option<i32>) -> Result<Vec<HolidayView>, AppError> {
    let mut query = holiday::Entity::find().filter(holiday::Column::InstitutionId.eq(&principal.institution_id));
    if let Some(y) = year {
        query = query.filter(holiday::Column::Date.between(format!("{y:04}-01-01"), format!("{y:04}-12-31")));
    }
    query
        .order_by_asc(holiday::Column::Date)
        .order_by_asc(holiday::Column::Id)
        .all(&app.db)
        .await?
        .into_iter()
        .map(HolidayView::of)
        .collect()
}

fn require_institution_admin(principal: &Principal) -> Result<(), AppError> {
    if principal.is_institution_admin() { Ok(()) } else { Err(AppError::Forbidden) }
}

pub async fn create(
    app: &App,
    principal: &Principal,
    input: HolidayInput,
    meta: &RequestMeta,
) -> Result<HolidayView, AppError> {
    require_institution_admin(principal)?;
    let t = texts(&input.name, input.name_en.as_deref(), &input.decree)?;
    let now_ms = app.now_ms();
    let model = holiday::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        date: iso(input.date),
        kind: input.kind.as_str().into(),
        name: t.name,
        name_en: t.name_en,
        decree: t.decree,
        source: "local".into(),
        created_at: now_ms,
        updated_at: now_ms,
    };
    let txn = app.db.begin().await?;
    holiday::Entity::insert(holiday::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "holiday.create", "holiday", Some(&model.id))).await?;
    // Every month's result may change.
    crate::recap::forget_months(&txn, &principal.institution_id, None).await?;
    txn.commit().await?;
    HolidayView::of(model)
}

async fn own(conn: &impl ConnectionTrait, principal: &Principal, id: &str) -> Result<holiday::Model, AppError> {
    holiday::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound("holiday"))
}

/// Amends a row, national or local (a decree amended mid-year moves or adds days).
pub async fn update(
    app: &App,
    principal: &Principal,
    id: &str,
    patch: HolidayPatch,
    meta: &RequestMeta,
) -> Result<HolidayView, AppError> {
    require_institution_admin(principal)?;
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let current = own(&txn, principal, id).await?;
    let name_en = patch.name_en.unwrap_or(current.name_en.clone());
    let t = texts(
        patch.name.as_deref().unwrap_or(&current.name),
        name_en.as_deref(),
        patch.decree.as_deref().unwrap_or(&current.decree),
    )?;
    let model = holiday::Model {
        date: patch.date.map(iso).unwrap_or(current.date.clone()),
        kind: patch.kind.map(|k| k.as_str().to_string()).unwrap_or(current.kind.clone()),
        name: t.name,
        name_en: t.name_en,
        decree: t.decree,
        updated_at: now_ms,
        ..current
    };
    holiday::Entity::update(sea_orm::ActiveModelTrait::reset_all(holiday::ActiveModel::from(model.clone())))
        .exec(&txn)
        .await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "holiday.update", "holiday", Some(id))).await?;
    // Every month's result may change.
    crate::recap::forget_months(&txn, &principal.institution_id, None).await?;
    txn.commit().await?;
    HolidayView::of(model)
}

pub async fn delete(app: &App, principal: &Principal, id: &str, meta: &RequestMeta) -> Result<(), AppError> {
    require_institution_admin(principal)?;
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    own(&txn, principal, id).await?;
    holiday::Entity::delete_by_id((principal.institution_id.clone(), id.to_string())).exec(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "holiday.delete", "holiday", Some(id))).await?;
    // Every month's result may change.
    crate::recap::forget_months(&txn, &principal.institution_id, None).await?;
    txn.commit().await?;
    Ok(())
}

/// Inserts the shipped national rows of `year` (all years when `None`) that the institution's
/// calendar does not have yet (same date and kind); returns how many were added.
pub(crate) async fn import_national(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    year: Option<i32>,
    now_ms: i64,
) -> Result<usize, AppError> {
    let rows = match year {
        Some(y) => national::shipped_for(y),
        None => national::shipped(),
    };
    let existing: std::collections::HashSet<(String, String)> = holiday::Entity::find()
        .filter(holiday::Column::InstitutionId.eq(institution_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|h| (h.date, h.kind))
        .collect();
    let missing: Vec<holiday::ActiveModel> = rows
        .into_iter()
        .filter(|r| !existing.contains(&(iso(r.date), r.kind.as_str().to_string())))
        .map(|r| {
            holiday::ActiveModel::from(holiday::Model {
                institution_id: institution_id.into(),
                id: new_id(),
                date: iso(r.date),
                kind: r.kind.as_str().into(),
                name: r.name_id,
                name_en: Some(r.name_en),
                decree: r.decree,
                source: "national".into(),
                created_at: now_ms,
                updated_at: now_ms,
            })
        })
        .collect();
    let added = missing.len();
    if added > 0 {
        holiday::Entity::insert_many(missing).exec_without_returning(conn).await?;
    }
    Ok(added)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    pub added: usize,
}

/// Adds the shipped decree rows of a year that the calendar lacks (e.g. after an upgrade ships a
/// new year). Rows already there, amended or not, are left alone.
pub async fn import(app: &App, principal: &Principal, year: i32, meta: &RequestMeta) -> Result<Imported, AppError> {
    require_institution_admin(principal)?;
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let added = import_national(&txn, &principal.institution_id, Some(year), now_ms).await?;
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry::by(principal, "holiday.import", "institution", Some(&principal.institution_id))
            .with(serde_json::json!({ "year": year, "added": added })),
    )
    .await?;
    // Every month's result may change.
    crate::recap::forget_months(&txn, &principal.institution_id, None).await?;
    txn.commit().await?;
    Ok(Imported { added })
}
