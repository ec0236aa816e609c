//! The unit tree: OPD, bidang, seksi in a government; classes and dormitories in a pesantren.

use crate::audit::{self, Entry};
use crate::auth::unit_parents;
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, Rule, new_id};
use hadir_db::entities::{person, unit};
use hadir_domain::person::{self as rules, FieldError};
use hadir_domain::roles::subtree;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitView {
    pub id: String,
    pub parent_id: Option<String>,
    pub code: String,
    pub name: String,
    /// The institution's own word for the level: `opd`, `bidang`, `kelas`, `asrama`…
    pub kind: String,
    /// An inactive unit keeps its history and takes no new people or sub-units.
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<unit::Model> for UnitView {
    fn from(u: unit::Model) -> Self {
        UnitView {
            id: u.id,
            parent_id: u.parent_id,
            code: u.code,
            name: u.name,
            kind: u.kind,
            active: u.active,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    /// Short code, unique in the institution: letters, digits, `.`, `-`, `_`.
    pub code: String,
    pub name: String,
    #[serde(default = "default_kind")]
    pub kind: String,
    #[serde(default)]
    pub parent_id: Option<String>,
}

fn default_kind() -> String {
    "unit".into()
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitPatch {
    pub code: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    /// Moves the unit; `null` makes it a top-level unit.
    #[serde(default, deserialize_with = "crate::people::present")]
    #[schema(value_type = Option<String>)]
    pub parent_id: Option<Option<String>>,
    /// `false` deactivates the unit (it must have no active people or active sub-units);
    /// `true` reopens it (under an active parent).
    pub active: Option<bool>,
}

fn code(input: &str) -> Result<String, Rule> {
    let c = input.trim();
    let ok =
        (1..=30).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_'));
    if ok { Ok(c.to_string()) } else { Err(Rule::UnitCodeFormat) }
}

fn field<T>(name: &str, result: Result<T, FieldError>, problems: &mut Vec<FieldProblem>) -> Option<T> {
    result.map_err(|e| problems.push(FieldProblem::new(name, &e))).ok()
}

pub async fn list(app: &App, principal: &Principal) -> Result<Vec<UnitView>, AppError> {
    Ok(unit::Entity::find()
        .filter(unit::Column::InstitutionId.eq(&principal.institution_id))
        .order_by_asc(unit::Column::Code)
        .all(&app.db)
        .await?
        .into_iter()
        .map(UnitView::from)
        .collect())
}

pub async fn get(app: &App, principal: &Principal, id: &str) -> Result<UnitView, AppError> {
    unit::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .map(UnitView::from)
        .ok_or(AppError::NotFound("unit"))
}

/// Creates a unit. Institution admins may create top-level units; unit admins only below a unit
/// they administer.
pub async fn create(
    app: &App,
    principal: &Principal,
    input: UnitInput,
    meta: &RequestMeta,
) -> Result<UnitView, AppError> {
    if !principal.is_admin() {
        return Err(AppError::Forbidden);
    }
    let mut problems = Vec::new();
    let code = code(&input.code).map_err(|e| problems.push(FieldProblem::new("code", &e))).ok();
    let name = field("name", rules::text(&input.name, rules::MAX_NAME_LEN), &mut problems);
    let kind = field("kind", rules::text(&input.kind, 50), &mut problems);
    let parent_id = input.parent_id.filter(|p| !p.is_empty());
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    if let Some(parent) = &parent_id {
        let found = unit::Entity::find_by_id((principal.institution_id.clone(), parent.clone()))
            .one(&txn)
            .await?
            .filter(|_| principal.admin_scope.covers_unit(Some(parent)));
        match found {
            None => problems.push(FieldProblem::new("parent_id", &Rule::UnknownParent)),
            Some(p) if !p.active => problems.push(FieldProblem::new("parent_id", &Rule::UnitInactive)),
            Some(_) => {}
        }
    } else if !principal.is_institution_admin() {
        problems.push(FieldProblem::new("parent_id", &Rule::UnknownParent));
    }
    let (Some(code), Some(name), Some(kind), true) = (code, name, kind, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let model = unit::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        parent_id,
        code,
        name,
        kind,
        active: true,
        created_at: now_ms,
        updated_at: now_ms,
    };
    unit::Entity::insert(unit::ActiveModel::from(model.clone()))
        .exec_without_returning(&txn)
        .await
        .map_err(|e| AppError::unique_or(e, "unit_code_taken", "code"))?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "unit.create", "unit", Some(&model.id))).await?;
    txn.commit().await?;
    // A unit administrator's reach follows the tree.
    crate::auth::forget_principals(app);
    Ok(model.into())
}

pub async fn update(
    app: &App,
    principal: &Principal,
    id: &str,
    patch: UnitPatch,
    meta: &RequestMeta,
) -> Result<UnitView, AppError> {
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let current = unit::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("unit"))?;
    if !principal.admin_scope.covers_unit(Some(&current.id)) {
        return Err(AppError::Forbidden);
    }
    let mut problems = Vec::new();
    let code = match &patch.code {
        Some(c) => code(c).map_err(|e| problems.push(FieldProblem::new("code", &e))).ok(),
        None => Some(current.code.clone()),
    };
    let name = match &patch.name {
        Some(n) => field("name", rules::text(n, rules::MAX_NAME_LEN), &mut problems),
        None => Some(current.name.clone()),
    };
    let kind = match &patch.kind {
        Some(k) => field("kind", rules::text(k, 50), &mut problems),
        None => Some(current.kind.clone()),
    };
    let parent_id = patch.parent_id.clone().unwrap_or(current.parent_id.clone()).filter(|p| !p.is_empty());
    if parent_id != current.parent_id {
        let parents = unit_parents(&txn, &principal.institution_id).await?;
        match &parent_id {
            Some(p) if subtree(std::slice::from_ref(&current.id), &parents).contains(p) => {
                problems.push(FieldProblem::new("parent_id", &Rule::UnitParentCycle));
            }
            Some(p) if !parents.contains_key(p) || !principal.admin_scope.covers_unit(Some(p)) => {
                problems.push(FieldProblem::new("parent_id", &Rule::UnknownParent));
            }
            None if !principal.is_institution_admin() => {
                problems.push(FieldProblem::new("parent_id", &Rule::UnknownParent));
            }
            _ => {}
        }
    }
    let active = patch.active.unwrap_or(current.active);
    let reopened_or_moved = !current.active || parent_id != current.parent_id;
    if let Some(p) = parent_id.as_ref().filter(|_| active && reopened_or_moved) {
        let parent = unit::Entity::find_by_id((principal.institution_id.clone(), p.clone())).one(&txn).await?;
        if parent.is_some_and(|u| !u.active) {
            problems.push(FieldProblem::new("parent_id", &Rule::UnitInactive));
        }
    }
    if current.active && !active && holds_anything_active(&txn, &principal.institution_id, id).await? {
        problems.push(FieldProblem::new("active", &Rule::UnitNotEmpty));
    }
    let (Some(code), Some(name), Some(kind), true) = (code, name, kind, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let model = unit::Model { code, name, kind, parent_id, active, updated_at: now_ms, ..current };
    unit::Entity::update(unit::ActiveModel::from(model.clone()).reset_all())
        .exec(&txn)
        .await
        .map_err(|e| AppError::unique_or(e, "unit_code_taken", "code"))?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "unit.update", "unit", Some(id))).await?;
    txn.commit().await?;
    // A unit administrator's reach follows the tree.
    crate::auth::forget_principals(app);
    Ok(model.into())
}

/// Whether active people or active sub-units still sit directly in the unit.
async fn holds_anything_active(conn: &impl ConnectionTrait, institution_id: &str, id: &str) -> Result<bool, AppError> {
    let people = person::Entity::find()
        .filter(person::Column::InstitutionId.eq(institution_id))
        .filter(person::Column::UnitId.eq(id))
        .filter(person::Column::Status.eq("active"))
        .count(conn)
        .await?;
    let children = unit::Entity::find()
        .filter(unit::Column::InstitutionId.eq(institution_id))
        .filter(unit::Column::ParentId.eq(id))
        .filter(unit::Column::Active.eq(true))
        .count(conn)
        .await?;
    Ok(people + children > 0)
}
