//! What a page shows for the domain's values, in the page's language.

use super::Tr;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use hadir_domain::attendance::checkin::Outcome;
use hadir_domain::attendance::{DayStatus, Level, Signal};
use hadir_domain::time_zone::WorkZone;

/// An instant as the institution reads it on a page, in its own zone and named, e.g.
/// "23-11-2026 09:15 WITA".
pub fn moment(zone: WorkZone, ms: i64) -> String {
    let local = zone.local(DateTime::from_timestamp_millis(ms).unwrap_or_default());
    format!("{} {}", local.format("%d-%m-%Y %H:%M"), zone.abbreviation())
}

/// This month in the institution's zone (`YYYY-MM`): what month pages show unless asked for
/// another.
pub fn this_month(zone: WorkZone, now: DateTime<Utc>) -> String {
    let today = zone.local(now).date();
    format!("{:04}-{:02}", today.year(), today.month())
}

/// A date as a table cell, "18-03-2026".
pub fn short_date(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

pub fn date(t: Tr, d: NaiveDate) -> String {
    let weekday = t.get(&format!("weekday-{}", d.weekday().number_from_monday()));
    let month = t.get(&format!("month-{}", d.month()));
    format!("{weekday}, {} {month} {}", d.day(), d.year())
}

fn level(prefix: &str, l: Level) -> String {
    format!("{prefix}{}", l.index() + 1)
}

/// "Hadir", "Hadir · TL1 · PSW2", "Cuti (CT)", "Tanpa keterangan (TK)", …
pub fn day(t: Tr, status: &DayStatus, code: Option<&str>) -> String {
    let with_code = |key: &str| match code {
        Some(c) => format!("{} ({c})", t.get(key)),
        None => t.get(key),
    };
    match status {
        DayStatus::OffDay => t.get("status-off-day"),
        DayStatus::Holiday => t.get("status-holiday"),
        DayStatus::OnLeave { .. } => with_code("status-on-leave"),
        DayStatus::Absent => format!("{} (TK)", t.get("status-absent")),
        DayStatus::Present(p) => {
            let mut parts = vec![t.get("status-present")];
            parts.extend(p.late.map(|l| level("TL", l)));
            parts.extend(p.early.map(|l| level("PSW", l)));
            parts.join(" · ")
        }
    }
}

/// Whether the day counts against the person: shown in the warning colour.
pub fn day_is_bad(status: &DayStatus) -> bool {
    match status {
        DayStatus::Absent => true,
        DayStatus::Present(p) => p.late.is_some() || p.early.is_some(),
        _ => false,
    }
}

pub fn outcome(t: Tr, o: Outcome) -> String {
    t.get(match o {
        Outcome::Accepted => "outcome-accepted",
        Outcome::NeedsReview => "outcome-needs-review",
        Outcome::Rejected => "outcome-rejected",
    })
}

/// The API's name of a value (`"needs_review"`), for text keys and scripts.
pub fn snake(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

pub fn signals(t: Tr, signals: &[Signal]) -> String {
    signals.iter().map(|s| t.get(&format!("signal-{}", snake(s)))).collect::<Vec<_>>().join(", ")
}

/// Basis points as a percentage with up to two decimals, "2,5%" in Indonesian.
pub fn percent(t: Tr, basis_points: u32) -> String {
    let text = format!("{:.2}", f64::from(basis_points) / 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if t.code() == "id" { text.replace('.', ",") } else { text.to_string() };
    format!("{text}%")
}

#[cfg(test)]
mod tests {
    use super::*;
    use hadir_domain::Lang;

    const ID: Tr = Tr { lang: Lang::Id };
    const EN: Tr = Tr { lang: Lang::En };

    #[test]
    fn moments_are_read_in_the_institutions_zone_and_name_it() {
        // 31 Oct 2026 16:30 UTC: still October in Jakarta, already November in Jayapura.
        let ms = 1_793_464_200_000;
        assert_eq!(moment(WorkZone::Jakarta, ms), "31-10-2026 23:30 WIB");
        assert_eq!(moment(WorkZone::Makassar, ms), "01-11-2026 00:30 WITA");
        let now = DateTime::from_timestamp_millis(ms).unwrap();
        assert_eq!(
            (this_month(WorkZone::Jakarta, now), this_month(WorkZone::Jayapura, now)),
            ("2026-10".into(), "2026-11".into())
        );
    }

    #[test]
    fn dates_and_percentages_read_naturally() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(date(ID, d), "Senin, 23 November 2026");
        assert_eq!(date(EN, d), "Monday, 23 November 2026");
        assert_eq!(percent(ID, 250), "2,5%");
        assert_eq!(percent(EN, 10_000), "100%");
        assert_eq!(percent(EN, 125), "1.25%");
    }

    #[test]
    fn every_signal_has_a_text() {
        for s in Signal::ALL.into_iter().chain([Signal::NoPhoto]) {
            let text = signals(ID, &[s]);
            assert!(!text.starts_with("signal-"), "{s:?} has no Indonesian text");
        }
    }
}
