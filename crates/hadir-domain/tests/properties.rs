//! Property tests for the rules whose input space is too large for tables: identifiers and
//! geofences. Each identifier property compares the parser with an oracle written from DOMAIN.md
//! §4 in a different style (string slicing and chrono's own date parser).

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use hadir_domain::attendance::{
    BasisPoints, DayCount, DayFacts, DayStatus, DisciplineTable, MonthTotals, ScheduledDay, day_status, month_totals,
    unit_totals,
};
use hadir_domain::geo::{GeoPoint, Geofence};
use hadir_domain::identifiers::{IdError, IdKind, NiPppk, Nik, Nip};
use hadir_domain::schedule::WeeklySchedule;
use proptest::prelude::*;

fn date_ok(yyyymmdd: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(yyyymmdd, "%Y%m%d").ok().filter(|d| d.year() >= 1900)
}

/// DOMAIN.md §4, NIP row, checked in the order the parts are written.
fn nip_oracle(s: &str) -> Result<(), IdError> {
    let kind = IdKind::Nip;
    let born = date_ok(&s[0..8]).ok_or(IdError::BirthDate { kind })?;
    let start_year: i32 = s[8..12].parse().unwrap();
    let start_month: i32 = s[12..14].parse().unwrap();
    if !(1..=12).contains(&start_month) {
        return Err(IdError::ServiceStartMonth);
    }
    let turned_17 = (born.year() + 17, born.month() as i32);
    if (start_year, start_month) < turned_17 {
        return Err(IdError::ServiceStartTooEarly { kind });
    }
    if !["1", "2"].contains(&&s[14..15]) {
        return Err(IdError::SexDigit { kind });
    }
    if &s[15..18] == "000" {
        return Err(IdError::Sequence { kind });
    }
    Ok(())
}

fn pppk_oracle(s: &str) -> Result<(), IdError> {
    let kind = IdKind::NiPppk;
    let born = date_ok(&s[0..8]).ok_or(IdError::BirthDate { kind })?;
    let year: i32 = s[8..12].parse().unwrap();
    // No month in the number: December of the appointment year must be 17 years after birth.
    if year * 12 + 12 - (born.year() * 12 + born.month() as i32) < 17 * 12 {
        return Err(IdError::ServiceStartTooEarly { kind });
    }
    if !["1", "2"].contains(&&s[14..15]) {
        return Err(IdError::SexDigit { kind });
    }
    if &s[15..18] == "000" {
        return Err(IdError::Sequence { kind });
    }
    Ok(())
}

const PROVINCES: &[&str] = &[
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "51", "52", "53",
    "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96",
    "97",
];

fn nik_oracle(s: &str) -> Result<(), IdError> {
    if !PROVINCES.contains(&&s[0..2]) {
        return Err(IdError::NikProvince);
    }
    let day: u32 = s[6..8].parse().unwrap();
    if day == 0 || day > 71 || (32..=40).contains(&day) {
        return Err(IdError::NikDay);
    }
    let month: u32 = s[8..10].parse().unwrap();
    if month == 0 || month > 12 {
        return Err(IdError::NikMonth);
    }
    if &s[12..16] == "0000" {
        return Err(IdError::Sequence { kind: IdKind::Nik });
    }
    Ok(())
}

prop_compose! {
    fn birth_date()(days in 0i64..(365 * 60)) -> NaiveDate {
        NaiveDate::from_ymd_opt(1945, 1, 1).unwrap() + chrono::Duration::days(days)
    }
}

prop_compose! {
    fn valid_nip()(born in birth_date(), extra_months in 0i32..(40 * 12), sex in 1u8..=2, seq in 1u16..=999) -> String {
        let start = born.year() * 12 + born.month() as i32 - 1 + 17 * 12 + extra_months;
        format!("{}{:04}{:02}{}{:03}", born.format("%Y%m%d"), start / 12, start % 12 + 1, sex, seq)
    }
}

