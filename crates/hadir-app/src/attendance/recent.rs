//! What the events table tells a check-in, read for many concurrent check-ins at once: this attempt
//! if it was seen before (by anyone, to catch a reused id), the person's events of the last days
//! (the previous event, today's check-in, kiosk tokens already used), and whether the institution
//! has seen these photo bytes before.

use crate::batch::{Batcher, Job};
use crate::{App, AppError, Principal};
use hadir_db::entities::attendance_event as event;
use sea_orm::sea_query::{Expr, Func, Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryTrait};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Two days back covers every zone's "today", any journey within Indonesia and a kiosk token's life.
const RECENT_DAYS: i64 = 2;

pub(crate) struct Recent {
    pub earlier: Option<event::Model>,
    /// Latest first.
    pub events: Vec<event::Model>,
    pub duplicate_photo: bool,
}

pub(crate) struct Lookup {
    institution_id: String,
    person_id: String,
    attempt_id: String,
    photo_key: Option<String>,
    /// The first local date that counts as recent, `YYYY-MM-DD`.
    since: String,
}

pub(crate) struct LookUpRecent;

pub(crate) type RecentReader = Batcher<LookUpRecent>;

pub(crate) async fn recent(
    app: &App,
    principal: &Principal,
    attempt_id: &str,
    photo_key: Option<&str>,
) -> Result<Recent, AppError> {
    let since = (app.clock.now() - chrono::Duration::days(RECENT_DAYS)).format("%Y-%m-%d").to_string();
    let lookup = Lookup {
        institution_id: principal.institution_id.clone(),
        person_id: principal.person_id.clone(),
        attempt_id: attempt_id.into(),
        photo_key: photo_key.map(str::to_string),
        since,
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
        let mut rows_of: HashMap<(&str, &str), Result<Vec<event::Model>, String>> = HashMap::new();
        for (key, lookups) in groups {
            let rows = event::Model::find_by_statement(db.get_database_backend().build(&statement(&lookups)))
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
/// SQLite's planner scan the whole institution).
fn statement(lookups: &[&Lookup]) -> SelectStatement {
    let inst = &lookups[0].institution_id;
    let in_institution = || event::Entity::find().filter(event::Column::InstitutionId.eq(inst));
    let attempts = lookups.iter().map(|l| l.attempt_id.clone());
    let people: HashSet<&str> = lookups.iter().map(|l| l.person_id.as_str()).collect();
    let photos: HashSet<&str> = lookups.iter().filter_map(|l| l.photo_key.as_deref()).collect();
    let mut query = in_institution().filter(event::Column::AttemptId.is_in(attempts)).into_query();
    query.union(
        UnionType::All,
        in_institution()
            .filter(event::Column::PersonId.is_in(people))
            .filter(event::Column::LocalDate.gte(&lookups[0].since))
            .into_query(),
    );
    if !photos.is_empty() {
        // One earlier event per photo is enough, however many there are.
        let first_with_photo = Query::select()
            .expr(Func::min(Expr::col(event::Column::Id)))
            .from(event::Entity)
            .and_where(event::Column::InstitutionId.eq(inst))
            .and_where(event::Column::PhotoKey.is_in(photos))
            .group_by_col(event::Column::PhotoKey)
            .to_owned();
        query.union(
            UnionType::All,
            in_institution().filter(event::Column::Id.in_subquery(first_with_photo)).into_query(),
        );
    }
    query
}

fn answer(lookup: &Lookup, rows: &[event::Model]) -> Recent {
    let mut recent = Recent { earlier: None, events: Vec::new(), duplicate_photo: false };
    let mut seen = HashSet::new();
    for row in rows {
        if lookup.photo_key.is_some() && row.photo_key == lookup.photo_key {
            recent.duplicate_photo = true;
        }
        if row.attempt_id == lookup.attempt_id {
            recent.earlier = Some(row.clone());
        } else if row.person_id == lookup.person_id && row.local_date >= lookup.since && seen.insert(&row.id) {
            recent.events.push(row.clone());
        }
    }
    recent.events.sort_by_key(|e| std::cmp::Reverse(e.occurred_at));
    recent
}
