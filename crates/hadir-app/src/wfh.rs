//! Working from home (PermenPANRB 4/2025): a person proposes their home point and the weekdays
//! they work there; an administrator of their unit or their supervisor approves it. WFH
//! check-ins are allowed only on those weekdays, inside that point's radius.

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, new_id};
use chrono::{NaiveDate, Weekday};
use hadir_db::entities::{person, wfh_point};
use hadir_domain::geo::{GeoPoint, Geofence};
use hadir_domain::person as rules;
use hadir_domain::{Explain, Lang};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WfhProposal {
    pub lat: f64,
    pub lon: f64,
    /// Metres; default 100.
    #[serde(default)]
    pub radius_m: Option<f64>,
    #[serde(default)]
    pub address: Option<String>,
    /// The weekdays worked from home, e.g. `["Fri"]`.
    #[schema(value_type = Vec<String>)]
    pub weekdays: Vec<Weekday>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WfhView {
    pub id: String,
    pub person_id: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
    pub address: Option<String>,
    #[schema(value_type = Vec<String>)]
    pub weekdays: Vec<Weekday>,
    /// `pending`, `approved`, `rejected` or `retired` (replaced by a newer approved point).
    pub status: String,
    pub reason: Option<String>,
}

impl WfhView {
    fn of(m: wfh_point::Model) -> WfhView {
        WfhView {
            weekdays: serde_json::from_str(&m.weekdays).unwrap_or_default(),
            id: m.id,
            person_id: m.person_id,
            lat: m.lat,
            lon: m.lon,
            radius_m: m.radius_m,
            address: m.address,
            status: m.status,
            reason: m.reason,
        }
    }
}

#[derive(Clone, Copy)]
enum WfhRule {
    Weekdays,
    NotPending,
    ReasonRequired,
}

impl Explain for WfhRule {
    fn code(&self) -> &'static str {
        match self {
            WfhRule::Weekdays => "wfh_weekdays",
            WfhRule::NotPending => "wfh_not_pending",
            WfhRule::ReasonRequired => "wfh_reason_required",
        }
    }
    fn message(&self, lang: Lang) -> String {
        let (id, en) = match self {
            WfhRule::Weekdays => ("Pilih sedikitnya satu hari WFH", "Choose at least one WFH weekday"),
            WfhRule::NotPending => ("Usulan ini sudah diputuskan", "This proposal was already decided"),
            WfhRule::ReasonRequired => ("Alasan penolakan wajib diisi", "A reason is required to reject"),
        };
        match lang {
            Lang::Id => id.into(),
            Lang::En => en.into(),
        }
    }
}

/// Proposes the principal's home point.
pub async fn propose(
    app: &App,
    principal: &Principal,
    p: WfhProposal,
    meta: &RequestMeta,
) -> Result<WfhView, AppError> {
    let mut problems = Vec::new();
    let radius = p.radius_m.unwrap_or(100.0);
    let fence = GeoPoint::new(p.lat, p.lon)
        .and_then(|center| Geofence::circle(center, radius))
        .map_err(|e| problems.push(FieldProblem::new("lat", &e)))
        .ok();
    let address = match p.address.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => rules::text(a, 300).map_err(|e| problems.push(FieldProblem::new("address", &e))).ok(),
        None => None,
    };
    let mut weekdays = p.weekdays.clone();
    weekdays.sort_by_key(|d| d.num_days_from_monday());
    weekdays.dedup();
    if weekdays.is_empty() {
        problems.push(FieldProblem::new("weekdays", &WfhRule::Weekdays));
    }
    if fence.is_none() || !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let now_ms = app.now_ms();
    let model = wfh_point::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        person_id: principal.person_id.clone(),
        lat: p.lat,
        lon: p.lon,
        radius_m: radius,
        address,
        weekdays: serde_json::to_string(&weekdays).map_err(|e| AppError::Internal(e.to_string()))?,
        status: "pending".into(),
        reason: None,
        decided_by: None,
        decided_at: None,
        created_at: now_ms,
    };
    let txn = app.db.begin().await?;
    wfh_point::Entity::insert(wfh_point::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "wfh.propose", "wfh_point", Some(&model.id))).await?;
    txn.commit().await?;
    Ok(WfhView::of(model))
}

pub async fn mine(app: &App, principal: &Principal) -> Result<Vec<WfhView>, AppError> {
    Ok(wfh_point::Entity::find()
        .filter(wfh_point::Column::InstitutionId.eq(&principal.institution_id))
        .filter(wfh_point::Column::PersonId.eq(&principal.person_id))
        .order_by_desc(wfh_point::Column::CreatedAt)
        .all(&app.db)
        .await?
        .into_iter()
        .map(WfhView::of)
        .collect())
}

