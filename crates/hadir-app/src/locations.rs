//! Work locations: where people check in, with the zone lateness is computed in and the geofence.

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, Rule, new_id};
use hadir_db::entities::{location_assignment, person, unit, work_location};
use hadir_domain::geo::{Geofence, GeofenceInput};
use hadir_domain::person as rules;
use hadir_domain::time_zone::WorkZone;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LocationView {
    pub id: String,
    pub unit_id: Option<String>,
    pub name: String,
    pub address: Option<String>,
    pub time_zone: WorkZone,
    #[schema(value_type = Object)]
    pub geofence: Geofence,
}

impl LocationView {
    fn of(m: work_location::Model) -> Result<LocationView, AppError> {
        Ok(LocationView {
            time_zone: WorkZone::parse(&m.time_zone)
                .ok_or_else(|| AppError::Internal(format!("stored zone {:?}", m.time_zone)))?,
            geofence: serde_json::from_str(&m.geofence)
                .map_err(|e| AppError::Internal(format!("stored geofence: {e}")))?,
            id: m.id,
            unit_id: m.unit_id,
            name: m.name,
            address: m.address,
        })
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub unit_id: Option<String>,
    pub time_zone: WorkZone,
    /// `{"shape":"circle","center":{"lat":…,"lon":…},"radius_m":…}` or
    /// `{"shape":"polygon","points":[{"lat":…,"lon":…},…]}`.
    pub geofence: GeofenceInput,
}

pub async fn list(app: &App, principal: &Principal) -> Result<Vec<LocationView>, AppError> {
    work_location::Entity::find()
        .filter(work_location::Column::InstitutionId.eq(&principal.institution_id))
        .order_by_asc(work_location::Column::Name)
        .all(&app.db)
        .await?
        .into_iter()
        .map(LocationView::of)
        .collect()
}

pub async fn get(app: &App, principal: &Principal, id: &str) -> Result<LocationView, AppError> {
    let m = work_location::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("work_location"))?;
    LocationView::of(m)
}

/// A location's fields, checked: the unit must exist and be in the principal's reach.
struct Valid {
    name: String,
    address: Option<String>,
    unit_id: Option<String>,
    geofence: String,
}

async fn validate(
    conn: &impl sea_orm::ConnectionTrait,
    principal: &Principal,
    input: LocationInput,
) -> Result<Valid, AppError> {
    let mut problems = Vec::new();
    let name =
        rules::text(&input.name, rules::MAX_NAME_LEN).map_err(|e| problems.push(FieldProblem::new("name", &e))).ok();
    let address = match input.address.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => rules::text(a, 300).map_err(|e| problems.push(FieldProblem::new("address", &e))).ok(),
        None => None,
    };
    let geofence =
        Geofence::try_from(input.geofence).map_err(|e| problems.push(FieldProblem::new("geofence", &e))).ok();
    let unit_id = input.unit_id.filter(|u| !u.is_empty());
    if let Some(u) = &unit_id {
        let exists = unit::Entity::find_by_id((principal.institution_id.clone(), u.clone())).one(conn).await?.is_some();
        if !exists {
            problems.push(FieldProblem::new("unit_id", &Rule::UnknownUnit));
        }
    }
    if !principal.admin_scope.covers_unit(unit_id.as_ref()) {
        problems.push(FieldProblem::new("unit_id", &Rule::UnknownUnit));
    }
    let (Some(name), Some(geofence), true) = (name, geofence, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let geofence = serde_json::to_string(&geofence).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Valid { name, address, unit_id, geofence })
}

pub async fn create(
    app: &App,
    principal: &Principal,
    input: LocationInput,
    meta: &RequestMeta,
) -> Result<LocationView, AppError> {
    if !principal.is_admin() {
        return Err(AppError::Forbidden);
    }
    let now_ms = app.now_ms();
    let time_zone = input.time_zone.iana().into();
    let txn = app.db.begin().await?;
    let v = validate(&txn, principal, input).await?;
    let model = work_location::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        unit_id: v.unit_id,
        name: v.name,
        address: v.address,
        time_zone,
        geofence: v.geofence,
        created_at: now_ms,
        updated_at: now_ms,
    };
    work_location::Entity::insert(work_location::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "work_location.create", "work_location", Some(&model.id)))
        .await?;
    txn.commit().await?;
    LocationView::of(model)
}

/// Replaces a location's name, address, unit, zone and geofence. Check-ins already made keep
/// the verdict they got; new ones (on every process within the profile cache's few seconds)
/// are matched against the new fence. A new zone changes the local time of every check-in made
/// there, so the recap counts their days again.
pub async fn update(
    app: &App,
    principal: &Principal,
    id: &str,
    input: LocationInput,
    meta: &RequestMeta,
) -> Result<LocationView, AppError> {
    let now_ms = app.now_ms();
    let time_zone = input.time_zone.iana().into();
    let txn = app.db.begin().await?;
    let current = work_location::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&txn)
        .await?
        .filter(|l| principal.admin_scope.covers_unit(l.unit_id.as_ref()))
        .ok_or(AppError::NotFound("work_location"))?;
    let v = validate(&txn, principal, input).await?;
    let zone_changed = current.time_zone != time_zone;
    let model = work_location::Model {
        unit_id: v.unit_id,
        name: v.name,
        address: v.address,
        time_zone,
        geofence: v.geofence,
        updated_at: now_ms,
        ..current
    };
    work_location::Entity::update(work_location::ActiveModel::from(model.clone()).reset_all()).exec(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "work_location.update", "work_location", Some(id))).await?;
    if zone_changed {
        crate::recap::forget_months(&txn, &principal.institution_id, None).await?;
    }
    txn.commit().await?;
    crate::attendance::forget_profiles_of(app, &principal.institution_id);
    LocationView::of(model)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// Every location the person may check in at; replaces the previous set.
    pub location_ids: Vec<String>,
}

