//! Cumulative unexcused absence in a year and the PP 94/2021 Ps 11 thresholds, which the product
//! flags to the unit's HR staff (the sanction itself is decided by people).

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sanction {
    /// 3 days: teguran lisan.
    OralReprimand,
    /// 4–6 days: teguran tertulis.
    WrittenReprimand,
    /// 7–10 days: pernyataan tidak puas secara tertulis.
    StatementOfDissatisfaction,
    /// 11–13 days: allowance −25 % for 6 months.
    AllowanceCutSixMonths,
    /// 14–16 days: allowance −25 % for 9 months.
    AllowanceCutNineMonths,
    /// 17–20 days: allowance −25 % for 12 months.
    AllowanceCutTwelveMonths,
    /// 21–24 days: demotion one grade for 12 months.
    Demotion,
    /// 25–27 days: moved to a *pelaksana* post for 12 months.
    MovedToPelaksana,
    /// 28 days or more in a year, or 10 working days in a row: dismissal.
    Dismissal,
}

/// The threshold reached by `days` of TK in a year with `longest_run` of them consecutive.
pub fn sanction_for_absences(days: u32, longest_run: u32) -> Option<Sanction> {
    if longest_run >= 10 {
        return Some(Sanction::Dismissal);
    }
    Some(match days {
        0..=2 => return None,
        3 => Sanction::OralReprimand,
        4..=6 => Sanction::WrittenReprimand,
        7..=10 => Sanction::StatementOfDissatisfaction,
        11..=13 => Sanction::AllowanceCutSixMonths,
        14..=16 => Sanction::AllowanceCutNineMonths,
        17..=20 => Sanction::AllowanceCutTwelveMonths,
        21..=24 => Sanction::Demotion,
        25..=27 => Sanction::MovedToPelaksana,
        _ => Sanction::Dismissal,
    })
}

/// The longest run of consecutive absent *working* days: `working_days` in order, `true` for TK.
/// Weekends and holidays are not in the list, so they neither break nor extend a run.
pub fn consecutive_absences(working_days: impl IntoIterator<Item = bool>) -> u32 {
    let (mut run, mut longest) = (0, 0);
    for absent in working_days {
        run = if absent { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_of_pp_94_2021() {
        let cases = [
            (2, None),
            (3, Some(Sanction::OralReprimand)),
            (4, Some(Sanction::WrittenReprimand)),
            (6, Some(Sanction::WrittenReprimand)),
            (7, Some(Sanction::StatementOfDissatisfaction)),
            (10, Some(Sanction::StatementOfDissatisfaction)),
            (11, Some(Sanction::AllowanceCutSixMonths)),
            (14, Some(Sanction::AllowanceCutNineMonths)),
            (17, Some(Sanction::AllowanceCutTwelveMonths)),
            (20, Some(Sanction::AllowanceCutTwelveMonths)),
            (21, Some(Sanction::Demotion)),
            (25, Some(Sanction::MovedToPelaksana)),
            (27, Some(Sanction::MovedToPelaksana)),
            (28, Some(Sanction::Dismissal)),
        ];
        for (days, expected) in cases {
            assert_eq!(sanction_for_absences(days, 1), expected, "{days}");
        }
        assert_eq!(sanction_for_absences(10, 10), Some(Sanction::Dismissal));
        assert_eq!(sanction_for_absences(9, 9), Some(Sanction::StatementOfDissatisfaction));
    }

    #[test]
    fn runs_count_working_days_only() {
        assert_eq!(consecutive_absences([true, true, false, true, true, true]), 3);
        assert_eq!(consecutive_absences([]), 0);
    }
}
