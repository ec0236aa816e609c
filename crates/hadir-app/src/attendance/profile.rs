//! What a check-in needs to know about the person that rarely changes: where they may check in,
//! which phones are approved, their own time zone and whether selfies may be kept. Kept in memory
//! for a few seconds, because a surge of check-ins would otherwise read the same rows thousands of
//! times a second; device decisions, location assignments and consent decisions made through this
//! process forget it at once. What is not known is read for all concurrent check-ins together
//! (a morning's surge meets nothing known): a few statements a batch rather than per person.

use crate::batch::{Batcher, Job, fixed_shape};
use crate::locations::{self, LocationView};
use crate::{App, AppError};
use hadir_db::entities::{device, institution};
use hadir_domain::time_zone::WorkZone;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, HashMap};
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
    let profile = app
        .profile_reader
        .call(&app.db, key.clone())
        .await
        .map_err(|e| AppError::Internal(format!("reading check-in profiles: {e}")))?;
    app.checkin_profiles.put(key, profile.clone());
    Ok(profile)
}

/// Reads the profiles of a batch of (institution, person).
pub(crate) struct ReadProfiles;

pub(crate) type ProfileReader = Batcher<ReadProfiles>;

impl Job for ReadProfiles {
    type Request = (String, String);
    type Answer = Arc<Profile>;

    async fn run(db: &DatabaseConnection, batch: &[(String, String)]) -> Vec<Result<Arc<Profile>, String>> {
        // Nearly always one institution.
        let mut people_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (institution_id, person_id) in batch {
            people_of.entry(institution_id).or_default().push(person_id);
        }
        let mut read = HashMap::new();
        for (institution_id, people) in people_of {
            read.insert(institution_id, profiles(db, institution_id, &fixed_shape(people.into_iter())).await);
        }
        batch
            .iter()
            .map(|(institution_id, person_id)| match &read[institution_id.as_str()] {
                Ok(profiles) => Ok(profiles[person_id].clone()),
                Err(e) => Err(e.to_string()),
            })
            .collect()
    }
}

/// The profiles of these people of one institution, by person.
async fn profiles(
    db: &DatabaseConnection,
    institution_id: &str,
    people: &[&str],
) -> Result<HashMap<String, Arc<Profile>>, AppError> {
    let mut sites = locations::assigned_to_each(db, institution_id, people).await?;
    let mut devices: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for d in approved_devices(institution_id, people).all(db).await? {
        devices.entry(d.person_id).or_default().push((d.device_key, d.id));
    }
    let photos = crate::consent::photos_allowed_each(db, institution_id, people).await?;
    // Only someone without a work site lives in the institution's zone.
    let institution_zone = match people.iter().all(|p| sites.contains_key(*p)) {
        true => None,
        false => institution::Entity::find_by_id(institution_id.to_string())
            .one(db)
            .await?
            .and_then(|i| WorkZone::parse(&i.time_zone)),
    };
    let mut profiles = HashMap::new();
    for (person_id, photos) in people.iter().zip(photos) {
        if profiles.contains_key(*person_id) {
            continue; // the list's padding (`fixed_shape`) repeats its last person
        }
        let sites = sites.remove(*person_id).unwrap_or_default();
        let home_zone = sites.first().map(|site| site.time_zone).or(institution_zone).unwrap_or(WorkZone::Jakarta);
        let devices = devices.remove(*person_id).unwrap_or_default();
        profiles.insert(person_id.to_string(), Arc::new(Profile { sites, devices, home_zone, photos }));
    }
    Ok(profiles)
}

/// These people's approved phones (through the index `devices_of_person`, which the test below
/// holds to: without it, SQLite visits every approved phone of the institution).
fn approved_devices(institution_id: &str, people: &[&str]) -> sea_orm::Select<device::Entity> {
    device::Entity::find()
        .filter(device::Column::InstitutionId.eq(institution_id))
        .filter(device::Column::PersonId.is_in(people.iter().copied()))
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
    use sea_orm::QueryTrait;

    #[tokio::test]
    async fn a_persons_approved_phones_are_read_through_the_index_by_person() {
        let statement = approved_devices("inst", &["person", "another"]).build(sea_orm::DbBackend::Sqlite);
        let plan = crate::query_plan::sqlite_plan(statement).await;
        assert!(plan.contains("INDEX devices_of_person "), "{plan}");
    }
}