/// The person, if the principal may see their assignments (themself, or in the admin scope).
pub(crate) async fn visible_person(
    conn: &impl sea_orm::ConnectionTrait,
    principal: &Principal,
    person_id: &str,
    to_change: bool,
) -> Result<(), AppError> {
    let p = person::Entity::find_by_id((principal.institution_id.clone(), person_id.to_string()))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    let administers = principal.admin_scope.covers_unit(p.unit_id.as_ref());
    match (administers, p.id == principal.person_id, to_change) {
        (true, _, _) => Ok(()),
        (false, true, false) => Ok(()),
        (false, true, true) => Err(AppError::Forbidden),
        (false, false, _) => Err(AppError::NotFound("person")),
    }
}

/// The locations a person may check in at.
pub async fn assigned(app: &App, principal: &Principal, person_id: &str) -> Result<Vec<LocationView>, AppError> {
    visible_person(&app.db, principal, person_id, false).await?;
    assigned_to(app, &principal.institution_id, person_id).await
}

/// The locations assigned to a person, by name, in one query (the check-in path uses it too).
pub(crate) async fn assigned_to(
    app: &App,
    institution_id: &str,
    person_id: &str,
) -> Result<Vec<LocationView>, AppError> {
    Ok(assigned_to_each(&app.db, institution_id, &[person_id]).await?.remove(person_id).unwrap_or_default())
}

/// [`assigned_to`] for several people of one institution, by person (someone with none is left
/// out): two reads however many they are.
pub(crate) async fn assigned_to_each(
    db: &DatabaseConnection,
    institution_id: &str,
    people: &[&str],
) -> Result<HashMap<String, Vec<LocationView>>, AppError> {
    use sea_orm::sea_query::Query;
    let of_people = Condition::all()
        .add(location_assignment::Column::InstitutionId.eq(institution_id))
        .add(location_assignment::Column::PersonId.is_in(people.iter().copied()));
    let assignments = location_assignment::Entity::find().filter(of_people.clone()).all(db).await?;
    let assigned = Query::select()
        .column(location_assignment::Column::LocationId)
        .from(location_assignment::Entity)
        .cond_where(of_people)
        .to_owned();
    let locations = work_location::Entity::find()
        .filter(work_location::Column::InstitutionId.eq(institution_id))
        .filter(work_location::Column::Id.in_subquery(assigned))
        .order_by_asc(work_location::Column::Name)
        .all(db)
        .await?;
    let mut sites: HashMap<String, Vec<LocationView>> = HashMap::new();
    for location in locations {
        let view = LocationView::of(location)?;
        for a in assignments.iter().filter(|a| a.location_id == view.id) {
            sites.entry(a.person_id.clone()).or_default().push(view.clone());
        }
    }
    Ok(sites)
}

/// Replaces the locations a person may check in at.
pub async fn assign(
    app: &App,
    principal: &Principal,
    person_id: &str,
    req: Assignment,
    meta: &RequestMeta,
) -> Result<Vec<LocationView>, AppError> {
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    visible_person(&txn, principal, person_id, true).await?;
    let mut ids = req.location_ids;
    ids.sort();
    ids.dedup();
    let known = work_location::Entity::find()
        .filter(work_location::Column::InstitutionId.eq(&principal.institution_id))
        .filter(work_location::Column::Id.is_in(ids.clone()))
        .all(&txn)
        .await?
        .len();
    if known != ids.len() {
        return Err(AppError::field("location_ids", &Rule::UnknownLocation));
    }
    location_assignment::Entity::delete_many()
        .filter(location_assignment::Column::InstitutionId.eq(&principal.institution_id))
        .filter(location_assignment::Column::PersonId.eq(person_id))
        .exec(&txn)
        .await?;
    if !ids.is_empty() {
        let rows = ids.iter().map(|location_id| {
            location_assignment::ActiveModel::from(location_assignment::Model {
                institution_id: principal.institution_id.clone(),
                person_id: person_id.into(),
                location_id: location_id.clone(),
                created_at: now_ms,
            })
        });
        location_assignment::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry::by(principal, "person.assign_locations", "person", Some(person_id))
            .with(serde_json::json!({ "location_ids": ids })),
    )
    .await?;
    txn.commit().await?;
    crate::attendance::forget_profile(app, &principal.institution_id, person_id);
    assigned(app, principal, person_id).await
}
