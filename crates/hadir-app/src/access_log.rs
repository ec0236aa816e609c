//! The access log: staff reading another person's personal data leave a trace the person can
//! see (who, what, for which purpose, when). A read that cannot be logged is not served.

use crate::{App, AppError, Principal, new_id};
use hadir_db::entities::{access_entry, list_read, person};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

/// What was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Data {
    /// The profile (name, contacts, unit, position).
    Profile,
    /// The full NIK.
    Nik,
    /// The religion.
    Religion,
    /// Check-ins with their coordinates.
    Checkins,
    /// A check-in selfie.
    Photo,
    /// A phone's registration selfie.
    DeviceSelfie,
    /// The month day by day.
    Month,
    /// The leave balance.
    LeaveBalance,
    /// A leave request's document (a doctor's letter).
    LeaveDocument,
    /// A unit's monthly recap, read or downloaded (a read of many: see [`record_list`]).
    Recap,
    /// The people list of a unit.
    PeopleList,
    /// Today's board of a unit: who is in, late, away.
    Today,
    /// Leave requests (kind, dates, reason), as the approval queue shows them.
    LeaveRequests,
    /// A proposed work-from-home point: where the person lives.
    HomeLocation,
}

impl Data {
    fn as_str(self) -> &'static str {
        match self {
            Data::Profile => "profile",
            Data::Nik => "nik",
            Data::Religion => "religion",
            Data::Checkins => "checkins",
            Data::Photo => "photo",
            Data::DeviceSelfie => "device_selfie",
            Data::Month => "month",
            Data::LeaveBalance => "leave_balance",
            Data::LeaveDocument => "leave_document",
            Data::Recap => "recap",
            Data::PeopleList => "people_list",
            Data::Today => "today",
            Data::LeaveRequests => "leave_requests",
            Data::HomeLocation => "home_location",
        }
    }

    fn parse(s: &str) -> Option<Data> {
        [
            Data::Profile,
            Data::Nik,
            Data::Religion,
            Data::Checkins,
            Data::Photo,
            Data::DeviceSelfie,
            Data::Month,
            Data::LeaveBalance,
            Data::LeaveDocument,
            Data::Recap,
            Data::PeopleList,
            Data::Today,
            Data::LeaveRequests,
            Data::HomeLocation,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }
}

/// Records that `principal` read `data` of `subject`; a person reading their own data is not
/// logged. The purpose follows from the relation: the supervisor supervises, others administer.
pub(crate) async fn record(
    app: &App,
    principal: &Principal,
    subject: &person::Model,
    data: &[Data],
) -> Result<(), AppError> {
    let at = app.now_ms();
    let rows: Vec<_> = data.iter().filter_map(|d| entry(principal, subject, *d, at)).collect();
    if !rows.is_empty() {
        access_entry::Entity::insert_many(rows).exec_without_returning(&app.db).await?;
    }
    Ok(())
}

/// Records that `principal` read `data` of each of `subjects` at once — a queue showing several
/// people's requests — in one write, each person once.
pub(crate) async fn record_each<'a>(
    app: &App,
    principal: &Principal,
    subjects: impl IntoIterator<Item = &'a person::Model>,
    data: Data,
) -> Result<(), AppError> {
    let at = app.now_ms();
    let mut seen = std::collections::HashSet::new();
    let rows: Vec<_> = subjects
        .into_iter()
        .filter(|s| seen.insert(s.id.clone()))
        .filter_map(|subject| entry(principal, subject, data, at))
        .collect();
    for chunk in rows.chunks(500) {
        access_entry::Entity::insert_many(chunk.to_vec()).exec_without_returning(&app.db).await?;
    }
    Ok(())
}

/// One entry of the log; none for a person reading their own data.
fn entry(principal: &Principal, subject: &person::Model, data: Data, at: i64) -> Option<access_entry::ActiveModel> {
    if subject.id == principal.person_id {
        return None;
    }
    let purpose = if principal.supervises(subject) { "supervision" } else { "administration" };
    Some(access_entry::ActiveModel {
        institution_id: Set(principal.institution_id.clone()),
        id: Set(new_id()),
        at: Set(at),
        actor_account_id: Set(principal.account_id.clone()),
        actor_person_id: Set(principal.person_id.clone()),
        subject_person_id: Set(subject.id.clone()),
        data: Set(data.as_str().into()),
        purpose: Set(purpose.into()),
    })
}

