//! Leave and absence rules (PP 11/2017 as amended by PP 17/2020): which requests need a
//! supporting document, how many working days a request takes, and the annual leave balance with
//! its carry-over.

use super::status::Absence;
use chrono::NaiveDate;

/// Annual leave a civil servant earns each year, after one year of service.
pub const ANNUAL_DAYS: u32 = 12;
/// With last year's unused leave carried over, at most this many days in a year.
pub const CARRY_CAP: u32 = 18;
/// When no annual leave was taken for the two previous years, at most this many.
pub const TWO_YEAR_CAP: u32 = 24;

/// A sick absence longer than one working day needs a doctor's letter.
pub fn needs_document(kind: Absence, working_days: u32) -> bool {
    matches!(kind, Absence::Sick | Absence::SickLeave) && working_days > 1
}

/// Whether the request is taken from the annual leave balance.
pub fn uses_annual_balance(kind: Absence) -> bool {
    kind == Absence::AnnualLeave
}

/// Working days in `start..=end`: those `is_working` says are scheduled and not holidays.
pub fn working_days(start: NaiveDate, end: NaiveDate, is_working: impl Fn(NaiveDate) -> bool) -> u32 {
    start.iter_days().take_while(|d| *d <= end).filter(|d| is_working(*d)).count() as u32
}

/// What the annual balance depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BalanceFacts {
    /// Whole years of service at the start of the year.
    pub years_of_service: u32,
    /// Annual leave left unused last year.
    pub unused_last_year: u32,
    /// Annual leave taken in each of the two previous years (0 and 0 allows the 24-day cap).
    pub taken_last_year: u32,
    pub taken_year_before: u32,
    /// Cuti bersama days this year: they reduce annual leave.
    pub cuti_bersama: u32,
}

/// Annual leave available this year, before what is taken this year.
pub fn annual_entitlement(f: BalanceFacts) -> u32 {
    if f.years_of_service < 1 {
        return 0;
    }
    let cap = if f.years_of_service >= 2 && f.taken_last_year == 0 && f.taken_year_before == 0 {
        TWO_YEAR_CAP
    } else {
        CARRY_CAP
    };
    (ANNUAL_DAYS + f.unused_last_year).min(cap).saturating_sub(f.cuti_bersama)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn facts(years: u32, unused: u32, taken_last: u32, taken_before: u32, cuti: u32) -> BalanceFacts {
        BalanceFacts {
            years_of_service: years,
            unused_last_year: unused,
            taken_last_year: taken_last,
            taken_year_before: taken_before,
            cuti_bersama: cuti,
        }
    }

    #[test]
    fn entitlement_and_carry_over() {
        assert_eq!(annual_entitlement(facts(0, 0, 0, 0, 0)), 0, "not in the first year");
        assert_eq!(annual_entitlement(facts(1, 0, 0, 0, 0)), 12);
        assert_eq!(annual_entitlement(facts(3, 4, 8, 5, 0)), 16);
        assert_eq!(annual_entitlement(facts(3, 12, 1, 5, 0)), 18, "carry-over capped at 18");
        assert_eq!(annual_entitlement(facts(3, 12, 0, 0, 0)), 24, "two years unused: up to 24");
        assert_eq!(annual_entitlement(facts(3, 12, 0, 0, 8)), 16, "cuti bersama reduces it");
        assert_eq!(annual_entitlement(facts(1, 0, 0, 0, 20)), 0);
    }

    #[test]
    fn documents_and_working_days() {
        assert!(!needs_document(Absence::Sick, 1));
        assert!(needs_document(Absence::Sick, 2));
        assert!(needs_document(Absence::SickLeave, 3));
        assert!(!needs_document(Absence::AnnualLeave, 5));
        let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(working_days(monday, sunday, |d| d.weekday().number_from_monday() <= 5), 5);
        assert_eq!(working_days(sunday, monday, |_| true), 0, "an empty range");
    }
}
