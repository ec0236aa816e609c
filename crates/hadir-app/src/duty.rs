//! Official duty away (*dinas luar*): the person's supervisor or a unit administrator records an
//! assignment — a place, a radius, a date range and the letter's reference — and duty check-ins
//! are matched against the place on those days.

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, new_id};
use chrono::NaiveDate;
use hadir_db::entities::{duty_assignment as duty, person};
use hadir_domain::geo::{GeoPoint, Geofence};
use hadir_domain::person as rules;
use hadir_domain::{Explain, Lang};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DutyInput {
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    /// Metres; default 500.
    #[serde(default)]
    pub radius_m: Option<f64>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The assignment letter (*surat tugas*) number.
    pub reference: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DutyView {
    pub id: String,
    pub person_id: String,
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
    pub start_date: String,
    pub end_date: String,
    pub reference: String,
}

impl From<duty::Model> for DutyView {
    fn from(m: duty::Model) -> Self {
        DutyView {
            id: m.id,
            person_id: m.person_id,
            place: m.place,
            lat: m.lat,
            lon: m.lon,
            radius_m: m.radius_m,
            start_date: m.start_date,
            end_date: m.end_date,
            reference: m.reference,
        }
    }
}

struct DatesRule;

impl Explain for DatesRule {
    fn code(&self) -> &'static str {
        "duty_dates"
    }
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Id => "Tanggal selesai tidak boleh sebelum tanggal mulai, paling lama 100 hari".into(),
            Lang::En => "The end date cannot be before the start, and at most 100 days later".into(),
        }
    }
}

/// Records a duty assignment for a person the principal supervises or administers.
pub async fn assign(
    app: &App,
    principal: &Principal,
    person_id: &str,
    input: DutyInput,
    meta: &RequestMeta,
) -> Result<DutyView, AppError> {
    let subject = person::Entity::find_by_id((principal.institution_id.clone(), person_id.to_string()))
        .one(&app.db)
        .await?
        .filter(|p| principal.manages(p))
        .ok_or(AppError::NotFound("person"))?;
    let mut problems = Vec::new();
    let place = rules::text(&input.place, 200).map_err(|e| problems.push(FieldProblem::new("place", &e))).ok();
    let reference =
        rules::text(&input.reference, 200).map_err(|e| problems.push(FieldProblem::new("reference", &e))).ok();
    let radius = input.radius_m.unwrap_or(500.0);
    if let Err(e) = GeoPoint::new(input.lat, input.lon).and_then(|c| Geofence::circle(c, radius)) {
        problems.push(FieldProblem::new("lat", &e));
    }
    if input.end_date < input.start_date || (input.end_date - input.start_date).num_days() > 100 {
        problems.push(FieldProblem::new("end_date", &DatesRule));
    }
    let (Some(place), Some(reference), true) = (place, reference, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let now_ms = app.now_ms();
    let model = duty::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        person_id: subject.id,
        place,
        lat: input.lat,
        lon: input.lon,
        radius_m: radius,
        start_date: input.start_date.to_string(),
        end_date: input.end_date.to_string(),
        reference,
        created_by: principal.account_id.clone(),
        created_at: now_ms,
    };
    let txn = app.db.begin().await?;
    duty::Entity::insert(duty::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "duty.assign", "duty_assignment", Some(&model.id))).await?;
    txn.commit().await?;
    Ok(model.into())
}

/// A person's duty assignments, newest first (oneself, or someone one supervises or administers).
pub async fn of_person(app: &App, principal: &Principal, person_id: &str) -> Result<Vec<DutyView>, AppError> {
    crate::attendance::reachable_person(app, principal, person_id).await?;
    Ok(duty::Entity::find()
        .filter(duty::Column::InstitutionId.eq(&principal.institution_id))
        .filter(duty::Column::PersonId.eq(person_id))
        .order_by_desc(duty::Column::StartDate)
        .all(&app.db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// The places of the principal's duty assignments covering `date`.
pub(crate) async fn fences_on(
    app: &App,
    principal: &Principal,
    date: NaiveDate,
) -> Result<Vec<(String, Geofence)>, AppError> {
    let day = date.to_string();
    Ok(duty::Entity::find()
        .filter(duty::Column::InstitutionId.eq(&principal.institution_id))
        .filter(duty::Column::PersonId.eq(&principal.person_id))
        .filter(duty::Column::StartDate.lte(day.clone()))
        .filter(duty::Column::EndDate.gte(day))
        .all(&app.db)
        .await?
        .into_iter()
        .filter_map(|d| Some((d.id, Geofence::circle(GeoPoint::new(d.lat, d.lon).ok()?, d.radius_m).ok()?)))
        .collect())
}
