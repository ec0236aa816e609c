//! What the events table tells a check-in, read for many concurrent check-ins at once: of the
//! person's last days only what the rules ask — the days they checked in, the kiosk tokens they
//! used, where they were last — and whether the institution has seen these photo bytes before.
//! Each is a few rows however many events a person has: every row fetched costs a hand-over
//! between threads, and only the columns the rules read are fetched. (A retry of an attempt is
//! not looked for here: `check_in` finds it when storing it collides or when it is refused.)

use crate::batch::{Batcher, Job, fixed_shape};
use crate::{App, AppError, Principal};
use hadir_db::entities::attendance_event as event;
use hadir_domain::attendance::checkin::Outcome;
use hadir_domain::attendance::qr;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, DatabaseConnection, FromQueryResult};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Two days back covers every zone's "today", any journey within Indonesia and a kiosk token's life.
const RECENT_DAYS: i64 = 2;

/// What a check-in reads of an earlier event.
#[derive(Clone, FromQueryResult)]
pub(crate) struct Seen {
    pub person_id: String,
    pub outcome: String,
    pub occurred_at: i64,
    pub local_date: String,
    pub in_slot: Option<String>,
    pub location_id: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub photo_key: Option<String>,
    pub qr_slot: Option<i64>,
}

const SEEN: [event::Column; 10] = [
    event::Column::PersonId,
    event::Column::Outcome,
    event::Column::OccurredAt,
    event::Column::LocalDate,
    event::Column::InSlot,
    event::Column::LocationId,
    event::Column::Lat,
    event::Column::Lon,
    event::Column::PhotoKey,
    event::Column::QrSlot,
];

#[derive(Default)]
pub(crate) struct Recent {
    /// The local dates of the person's recent check-ins that count (`in_slot`).
    pub checked_in: HashSet<String>,
    /// The kiosk tokens the person used that are still valid: (slot, location).
    pub qr_used: HashSet<(i64, String)>,
    /// The person's latest recent event with a position that was not rejected.
    pub previous: Option<Seen>,
    pub duplicate_photo: bool,
}

pub(crate) struct Lookup {
    institution_id: String,
    person_id: String,
    photo_key: Option<String>,
    /// The first local date that counts as recent, `YYYY-MM-DD`.
    since: String,
    /// Every local date a recent event can carry: from `since` to tomorrow in UTC, as every work
    /// zone is east of Greenwich (a local date is UTC's or the next).
    dates: Vec<String>,
    /// The same moment, in Unix milliseconds.
    since_ms: i64,
    /// The oldest kiosk slot a token is still accepted for.
    qr_since: i64,
}

pub(crate) struct LookUpRecent;

pub(crate) type RecentReader = Batcher<LookUpRecent>;

pub(crate) async fn recent(app: &App, principal: &Principal, photo_key: Option<&str>) -> Result<Recent, AppError> {
    let now = app.clock.now();
    let since = now - chrono::Duration::days(RECENT_DAYS);
    let lookup = Lookup {
        institution_id: principal.institution_id.clone(),
        person_id: principal.person_id.clone(),
        photo_key: photo_key.map(str::to_string),
        since: since.format("%Y-%m-%d").to_string(),
        dates: (0..=RECENT_DAYS + 1)
            .map(|d| (since + chrono::Duration::days(d)).format("%Y-%m-%d").to_string())
            .collect(),
        since_ms: since.timestamp_millis(),
        // A token is accepted for the current slot and the one before.
        qr_since: qr::slot_of(now.timestamp()) - 1,
    };
    app.recent_reader.call(&app.db, lookup).await.map_err(|e| AppError::Internal(format!("reading events: {e}")))
}

impl Job for LookUpRecent {
    type Request = Lookup;
    type Answer = Recent;

