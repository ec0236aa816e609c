//! The employee app's home: today as the person lives it at their own work site — the hours they
//! are scheduled, what they did so far and what it makes of the day.

use crate::attendance::EventView;
use crate::locations::LocationView;
use crate::recap::DayView;
use crate::schedules::Schedules;
use crate::{App, AppError, Principal};
use chrono::{Datelike, NaiveDate};
use hadir_domain::schedule::WorkDay;
use hadir_domain::time_zone::WorkZone;

pub struct MyDay {
    pub date: NaiveDate,
    /// The zone of the person's first work site (WIB when none is assigned).
    pub zone: WorkZone,
    /// Today's scheduled hours; `None` on a day off.
    pub work: Option<WorkDay>,
    /// Today's check-ins and check-outs, oldest first.
    pub events: Vec<EventView>,
    /// Today's status once something happened (or once the day is over).
    pub status: Option<DayView>,
    /// Where the person may check in, for the page's "inside the fence?" hint.
    pub sites: Vec<LocationView>,
}

pub async fn my_day(app: &App, principal: &Principal) -> Result<MyDay, AppError> {
    let person_id = principal.person_id.as_str();
    let sites = crate::locations::assigned_to(app, &principal.institution_id, person_id).await?;
    let zone = sites.first().map_or(WorkZone::Jakarta, |s| s.time_zone);
    let date = zone.local(app.clock.now()).date();
    let schedules = Schedules::load(app, &principal.institution_id).await?;
    let work = schedules.for_person(person_id, date).day(date.weekday()).cloned();
    let day = date.to_string();
    let mut events = crate::attendance::history(app, principal, person_id, &day, &day).await?;
    events.reverse();
    let month = format!("{:04}-{:02}", date.year(), date.month());
    let status =
        crate::recap::person_month(app, principal, person_id, &month).await?.days.into_iter().find(|d| d.date == date);
    Ok(MyDay { date, zone, work, events, status, sites })
}
