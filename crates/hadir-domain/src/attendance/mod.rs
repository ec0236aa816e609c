//! Attendance rules (DOMAIN.md §2): what a day's check-ins mean against the schedule, what that
//! costs in allowance (TPP / tunjangan kinerja), and when cumulative absence reaches a PP 94/2021
//! disciplinary threshold. Every number that differs between institutions comes from a
//! [`DisciplineTable`], never from a constant.

pub mod checkin;
mod day_count;
mod discipline;
pub mod leave;
mod policy;
pub mod qr;
mod status;
mod table;
mod unit_totals;

pub use day_count::{DayCount, decode_days, encode_days};
pub use discipline::{Sanction, consecutive_absences, sanction_for_absences};
pub use policy::{AttendancePolicy, PolicyError, Signal, SignalAction};
pub use status::{Absence, CheckMode, DayFacts, DayStatus, Presence, ScheduledDay, day_status};
pub use table::{Band, BasisPoints, DisciplineTable, Level, MonthTotals, Preset, TableError, month_totals};
pub use unit_totals::{UnitTotals, unit_totals};
