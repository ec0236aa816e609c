//! Reading the accepted check-ins a recap counts: only what a day's status needs, packed by the
//! database into one row per person. A month of 100,000 people is millions of events, and each
//! row fetched costs far more than the bytes in it (a hand-over between threads per row), so the
//! events of a person travel as one text value and are unpacked here.

use crate::{App, AppError};
use chrono::NaiveDate;
use hadir_db::entities::attendance_event as event;
use hadir_domain::attendance::CheckMode;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend};
use std::collections::HashMap;

/// What of an accepted event the daily status needs.
#[derive(Debug, PartialEq)]
pub(crate) struct DayEvent {
    pub check_in: bool,
    pub mode: Option<CheckMode>,
    pub local_date: NaiveDate,
    pub occurred_at: i64,
    pub location_id: Option<String>,
}

/// `kind|mode|local_date|occurred_at|location_id`, one per event, `;` between: none of the values
/// can hold either separator (fixed words, ISO dates, numbers and UUIDs).
fn packed(backend: DatabaseBackend) -> String {
    let one = "kind || '|' || mode || '|' || local_date || '|' || occurred_at || '|' || COALESCE(location_id, '')";
    match backend {
        DatabaseBackend::Postgres => format!("string_agg({one}, ';')"),
        _ => format!("group_concat({one}, ';')"),
    }
}

/// The accepted events dated within `days` of these people, or of everyone when `people` is
/// `None`, by person.
pub(crate) async fn accepted(
    app: &App,
    institution_id: &str,
    people: Option<&[&str]>,
    days: &[NaiveDate],
) -> Result<HashMap<String, Vec<DayEvent>>, AppError> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else { return Ok(HashMap::new()) };
    let backend = app.db.get_database_backend();
    let query = statement(backend, institution_id, people, (*first, *last));
    let rows = app.db.query_all_raw(backend.build(&query)).await?;
    let mut by_person = HashMap::with_capacity(rows.len());
    for row in rows {
        let person: String = row.try_get("", "person_id")?;
        let text: String = row.try_get("", "packed")?;
        let events = unpack(&text).ok_or_else(|| AppError::Internal(format!("unreadable events of {person}")))?;
        by_person.insert(person, events);
    }
    Ok(by_person)
}

/// Through `events_counted_by_day` alone, which holds every column read here.
fn statement(
    backend: DatabaseBackend,
    institution_id: &str,
    people: Option<&[&str]>,
    (first, last): (NaiveDate, NaiveDate),
) -> SelectStatement {
    let mut query = Query::select()
        .column(event::Column::PersonId)
        .expr_as(Expr::cust(packed(backend)), Alias::new("packed"))
        .from(event::Entity)
        .and_where(Expr::col(event::Column::InstitutionId).eq(institution_id))
        .and_where(Expr::col(event::Column::Outcome).eq("accepted"))
        .and_where(event::counted())
        .and_where(Expr::col(event::Column::LocalDate).between(first.to_string(), last.to_string()))
        .group_by_col(event::Column::PersonId)
        .to_owned();
    if let Some(people) = people {
        query.and_where(Expr::col(event::Column::PersonId).is_in(people.iter().copied()));
    }
    query
}

fn unpack(text: &str) -> Option<Vec<DayEvent>> {
    text.split(';')
        .map(|one| {
            let mut parts = one.split('|');
            let mut next = || parts.next();
            let check_in = match next()? {
                "in" => true,
                "out" => false,
                _ => return None,
            };
            let mode = CheckMode::parse(next()?);
            let local_date = NaiveDate::parse_from_str(next()?, "%Y-%m-%d").ok()?;
            let occurred_at = next()?.parse().ok()?;
            let location_id = Some(next()?).filter(|l| !l.is_empty()).map(str::to_string);
            Some(DayEvent { check_in, mode, local_date, occurred_at, location_id })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The recap reads millions of events: were it to stop repeating the index's condition,
    /// SQLite would go back to visiting the events table for each of them.
    #[tokio::test]
    async fn the_recap_reads_only_the_counted_events_index() {
        let days = (NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 4, 30).unwrap());
        for people in [None, Some(&["p1", "p2"][..])] {
            let statement = statement(DatabaseBackend::Sqlite, "inst", people, days);
            let plan = crate::query_plan::sqlite_plan(DatabaseBackend::Sqlite.build(&statement)).await;
            assert!(plan.contains("USING COVERING INDEX events_counted_by_day "), "{plan}");
        }
    }

    #[test]
    fn every_mode_unpacks_from_the_name_it_is_stored_under() {
        for mode in [CheckMode::Office, CheckMode::Wfh, CheckMode::Duty, CheckMode::Qr] {
            let stored = serde_json::to_value(mode).unwrap();
            let text = format!("in|{}|2026-04-01|0|", stored.as_str().unwrap());
            assert_eq!(unpack(&text).unwrap()[0].mode, Some(mode));
        }
    }

    #[test]
    fn packed_events_unpack() {
        let text =
            "in|office|2026-04-01|1775002800000|8f0c6c1e-1111-4222-8333-944455556666;out|qr|2026-04-01|1775034300000|";
        let events = unpack(text).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(
            events[0],
            DayEvent {
                check_in: true,
                mode: Some(CheckMode::Office),
                local_date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                occurred_at: 1_775_002_800_000,
                location_id: Some("8f0c6c1e-1111-4222-8333-944455556666".into()),
            }
        );
        assert_eq!(
            (events[1].check_in, events[1].mode, events[1].location_id.clone()),
            (false, Some(CheckMode::Qr), None)
        );
        for bad in [
            "",
            "in|office|2026-04-01",
            "maybe|office|2026-04-01|1|",
            "in|office|April|1|",
            "in|office|2026-04-01|soon|",
        ] {
            assert!(unpack(bad).is_none(), "{bad}");
        }
    }
}
