//! Weekly working-time schedules. Times are wall-clock times at the work site (see
//! [`crate::time_zone`]); the attendance rules compare check-ins against them there.

use crate::explain::{Explain, Lang};
use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// One working day: when work starts and ends, and an unpaid break in between.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkDay {
    pub weekday: Weekday,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub break_start: Option<NaiveTime>,
    pub break_end: Option<NaiveTime>,
}

impl WorkDay {
    /// Paid minutes in the day: the span minus the break. An end before the start is a shift that
    /// crosses midnight.
    pub fn working_minutes(&self) -> i64 {
        let mut span = (self.end - self.start).num_minutes();
        if span <= 0 {
            span += 24 * 60;
        }
        let pause = match (self.break_start, self.break_end) {
            (Some(s), Some(e)) if e > s => (e - s).num_minutes(),
            _ => 0,
        };
        span - pause
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklySchedule {
    pub days: Vec<WorkDay>,
    /// Flexible start: arriving up to this many minutes after the start is on time, and the day
    /// ends as much later (PermenPANRB 4/2025 flexible hours). 0 = fixed hours.
    #[serde(default)]
    pub flex_minutes: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("a schedule needs 1 to 7 days, each weekday at most once")]
    Days,
    /// The day whose break does not fit (a form shows the problem beside that day).
    #[error("a break must lie inside its working day")]
    Break(Weekday),
    #[error("the flexible window is at most 180 minutes")]
    Flex,
}

impl Explain for ScheduleError {
    fn code(&self) -> &'static str {
        match self {
            ScheduleError::Days => "schedule_days",
            ScheduleError::Break(_) => "schedule_break",
            ScheduleError::Flex => "schedule_flex",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Id => match self {
                ScheduleError::Days => "Jadwal berisi 1 sampai 7 hari, tiap hari paling banyak sekali".into(),
                ScheduleError::Break(_) => "Istirahat harus berada di dalam jam kerja hari itu".into(),
                ScheduleError::Flex => "Rentang jam masuk fleksibel paling lama 180 menit".into(),
            },
        }
    }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("literal times are valid")
}

/// A Monday–Friday week where Monday to Thursday share one pattern and Friday has its own
/// (the Friday prayer): `(start, end, break start, break end)` as `(hour, minute)` pairs.
type Pattern = ((u32, u32), (u32, u32), (u32, u32), (u32, u32));

fn office_week(mon_thu: Pattern, fri: Pattern) -> WeeklySchedule {
    let day = |weekday, (start, end, break_start, break_end): Pattern| WorkDay {
        weekday,
        start: hm(start.0, start.1),
        end: hm(end.0, end.1),
        break_start: Some(hm(break_start.0, break_start.1)),
        break_end: Some(hm(break_end.0, break_end.1)),
    };
    let mut days: Vec<WorkDay> =
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu].into_iter().map(|d| day(d, mon_thu)).collect();
    days.push(day(Weekday::Fri, fri));
    WeeklySchedule { days, flex_minutes: 0 }
}

impl WeeklySchedule {
    /// The standard civil-service week (Perpres 21/2023): Mon–Thu 07:30–16:00 with a 12:00–13:00
    /// break, Fri 07:30–16:30 with a 11:30–13:00 break; 37.5 hours.
    pub fn standard_asn() -> WeeklySchedule {
        office_week(((7, 30), (16, 0), (12, 0), (13, 0)), ((7, 30), (16, 30), (11, 30), (13, 0)))
    }

    /// A common Ramadan week for civil servants: 32.5 hours from 08:00 — Mon–Thu 08:00–15:00 with
    /// a 30-minute break, Fri 08:00–15:30 with an hour. Each year's circular may differ: edit it.
    pub fn ramadan_asn() -> WeeklySchedule {
        office_week(((8, 0), (15, 0), (12, 0), (12, 30)), ((8, 0), (15, 30), (11, 30), (12, 30)))
    }

    pub fn validate(&self) -> Result<(), ScheduleError> {
        let mut seen: Vec<Weekday> = self.days.iter().map(|d| d.weekday).collect();
        seen.sort_by_key(|w| w.num_days_from_monday());
        seen.dedup();
        if self.days.is_empty() || seen.len() != self.days.len() {
            return Err(ScheduleError::Days);
        }
        for d in &self.days {
            match (d.break_start, d.break_end) {
                (None, None) => {}
                (Some(bs), Some(be)) if d.end > d.start && bs >= d.start && be <= d.end && bs < be => {}
                // A night shift's break: inside the span that crosses midnight.
                (Some(bs), Some(be)) if d.end <= d.start && bs < be && (bs >= d.start || be <= d.end) => {}
                _ => return Err(ScheduleError::Break(d.weekday)),
            }
        }
        if self.flex_minutes > 180 {
            return Err(ScheduleError::Flex);
        }
        Ok(())
    }

    pub fn day(&self, weekday: Weekday) -> Option<&WorkDay> {
        self.days.iter().find(|d| d.weekday == weekday)
    }

    pub fn weekly_minutes(&self) -> i64 {
        self.days.iter().map(WorkDay::working_minutes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_week_is_37_and_a_half_hours() {
        let week = WeeklySchedule::standard_asn();
        assert_eq!(week.weekly_minutes(), 37 * 60 + 30);
        assert!(week.day(Weekday::Sat).is_none());
        assert_eq!(week.day(Weekday::Fri).unwrap().end, hm(16, 30));
    }

    #[test]
    fn ramadan_week_is_32_and_a_half_hours_and_both_presets_are_valid() {
        assert_eq!(WeeklySchedule::ramadan_asn().weekly_minutes(), 32 * 60 + 30);
        assert_eq!(WeeklySchedule::ramadan_asn().validate(), Ok(()));
        assert_eq!(WeeklySchedule::standard_asn().validate(), Ok(()));
    }

    #[test]
    fn broken_schedules_are_refused() {
        let mut twice = WeeklySchedule::standard_asn();
        twice.days[1].weekday = Weekday::Mon;
        assert_eq!(twice.validate(), Err(ScheduleError::Days));
        assert_eq!(WeeklySchedule { days: vec![], flex_minutes: 0 }.validate(), Err(ScheduleError::Days));
        let mut outside = WeeklySchedule::standard_asn();
        outside.days[0].break_end = Some(hm(17, 0));
        assert_eq!(outside.validate(), Err(ScheduleError::Break(Weekday::Mon)));
        let flex = WeeklySchedule { flex_minutes: 240, ..WeeklySchedule::standard_asn() };
        assert_eq!(flex.validate(), Err(ScheduleError::Flex));
        let stored_before_flex_existed: WeeklySchedule = serde_json::from_str(r#"{"days":[]}"#).unwrap();
        assert_eq!(stored_before_flex_existed.flex_minutes, 0);
    }

    #[test]
    fn a_night_shift_crosses_midnight() {
        let night =
            WorkDay { weekday: Weekday::Mon, start: hm(22, 0), end: hm(6, 0), break_start: None, break_end: None };
        assert_eq!(night.working_minutes(), 8 * 60);
    }
}