prop_compose! {
    fn valid_pppk()(born in birth_date(), extra_years in 0i32..40, two in 0u8..=99, sex in 1u8..=2, seq in 1u16..=999) -> String {
        let year = born.year() + 17 + extra_years;
        format!("{}{:04}{:02}{}{:03}", born.format("%Y%m%d"), year, two, sex, seq)
    }
}

prop_compose! {
    fn valid_nik()(province in proptest::sample::select(PROVINCES), regency in 1u8..=99, district in 1u8..=99,
                   born in birth_date(), female in any::<bool>(), seq in 1u16..=9999) -> String {
        let day = born.day() + if female { 40 } else { 0 };
        format!("{province}{regency:02}{district:02}{day:02}{}{seq:04}", born.format("%m%y"))
    }
}

fn corrupt(s: &str, position: usize, digit: u8) -> Option<String> {
    let mut bytes = s.as_bytes().to_vec();
    let replacement = b'0' + digit;
    if bytes[position] == replacement {
        return None;
    }
    bytes[position] = replacement;
    Some(String::from_utf8(bytes).unwrap())
}

proptest! {
    #[test]
    fn every_generated_nip_parses(nip in valid_nip()) {
        let parsed = Nip::parse(&nip).unwrap();
        prop_assert_eq!(parsed.as_str(), nip.as_str());
        prop_assert_eq!(parsed.birth_date().format("%Y%m%d").to_string(), &nip[0..8]);
    }

    #[test]
    fn nip_single_digit_corruption_matches_the_rules(nip in valid_nip(), position in 0usize..18, digit in 0u8..10) {
        if let Some(corrupted) = corrupt(&nip, position, digit) {
            prop_assert_eq!(Nip::parse(&corrupted).map(|_| ()), nip_oracle(&corrupted), "{}", corrupted);
        }
    }

    #[test]
    fn every_generated_pppk_parses(n in valid_pppk()) {
        let parsed = NiPppk::parse(&n).unwrap();
        prop_assert_eq!(parsed.as_str(), n.as_str());
    }

    #[test]
    fn pppk_single_digit_corruption_matches_the_rules(n in valid_pppk(), position in 0usize..18, digit in 0u8..10) {
        if let Some(corrupted) = corrupt(&n, position, digit) {
            prop_assert_eq!(NiPppk::parse(&corrupted).map(|_| ()), pppk_oracle(&corrupted), "{}", corrupted);
        }
    }

    #[test]
    fn every_generated_nik_parses(nik in valid_nik()) {
        let parsed = Nik::parse(&nik).unwrap();
        prop_assert_eq!(parsed.as_str(), nik.as_str());
    }

    #[test]
    fn nik_single_digit_corruption_matches_the_rules(nik in valid_nik(), position in 0usize..16, digit in 0u8..10) {
        if let Some(corrupted) = corrupt(&nik, position, digit) {
            prop_assert_eq!(Nik::parse(&corrupted).map(|_| ()), nik_oracle(&corrupted), "{}", corrupted);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,40}") {
        let _ = Nip::parse(&s);
        let _ = NiPppk::parse(&s);
        let _ = Nik::parse(&s);
    }

    #[test]
    fn points_are_accepted_exactly_in_range(lat in -200.0f64..200.0, lon in -400.0f64..400.0) {
        let ok = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
        prop_assert_eq!(GeoPoint::new(lat, lon).is_ok(), ok);
    }

    /// Points moved due north by a known distance are inside the circle below 99% of the radius
    /// and outside above 101% (1 m of latitude is 1/111 195 of a degree on this sphere).
    #[test]
    fn circle_contains_by_distance(lat in -11.0f64..6.0, lon in 95.0f64..141.0,
                                   radius in 10.0f64..5_000.0, fraction in 0.0f64..2.0) {
        prop_assume!(!(0.99..=1.01).contains(&fraction));
        let center = GeoPoint::new(lat, lon).unwrap();
        let fence = Geofence::circle(center, radius).unwrap();
        let moved = GeoPoint::new(lat + radius * fraction / 111_195.0, lon).unwrap();
        prop_assert_eq!(fence.contains(moved), fraction < 1.0);
        prop_assert!(fence.contains(center));
    }

    /// A rectangle contains exactly the points strictly inside its bounds.
    #[test]
    fn rectangle_polygon_matches_its_bounds(lat in -11.0f64..6.0, lon in 95.0f64..141.0,
                                            h in 0.0005f64..0.01, w in 0.0005f64..0.01,
                                            py in -1.0f64..2.0, px in -1.0f64..2.0) {
        let corner = |dy: f64, dx: f64| GeoPoint::new(lat + dy * h, lon + dx * w).unwrap();
        let fence = Geofence::polygon(vec![corner(0.0, 0.0), corner(0.0, 1.0), corner(1.0, 1.0), corner(1.0, 0.0)]).unwrap();
        prop_assume!((py - 0.0).abs() > 1e-6 && (py - 1.0).abs() > 1e-6 && (px - 0.0).abs() > 1e-6 && (px - 1.0).abs() > 1e-6);
        let inside = (0.0..1.0).contains(&py) && (0.0..1.0).contains(&px);
        prop_assert_eq!(fence.contains(corner(py, px)), inside);
    }
}

