//! Applying the retention schedule: check-in selfies deleted (from the object store too), exact
//! coordinates removed, old check-in records and access-log entries deleted, and (in
//! `personnel.rs`) leave documents and records, retired phones and departed people's logins —
//! except for people under a legal hold. Selfies of people who withdrew their consent to selfies
//! go at the next run, whatever their age: within a day, inside the 3×24 hours UU PDP allows. Run nightly by the job worker, and by
//! `hadir retention [--dry-run]`.

mod personnel;

use crate::audit::{self, Entry};
use crate::error::checked_texts;
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, new_id, settings, thumbnails};
use hadir_db::entities::{access_entry, attendance_event as event, institution, legal_hold, list_read, person};
use hadir_domain::retention::{Class, RetentionPolicy};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const KEY: &str = "retention_policy";

pub async fn policy(app: &App, institution_id: &str) -> Result<RetentionPolicy, AppError> {
    Ok(settings::load(&app.db, institution_id, KEY).await?.unwrap_or_default())
}

/// Replaces the schedule; institution administrators only.
pub async fn set_policy(
    app: &App,
    principal: &Principal,
    policy: RetentionPolicy,
    meta: &RequestMeta,
) -> Result<RetentionPolicy, AppError> {
    policy.validate().map_err(|e| AppError::Invalid(vec![FieldProblem::new("policy", &e)]))?;
    settings::store(app, principal, KEY, &policy, serde_json::json!({}), meta).await?;
    Ok(policy)
}

/// What a run removed (or, dry, would remove) in one institution.
#[derive(Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub institution: String,
    /// Check-in and registration selfies: old enough, or of people who withdrew their consent to
    /// selfies.
    pub photos: u64,
    pub locations: u64,
    pub records: u64,
    pub access_entries: u64,
    /// Doctor's letters of leave that ended long enough ago.
    pub leave_documents: u64,
    pub leave_records: u64,
    /// Phones retired or refused long enough ago, with their selfies.
    pub devices: u64,
    /// Logins of people deactivated long enough ago.
    pub accounts: u64,
    /// Entries of the consent ledger of people who left long enough ago.
    pub consent_entries: u64,
    /// Items that were due but kept because their person is under a legal hold.
    pub held: u64,
}

/// Applies (or with `dry_run`, only counts) every institution's schedule at the app's clock.
pub async fn run(app: &App, dry_run: bool) -> Result<Vec<Report>, AppError> {
    let mut reports = Vec::new();
    for inst in institution::Entity::find().order_by_asc(institution::Column::Slug).all(&app.db).await? {
        reports.push(run_for(app, &inst, dry_run).await?);
    }
    Ok(reports)
}

/// The dry run for the principal's own institution: what the next run would remove now.
pub async fn preview(app: &App, principal: &Principal) -> Result<Report, AppError> {
    privacy_officer_only(principal)?;
    run_for(app, &institution_of(app, &principal.institution_id).await?, true).await
}

pub(crate) async fn institution_of(app: &App, id: &str) -> Result<institution::Model, AppError> {
    institution::Entity::find_by_id(id.to_string()).one(&app.db).await?.ok_or(AppError::NotFound("institution"))
}