    async fn run(db: &DatabaseConnection, batch: &[Lookup]) -> Vec<Result<Recent, String>> {
        // Nearly always one group: the lookups of one institution on one day.
        let mut groups: BTreeMap<(&str, &str), Vec<&Lookup>> = BTreeMap::new();
        for lookup in batch {
            groups.entry((&lookup.institution_id, &lookup.since)).or_default().push(lookup);
        }
        let mut rows_of: HashMap<(&str, &str), Result<Vec<Seen>, String>> = HashMap::new();
        for (key, lookups) in groups {
            let rows = Seen::find_by_statement(db.get_database_backend().build(&statement(&lookups)))
                .all(db)
                .await
                .map_err(|e| e.to_string());
            rows_of.insert(key, rows);
        }
        batch
            .iter()
            .map(|lookup| match &rows_of[&(lookup.institution_id.as_str(), lookup.since.as_str())] {
                Ok(rows) => Ok(answer(lookup, rows)),
                Err(e) => Err(e.clone()),
            })
            .collect()
    }
}

/// One statement for lookups of one institution: a union of indexed lookups (an OR of them lets
/// SQLite's planner scan the whole institution), each returning a few rows per person.
fn statement(lookups: &[&Lookup]) -> SelectStatement {
    let inst = &lookups[0].institution_id;
    let since = &lookups[0].since;
    let since_ms = lookups.iter().map(|l| l.since_ms).min().unwrap_or_default();
    let qr_since = lookups.iter().map(|l| l.qr_since).min().unwrap_or_default();
    let seen = || {
        Query::select().columns(SEEN).from(event::Entity).and_where(event::Column::InstitutionId.eq(inst)).to_owned()
    };
    let seen_by_id = |ids: SelectStatement| seen().and_where(event::Column::Id.in_subquery(ids)).to_owned();
    let people = fixed_shape(lookups.iter().map(|l| l.person_id.as_str()));
    let photos = fixed_shape(lookups.iter().filter_map(|l| l.photo_key.as_deref()));
    // Check-ins that count, through the index that keeps one a day.
    let mut query = seen()
        .and_where(event::Column::PersonId.is_in(people.iter().copied()))
        .and_where(event::Column::InSlot.gte(since))
        .to_owned();
    let of_people = || {
        Query::select()
            .from(event::Entity)
            .and_where(event::Column::InstitutionId.eq(inst))
            .and_where(event::Column::PersonId.is_in(people.iter().copied()))
            .to_owned()
    };
    // One event per kiosk token used, however often it was scanned; a rejected scan used none
    // (index `events_tokens_used`, whose condition this repeats).
    let first_scans = of_people()
        .expr(Func::min(Expr::col(event::Column::Id)))
        .and_where(event::Column::QrSlot.gte(qr_since))
        .and_where(event::counted())
        .group_by_columns([event::Column::PersonId, event::Column::QrSlot, event::Column::LocationId])
        .to_owned();
    query.union(UnionType::All, seen_by_id(first_scans));
    // Each person's latest position, from `events_of_person` alone: one range of it for each
    // recent day and outcome that counts, so that rejected scans, however many, are not read.
    let counted = Outcome::COUNTED.map(Outcome::as_str);
    let positioned = of_people()
        .column(event::Column::Id)
        .expr_as(
            Expr::cust("ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY occurred_at DESC)"),
            Alias::new("newest"),
        )
        .and_where(event::Column::LocalDate.is_in(lookups[0].dates.iter().map(String::as_str)))
        .and_where(event::Column::Outcome.is_in(counted))
        .and_where(event::Column::Lat.is_not_null())
        .and_where(event::Column::OccurredAt.gte(since_ms))
        .to_owned();
    let latest = Query::select()
        .column(Alias::new("id"))
        .from_subquery(positioned, Alias::new("positioned"))
        .and_where(Expr::col(Alias::new("newest")).eq(1))
        .to_owned();
    query.union(UnionType::All, seen_by_id(latest));
    if !photos.is_empty() {
        // One earlier event per photo is enough, however many there are.
        let first_with_photo = Query::select()
            .expr(Func::min(Expr::col(event::Column::Id)))
            .from(event::Entity)
            .and_where(event::Column::InstitutionId.eq(inst))
            .and_where(event::Column::PhotoKey.is_in(photos))
            .group_by_col(event::Column::PhotoKey)
            .to_owned();
        query.union(UnionType::All, seen_by_id(first_with_photo));
    }
    query
}

