//! Today at a glance for an administrator: per unit, how many are present (on time or late), on
//! leave, not in yet, or off — from the same day statuses as the monthly recap.

use super::{Member, days_of, events, inputs, local_time, people_in_scope, shift_date};
use crate::{App, AppError, Principal};
use chrono::NaiveDate;
use hadir_domain::attendance::DayStatus;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TodayCounts {
    pub on_time: u32,
    pub late: u32,
    pub on_leave: u32,
    /// Scheduled today, no check-in yet (absent once the day is over).
    pub not_yet_in: u32,
    /// Not scheduled today, or a holiday.
    pub off: u32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitToday {
    pub unit_id: Option<String>,
    /// The unit's code; people without a unit come last with none.
    pub unit_code: Option<String>,
    pub counts: TodayCounts,
}

/// The column of today's board a person's day falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TodayColumn {
    OnTime,
    Late,
    OnLeave,
    NotYetIn,
    Off,
}

/// Where one person's day stands (`status`: today's, once something happened).
fn column(status: Option<&DayStatus>, scheduled: bool) -> TodayColumn {
    match status {
        Some(DayStatus::Present(p)) if p.late.is_some() => TodayColumn::Late,
        Some(DayStatus::Present(_)) => TodayColumn::OnTime,
        Some(DayStatus::OnLeave { .. }) => TodayColumn::OnLeave,
        Some(DayStatus::OffDay | DayStatus::Holiday) => TodayColumn::Off,
        Some(DayStatus::Absent) | None if scheduled => TodayColumn::NotYetIn,
        Some(DayStatus::Absent) | None => TodayColumn::Off,
    }
}

fn count(counts: &mut TodayCounts, status: Option<&DayStatus>, scheduled: bool) {
    let slot = match column(status, scheduled) {
        TodayColumn::OnTime => &mut counts.on_time,
        TodayColumn::Late => &mut counts.late,
        TodayColumn::OnLeave => &mut counts.on_leave,
        TodayColumn::NotYetIn => &mut counts.not_yet_in,
        TodayColumn::Off => &mut counts.off,
    };
    *slot += 1;
}

/// Today (`today`: the institution's date) for everyone in the administrator's scope, by unit code.
pub async fn by_unit(app: &App, principal: &Principal, today: NaiveDate) -> Result<Vec<UnitToday>, AppError> {
    let (people, codes) = people_in_scope(app, principal, None, None).await?;
    let members: Vec<&Member> = people.iter().map(|p| &p.member).collect();
    let days = [today];
    let inputs = inputs(app, principal, &days).await?;
    let views = days_of(app, principal, &inputs, &days, &members).await?;
    // By code, people without a unit last.
    let mut units: BTreeMap<(bool, Option<String>, Option<String>), TodayCounts> = BTreeMap::new();
    for (person, days) in members.iter().zip(&views) {
        let code = person.unit_id.as_ref().and_then(|u| codes.get(u)).cloned();
        let status = days.iter().find(|d| d.date == today).map(|d| &d.status);
        let counts = units.entry((code.is_none(), code, person.unit_id.clone())).or_default();
        count(counts, status, inputs.is_working(&person.id, today));
    }
    Ok(units.into_iter().map(|((_, unit_code, unit_id), counts)| UnitToday { unit_id, unit_code, counts }).collect())
}

/// Today by unit on the institution's own date (its default zone).
pub async fn in_institution(app: &App, principal: &Principal) -> Result<Vec<UnitToday>, AppError> {
    let zone = crate::institutions::current(app, principal).await?.time_zone;
    by_unit(app, principal, zone.local(app.clock.now()).date()).await
}

