//! A person's status for one day, from the day's facts: the schedule, the calendar, approved
//! leave, and the first check-in and last check-out — all as wall-clock times at the work site.

use super::table::{DisciplineTable, Level};
use crate::schedule::WorkDay;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckMode {
    Office,
    Wfh,
    Duty,
    Qr,
}

impl CheckMode {
    /// The name stored in the database, the same as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckMode::Office => "office",
            CheckMode::Wfh => "wfh",
            CheckMode::Duty => "duty",
            CheckMode::Qr => "qr",
        }
    }

    pub fn parse(name: &str) -> Option<CheckMode> {
        [CheckMode::Office, CheckMode::Wfh, CheckMode::Duty, CheckMode::Qr].into_iter().find(|m| m.as_str() == name)
    }
}

/// Approved leave and absence (PP 11/2017 as amended by PP 17/2020, and the common absence
/// types). Institutions print their own codes for these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Absence {
    /// Cuti tahunan.
    AnnualLeave,
    /// Cuti besar.
    LongLeave,
    /// Cuti sakit.
    SickLeave,
    /// Cuti melahirkan.
    MaternityLeave,
    /// Cuti karena alasan penting.
    ImportantReasonLeave,
    /// Cuti di luar tanggungan negara.
    UnpaidLeave,
    /// Izin.
    Permission,
    /// Sakit (short illness, not a formal leave).
    Sick,
    /// Dinas luar: official duty away.
    OfficialDuty,
    /// Tugas belajar.
    StudyAssignment,
}

/// The working time due on one date, in the site's wall-clock time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduledDay {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    /// Flexible start: arriving up to this many minutes after `start` is on time, and the end
    /// moves by as much.
    pub flex_minutes: u32,
}

impl ScheduledDay {
    /// The shift of `day` that starts on `date`; a shift whose end is not after its start ends
    /// the next day.
    pub fn of(day: &WorkDay, date: NaiveDate, flex_minutes: u32) -> ScheduledDay {
        let start = date.and_time(day.start);
        let mut end = date.and_time(day.end);
        if end <= start {
            end += Duration::days(1);
        }
        ScheduledDay { start, end, flex_minutes }
    }
}

