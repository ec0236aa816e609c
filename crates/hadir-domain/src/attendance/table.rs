//! The institution's lateness (TL) and early-leave (PSW) windows and what each costs. There is no
//! national table; two real ones ship as presets.

use super::day_count::DayCount;
use super::status::DayStatus;
use crate::explain::{Explain, Lang};
use serde::{Deserialize, Serialize};

/// Hundredths of a percent: 0.5 % is 50, 100 % is 10 000. Integer, so sums are exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BasisPoints(pub u32);

impl BasisPoints {
    pub const HUNDRED_PERCENT: BasisPoints = BasisPoints(10_000);

    pub fn percent(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    /// A percentage as people type it — "2", "0,5", "1.25 %" — with at most two decimals, so
    /// no rounding hides what was meant. `None` for anything else.
    pub fn parse_percent(text: &str) -> Option<BasisPoints> {
        let text = text.trim().trim_end_matches('%').trim_end().replace(',', ".");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
            return None;
        }
        let whole: u32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let hundredths: u32 = format!("{fraction:0<2}").parse().ok()?;
        whole.checked_mul(100)?.checked_add(hundredths).map(BasisPoints)
    }
}

impl std::fmt::Display for BasisPoints {
    /// `1.25%`, `0.5%`, `100%`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let whole = self.0 / 100;
        let frac = self.0 % 100;
        match frac {
            0 => write!(f, "{whole}%"),
            f2 if f2 % 10 == 0 => write!(f, "{whole}.{}%", f2 / 10),
            f2 => write!(f, "{whole}.{f2:02}%"),
        }
    }
}

/// TL1–TL4 / PSW1–PSW4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    L1 = 1,
    L2 = 2,
    L3 = 3,
    L4 = 4,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::L1, Level::L2, Level::L3, Level::L4];

    pub fn index(self) -> usize {
        self as usize - 1
    }
}

/// One window: from `from_minutes` (inclusive) up to `to_minutes` (inclusive; `None` = no upper
/// bound), and what it costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub from_minutes: u32,
    pub to_minutes: Option<u32>,
    pub deduction: BasisPoints,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisciplineTable {
    /// TL1..TL4, in order.
    pub late: [Band; 4],
    /// PSW1..PSW4, in order.
    pub early: [Band; 4],
    /// An unexcused absent day (TK). Common range 2.5–5 %, set per Perkada.
    pub absent_day: BasisPoints,
    /// The most a month can cost (default 100 %).
    pub monthly_cap: BasisPoints,
    /// Lateness up to this many minutes is forgiven when made up by staying as long after the
    /// scheduled end the same day. `0` switches the rule off.
    pub make_up_minutes: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("the first window must start at 1 minute")]
    FirstBand,
    #[error("windows must follow each other without gaps or overlaps")]
    Gap,
    #[error("only the last window may be open-ended, and it must be")]
    OpenEnd,
    #[error("a deduction cannot exceed 100%")]
    TooLarge,
}

impl Explain for TableError {
    fn code(&self) -> &'static str {
        match self {
            TableError::FirstBand => "discipline_first_window",
            TableError::Gap => "discipline_window_gap",
            TableError::OpenEnd => "discipline_open_end",
            TableError::TooLarge => "discipline_over_100_percent",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Id => match self {
                TableError::FirstBand => "Rentang pertama harus dimulai dari 1 menit".into(),
                TableError::Gap => "Rentang harus bersambung tanpa celah atau tumpang tindih".into(),
                TableError::OpenEnd => "Hanya rentang terakhir yang tanpa batas atas, dan harus begitu".into(),
                TableError::TooLarge => "Potongan tidak boleh lebih dari 100%".into(),
            },
        }
    }
}

/// The shipped tables (DOMAIN.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// Ministry of Agriculture.
    Kementan,
    /// Ministry of Finance.
    Kemenkeu,
}

