//! Leave and absence rules (PP 11/2017 as amended by PP 17/2020): which requests need a
//! supporting document, how many working days a request takes, and the annual leave balance with
//! its carry-over.

use super::status::Absence;
use crate::explain::{Explain, Lang};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The leave rules that differ between institutions. The defaults are the civil-service ones
/// (PP 11/2017); a company under PP 35/2021 also has 12 days but no cuti bersama deduction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Cuti besar: after this many years of service, for at most `long_leave_max_months`.
    pub long_leave_min_years: u32,
    pub long_leave_max_months: u32,
    /// Cuti melahirkan: at most this long, for the first `maternity_max_children` children
    /// (from the next one on, cuti besar is the way).
    pub maternity_max_months: u32,
    pub maternity_max_children: u32,
    /// Cuti karena alasan penting: at most this long.
    pub important_reason_max_months: u32,
    /// Cuti di luar tanggungan negara: after this many years of service, for at most this long.
    pub unpaid_min_years: u32,
    pub unpaid_max_months: u32,
    /// The institution's own short code for each kind (in the month view and the exports); kinds
    /// left out keep the default code.
    pub codes: BTreeMap<Absence, String>,
}

/// The codes most Indonesian government offices print on attendance recaps.
pub fn default_code(kind: Absence) -> &'static str {
    match kind {
        Absence::AnnualLeave => "CT",
        Absence::LongLeave => "CB",
        Absence::SickLeave => "CS",
        Absence::MaternityLeave => "CM",
        Absence::ImportantReasonLeave => "CAP",
        Absence::UnpaidLeave => "CLTN",
        Absence::Permission => "I",
        Absence::Sick => "S",
        Absence::OfficialDuty => "DL",
        Absence::StudyAssignment => "TB",
    }
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
            long_leave_min_years: 5,
            long_leave_max_months: 3,
            maternity_max_months: 3,
            maternity_max_children: 3,
            important_reason_max_months: 1,
            unpaid_min_years: 5,
            unpaid_max_months: 36,
            codes: BTreeMap::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LeavePolicyError {
    #[error("annual_days must be 1-60 and annual_days <= carry_cap <= two_year_cap <= 120")]
    Caps,
    #[error("leave lengths must be 1-60 months, years of service at most 40, children 1-10")]
    Limits,
    #[error("leave codes must be 1-8 letters or digits")]
    Code,
}

impl Explain for LeavePolicyError {
    fn code(&self) -> &'static str {
        match self {
            LeavePolicyError::Caps => "leave_policy_caps",
            LeavePolicyError::Limits => "leave_policy_limits",
            LeavePolicyError::Code => "leave_policy_code",
        }
    }
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, _) => self.to_string(),
            (Lang::Id, LeavePolicyError::Caps) => {
                "annual_days 1-60 dan annual_days <= carry_cap <= two_year_cap <= 120".into()
            }
            (Lang::Id, LeavePolicyError::Limits) => {
                "Lama cuti 1-60 bulan, masa kerja paling lama 40 tahun, jumlah anak 1-10".into()
            }
            (Lang::Id, LeavePolicyError::Code) => "Kode cuti 1-8 huruf atau angka".into(),
        }
    }
}