/// Records that `principal` read a list of many people — a recap, the people list, today's
/// board — of `unit_id` and the units below it (none: everyone in their reach): one row per read,
/// shown to each person concerned as a read of their data. A unit administrator's "everyone" is
/// recorded as each unit of their reach.
pub(crate) async fn record_list(
    app: &App,
    principal: &Principal,
    unit_id: Option<&str>,
    data: Data,
    detail: Option<&str>,
) -> Result<(), AppError> {
    let units: Vec<Option<String>> = match (unit_id, &principal.admin_scope) {
        (Some(u), _) => vec![Some(u.to_string())],
        (None, hadir_domain::roles::AdminScope::Institution) => vec![None],
        (None, _) => principal.grants.iter().filter_map(|g| g.unit.clone()).map(Some).collect(),
    };
    let at = app.now_ms();
    let rows = units.into_iter().map(|unit| list_read::ActiveModel {
        institution_id: Set(principal.institution_id.clone()),
        id: Set(new_id()),
        at: Set(at),
        actor_account_id: Set(principal.account_id.clone()),
        actor_person_id: Set(principal.person_id.clone()),
        unit_id: Set(unit),
        data: Set(data.as_str().into()),
        detail: Set(detail.map(str::to_string)),
    });
    list_read::Entity::insert_many(rows).exec_without_returning(&app.db).await?;
    Ok(())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccessView {
    /// Unix milliseconds.
    pub at: i64,
    pub actor_person_id: String,
    pub actor_name: Option<String>,
    pub data: Data,
    /// `supervision` or `administration`.
    pub purpose: String,
    /// For a list read: what it covered, e.g. the recap's month.
    pub detail: Option<String>,
}

/// Who read the principal's own data, newest first: reads of them, and reads of lists they were
/// in — their unit's or a unit above it, or the whole institution, since they were added.
pub async fn about_me(app: &App, principal: &Principal, limit: u64) -> Result<Vec<AccessView>, AppError> {
    let me = person::Entity::find_by_id((principal.institution_id.clone(), principal.person_id.clone()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    reads_about(app, &me, limit).await
}

/// The reads of `me`'s data by others, and of lists they were in, newest first.
pub(crate) async fn reads_about(app: &App, me: &person::Model, limit: u64) -> Result<Vec<AccessView>, AppError> {
    let limit = limit.clamp(1, 500);
    let inst = &me.institution_id;
    let entries = access_entry::Entity::find()
        .filter(access_entry::Column::InstitutionId.eq(inst))
        .filter(access_entry::Column::SubjectPersonId.eq(&me.id))
        .order_by_desc(access_entry::Column::At)
        .order_by_desc(access_entry::Column::Id)
        .limit(limit)
        .all(&app.db)
        .await?;
    let parents = crate::auth::unit_parents(&app.db, inst).await?;
    let mut my_units = Vec::new();
    let mut unit = me.unit_id.clone();
    while let Some(u) = unit.filter(|u| !my_units.contains(u)) {
        unit = parents.get(&u).cloned().flatten();
        my_units.push(u);
    }
    let lists = list_read::Entity::find()
        .filter(list_read::Column::InstitutionId.eq(inst))
        .filter(list_read::Column::At.gte(me.created_at))
        .filter(list_read::Column::ActorPersonId.ne(&me.id))
        .filter(
            sea_orm::Condition::any()
                .add(list_read::Column::UnitId.is_null())
                .add(list_read::Column::UnitId.is_in(my_units)),
        )
        .order_by_desc(list_read::Column::At)
        .limit(limit)
        .all(&app.db)
        .await?;
    let actors = crate::people::by_ids(
        app,
        inst,
        entries.iter().map(|e| e.actor_person_id.clone()).chain(lists.iter().map(|l| l.actor_person_id.clone())),
    )
    .await?;
    let name = |id: &str| actors.get(id).map(|p| p.full_name.clone());
    let mut views: Vec<AccessView> = entries
        .into_iter()
        .filter_map(|e| {
            Some(AccessView {
                at: e.at,
                actor_name: name(&e.actor_person_id),
                actor_person_id: e.actor_person_id,
                data: Data::parse(&e.data)?,
                purpose: e.purpose,
                detail: None,
            })
        })
        .chain(lists.into_iter().filter_map(|l| {
            Some(AccessView {
                at: l.at,
                actor_name: name(&l.actor_person_id),
                actor_person_id: l.actor_person_id,
                data: Data::parse(&l.data)?,
                purpose: "administration".into(),
                detail: l.detail,
            })
        }))
        .collect();
    views.sort_by_key(|v| std::cmp::Reverse(v.at));
    views.truncate(limit as usize);
    Ok(views)
}
