//! A unit's month: what its people's months add up to, for HR's report per unit (*rekap per
//! unit kerja*).

use super::table::{BasisPoints, MonthTotals};
use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UnitTotals {
    pub people: u32,
    pub present_days: u32,
    pub late: [u32; 4],
    pub early: [u32; 4],
    pub absent_days: u32,
    pub leave_days: u32,
    /// People whose allowance is cut at all this month.
    pub people_deducted: u32,
    /// The mean of the people's deductions (after each one's cap), rounded down: a unit's
    /// deductions are not added, each applies to a different allowance.
    pub average_deduction: BasisPoints,
}

pub fn unit_totals<'a>(people: impl IntoIterator<Item = &'a MonthTotals>) -> UnitTotals {
    let mut unit = UnitTotals::default();
    let mut deductions: u64 = 0;
    for person in people {
        unit.people += 1;
        unit.present_days += person.present_days;
        for level in 0..4 {
            unit.late[level] += person.late[level];
            unit.early[level] += person.early[level];
        }
        unit.absent_days += person.absent_days;
        unit.leave_days += person.leave_days;
        unit.people_deducted += u32::from(person.deduction.0 > 0);
        deductions += u64::from(person.deduction.0);
    }
    let average = deductions.checked_div(u64::from(unit.people)).unwrap_or(0);
    unit.average_deduction = BasisPoints(u32::try_from(average).unwrap_or(u32::MAX));
    unit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(present: u32, late: [u32; 4], absent: u32, deduction: u32) -> MonthTotals {
        MonthTotals {
            present_days: present,
            late,
            absent_days: absent,
            deduction: BasisPoints(deduction),
            deduction_uncapped: BasisPoints(deduction),
            ..MonthTotals::default()
        }
    }

    #[test]
    fn a_unit_adds_its_peoples_days_and_averages_their_deductions() {
        let people = [month(20, [1, 0, 0, 0], 0, 50), month(15, [0, 2, 0, 1], 5, 1_625), month(21, [0; 4], 0, 0)];
        let unit = unit_totals(&people);
        assert_eq!((unit.people, unit.present_days, unit.absent_days), (3, 56, 5));
        assert_eq!((unit.late, unit.people_deducted), ([1, 2, 0, 1], 2));
        assert_eq!(unit.average_deduction, BasisPoints(558), "(50 + 1625 + 0) / 3, rounded down");
    }

    #[test]
    fn an_empty_unit_has_nothing_to_average() {
        assert_eq!(unit_totals(&[]), UnitTotals::default());
    }
}