impl LeavePolicy {
    pub fn validate(&self) -> Result<(), LeavePolicyError> {
        let caps = (1..=60).contains(&self.annual_days)
            && self.annual_days <= self.carry_cap
            && self.carry_cap <= self.two_year_cap
            && self.two_year_cap <= 120;
        if !caps {
            return Err(LeavePolicyError::Caps);
        }
        let months = [
            self.long_leave_max_months,
            self.maternity_max_months,
            self.important_reason_max_months,
            self.unpaid_max_months,
        ];
        let limits = months.iter().all(|m| (1..=60).contains(m))
            && self.long_leave_min_years <= 40
            && self.unpaid_min_years <= 40
            && (1..=10).contains(&self.maternity_max_children);
        if !limits {
            return Err(LeavePolicyError::Limits);
        }
        let code_ok = |c: &String| (1..=8).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_alphanumeric());
        if self.codes.values().all(code_ok) { Ok(()) } else { Err(LeavePolicyError::Code) }
    }

    /// The institution's code for a kind of absence.
    pub fn code(&self, kind: Absence) -> &str {
        self.codes.get(&kind).map_or(default_code(kind), String::as_str)
    }

    /// Whether a request of this kind may be made, PP 11/2017 style: service years, length,
    /// and for maternity leave how many were taken before.
    pub fn eligibility(&self, kind: Absence, f: &Eligibility) -> Result<(), LeaveRefusal> {
        let longest = |months: u32| f.start.checked_add_months(Months::new(months)).and_then(|d| d.pred_opt());
        let within = |months: u32| longest(months).is_some_and(|last| f.end <= last);
        match kind {
            Absence::LongLeave if f.years_of_service < self.long_leave_min_years => {
                Err(LeaveRefusal::ServiceTooShort { years: self.long_leave_min_years })
            }
            Absence::LongLeave if !within(self.long_leave_max_months) => {
                Err(LeaveRefusal::TooLong { months: self.long_leave_max_months })
            }
            Absence::MaternityLeave if f.earlier_maternity >= self.maternity_max_children => {
                Err(LeaveRefusal::MaternityCount { children: self.maternity_max_children })
            }
            Absence::MaternityLeave if !within(self.maternity_max_months) => {
                Err(LeaveRefusal::TooLong { months: self.maternity_max_months })
            }
            Absence::ImportantReasonLeave if !within(self.important_reason_max_months) => {
                Err(LeaveRefusal::TooLong { months: self.important_reason_max_months })
            }
            Absence::UnpaidLeave if f.years_of_service < self.unpaid_min_years => {
                Err(LeaveRefusal::ServiceTooShort { years: self.unpaid_min_years })
            }
            Absence::UnpaidLeave if !within(self.unpaid_max_months) => {
                Err(LeaveRefusal::TooLong { months: self.unpaid_max_months })
            }
            _ => Ok(()),
        }
    }

    /// Whether a sick absence of `working_days` needs a doctor's letter.
    pub fn needs_document(&self, kind: Absence, working_days: u32) -> bool {
        matches!(kind, Absence::Sick | Absence::SickLeave) && working_days > self.sick_days_without_document
    }
}

/// What eligibility for a kind of leave depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Eligibility {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Whole years of service on the first day.
    pub years_of_service: u32,
    /// Maternity leaves approved before.
    pub earlier_maternity: u32,
}

/// Why a request of this kind cannot be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaveRefusal {
    ServiceTooShort { years: u32 },
    TooLong { months: u32 },
    MaternityCount { children: u32 },
}

impl Explain for LeaveRefusal {
    fn code(&self) -> &'static str {
        match self {
            LeaveRefusal::ServiceTooShort { .. } => "leave_service_too_short",
            LeaveRefusal::TooLong { .. } => "leave_kind_too_long",
            LeaveRefusal::MaternityCount { .. } => "leave_maternity_count",
        }
    }
    fn message(&self, lang: Lang) -> String {
        match (lang, *self) {
            (Lang::Id, LeaveRefusal::ServiceTooShort { years }) => {
                format!("Cuti ini baru dapat diambil setelah {years} tahun masa kerja")
            }
            (Lang::En, LeaveRefusal::ServiceTooShort { years }) => {
                format!("This leave can be taken only after {years} years of service")
            }
            (Lang::Id, LeaveRefusal::TooLong { months }) => format!("Cuti ini paling lama {months} bulan"),
            (Lang::En, LeaveRefusal::TooLong { months }) => format!("This leave lasts at most {months} months"),
            (Lang::Id, LeaveRefusal::MaternityCount { children }) => format!(
                "Cuti melahirkan hanya untuk kelahiran ke-1 sampai ke-{children}; ajukan cuti besar untuk kelahiran berikutnya"
            ),
            (Lang::En, LeaveRefusal::MaternityCount { children }) => format!(
                "Maternity leave covers the first {children} births; request long leave (cuti besar) for a later one"
            ),
        }
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

/// One past or current year, for the annual balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeaveYear {
    /// Whole years of service at the start of the year.
    pub years_of_service: u32,
    /// Annual leave taken (approved) in the year.
    pub taken: u32,
    pub cuti_bersama: u32,
}