fn scheduled_monday(flex: u32) -> ScheduledDay {
    let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    ScheduledDay::of(WeeklySchedule::standard_asn().day(Weekday::Mon).unwrap(), date, flex)
}

fn seconds_after_midnight(secs: i64) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_time(NaiveTime::MIN) + Duration::seconds(secs)
}

fn table_strategy() -> impl Strategy<Value = DisciplineTable> {
    (any::<bool>(), 0u32..=60, 0u32..=10_000, 100u32..=10_000).prop_map(|(finance, make_up, absent, cap)| {
        let mut t = if finance { DisciplineTable::kemenkeu() } else { DisciplineTable::kementan() };
        t.make_up_minutes = make_up;
        t.absent_day = BasisPoints(absent);
        t.monthly_cap = BasisPoints(cap);
        t
    })
}

fn facts_strategy() -> impl Strategy<Value = DayFacts> {
    (
        0u32..=90,
        proptest::option::of(0i64..86_400),
        proptest::option::of(0i64..(2 * 86_400)),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(flex, check_in, check_out, holiday, scheduled)| DayFacts {
            scheduled: scheduled.then(|| scheduled_monday(flex)),
            holiday,
            check_in: check_in.map(seconds_after_midnight),
            check_out: check_out.map(seconds_after_midnight),
            ..DayFacts::default()
        })
}