impl Preset {
    pub fn table(self) -> DisciplineTable {
        match self {
            Preset::Kementan => DisciplineTable::kementan(),
            Preset::Kemenkeu => DisciplineTable::kemenkeu(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Kementan => "kementan",
            Preset::Kemenkeu => "kemenkeu",
        }
    }
}

fn band(from: u32, to: Option<u32>, bp: u32) -> Band {
    Band { from_minutes: from, to_minutes: to, deduction: BasisPoints(bp) }
}

impl DisciplineTable {
    fn with_percentages(bps: [u32; 4]) -> DisciplineTable {
        let bands =
            [band(1, Some(30), bps[0]), band(31, Some(60), bps[1]), band(61, Some(90), bps[2]), band(91, None, bps[3])];
        DisciplineTable {
            late: bands,
            early: bands,
            absent_day: BasisPoints(500),
            monthly_cap: BasisPoints::HUNDRED_PERCENT,
            make_up_minutes: 0,
        }
    }

    /// Ministry of Agriculture: 0.5 / 1 / 1.5 / 2 % for 1–30 / 31–60 / 61–90 / ≥ 91 minutes.
    pub fn kementan() -> DisciplineTable {
        DisciplineTable::with_percentages([50, 100, 150, 200])
    }

    /// Ministry of Finance: 0.5 / 1 / 1.25 / 2.5 %.
    pub fn kemenkeu() -> DisciplineTable {
        DisciplineTable::with_percentages([50, 100, 125, 250])
    }

    pub fn validate(&self) -> Result<(), TableError> {
        for bands in [&self.late, &self.early] {
            if bands[0].from_minutes != 1 {
                return Err(TableError::FirstBand);
            }
            for pair in bands.windows(2) {
                match pair[0].to_minutes {
                    Some(to) if to >= pair[0].from_minutes && pair[1].from_minutes == to + 1 => {}
                    Some(_) => return Err(TableError::Gap),
                    None => return Err(TableError::OpenEnd),
                }
            }
            if bands[3].to_minutes.is_some() {
                return Err(TableError::OpenEnd);
            }
            if bands.iter().any(|b| b.deduction > BasisPoints::HUNDRED_PERCENT) {
                return Err(TableError::TooLarge);
            }
        }
        if self.absent_day > BasisPoints::HUNDRED_PERCENT || self.monthly_cap > BasisPoints::HUNDRED_PERCENT {
            return Err(TableError::TooLarge);
        }
        Ok(())
    }

    fn level_in(bands: &[Band; 4], minutes: i64) -> Option<Level> {
        if minutes < 1 {
            return None;
        }
        let minutes = u32::try_from(minutes).unwrap_or(u32::MAX);
        Level::ALL.into_iter().find(|level| {
            let b = bands[level.index()];
            minutes >= b.from_minutes && b.to_minutes.is_none_or(|to| minutes <= to)
        })
    }

    /// TL level for whole minutes late (none below 1 minute).
    pub fn late_level(&self, minutes: i64) -> Option<Level> {
        Self::level_in(&self.late, minutes)
    }

    /// PSW level for whole minutes left early.
    pub fn early_level(&self, minutes: i64) -> Option<Level> {
        Self::level_in(&self.early, minutes)
    }

    /// What one day costs before the monthly cap.
    pub fn day_deduction(&self, status: &DayStatus) -> BasisPoints {
        self.counted_deduction(DayCount::of(status))
    }

    pub fn counted_deduction(&self, day: DayCount) -> BasisPoints {
        match day {
            DayCount::Absent => self.absent_day,
            DayCount::Present { late, early } => {
                let late = late.map_or(0, |l| self.late[l.index()].deduction.0);
                let early = early.map_or(0, |l| self.early[l.index()].deduction.0);
                BasisPoints(late + early)
            }
            DayCount::NotCounted | DayCount::Off | DayCount::Holiday | DayCount::Leave => BasisPoints(0),
        }
    }
}

/// A month of one person's days, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MonthTotals {
    pub present_days: u32,
    pub late: [u32; 4],
    pub early: [u32; 4],
    pub absent_days: u32,
    pub leave_days: u32,
    /// Before the cap.
    pub deduction_uncapped: BasisPoints,
    /// What is actually deducted: never more than the table's monthly cap.
    pub deduction: BasisPoints,
}