pub(crate) async fn run_for(app: &App, institution: &institution::Model, dry_run: bool) -> Result<Report, AppError> {
    let inst = &institution.id;
    let policy = policy(app, inst).await?;
    let now = app.clock.now();
    let before = |class| policy.cutoff(class, now).timestamp_millis();
    let held: Vec<String> = legal_hold::Entity::find()
        .filter(legal_hold::Column::InstitutionId.eq(inst))
        .filter(legal_hold::Column::ReleasedAt.is_null())
        .all(&app.db)
        .await?
        .into_iter()
        .map(|h| h.person_id)
        .collect();
    let events = || event::Entity::find().filter(event::Column::InstitutionId.eq(inst));
    let not_held = || event::Column::PersonId.is_not_in(held.iter().cloned());
    let mut report = Report { institution: institution.slug.clone(), ..Report::default() };

    // Selfies are due when old enough, or when their person withdrew consent to selfies (once no
    // review still needs them as evidence). An object goes only when every event using it is due
    // and unheld. One read finds every use of the bytes that any due event carries.
    let cutoff = before(Class::CheckinPhoto);
    let withdrawn = crate::consent::photos_withdrawn(app, inst).await?;
    let awaiting_review = "needs_review";
    let due_keys = sea_orm::sea_query::Query::select()
        .column(event::Column::PhotoKey)
        .from(event::Entity)
        .and_where(event::Column::InstitutionId.eq(inst))
        .and_where(event::Column::PhotoKey.is_not_null())
        .cond_where(
            Condition::any().add(event::Column::OccurredAt.lt(cutoff)).add(
                Condition::all()
                    .add(event::Column::PersonId.is_in(withdrawn.iter().cloned()))
                    .add(event::Column::Outcome.ne(awaiting_review)),
            ),
        )
        .to_owned();
    let uses: Vec<(String, String, i64, String)> = events()
        .select_only()
        .columns([event::Column::PhotoKey, event::Column::PersonId, event::Column::OccurredAt, event::Column::Outcome])
        .filter(event::Column::PhotoKey.in_subquery(due_keys))
        .into_tuple()
        .all(&app.db)
        .await?;
    // Per key: whether a use is held, whether a use is not due yet.
    let mut keys: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    for (key, person_id, occurred_at, outcome) in uses {
        let (held_use, kept_use) = keys.entry(key).or_default();
        let withdrawn_use = withdrawn.contains(&person_id) && outcome != awaiting_review;
        *held_use |= held.contains(&person_id);
        *kept_use |= occurred_at >= cutoff && !withdrawn_use;
    }
    let mut gone = Vec::new();
    for (key, (held_use, kept_use)) in keys {
        match (held_use, kept_use) {
            (true, _) => report.held += 1,
            (false, true) => {} // a newer check-in carries the same bytes
            (false, false) => gone.push(key),
        }
    }
    report.photos = gone.len() as u64;
    if !dry_run {
        let store = |e| AppError::Internal(format!("object store: {e}"));
        for key in &gone {
            if let Some(thumb) = thumbnails::key_of(key) {
                app.objects.delete(&thumb).await.map_err(store)?;
            }
            app.objects.delete(key).await.map_err(store)?;
        }
        for chunk in gone.chunks(500) {
            event::Entity::update_many()
                .col_expr(event::Column::PhotoKey, Expr::value(Option::<String>::None))
                .filter(event::Column::InstitutionId.eq(inst))
                .filter(event::Column::PhotoKey.is_in(chunk.iter().cloned()))
                .exec(&app.db)
                .await?;
        }
    }

    // Exact coordinates: the fence verdict and the distance stay.
    let located = || {
        events()
            .filter(event::Column::OccurredAt.lt(before(Class::ExactLocation)))
            .filter(event::Column::Lat.is_not_null())
    };
    let due_locations = located().filter(not_held()).count(&app.db).await?;
    report.held += located().count(&app.db).await? - due_locations;
    report.locations = due_locations;
    if !dry_run && due_locations > 0 {
        event::Entity::update_many()
            .col_expr(event::Column::Lat, Expr::value(Option::<f64>::None))
            .col_expr(event::Column::Lon, Expr::value(Option::<f64>::None))
            .col_expr(event::Column::AccuracyM, Expr::value(Option::<f64>::None))
            .filter(event::Column::InstitutionId.eq(inst))
            .filter(event::Column::OccurredAt.lt(before(Class::ExactLocation)))
            .filter(event::Column::Lat.is_not_null())
            .filter(not_held())
            .exec(&app.db)
            .await?;
    }

    // Whole check-in records (their photos went long before).
    let old_records = || events().filter(event::Column::OccurredAt.lt(before(Class::AttendanceRecord)));
    report.records = old_records().filter(not_held()).count(&app.db).await?;
    report.held += old_records().count(&app.db).await? - report.records;
    if !dry_run && report.records > 0 {
        event::Entity::delete_many()
            .filter(event::Column::InstitutionId.eq(inst))
            .filter(event::Column::OccurredAt.lt(before(Class::AttendanceRecord)))
            .filter(not_held())
            .exec(&app.db)
            .await?;
    }

    // The access log.
    let old_access = Condition::all()
        .add(access_entry::Column::InstitutionId.eq(inst))
        .add(access_entry::Column::At.lt(before(Class::AccessLog)));
    let unheld = access_entry::Column::SubjectPersonId.is_not_in(held.iter().cloned());
    report.access_entries =
        access_entry::Entity::find().filter(old_access.clone()).filter(unheld.clone()).count(&app.db).await?;
    report.held +=
        access_entry::Entity::find().filter(old_access.clone()).count(&app.db).await? - report.access_entries;
    if !dry_run && report.access_entries > 0 {
        access_entry::Entity::delete_many().filter(old_access).filter(unheld).exec(&app.db).await?;
    }
    // Reads of lists (a recap, the people list) are about many people: they go with the access
    // log's period, unless someone is held, when the institution keeps them all.
    let old_lists = Condition::all()
        .add(list_read::Column::InstitutionId.eq(inst))
        .add(list_read::Column::At.lt(before(Class::AccessLog)));
    let old_list_reads = list_read::Entity::find().filter(old_lists.clone()).count(&app.db).await?;
    if held.is_empty() {
        report.access_entries += old_list_reads;
        if !dry_run && old_list_reads > 0 {
            list_read::Entity::delete_many().filter(old_lists).exec(&app.db).await?;
        }
    } else {
        report.held += old_list_reads;
    }
    personnel::apply(app, inst, &policy, now, &held, dry_run, &mut report).await?;
    personnel::withdrawn_device_selfies(app, inst, &withdrawn, &held, dry_run, &mut report).await?;
    Ok(report)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldInput {
    pub person_id: String,
    /// The case, letter or order the hold serves.
    pub reference: String,
    pub reason: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HoldView {
    pub id: String,
    pub person_id: String,
    /// Whose data is held (in lists for the privacy officer; empty elsewhere).
    pub person_name: String,
    pub reference: String,
    pub reason: String,
    pub created_at: i64,
    pub released_at: Option<i64>,
}

impl From<legal_hold::Model> for HoldView {
    fn from(h: legal_hold::Model) -> HoldView {
        HoldView {
            id: h.id,
            person_id: h.person_id,
            person_name: String::new(),
            reference: h.reference,
            reason: h.reason,
            created_at: h.created_at,
            released_at: h.released_at,
        }
    }
}

fn privacy_officer_only(principal: &Principal) -> Result<(), AppError> {
    if principal.is_privacy_officer() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Places a hold on a person's data; the privacy officer only, audited.
pub async fn hold(
    app: &App,
    principal: &Principal,
    input: HoldInput,
    meta: &RequestMeta,
) -> Result<HoldView, AppError> {
    use sea_orm::TransactionTrait;
    privacy_officer_only(principal)?;
    let [reference, reason] = checked_texts([("reference", &input.reference, 200), ("reason", &input.reason, 500)])?;
    person::Entity::find_by_id((principal.institution_id.clone(), input.person_id.clone()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    let now_ms = app.now_ms();
    let model = legal_hold::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        person_id: input.person_id,
        reference,
        reason,
        created_by: principal.account_id.clone(),
        created_at: now_ms,
        released_by: None,
        released_at: None,
    };
    let txn = app.db.begin().await?;
    legal_hold::Entity::insert(legal_hold::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "legal_hold.create", "person", Some(&model.person_id)))
        .await?;
    txn.commit().await?;
    Ok(model.into())
}

pub async fn holds(app: &App, principal: &Principal) -> Result<Vec<HoldView>, AppError> {
    privacy_officer_only(principal)?;
    let rows = legal_hold::Entity::find()
        .filter(legal_hold::Column::InstitutionId.eq(&principal.institution_id))
        .order_by_desc(legal_hold::Column::CreatedAt)
        .limit(1000)
        .all(&app.db)
        .await?;
    let people =
        crate::people::by_ids(app, &principal.institution_id, rows.iter().map(|h| h.person_id.clone())).await?;
    Ok(rows
        .into_iter()
        .map(|h| {
            let name = people.get(&h.person_id).map(|p| p.full_name.clone()).unwrap_or_default();
            HoldView { person_name: name, ..HoldView::from(h) }
        })
        .collect())
}

/// Ends a hold: retention applies again from the next run.
pub async fn release(app: &App, principal: &Principal, id: &str, meta: &RequestMeta) -> Result<HoldView, AppError> {
    use sea_orm::TransactionTrait;
    privacy_officer_only(principal)?;
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let current = legal_hold::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&txn)
        .await?
        .filter(|h| h.released_at.is_none())
        .ok_or(AppError::NotFound("legal_hold"))?;
    let mut active: legal_hold::ActiveModel = current.clone().into();
    active.released_by = Set(Some(principal.account_id.clone()));
    active.released_at = Set(Some(now_ms));
    sea_orm::ActiveModelTrait::update(active, &txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "legal_hold.release", "person", Some(&current.person_id)))
        .await?;
    txn.commit().await?;
    Ok(HoldView { released_at: Some(now_ms), ..current.into() })
}