proptest! {
    /// A day is never both late and on time: TL is set exactly when the person was at least a
    /// whole minute late (or never checked in), unless the lateness was made up.
    #[test]
    fn late_exactly_when_a_whole_minute_late(facts in facts_strategy(), table in table_strategy()) {
        if let DayStatus::Present(p) = day_status(&facts, &table) {
            let expected_late = match p.minutes_late {
                None => true,
                Some(m) => m >= 1 && !p.made_up,
            };
            prop_assert_eq!(p.late.is_some(), expected_late);
            prop_assert!(!(p.made_up && p.late.is_some()));
        }
    }

    /// Arriving later never makes the TL level lower.
    #[test]
    fn later_arrival_never_improves_the_level(a in 0i64..86_400, b in 0i64..86_400, flex in 0u32..=90) {
        let table = DisciplineTable::kementan();
        let level = |secs| {
            let facts = DayFacts { scheduled: Some(scheduled_monday(flex)), check_in: Some(seconds_after_midnight(secs)), check_out: Some(seconds_after_midnight(86_000)), ..DayFacts::default() };
            match day_status(&facts, &table) { DayStatus::Present(p) => p.late, other => panic!("{other:?}") }
        };
        let (early, late) = (a.min(b), a.max(b));
        prop_assert!(level(early) <= level(late));
    }

    /// A month never costs more than the cap, and costs exactly the capped sum of its days.
    #[test]
    fn deductions_never_exceed_the_cap(days in proptest::collection::vec(facts_strategy(), 0..31), table in table_strategy()) {
        let statuses: Vec<DayStatus> = days.iter().map(|f| day_status(f, &table)).collect();
        let totals = month_totals(statuses.iter().map(DayCount::of), &table);
        let sum: u32 = statuses.iter().map(|s| table.day_deduction(s).0).sum();
        prop_assert!(totals.deduction <= table.monthly_cap);
        prop_assert_eq!(totals.deduction.0, sum.min(table.monthly_cap.0));
        prop_assert_eq!(totals.deduction_uncapped.0, sum);
    }

    /// A unit's month adds its people's days, and its average deduction lies between the least
    /// and the most any of them loses, so never above the cap.
    #[test]
    fn a_units_totals_add_up_and_its_average_stays_within_its_people(
        months in proptest::collection::vec(proptest::collection::vec(facts_strategy(), 0..23), 1..12),
        table in table_strategy(),
    ) {
        let people: Vec<MonthTotals> = months
            .iter()
            .map(|days| month_totals(days.iter().map(|f| DayCount::of(&day_status(f, &table))), &table))
            .collect();
        let unit = unit_totals(&people);
        prop_assert_eq!(unit.people as usize, people.len());
        prop_assert_eq!(unit.present_days, people.iter().map(|p| p.present_days).sum::<u32>());
        prop_assert_eq!(unit.absent_days, people.iter().map(|p| p.absent_days).sum::<u32>());
        prop_assert_eq!(unit.late.iter().sum::<u32>(), people.iter().flat_map(|p| p.late).sum::<u32>());
        let least = people.iter().map(|p| p.deduction).min().unwrap_or_default();
        let most = people.iter().map(|p| p.deduction).max().unwrap_or_default();
        prop_assert!(least <= unit.average_deduction && unit.average_deduction <= most);
        prop_assert!(unit.average_deduction <= table.monthly_cap);
    }
}

proptest! {
    /// Whatever bytes arrive as a "photo", the check answers without panicking, and anything it
    /// accepts is accepted again unchanged (stripping is idempotent).
    #[test]
    fn photo_checks_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), prefix in any::<bool>()) {
        let mut input = if prefix { vec![0xFF, 0xD8] } else { Vec::new() };
        input.extend(bytes);
        let limits = hadir_domain::photo::PhotoLimits { min_side: 1, ..Default::default() };
        if let Ok(clean) = hadir_domain::photo::clean_jpeg(&input, limits) {
            prop_assert_eq!(hadir_domain::photo::clean_jpeg(&clean.bytes, limits).unwrap().bytes, clean.bytes);
        }
    }
}

proptest! {
    /// Every deduction a table can hold reads back from how a page shows it, in either language.
    #[test]
    fn a_percentage_reads_back_as_shown(bp in 0u32..=1_000_000) {
        let shown = BasisPoints(bp).to_string();
        prop_assert_eq!(BasisPoints::parse_percent(&shown), Some(BasisPoints(bp)));
        prop_assert_eq!(BasisPoints::parse_percent(&shown.replace('.', ",")), Some(BasisPoints(bp)));
    }
}

proptest! {
    /// A typed kiosk code verifies for its location within its minute, however it is typed, and
    /// never for another location.
    #[test]
    fn typed_kiosk_codes_verify_where_and_when_they_were_shown(
        secret in proptest::collection::vec(any::<u8>(), 1..40),
        slot in 0i64..100_000_000,
        lower in any::<bool>(),
    ) {
        use hadir_domain::attendance::qr;
        let code = qr::typed_code(&secret, "inst", "loc-1", slot);
        let typed = if lower { code.to_lowercase() } else { code.replace('-', "") };
        prop_assert!(qr::verify_typed(&secret, "inst", &["loc-1"], &typed, slot).is_ok());
        prop_assert!(qr::verify_typed(&secret, "inst", &["loc-1"], &typed, slot + 1).is_ok());
        prop_assert!(qr::verify_typed(&secret, "inst", &["loc-2"], &typed, slot).is_err());
    }
}
