//! Today at a glance for an administrator: per unit, how many are present (on time or late), on
//! leave, not in yet, or off — from the same day statuses as the monthly recap.

use super::{Member, days_of, inputs, people_in_scope};
use crate::{App, AppError, Principal};
use chrono::NaiveDate;
use hadir_domain::attendance::DayStatus;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// Where one person's day stands (`status`: today's, once something happened).
fn count(counts: &mut TodayCounts, status: Option<&DayStatus>, scheduled: bool) {
    match status {
        Some(DayStatus::Present(p)) if p.late.is_some() => counts.late += 1,
        Some(DayStatus::Present(_)) => counts.on_time += 1,
        Some(DayStatus::OnLeave { .. }) => counts.on_leave += 1,
        Some(DayStatus::OffDay | DayStatus::Holiday) => counts.off += 1,
        Some(DayStatus::Absent) | None if scheduled => counts.not_yet_in += 1,
        Some(DayStatus::Absent) | None => counts.off += 1,
    }
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