pub fn month_totals(days: impl IntoIterator<Item = DayCount>, table: &DisciplineTable) -> MonthTotals {
    let mut totals = MonthTotals::default();
    let mut sum: u64 = 0;
    for day in days {
        sum += u64::from(table.counted_deduction(day).0);
        match day {
            DayCount::Present { late, early } => {
                totals.present_days += 1;
                if let Some(l) = late {
                    totals.late[l.index()] += 1;
                }
                if let Some(l) = early {
                    totals.early[l.index()] += 1;
                }
            }
            DayCount::Absent => totals.absent_days += 1,
            DayCount::Leave => totals.leave_days += 1,
            DayCount::NotCounted | DayCount::Off | DayCount::Holiday => {}
        }
    }
    let uncapped = u32::try_from(sum).unwrap_or(u32::MAX);
    totals.deduction_uncapped = BasisPoints(uncapped);
    totals.deduction = BasisPoints(uncapped.min(table.monthly_cap.0));
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_read_as_typed_in_either_language() {
        let bp = |s| BasisPoints::parse_percent(s).map(|b| b.0);
        assert_eq!(bp("2"), Some(200));
        assert_eq!(bp("0,5"), Some(50));
        assert_eq!(bp("1.25 %"), Some(125));
        assert_eq!(bp(",5"), Some(50));
        assert_eq!(bp("100%"), Some(10_000));
        for bad in ["", "%", ".", "1.255", "-1", "1,2,3", "dua", "1e2", "99999999999"] {
            assert_eq!(bp(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn presets_are_valid_and_match_the_domain_table() {
        let agri = DisciplineTable::kementan();
        let fin = DisciplineTable::kemenkeu();
        assert_eq!(agri.validate(), Ok(()));
        assert_eq!(fin.validate(), Ok(()));
        let shown = |t: &DisciplineTable| t.late.iter().map(|b| b.deduction.to_string()).collect::<Vec<_>>();
        assert_eq!(shown(&agri), ["0.5%", "1%", "1.5%", "2%"]);
        assert_eq!(shown(&fin), ["0.5%", "1%", "1.25%", "2.5%"]);
    }

    #[test]
    fn window_boundaries() {
        let t = DisciplineTable::kementan();
        let cases = [
            (0, None),
            (1, Some(Level::L1)),
            (30, Some(Level::L1)),
            (31, Some(Level::L2)),
            (60, Some(Level::L2)),
            (61, Some(Level::L3)),
            (90, Some(Level::L3)),
            (91, Some(Level::L4)),
            (600, Some(Level::L4)),
            (-5, None),
        ];
        for (minutes, level) in cases {
            assert_eq!(t.late_level(minutes), level, "{minutes}");
            assert_eq!(t.early_level(minutes), level, "{minutes}");
        }
    }

    #[test]
    fn broken_tables_are_refused() {
        let mut t = DisciplineTable::kementan();
        t.late[1].from_minutes = 32;
        assert_eq!(t.validate(), Err(TableError::Gap));
        let mut t = DisciplineTable::kementan();
        t.early[3].to_minutes = Some(120);
        assert_eq!(t.validate(), Err(TableError::OpenEnd));
        let mut t = DisciplineTable::kementan();
        t.late[0].from_minutes = 0;
        assert_eq!(t.validate(), Err(TableError::FirstBand));
        let mut t = DisciplineTable::kementan();
        t.absent_day = BasisPoints(10_001);
        assert_eq!(t.validate(), Err(TableError::TooLarge));
    }
}
