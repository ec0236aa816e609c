//! Leave and absence rules (PP 11/2017 as amended by PP 17/2020): which requests need a
//! supporting document, how many working days a request takes, and the annual leave balance with
//! its carry-over.

use super::status::Absence;
use crate::explain::{Explain, Lang};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The leave rules that differ between institutions. The defaults are the civil-service ones
/// (PP 11/2017); a company under PP 35/2021 also has 12 days but no cuti bersama deduction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LeavePolicy {
    /// Annual leave earned each year after one year of service.
    pub annual_days: u32,
    /// With last year's unused leave carried over, at most this many days in a year.
    pub carry_cap: u32,
    /// When no annual leave was taken in the two previous years, at most this many.
    pub two_year_cap: u32,
    /// Whether the year's cuti bersama days are taken from annual leave.
    pub cuti_bersama_reduces_annual: bool,
    /// Sickness longer than this many working days needs a doctor's letter.
    pub sick_days_without_document: u32,
    /// After the supervisor, an administrator of the person's unit approves too.
    pub second_level_approval: bool,
}

impl Default for LeavePolicy {
    fn default() -> Self {
        LeavePolicy {
            annual_days: 12,
            carry_cap: 18,
            two_year_cap: 24,
            cuti_bersama_reduces_annual: true,
            sick_days_without_document: 1,
            second_level_approval: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("annual_days must be 1-60 and annual_days <= carry_cap <= two_year_cap <= 120")]
pub struct LeavePolicyError;

impl Explain for LeavePolicyError {
    fn code(&self) -> &'static str {
        "leave_policy_caps"
    }
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Id => "annual_days 1-60 dan annual_days <= carry_cap <= two_year_cap <= 120".into(),
        }
    }
}

impl LeavePolicy {
    pub fn validate(&self) -> Result<(), LeavePolicyError> {
        let ok = (1..=60).contains(&self.annual_days)
            && self.annual_days <= self.carry_cap
            && self.carry_cap <= self.two_year_cap
            && self.two_year_cap <= 120;
        if ok { Ok(()) } else { Err(LeavePolicyError) }
    }

    /// Whether a sick absence of `working_days` needs a doctor's letter.
    pub fn needs_document(&self, kind: Absence, working_days: u32) -> bool {
        matches!(kind, Absence::Sick | Absence::SickLeave) && working_days > self.sick_days_without_document
    }
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
    /// Cuti bersama days this year.
    pub cuti_bersama: u32,
}

/// Annual leave available this year, before what is taken this year.
pub fn annual_entitlement(f: BalanceFacts, policy: &LeavePolicy) -> u32 {
    if f.years_of_service < 1 {
        return 0;
    }
    let cap = if f.years_of_service >= 2 && f.taken_last_year == 0 && f.taken_year_before == 0 {
        policy.two_year_cap
    } else {
        policy.carry_cap
    };
    let deducted = if policy.cuti_bersama_reduces_annual { f.cuti_bersama } else { 0 };
    (policy.annual_days + f.unused_last_year).min(cap).saturating_sub(deducted)
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
        let asn = LeavePolicy::default();
        assert_eq!(annual_entitlement(facts(0, 0, 0, 0, 0), &asn), 0, "not in the first year");
        assert_eq!(annual_entitlement(facts(1, 0, 0, 0, 0), &asn), 12);
        assert_eq!(annual_entitlement(facts(3, 4, 8, 5, 0), &asn), 16);
        assert_eq!(annual_entitlement(facts(3, 12, 1, 5, 0), &asn), 18, "carry-over capped at 18");
        assert_eq!(annual_entitlement(facts(3, 12, 0, 0, 0), &asn), 24, "two years unused: up to 24");
        assert_eq!(annual_entitlement(facts(3, 12, 0, 0, 8), &asn), 16, "cuti bersama reduces it");
        assert_eq!(annual_entitlement(facts(1, 0, 0, 0, 20), &asn), 0);
        let company = LeavePolicy { cuti_bersama_reduces_annual: false, ..asn };
        assert_eq!(annual_entitlement(facts(3, 12, 0, 0, 8), &company), 24, "no cuti bersama deduction");
    }

    #[test]
    fn policies_are_validated() {
        assert_eq!(LeavePolicy::default().validate(), Ok(()));
        assert_eq!(LeavePolicy { carry_cap: 10, ..LeavePolicy::default() }.validate(), Err(LeavePolicyError));
        assert_eq!(LeavePolicy { annual_days: 0, ..LeavePolicy::default() }.validate(), Err(LeavePolicyError));
        let lenient = LeavePolicy { sick_days_without_document: 2, ..LeavePolicy::default() };
        assert!(!lenient.needs_document(Absence::Sick, 2));
    }

    #[test]
    fn documents_and_working_days() {
        let p = LeavePolicy::default();
        assert!(!p.needs_document(Absence::Sick, 1));
        assert!(p.needs_document(Absence::Sick, 2));
        assert!(p.needs_document(Absence::SickLeave, 3));
        assert!(!p.needs_document(Absence::AnnualLeave, 5));
        let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(working_days(monday, sunday, |d| d.weekday().number_from_monday() <= 5), 5);
        assert_eq!(working_days(sunday, monday, |_| true), 0, "an empty range");
    }
}