fn answer(lookup: &Lookup, rows: &[Seen]) -> Recent {
    let mut recent = Recent::default();
    for row in rows {
        if lookup.photo_key.is_some() && row.photo_key == lookup.photo_key {
            recent.duplicate_photo = true;
        }
        if row.person_id != lookup.person_id {
            continue;
        }
        if let Some(day) = row.in_slot.as_ref().filter(|day| **day >= lookup.since) {
            recent.checked_in.insert(day.clone());
        }
        if row.local_date < lookup.since {
            continue;
        }
        let counted = row.outcome != "rejected";
        if counted
            && let (Some(slot), Some(location)) = (row.qr_slot, &row.location_id)
            && slot >= lookup.qr_since
        {
            recent.qr_used.insert((slot, location.clone()));
        }
        let positioned = counted && row.lat.is_some();
        if positioned && recent.previous.as_ref().is_none_or(|p| p.occurred_at < row.occurred_at) {
            recent.previous = Some(row.clone());
        }
    }
    recent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(person: &str, photo: Option<&str>) -> Lookup {
        Lookup {
            institution_id: "inst".into(),
            person_id: person.into(),
            photo_key: photo.map(str::to_string),
            since: "2026-11-28".into(),
            dates: ["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"].map(String::from).to_vec(),
            since_ms: 1_764_288_000_000,
            qr_since: 58_809_600,
        }
    }

    #[test]
    fn batches_of_any_size_share_a_few_statements() {
        let sql_of = |lookups: &[Lookup]| {
            let refs: Vec<&Lookup> = lookups.iter().collect();
            sea_orm::DbBackend::Sqlite.build(&statement(&refs)).sql
        };
        let sql = |people: usize, photos: usize| {
            let lookups: Vec<Lookup> = (0..people)
                .map(|i| lookup(&format!("p{i}"), (i < photos).then(|| format!("photo-{i}")).as_deref()))
                .collect();
            sql_of(&lookups)
        };
        assert_eq!(sql(3, 0), sql(4, 0));
        assert_eq!(sql(5, 5), sql(8, 8));
        assert_ne!(sql(4, 0), sql(5, 0));
        let shapes: HashSet<String> = (1..=crate::batch::MAX_BATCH).map(|n| sql(n, 0)).collect();
        assert_eq!(shapes.len(), 9, "1, 2, 4, … 256 people");
        // The same person twice (a retry beside its first try) is looked up once.
        assert_eq!(sql(1, 0), sql_of(&[lookup("p0", None), lookup("p0", None)]));
    }

    /// A partial index serves a query only when the query repeats its condition: if the two
    /// drift apart, SQLite quietly goes back to visiting every event of the person.
    #[tokio::test]
    async fn each_lookup_goes_through_its_own_index() {
        let lookups = [lookup("p1", Some("photo-1")), lookup("p2", None)];
        let refs: Vec<&Lookup> = lookups.iter().collect();
        let built = sea_orm::DbBackend::Sqlite.build(&statement(&refs));
        // Written into the SQL, so that the statement is not prepared again on every run.
        assert!(built.sql.contains("'rejected'"), "{}", built.sql);
        let plan = crate::query_plan::sqlite_plan(built).await;
        for index in ["events_check_in_of_day", "events_tokens_used", "events_of_person", "events_with_photo"] {
            assert!(plan.contains(&format!("INDEX {index} ")), "{index} unused:\n{plan}");
        }
        // Rejected scans are skipped by the seek, not read and filtered out.
        let seek = "COVERING INDEX events_of_person (institution_id=? AND person_id=? AND local_date=? AND outcome=?";
        assert!(plan.contains(seek), "the latest position reads more than it needs:\n{plan}");
        assert!(!plan.contains("SCAN attendance_events"), "a scan of the events:\n{plan}");
    }
}