pub async fn pending(app: &App, principal: &Principal) -> Result<Vec<WfhView>, AppError> {
    let waiting = wfh_point::Entity::find()
        .filter(wfh_point::Column::InstitutionId.eq(&principal.institution_id))
        .filter(wfh_point::Column::Status.eq("pending"))
        .order_by_asc(wfh_point::Column::CreatedAt)
        .all(&app.db)
        .await?;
    let people =
        crate::people::by_ids(app, &principal.institution_id, waiting.iter().map(|w| w.person_id.clone())).await?;
    let shown: Vec<wfh_point::Model> =
        waiting.into_iter().filter(|w| people.get(&w.person_id).is_some_and(|p| principal.manages(p))).collect();
    let subjects = shown.iter().filter_map(|w| people.get(&w.person_id));
    crate::access_log::record_each(app, principal, subjects, crate::access_log::Data::HomeLocation).await?;
    Ok(shown.into_iter().map(WfhView::of).collect())
}

/// How far a proposed home point lies from the nearest office the person is assigned to: the
/// evidence a decider weighs. `None` when the person has no office, or is not one the principal
/// decides for.
pub async fn nearest_office(app: &App, principal: &Principal, w: &WfhView) -> Result<Option<(String, f64)>, AppError> {
    let people = crate::people::by_ids(app, &principal.institution_id, [w.person_id.clone()]).await?;
    if !people.get(&w.person_id).is_some_and(|p| principal.manages(p)) {
        return Ok(None);
    }
    let Ok(home) = GeoPoint::new(w.lat, w.lon) else { return Ok(None) };
    let offices = crate::locations::assigned_to(app, &principal.institution_id, &w.person_id).await?;
    Ok(offices
        .into_iter()
        .map(|o| {
            let metres = o.geofence.distance_to_center_m(home);
            (o.name, metres)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WfhDecision {
    pub approve: bool,
    /// Required to reject.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Approves (retiring the person's previous approved point) or rejects a proposal.
pub async fn decide(
    app: &App,
    principal: &Principal,
    id: &str,
    d: WfhDecision,
    meta: &RequestMeta,
) -> Result<WfhView, AppError> {
    let reason = d
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| rules::text(r, 300))
        .transpose()
        .map_err(|e| AppError::field("reason", &e))?;
    if !d.approve && reason.is_none() {
        return Err(AppError::field("reason", &WfhRule::ReasonRequired));
    }
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let current = wfh_point::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("wfh_point"))?;
    let subject = person::Entity::find_by_id((principal.institution_id.clone(), current.person_id.clone()))
        .one(&txn)
        .await?
        .filter(|p| principal.manages(p))
        .ok_or(AppError::NotFound("wfh_point"))?;
    if current.status != "pending" {
        return Err(AppError::field("status", &WfhRule::NotPending));
    }
    let status = if d.approve { "approved" } else { "rejected" };
    if d.approve {
        wfh_point::Entity::update_many()
            .col_expr(wfh_point::Column::Status, sea_orm::sea_query::Expr::value("retired"))
            .filter(wfh_point::Column::InstitutionId.eq(&principal.institution_id))
            .filter(wfh_point::Column::PersonId.eq(&subject.id))
            .filter(wfh_point::Column::Status.eq("approved"))
            .exec(&txn)
            .await?;
    }
    let decided = wfh_point::Model {
        status: status.into(),
        reason,
        decided_by: Some(principal.account_id.clone()),
        decided_at: Some(now_ms),
        ..current
    };
    wfh_point::Entity::update(sea_orm::ActiveModelTrait::reset_all(wfh_point::ActiveModel::from(decided.clone())))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry::by(principal, "wfh.decide", "wfh_point", Some(id)).with(serde_json::json!({ "status": status })),
    )
    .await?;
    txn.commit().await?;
    Ok(WfhView::of(decided))
}

/// The fence of the person's approved home point if `date` is one of its weekdays.
pub(crate) async fn fence_on(app: &App, principal: &Principal, date: NaiveDate) -> Result<Option<Geofence>, AppError> {
    use chrono::Datelike;
    let approved = wfh_point::Entity::find()
        .filter(wfh_point::Column::InstitutionId.eq(&principal.institution_id))
        .filter(wfh_point::Column::PersonId.eq(&principal.person_id))
        .filter(wfh_point::Column::Status.eq("approved"))
        .one(&app.db)
        .await?;
    Ok(approved.and_then(|w| {
        let days: Vec<Weekday> = serde_json::from_str(&w.weekdays).ok()?;
        if !days.contains(&date.weekday()) {
            return None;
        }
        Geofence::circle(GeoPoint::new(w.lat, w.lon).ok()?, w.radius_m).ok()
    }))
}