/// Everything the status depends on for one person and one date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayFacts {
    /// `None` on a day the person is not scheduled (weekend, day off in a shift pattern).
    pub scheduled: Option<ScheduledDay>,
    /// A national holiday or *cuti bersama*.
    pub holiday: bool,
    pub absence: Option<Absence>,
    pub check_in: Option<NaiveDateTime>,
    pub check_out: Option<NaiveDateTime>,
    pub mode: Option<CheckMode>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Presence {
    /// TL level; TL4 also when there is no check-in at all.
    pub late: Option<Level>,
    /// PSW level; PSW4 also when there is no check-out at all.
    pub early: Option<Level>,
    /// Whole minutes after the (flexible) start; `None` without a check-in.
    pub minutes_late: Option<i64>,
    /// Whole minutes before the due end; `None` without a check-out.
    pub minutes_early: Option<i64>,
    /// Lateness forgiven because it was made up the same day.
    pub made_up: bool,
    pub mode: Option<CheckMode>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DayStatus {
    /// Not a scheduled working day.
    OffDay,
    Holiday,
    OnLeave {
        absence: Absence,
    },
    /// *Tanpa keterangan* (TK): scheduled, no leave, no check-in or check-out.
    Absent,
    Present(Presence),
}

fn whole_minutes(d: Duration) -> i64 {
    d.num_seconds().div_euclid(60)
}

pub fn day_status(facts: &DayFacts, table: &DisciplineTable) -> DayStatus {
    let Some(day) = facts.scheduled else {
        return DayStatus::OffDay;
    };
    if facts.holiday {
        return DayStatus::Holiday;
    }
    if let Some(absence) = facts.absence {
        return DayStatus::OnLeave { absence };
    }
    if facts.check_in.is_none() && facts.check_out.is_none() {
        return DayStatus::Absent;
    }
    let latest_on_time = day.start + Duration::minutes(i64::from(day.flex_minutes));
    // Within the flexible window, the day ends as much later as the person started.
    let shift = facts.check_in.map_or(Duration::zero(), |arrived| arrived.clamp(day.start, latest_on_time) - day.start);
    let due_end = day.end + shift;

    let late_by = facts.check_in.map(|arrived| arrived - latest_on_time);
    let minutes_late = late_by.map(whole_minutes);
    let minutes_early = facts.check_out.map(|left| whole_minutes(due_end - left));

    let made_up = match (late_by, facts.check_out) {
        (Some(late), Some(left)) if table.make_up_minutes > 0 && whole_minutes(late) >= 1 => {
            whole_minutes(late) <= i64::from(table.make_up_minutes) && left >= due_end + late
        }
        _ => false,
    };
    let late = match minutes_late {
        None => Some(Level::L4),
        Some(_) if made_up => None,
        Some(m) => table.late_level(m),
    };
    let early = match minutes_early {
        None => Some(Level::L4),
        Some(m) => table.early_level(m),
    };
    DayStatus::Present(Presence { late, early, minutes_late, minutes_early, made_up, mode: facts.mode })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::WeeklySchedule;
    use crate::time_zone::WorkZone;
    use chrono::{NaiveTime, Weekday};

    fn monday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn at(h: u32, m: u32, s: u32) -> NaiveDateTime {
        monday().and_time(NaiveTime::from_hms_opt(h, m, s).unwrap())
    }

    fn standard() -> ScheduledDay {
        ScheduledDay::of(WeeklySchedule::standard_asn().day(Weekday::Mon).unwrap(), monday(), 0)
    }

    fn present(check_in: Option<NaiveDateTime>, check_out: Option<NaiveDateTime>) -> DayFacts {
        DayFacts {
            scheduled: Some(standard()),
            check_in,
            check_out,
            mode: Some(CheckMode::Office),
            ..DayFacts::default()
        }
    }

    fn levels(status: DayStatus) -> (Option<Level>, Option<Level>) {
        match status {
            DayStatus::Present(p) => (p.late, p.early),
            other => panic!("expected present, got {other:?}"),
        }
    }

    #[test]
    fn lateness_boundaries_to_the_second() {
        let table = DisciplineTable::kementan();
        let out = Some(at(16, 0, 0));
        let cases = [
            (at(7, 0, 0), None),
            (at(7, 30, 0), None),
            (at(7, 30, 59), None),
            (at(7, 31, 0), Some(Level::L1)),
            (at(8, 0, 59), Some(Level::L1)),
            (at(8, 1, 0), Some(Level::L2)),
            (at(8, 30, 0), Some(Level::L2)),
            (at(8, 31, 0), Some(Level::L3)),
            (at(9, 0, 0), Some(Level::L3)),
            (at(9, 1, 0), Some(Level::L4)),
            (at(13, 0, 0), Some(Level::L4)),
        ];
        for (arrived, expected) in cases {
            assert_eq!(levels(day_status(&present(Some(arrived), out), &table)).0, expected, "{arrived}");
        }
    }

    #[test]
    fn early_leave_boundaries_and_missing_scans() {
        let table = DisciplineTable::kemenkeu();
        let arrived = Some(at(7, 25, 0));
        let cases = [
            (Some(at(16, 0, 0)), None),
            (Some(at(15, 59, 1)), None),
            (Some(at(15, 59, 0)), Some(Level::L1)),
            (Some(at(15, 30, 0)), Some(Level::L1)),
            (Some(at(15, 29, 0)), Some(Level::L2)),
            (Some(at(14, 29, 0)), Some(Level::L4)),
            (None, Some(Level::L4)),
        ];
        for (left, expected) in cases {
            assert_eq!(levels(day_status(&present(arrived, left), &table)).1, expected, "{left:?}");
        }
        // Only a check-out: the missing check-in counts as TL4.
        assert_eq!(levels(day_status(&present(None, Some(at(16, 5, 0))), &table)), (Some(Level::L4), None));
    }

    #[test]
    fn calendar_and_leave_come_before_scans() {
        let table = DisciplineTable::kementan();
        let weekend = DayFacts { scheduled: None, check_in: Some(at(8, 0, 0)), ..DayFacts::default() };
        assert_eq!(day_status(&weekend, &table), DayStatus::OffDay);
        let holiday = DayFacts { holiday: true, ..present(None, None) };
        assert_eq!(day_status(&holiday, &table), DayStatus::Holiday);
        let leave = DayFacts { absence: Some(Absence::AnnualLeave), ..present(None, None) };
        assert_eq!(day_status(&leave, &table), DayStatus::OnLeave { absence: Absence::AnnualLeave });
        assert_eq!(day_status(&present(None, None), &table), DayStatus::Absent);
    }

    #[test]
    fn a_night_shift_ends_the_next_morning() {
        let night = WorkDay {
            weekday: Weekday::Mon,
            start: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(6, 0, 0).unwrap(),
            break_start: None,
            break_end: None,
        };
        let shift = ScheduledDay::of(&night, monday(), 0);
        let next_morning = |h, m| monday().succ_opt().unwrap().and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap());
        let facts = DayFacts {
            scheduled: Some(shift),
            check_in: Some(at(22, 10, 0)),
            check_out: Some(next_morning(6, 0)),
            ..DayFacts::default()
        };
        assert_eq!(levels(day_status(&facts, &DisciplineTable::kementan())), (Some(Level::L1), None));
        let left_early = DayFacts { check_out: Some(next_morning(5, 0)), ..facts };
        assert_eq!(levels(day_status(&left_early, &DisciplineTable::kementan())), (Some(Level::L1), Some(Level::L2)));
    }

    #[test]
    fn flexible_start_moves_the_end() {
        let table = DisciplineTable::kementan();
        let flex = ScheduledDay { flex_minutes: 60, ..standard() };
        let facts = |arrived, left| DayFacts {
            scheduled: Some(flex),
            check_in: Some(arrived),
            check_out: Some(left),
            ..DayFacts::default()
        };
        // 08:15 is inside the window: on time, and due until 16:45.
        assert_eq!(levels(day_status(&facts(at(8, 15, 0), at(16, 45, 0)), &table)), (None, None));
        assert_eq!(levels(day_status(&facts(at(8, 15, 0), at(16, 30, 0)), &table)), (None, Some(Level::L1)));
        // 08:31 is one minute past the window, which ends at 08:30.
        assert_eq!(levels(day_status(&facts(at(8, 31, 0), at(17, 0, 0)), &table)), (Some(Level::L1), None));
    }

    #[test]
    fn lateness_made_up_the_same_day_is_forgiven_within_the_limit() {
        let mut table = DisciplineTable::kementan();
        table.make_up_minutes = 30;
        let status = |arrived, left| day_status(&present(Some(arrived), Some(left)), &table);
        match status(at(7, 50, 0), at(16, 20, 0)) {
            DayStatus::Present(p) => assert!(p.made_up && p.late.is_none() && p.minutes_late == Some(20)),
            other => panic!("{other:?}"),
        }
        assert_eq!(levels(status(at(7, 50, 0), at(16, 19, 0))), (Some(Level::L1), None), "not fully made up");
        assert_eq!(levels(status(at(8, 10, 0), at(17, 0, 0))), (Some(Level::L2), None), "beyond the limit");
        table.make_up_minutes = 0;
        assert_eq!(levels(day_status(&present(Some(at(7, 50, 0)), Some(at(16, 20, 0))), &table)).0, Some(Level::L1));
    }

    #[test]
    fn the_same_instant_is_late_in_one_zone_and_later_in_another() {
        let table = DisciplineTable::kementan();
        let instant = "2026-03-02T00:31:00Z".parse().unwrap();
        let status_in =
            |zone: WorkZone| levels(day_status(&present(Some(zone.local(instant)), Some(at(16, 30, 0))), &table)).0;
        assert_eq!(status_in(WorkZone::Jakarta), Some(Level::L1), "07:31 WIB");
        assert_eq!(status_in(WorkZone::Makassar), Some(Level::L3), "08:31 WITA");
        assert_eq!(status_in(WorkZone::Jayapura), Some(Level::L4), "09:31 WIT");
    }
}

#[cfg(test)]
mod serialisation {
    use super::*;

    #[test]
    fn every_status_serialises_with_its_tag() {
        let leave = DayStatus::OnLeave { absence: Absence::Sick };
        assert_eq!(
            serde_json::to_value(&leave).unwrap(),
            serde_json::json!({ "status": "on_leave", "absence": "sick" })
        );
        assert_eq!(serde_json::to_value(DayStatus::Absent).unwrap(), serde_json::json!({ "status": "absent" }));
    }
}
