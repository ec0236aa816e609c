//! What a check-in needs to know about the person that rarely changes: where they may check in,
//! which phones are approved, and their own time zone. Kept in memory for a few seconds, because
//! a surge of check-ins would otherwise read the same rows thousands of times a second; device
//! decisions, location assignments and consent decisions made through this process forget it
//! at once.

use crate::locations::{self, LocationView};
use crate::{App, AppError};
use hadir_db::entities::{device, institution};
use hadir_domain::time_zone::WorkZone;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::sync::Arc;
use std::time::Duration;

/// A device approved or reset, a location assigned, or a consent decided, through another
/// process applies after this.
pub(crate) const PROFILE_TTL: Duration = Duration::from_secs(10);

pub(crate) struct Profile {
    pub sites: Vec<LocationView>,
    /// (the phone's own id, the device row's id) of every approved phone.
    pub devices: Vec<(String, String)>,
    /// Their first work site's zone, else the institution's.
    pub home_zone: WorkZone,
    /// Selfies may be taken and kept (`consent::photos_allowed`).
    pub photos: bool,
}

impl Profile {
    /// The row id of the approved phone with this device id, if any.
    pub fn approved_device(&self, device_key: &str) -> Option<&str> {
        self.devices.iter().find(|(key, _)| key == device_key.trim()).map(|(_, id)| id.as_str())
    }
}

pub(crate) async fn of(app: &App, institution_id: &str, person_id: &str) -> Result<Arc<Profile>, AppError> {
    let key = (institution_id.to_string(), person_id.to_string());
    if let Some(known) = app.checkin_profiles.get(&key) {
        return Ok(known);
    }
    let sites = locations::assigned_to(app, institution_id, person_id).await?;
    let devices = approved_devices(institution_id, person_id)
        .all(&app.db)
        .await?
        .into_iter()
        .map(|d| (d.device_key, d.id))
        .collect();
    let home_zone = match sites.first() {
        Some(site) => site.time_zone,
        None => institution::Entity::find_by_id(institution_id.to_string())
            .one(&app.db)
            .await?
            .and_then(|i| WorkZone::parse(&i.time_zone))
            .unwrap_or(WorkZone::Jakarta),
    };
    let photos = crate::consent::photos_allowed(app, institution_id, person_id).await?;
    let profile = Arc::new(Profile { sites, devices, home_zone, photos });
    app.checkin_profiles.put(key, profile.clone());
    Ok(profile)
}

/// The person's approved phones (through the index `devices_of_person`, which the test below
/// holds to: without it, SQLite visits every approved phone of the institution).
fn approved_devices(institution_id: &str, person_id: &str) -> sea_orm::Select<device::Entity> {
    device::Entity::find()
        .filter(device::Column::InstitutionId.eq(institution_id))
        .filter(device::Column::PersonId.eq(person_id))
        .filter(device::Column::Status.eq("approved"))
}

/// Called after a change to the person's devices or locations.
pub(crate) fn forget(app: &App, institution_id: &str, person_id: &str) {
    app.checkin_profiles.forget(|(inst, person)| inst == institution_id && person == person_id);
}

/// Forgets every profile of an institution: a work location, which many people share, changed.
pub(crate) fn forget_all(app: &App, institution_id: &str) {
    app.checkin_profiles.forget(|(inst, _)| inst == institution_id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnectionTrait, QueryTrait, Statement};

    #[tokio::test]
    async fn a_persons_approved_phones_are_read_through_the_index_by_person() {
        let db = hadir_db::connect("sqlite::memory:").await.unwrap();
        hadir_db::migrate(&db).await.unwrap();
        let backend = db.get_database_backend();
        let built = approved_devices("inst", "person").build(backend);
        let explain = format!("EXPLAIN QUERY PLAN {}", built.sql);
        let plan = db.query_all_raw(Statement::from_sql_and_values(backend, explain, built.values.unwrap())).await;
        let plan: Vec<String> = plan.unwrap().iter().map(|row| row.try_get::<String>("", "detail").unwrap()).collect();
        assert!(plan.iter().any(|step| step.contains("INDEX devices_of_person ")), "{plan:?}");
    }
}
