//! `hadir-bench export`: the monthly recap of N people made into the files people download —
//! CSV, XLSX and PDF — timed over several runs (medians), beside writing the same rows as JSON,
//! the bare baseline that makes the ratios comparable across machines.

use hadir_app::recap::{RecapRow, recap_csv};
use hadir_domain::attendance::{BasisPoints, MonthTotals};
use hadir_reports::{RecapReport, RecapTexts};
use std::time::Instant;

fn rows(people: usize) -> Vec<RecapRow> {
    (0..people)
        .map(|i| RecapRow {
            person_id: format!("person-{i}"),
            employee_number: format!("1988032520171{i:05}"),
            full_name: format!("Pegawai Nomor {i}"),
            unit_code: Some(format!("OPD.{}", i % 40)),
            totals: MonthTotals {
                present_days: 20,
                late: [(i % 3) as u32, 0, 0, (i % 7 == 0) as u32],
                early: [0, (i % 5 == 0) as u32, 0, 0],
                absent_days: (i % 11 == 0) as u32,
                leave_days: 1,
                deduction_uncapped: BasisPoints(250),
                deduction: BasisPoints(250),
            },
        })
        .collect()
}

fn report(rows: &[RecapRow]) -> RecapReport {
    let text = |s: &str| s.to_string();
    RecapReport {
        institution: text("Pemerintah Provinsi Bengkulu"),
        period: text("April 2026"),
        unit: text("Semua unit"),
        generated_at: text("23-11-2026 09:00 WIB"),
        texts: RecapTexts {
            title: text("Rekap presensi bulanan"),
            period_label: text("Bulan"),
            unit_label: text("Unit"),
            generated_label: text("Dibuat"),
            page_label: text("Halaman"),
            number: text("NIP"),
            name: text("Nama"),
            unit: text("Unit"),
            present: text("Hadir"),
            absent: text("TK"),
            leave: text("Cuti/izin"),
            deduction: text("Potongan TPP"),
        },
        lines: rows.iter().cloned().map(hadir_app::recap::export::report_line).collect(),
    }
}

/// Median milliseconds of `runs` calls, and the size of the last output.
fn time(runs: usize, mut make: impl FnMut() -> usize) -> (f64, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        size = make();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], size)
}

pub fn run(people: usize, runs: usize) {
    let rows = rows(people);
    let report = report(&rows);
    let fail = |e: hadir_reports::ReportError| super::fail("report", e);
    let (json_ms, json_bytes) = time(runs, || serde_json::to_vec(&report).map_or(0, |b| b.len()));
    let results = [
        ("CSV", time(runs, || recap_csv(&rows).len())),
        ("XLSX", time(runs, || hadir_reports::recap_xlsx(&report).unwrap_or_else(&fail).len())),
        ("PDF", time(runs, || hadir_reports::recap_pdf(&report).unwrap_or_else(&fail).len())),
    ];
    println!("export of a monthly recap, {people} people, median of {runs} runs");
    println!("  JSON (baseline) {json_ms:>9.1} ms  {json_bytes:>10} bytes");
    for (name, (ms, bytes)) in results {
        println!("  {name:<15} {ms:>9.1} ms  {bytes:>10} bytes  ×{:.1} the baseline", ms / json_ms.max(0.001));
    }
}
