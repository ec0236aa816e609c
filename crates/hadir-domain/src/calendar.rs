//! National holidays and *cuti bersama* (DOMAIN.md §5), set each year by a joint decree of three
//! ministers and sometimes amended mid-year. The known years ship in
//! `data/national_holidays.csv`, one row per day with its decree reference; each institution gets
//! its own copy to amend. `scripts/check_holidays.py` cross-checks the file against the PyPI
//! `holidays` package.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// Hari libur nasional, or a local holiday an institution adds.
    Holiday,
    /// Cuti bersama: a day off for civil servants that counts against annual leave.
    CutiBersama,
}

impl HolidayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HolidayKind::Holiday => "holiday",
            HolidayKind::CutiBersama => "cuti_bersama",
        }
    }

    pub fn parse(s: &str) -> Option<HolidayKind> {
        match s {
            "holiday" => Some(HolidayKind::Holiday),
            "cuti_bersama" => Some(HolidayKind::CutiBersama),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NationalHoliday {
    pub date: NaiveDate,
    pub kind: HolidayKind,
    pub name_id: String,
    pub name_en: String,
    pub decree: String,
}

const SHIPPED: &str = include_str!("../data/national_holidays.csv");

/// Splits one CSV line with optional double-quoted fields (no embedded quotes in this file).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match (c, quoted) {
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    out.push(current);
    out
}

/// Every shipped row, in date order.
pub fn shipped() -> Vec<NationalHoliday> {
    SHIPPED
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f = fields(line);
            NationalHoliday {
                date: NaiveDate::parse_from_str(&f[0], "%Y-%m-%d").expect("shipped dates are valid"),
                kind: HolidayKind::parse(&f[1]).expect("shipped kinds are valid"),
                name_id: f[2].clone(),
                name_en: f[3].clone(),
                decree: f[4].clone(),
            }
        })
        .collect()
}

/// The shipped rows of one year.
pub fn shipped_for(year: i32) -> Vec<NationalHoliday> {
    use chrono::Datelike;
    shipped().into_iter().filter(|h| h.date.year() == year).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn year_2026_has_17_holidays_and_the_8_cuti_bersama_of_the_decree() {
        let rows = shipped_for(2026);
        let count = |kind| rows.iter().filter(|h| h.kind == kind).count();
        assert_eq!(count(HolidayKind::Holiday), 17);
        let cuti: Vec<NaiveDate> = rows.iter().filter(|h| h.kind == HolidayKind::CutiBersama).map(|h| h.date).collect();
        assert_eq!(
            cuti,
            [
                d(2026, 2, 16),
                d(2026, 3, 18),
                d(2026, 3, 20),
                d(2026, 3, 23),
                d(2026, 3, 24),
                d(2026, 5, 15),
                d(2026, 5, 28),
                d(2026, 12, 24)
            ]
        );
    }

    #[test]
    fn every_row_is_complete_and_ordered() {
        let rows = shipped();
        assert!(rows.len() > 70);
        assert!(rows.windows(2).all(|w| w[0].date <= w[1].date));
        for row in &rows {
            assert!(!row.name_id.is_empty() && !row.name_en.is_empty(), "{row:?}");
            assert!(row.decree.starts_with("SKB "), "{row:?}");
        }
        for year in [2025, 2026, 2027] {
            assert!(!shipped_for(year).is_empty(), "{year}");
        }
    }

    #[test]
    fn quoted_fields_keep_their_commas() {
        assert_eq!(fields(r#"a,"b, c",d"#), ["a", "b, c", "d"]);
    }
}
