//! `hadir-bench recap`: seeds N people with a check-in and a check-out on every working day of
//! April 2026 (inserted in bulk, not through the API), then times the institution's monthly recap
//! on 30 April (the month in progress: first with everything counted, then from the days kept)
//! and on 5 May (the month over), beside reading the same columns of the month's events alone.

use super::fail;
use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use hadir_app::institutions::InstitutionKind;
use hadir_app::{App, Principal, recap};
use hadir_db::entities::{attendance_event as event, person};
use hadir_db::sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use hadir_domain::calendar;
use std::time::Instant;

const MONTH: &str = "2026-04";
const BATCH: usize = 500;

fn working_days() -> Vec<NaiveDate> {
    let holidays: Vec<NaiveDate> = calendar::shipped_for(2026).into_iter().map(|h| h.date).collect();
    let first = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default();
    first
        .iter_days()
        .take_while(|d| d.month() == 4)
        .filter(|d| d.weekday().number_from_monday() <= 5 && !holidays.contains(d))
        .collect()
}

fn millis(date: NaiveDate, hour: u32, minute: u32) -> i64 {
    // WIB is UTC+7.
    let local = date.and_hms_opt(hour, minute, 0).unwrap_or_default();
    Utc.from_utc_datetime(&(local - chrono::Duration::hours(7))).timestamp_millis()
}

fn event_row(institution_id: &str, person_id: &str, kind: &str, date: NaiveDate, at: i64) -> event::ActiveModel {
    event::ActiveModel::from(event::Model {
        institution_id: institution_id.into(),
        id: uuid::Uuid::now_v7().to_string(),
        attempt_id: uuid::Uuid::new_v4().to_string(),
        person_id: person_id.into(),
        kind: kind.into(),
        mode: "office".into(),
        outcome: "accepted".into(),
        occurred_at: at,
        received_at: at,
        device_time: at,
        offline: false,
        local_date: date.to_string(),
        in_slot: (kind == "in").then(|| date.to_string()),
        location_id: None,
        lat: None,
        lon: None,
        accuracy_m: None,
        distance_m: None,
        device_id: None,
        photo_key: None,
        qr_slot: None,
        signals: "[]".into(),
        request_id: None,
        reviewed_by: None,
        reviewed_at: None,
        review_reason: None,
        answer: "{}".into(),
        first_reviewed_by: None,
        first_reviewed_at: None,
    })
}

/// The same columns the recap reads, for the baseline.
#[derive(sea_orm::FromQueryResult)]
// Decoded and never read: decoding is what the baseline measures.
#[allow(dead_code)]
struct Slim {
    person_id: String,
    kind: String,
    mode: String,
    local_date: String,
    occurred_at: i64,
    location_id: Option<String>,
}

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

