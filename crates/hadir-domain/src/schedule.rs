//! Weekly working-time schedules. Times are wall-clock times at the work site (see
//! [`crate::time_zone`]); the attendance rules compare check-ins against them there.

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
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("literal times are valid")
}

impl WeeklySchedule {
    /// The standard civil-service week (Perpres 21/2023): Mon–Thu 07:30–16:00 with a 12:00–13:00
    /// break, Fri 07:30–16:30 with a 11:30–13:00 break; 37.5 hours.
    pub fn standard_asn() -> WeeklySchedule {
        let weekday = |weekday| WorkDay {
            weekday,
            start: hm(7, 30),
            end: hm(16, 0),
            break_start: Some(hm(12, 0)),
            break_end: Some(hm(13, 0)),
        };
        let friday = WorkDay {
            weekday: Weekday::Fri,
            start: hm(7, 30),
            end: hm(16, 30),
            break_start: Some(hm(11, 30)),
            break_end: Some(hm(13, 0)),
        };
        WeeklySchedule {
            days: vec![
                weekday(Weekday::Mon),
                weekday(Weekday::Tue),
                weekday(Weekday::Wed),
                weekday(Weekday::Thu),
                friday,
            ],
        }
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
    fn a_night_shift_crosses_midnight() {
        let night =
            WorkDay { weekday: Weekday::Mon, start: hm(22, 0), end: hm(6, 0), break_start: None, break_end: None };
        assert_eq!(night.working_minutes(), 8 * 60);
    }
}
