//! Institutions (tenants). The installation's operator creates them, from the command line or as
//! a superadmin through the API.

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, Rule, new_id};
use hadir_db::entities::institution;
use hadir_domain::person as rules;
use hadir_domain::roles::Role;
use hadir_domain::time_zone::WorkZone;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    Government,
    School,
    Pesantren,
    Company,
}

impl InstitutionKind {
    fn as_str(self) -> &'static str {
        match self {
            InstitutionKind::Government => "government",
            InstitutionKind::School => "school",
            InstitutionKind::Pesantren => "pesantren",
            InstitutionKind::Company => "company",
        }
    }

    fn parse(s: &str) -> InstitutionKind {
        match s {
            "school" => InstitutionKind::School,
            "pesantren" => InstitutionKind::Pesantren,
            "company" => InstitutionKind::Company,
            _ => InstitutionKind::Government,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstitutionView {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub kind: InstitutionKind,
    /// The default zone of the institution's work locations.
    pub time_zone: WorkZone,
}

impl From<institution::Model> for InstitutionView {
    fn from(m: institution::Model) -> Self {
        InstitutionView {
            kind: InstitutionKind::parse(&m.kind),
            time_zone: WorkZone::parse(&m.time_zone).unwrap_or(WorkZone::Jakarta),
            id: m.id,
            slug: m.slug,
            name: m.name,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstitutionInput {
    /// Lower-case letters, digits and dashes, 3-50 characters; used to pick the institution at login.
    pub slug: String,
    pub name: String,
    pub kind: InstitutionKind,
    pub time_zone: WorkZone,
}

pub async fn current(app: &App, principal: &Principal) -> Result<InstitutionView, AppError> {
    institution::Entity::find_by_id(principal.institution_id.clone())
        .one(&app.db)
        .await?
        .map(Into::into)
        .ok_or(AppError::NotFound("institution"))
}

pub async fn find_by_slug(app: &App, slug: &str) -> Result<Option<InstitutionView>, AppError> {
    Ok(institution::Entity::find().filter(institution::Column::Slug.eq(slug)).one(&app.db).await?.map(Into::into))
}

/// Every institution; superadmins only.
pub async fn list(app: &App, principal: &Principal) -> Result<Vec<InstitutionView>, AppError> {
    if !principal.has(Role::Superadmin) {
        return Err(AppError::Forbidden);
    }
    Ok(institution::Entity::find()
        .order_by_asc(institution::Column::Slug)
        .all(&app.db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Creates an institution. `by` is the superadmin doing it, or `None` for the operator at the
/// command line.
pub async fn create(
    app: &App,
    by: Option<&Principal>,
    input: InstitutionInput,
    meta: &RequestMeta,
) -> Result<InstitutionView, AppError> {
    if by.is_some_and(|p| !p.has(Role::Superadmin)) {
        return Err(AppError::Forbidden);
    }
    let mut problems = Vec::new();
    let slug = input.slug.trim().to_string();
    let slug_ok = (3..=50).contains(&slug.len())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-');
    if !slug_ok {
        problems.push(FieldProblem::new("slug", &Rule::SlugFormat));
    }
    let name =
        rules::text(&input.name, rules::MAX_NAME_LEN).map_err(|e| problems.push(FieldProblem::new("name", &e))).ok();
    let (Some(name), true) = (name, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let now_ms = app.now_ms();
    let id = new_id();
    let txn = app.db.begin().await?;
    if institution::Entity::find().filter(institution::Column::Slug.eq(&slug)).one(&txn).await?.is_some() {
        return Err(AppError::Conflict { code: "slug_taken", field: "slug" });
    }
    institution::Entity::insert(institution::ActiveModel {
        id: Set(id.clone()),
        slug: Set(slug),
        name: Set(name),
        kind: Set(input.kind.as_str().into()),
        time_zone: Set(input.time_zone.iana().into()),
        created_at: Set(now_ms),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(|e| AppError::unique_or(e, "slug_taken", "slug"))?;
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry {
            institution_id: &id,
            actor_account_id: by.map(|p| p.account_id.as_str()),
            action: "institution.create",
            subject_type: "institution",
            subject_id: Some(&id),
            detail: serde_json::json!({ "by": if by.is_some() { "superadmin" } else { "operator" } }),
        },
    )
    .await?;
    // Every institution starts with the shipped national calendar, to amend as decrees change.
    crate::calendar::import_national(&txn, &id, None, now_ms).await?;
    let created = institution::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound("institution"))?;
    txn.commit().await?;
    // Only a head start for the first surge: a photo's upload makes a missing folder itself.
    if let Err(e) = app.objects.make_folders(&crate::devices::photo_folders(&created.id)).await {
        tracing::warn!(institution = %created.id, error = %e, "photo folders not made beforehand");
    }
    Ok(created.into())
}

/// What an institution's administrator may change of it: its name and its default zone (the
/// slug people sign in with stays).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstitutionChange {
    pub name: String,
    pub time_zone: WorkZone,
}

/// Renames the principal's institution or moves its default zone (institution administrators).
/// The default zone dates the check-ins made away from any work site, so a new one makes the
/// recap count every kept day again.
pub async fn update(
    app: &App,
    principal: &Principal,
    change: InstitutionChange,
    meta: &RequestMeta,
) -> Result<InstitutionView, AppError> {
    if !principal.is_institution_admin() {
        return Err(AppError::Forbidden);
    }
    let name = rules::text(&change.name, rules::MAX_NAME_LEN)
        .map_err(|e| AppError::Invalid(vec![FieldProblem::new("name", &e)]))?;
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let current = institution::Entity::find_by_id(principal.institution_id.clone())
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("institution"))?;
    let zone = change.time_zone.iana().to_string();
    let zone_changed = current.time_zone != zone;
    let before = serde_json::json!({ "name": current.name, "time_zone": current.time_zone });
    let updated = institution::Model { name, time_zone: zone, ..current };
    institution::Entity::update(institution::ActiveModel::from(updated.clone()).reset_all()).exec(&txn).await?;
    let detail =
        serde_json::json!({ "before": before, "after": { "name": updated.name, "time_zone": updated.time_zone } });
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry { detail, ..Entry::by(principal, "institution.update", "institution", Some(&principal.institution_id)) },
    )
    .await?;
    if zone_changed {
        crate::recap::forget_months(&txn, &principal.institution_id, None).await?;
    }
    txn.commit().await?;
    crate::attendance::forget_profiles_of(app, &principal.institution_id);
    Ok(updated.into())
}