pub async fn run(app: &App, clock: &hadir_app::ManualClock, db: &DatabaseConnection, people: usize) {
    let super::seed::Ground { institution: inst, operator: op, unit } =
        super::seed::ground(app, "bench-recap", InstitutionKind::Government).await;
    let days = working_days();
    println!("seeding {people} people × {} working days of {MONTH} ({} events)…", days.len(), people * days.len() * 2);
    let started = Instant::now();
    let joined = millis(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(), 8, 0);
    let txn = db.begin().await.unwrap_or_else(|e| fail("transaction", e));
    let mut events = Vec::with_capacity(BATCH);
    for chunk in (0..people).collect::<Vec<_>>().chunks(BATCH) {
        let rows: Vec<person::ActiveModel> = chunk
            .iter()
            .map(|i| {
                person::ActiveModel::from(person::Model {
                    institution_id: inst.id.clone(),
                    id: format!("p-{i:08}"),
                    employee_number: format!("R-{i:06}"),
                    employment_type: "non_asn".into(),
                    full_name: format!("Pegawai {i:06}"),
                    nik: None,
                    nik_index: None,
                    email: None,
                    phone: None,
                    unit_id: Some(unit.id.clone()),
                    position: None,
                    supervisor_id: None,
                    status: "active".into(),
                    created_at: joined,
                    updated_at: joined,
                    religion: None,
                })
            })
            .collect();
        person::Entity::insert_many(rows).exec_without_returning(&txn).await.unwrap_or_else(|e| fail("people", e));
        for i in chunk {
            let person_id = format!("p-{i:08}");
            for (d, date) in days.iter().enumerate() {
                // Most arrive on time; every seventh person-day is late and leaves early.
                let late = (i + d) % 7 == 0;
                events.push(event_row(&inst.id, &person_id, "in", *date, millis(*date, if late { 8 } else { 7 }, 20)));
                events.push(event_row(
                    &inst.id,
                    &person_id,
                    "out",
                    *date,
                    millis(*date, if late { 15 } else { 16 }, 5),
                ));
                if events.len() >= BATCH {
                    event::Entity::insert_many(std::mem::take(&mut events))
                        .exec_without_returning(&txn)
                        .await
                        .unwrap_or_else(|e| fail("events", e));
                }
            }
        }
    }
    if !events.is_empty() {
        event::Entity::insert_many(events).exec_without_returning(&txn).await.unwrap_or_else(|e| fail("events", e));
    }
    txn.commit().await.unwrap_or_else(|e| fail("commit", e));
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    // One transaction of millions of rows leaves them all in SQLite's write-ahead log, where
    // every read would look them up: fold it into the database first, as a running server's
    // checkpoints do over time.
    if db.get_database_backend() == hadir_db::sea_orm::DatabaseBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap_or_else(|e| fail("checkpoint", e));
    }

    // 30 April, 10:00 WIB: the month in progress. The first recap counts every day from the
    // check-ins and keeps the days through the 28th; later ones count only the 29th and 30th.
    let mut load = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let rows = event::Entity::find()
            .select_only()
            .columns([
                event::Column::PersonId,
                event::Column::Kind,
                event::Column::Mode,
                event::Column::LocalDate,
                event::Column::OccurredAt,
                event::Column::LocationId,
            ])
            .filter(event::Column::InstitutionId.eq(&inst.id))
            .filter(event::Column::Outcome.eq("accepted"))
            .filter(event::counted())
            .filter(event::Column::LocalDate.between("2026-04-01", "2026-04-30"))
            .into_model::<Slim>()
            .all(db)
            .await
            .unwrap_or_else(|e| fail("load", e));
        load.push(t.elapsed().as_secs_f64());
        drop(rows);
    }
    let t = Instant::now();
    let counted = recap::unit_recap(app, &op, MONTH, None).await.unwrap_or_else(|e| fail("recap", e));
    let first = t.elapsed().as_secs_f64();
    let mut during = Vec::new();
    for _ in 0..5 {
        during.push(timed_recap(app, &op, &counted).await);
    }
    // 5 May: April is over. The first recap counts its last two days and keeps them; later ones
    // read every day kept.
    clock.advance(chrono::Duration::days(5));
    let t = Instant::now();
    let settled = recap::unit_recap(app, &op, MONTH, None).await.unwrap_or_else(|e| fail("recap", e));
    let rolled = t.elapsed().as_secs_f64();
    let mut after = Vec::new();
    for _ in 0..5 {
        after.push(timed_recap(app, &op, &settled).await);
    }
    // The yearly TK report of 2026 through 5 May, from the months kept: the first counts January
    // to March (no check-ins seeded: every working day is TK) and May so far, later ones read.
    let t = Instant::now();
    let year = recap::absence_report(app, &op, 2026, None).await.unwrap_or_else(|e| fail("absence report", e));
    let year_first = t.elapsed().as_secs_f64();
    let mut year_again = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let again = recap::absence_report(app, &op, 2026, None).await.unwrap_or_else(|e| fail("absence report", e));
        year_again.push(t.elapsed().as_secs_f64());
        if again.iter().map(|r| (r.absent_days, r.longest_run)).ne(year.iter().map(|r| (r.absent_days, r.longest_run)))
        {
            fail("absence report", "the report from kept days differs from the one counted");
        }
    }
    let (load, during, after) = (median(load), median(during), median(after));
    let ratio = |s: f64| s / load.max(f64::MIN_POSITIVE);
    println!("\n{people} people, {MONTH} ({} rows)", counted.len());
    println!("read the month's events (same columns), median of 3              {load:>7.2} s");
    println!(
        "month in progress, first recap: every day counted, days kept       {first:>7.2} s   ratio {:.2}",
        ratio(first)
    );
    println!(
        "month in progress, from kept days + 2 days counted, median of 5   {during:>7.2} s   ratio {:.3}",
        ratio(during)
    );
    println!(
        "month over, first recap: its last 2 days counted and kept         {rolled:>7.2} s   ratio {:.3}",
        ratio(rolled)
    );
    println!(
        "month over, every day kept, median of 5                           {after:>7.2} s   ratio {:.3}",
        ratio(after)
    );
    println!(
        "yearly TK report to 5 May, first: January–March and May counted   {year_first:>7.2} s   ({} rows)",
        year.len()
    );
    println!("yearly TK report to 5 May, every month kept, median of 3          {:>7.2} s", median(year_again));
}

/// 30 April 2026, 10:00 WIB.
pub fn during_the_month() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 30, 3, 0, 0).single().unwrap_or_default()
}

/// Times one recap and checks it against the one it must equal.
async fn timed_recap(app: &App, op: &Principal, expected: &[recap::RecapRow]) -> f64 {
    let t = Instant::now();
    let again = recap::unit_recap(app, op, MONTH, None).await.unwrap_or_else(|e| fail("recap", e));
    let took = t.elapsed().as_secs_f64();
    if again.iter().map(|r| &r.totals).ne(expected.iter().map(|r| &r.totals)) {
        fail("recap", "the recap from kept days differs from the one counted from check-ins");
    }
    took
}