/// One person's today, for the drill-down from a unit's bar.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonToday {
    pub person_id: String,
    pub employee_number: String,
    pub full_name: String,
    pub unit_code: Option<String>,
    pub column: TodayColumn,
    /// Today's status once something happened (`{"status": "present", "late": "L1", …}`).
    #[schema(value_type = Option<Object>)]
    pub status: Option<DayStatus>,
    /// On leave: the institution's code for the kind (e.g. `CT`).
    pub code: Option<String>,
    /// The first accepted check-in and the last check-out, `HH:MM` at the work site.
    pub first_in: Option<String>,
    pub last_out: Option<String>,
}

/// Today for each active person in the administrator's scope (optionally one unit and the units
/// below it), by name, on the institution's date.
pub async fn people(app: &App, principal: &Principal, unit_id: Option<&str>) -> Result<Vec<PersonToday>, AppError> {
    let zone = crate::institutions::current(app, principal).await?.time_zone;
    let today = zone.local(app.clock.now()).date();
    let (people, codes) = people_in_scope(app, principal, unit_id, None).await?;
    let day = today.to_string();
    crate::access_log::record_list(app, principal, unit_id, crate::access_log::Data::Today, Some(&day)).await?;
    let members: Vec<&Member> = people.iter().map(|p| &p.member).collect();
    let days = [today];
    let inputs = inputs(app, principal, &days).await?;
    let views = days_of(app, principal, &inputs, &days, &members).await?;
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    // The times shown: the same accepted events the status was computed from, as (instant, HH:MM).
    let mut first_in: HashMap<&str, (i64, String)> = HashMap::new();
    let mut last_out: HashMap<&str, (i64, String)> = HashMap::new();
    let only = (ids.len() <= super::READ_ALL_ABOVE).then_some(ids.as_slice());
    let events = events::accepted(app, &principal.institution_id, only, &days).await?;
    for (person, theirs) in &events {
        for e in theirs {
            let Some(at) = local_time(&inputs, e).filter(|_| shift_date(&inputs, person, e) == Some(today)) else {
                continue;
            };
            let moment = (e.occurred_at, at.format("%H:%M").to_string());
            let (map, first) = if e.check_in { (&mut first_in, true) } else { (&mut last_out, false) };
            let better = match map.get(person.as_str()) {
                None => true,
                Some((kept, _)) if first => e.occurred_at < *kept,
                Some((kept, _)) => e.occurred_at > *kept,
            };
            if better {
                map.insert(person.as_str(), moment);
            }
        }
    }
    Ok(members
        .iter()
        .zip(views)
        .map(|(m, days)| {
            let day = days.into_iter().find(|d| d.date == today);
            PersonToday {
                person_id: m.id.clone(),
                employee_number: m.employee_number.clone(),
                full_name: m.full_name.clone(),
                unit_code: m.unit_id.as_ref().and_then(|u| codes.get(u)).cloned(),
                column: column(day.as_ref().map(|d| &d.status), inputs.is_working(&m.id, today)),
                code: day.as_ref().and_then(|d| d.code.clone()),
                status: day.map(|d| d.status),
                first_in: first_in.remove(m.id.as_str()).map(|(_, hm)| hm),
                last_out: last_out.remove(m.id.as_str()).map(|(_, hm)| hm),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hadir_domain::attendance::{Absence, Level, Presence};

    #[test]
    fn each_day_lands_in_one_column() {
        let present = |late| {
            DayStatus::Present(Presence {
                late,
                early: None,
                minutes_late: None,
                minutes_early: None,
                made_up: false,
                mode: None,
            })
        };
        let mut c = TodayCounts::default();
        count(&mut c, Some(&present(None)), true);
        count(&mut c, Some(&present(Some(Level::L2))), true);
        count(&mut c, Some(&DayStatus::OnLeave { absence: Absence::Sick }), true);
        count(&mut c, None, true);
        count(&mut c, Some(&DayStatus::Absent), true);
        count(&mut c, None, false);
        count(&mut c, Some(&DayStatus::Holiday), true);
        assert_eq!(c, TodayCounts { on_time: 1, late: 1, on_leave: 1, not_yet_in: 2, off: 2 });
    }
}