/// This year's annual leave available before what is taken this year, carrying unused leave
/// forward year by year from the oldest year given (`years`, oldest first, ending with this one).
/// Three or four years back are enough: the caps keep older leave from reaching this year.
pub fn annual_entitlement_over(years: &[LeaveYear], policy: &LeavePolicy) -> u32 {
    let mut unused = 0;
    let mut entitlement = 0;
    for (i, year) in years.iter().enumerate() {
        let taken_in = |back: usize| i.checked_sub(back).and_then(|j| years.get(j)).map_or(1, |y| y.taken);
        entitlement = annual_entitlement(
            BalanceFacts {
                years_of_service: year.years_of_service,
                unused_last_year: unused,
                // A year before the history counts as "not unused", so the 24-day cap is earned
                // only on evidence.
                taken_last_year: taken_in(1),
                taken_year_before: taken_in(2),
                cuti_bersama: year.cuti_bersama,
            },
            policy,
        );
        unused = entitlement.saturating_sub(year.taken);
    }
    entitlement
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
    fn carry_over_runs_year_by_year() {
        let asn = LeavePolicy::default();
        let year = |service, taken, cuti| LeaveYear { years_of_service: service, taken, cuti_bersama: cuti };
        // Joined 2022: nothing in 2022; 12 in 2023 with 2 taken; 12 + 10 capped at 18 in 2024 with
        // 18 taken; 12 in 2025.
        let history = [year(0, 0, 0), year(1, 2, 0), year(2, 18, 0), year(3, 0, 0)];
        assert_eq!(annual_entitlement_over(&history, &asn), 12);
        // Nothing taken in 2024 and 2025 (service ≥ 2): 2026 may reach 24.
        let idle = [year(1, 2, 0), year(2, 0, 0), year(3, 0, 0), year(4, 0, 0)];
        assert_eq!(annual_entitlement_over(&idle, &asn), 24);
        assert_eq!(annual_entitlement_over(&[year(4, 0, 0)], &asn), 12, "no history: no carry-over claimed");
        // Cuti bersama reduces each year, so less is carried.
        let bersama = [year(2, 0, 8), year(3, 0, 8)];
        assert_eq!(annual_entitlement_over(&bersama, &asn), 8, "4 carried (12 - 8), then 12 + 4 - 8");
    }

    #[test]
    fn eligibility_follows_pp_11_2017() {
        let p = LeavePolicy::default();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let req = |start: &str, end: &str, years, maternity| Eligibility {
            start: d(start),
            end: d(end),
            years_of_service: years,
            earlier_maternity: maternity,
        };
        assert_eq!(
            p.eligibility(Absence::LongLeave, &req("2026-03-02", "2026-04-01", 4, 0)),
            Err(LeaveRefusal::ServiceTooShort { years: 5 })
        );
        assert_eq!(p.eligibility(Absence::LongLeave, &req("2026-03-02", "2026-06-01", 5, 0)), Ok(()), "3 months");
        assert_eq!(
            p.eligibility(Absence::LongLeave, &req("2026-03-02", "2026-06-02", 5, 0)),
            Err(LeaveRefusal::TooLong { months: 3 }),
            "a day over three months"
        );
        assert_eq!(p.eligibility(Absence::MaternityLeave, &req("2026-03-02", "2026-06-01", 0, 2)), Ok(()));
        assert_eq!(
            p.eligibility(Absence::MaternityLeave, &req("2026-03-02", "2026-04-01", 0, 3)),
            Err(LeaveRefusal::MaternityCount { children: 3 })
        );
        assert_eq!(
            p.eligibility(Absence::ImportantReasonLeave, &req("2026-01-31", "2026-03-01", 0, 0)),
            Err(LeaveRefusal::TooLong { months: 1 })
        );
        assert_eq!(p.eligibility(Absence::ImportantReasonLeave, &req("2026-01-31", "2026-02-27", 0, 0)), Ok(()));
        assert_eq!(p.eligibility(Absence::UnpaidLeave, &req("2026-01-01", "2028-12-31", 5, 0)), Ok(()));
        assert_eq!(
            p.eligibility(Absence::UnpaidLeave, &req("2026-01-01", "2026-01-31", 3, 0)),
            Err(LeaveRefusal::ServiceTooShort { years: 5 })
        );
        assert_eq!(p.eligibility(Absence::AnnualLeave, &req("2026-01-01", "2026-01-05", 0, 0)), Ok(()));
    }

    #[test]
    fn codes_default_and_can_be_overridden() {
        let mut p = LeavePolicy::default();
        assert_eq!(p.code(Absence::AnnualLeave), "CT");
        p.codes.insert(Absence::AnnualLeave, "C".into());
        assert_eq!(p.code(Absence::AnnualLeave), "C");
        assert_eq!(p.validate(), Ok(()));
        p.codes.insert(Absence::Sick, "sakit berat".into());
        assert_eq!(p.validate(), Err(LeavePolicyError::Code));
    }

    #[test]
    fn policies_are_validated() {
        assert_eq!(LeavePolicy::default().validate(), Ok(()));
        assert_eq!(LeavePolicy { carry_cap: 10, ..LeavePolicy::default() }.validate(), Err(LeavePolicyError::Caps));
        assert_eq!(LeavePolicy { annual_days: 0, ..LeavePolicy::default() }.validate(), Err(LeavePolicyError::Caps));
        assert_eq!(
            LeavePolicy { maternity_max_children: 0, ..LeavePolicy::default() }.validate(),
            Err(LeavePolicyError::Limits)
        );
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
