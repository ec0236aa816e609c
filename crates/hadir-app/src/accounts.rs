//! Logins and roles: an administrator opens an account for a person, resets its password, and
//! grants or revokes roles — never a role above their own, never outside their scope.

use crate::audit::{self, Entry};
use crate::auth::{check_new_password, grants_of, revoke_sessions};
use crate::people::{self, PersonInput, PersonView, SavedPerson, account_of};
use crate::{App, AppError, Principal, RequestMeta, Rule, new_id};
use hadir_db::entities::{account, person, role_grant, unit};
use hadir_domain::roles::{Grant, Role};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    /// The password the person signs in with first; they must change it then.
    pub password: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    pub id: String,
    pub person_id: String,
    pub must_change_password: bool,
    pub roles: Vec<GrantView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GrantView {
    pub id: String,
    pub role: Role,
    pub unit_id: Option<String>,
}

/// The person, if the principal administers them.
async fn administered(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    person_id: &str,
) -> Result<person::Model, AppError> {
    person::Entity::find_by_id((principal.institution_id.clone(), person_id.to_string()))
        .one(conn)
        .await?
        .filter(|p| principal.admin_scope.covers_unit(p.unit_id.as_ref()))
        .ok_or(AppError::NotFound("person"))
}

async fn view(conn: &impl ConnectionTrait, acc: account::Model) -> Result<AccountView, AppError> {
    let roles = role_grant::Entity::find()
        .filter(role_grant::Column::InstitutionId.eq(&acc.institution_id))
        .filter(role_grant::Column::AccountId.eq(&acc.id))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|g| Role::parse(&g.role).map(|role| GrantView { id: g.id, role, unit_id: g.unit_id }))
        .collect();
    Ok(AccountView { id: acc.id, person_id: acc.person_id, must_change_password: acc.must_change_password, roles })
}

pub async fn get(app: &App, principal: &Principal, person_id: &str) -> Result<AccountView, AppError> {
    let p = administered(&app.db, principal, person_id).await?;
    let acc = account_of(&app.db, &principal.institution_id, &p.id).await?.ok_or(AppError::NotFound("account"))?;
    view(&app.db, acc).await
}

/// Opens a login for a person, with the `employee` role.
pub async fn create(
    app: &App,
    principal: &Principal,
    person_id: &str,
    req: NewPassword,
    meta: &RequestMeta,
) -> Result<AccountView, AppError> {
    let p = administered(&app.db, principal, person_id).await?;
    check_new_password("password", &req.password, &p)?;
    let hash = app.passwords.hash(req.password).await;
    let txn = app.db.begin().await?;
    let acc = create_in(&txn, app.now_ms(), principal, &p.id, hash, meta).await?;
    txn.commit().await?;
    view(&app.db, acc).await
}

async fn create_in(
    txn: &DatabaseTransaction,
    now_ms: i64,
    principal: &Principal,
    person_id: &str,
    hash: String,
    meta: &RequestMeta,
) -> Result<account::Model, AppError> {
    if account_of(txn, &principal.institution_id, person_id).await?.is_some() {
        return Err(AppError::Conflict { code: "account_exists", field: "person_id" });
    }
    let acc = insert_account(txn, &principal.institution_id, person_id, hash, true, now_ms).await?;
    insert_grant(txn, &principal.institution_id, &acc.id, Role::Employee, None, Some(&principal.account_id), now_ms)
        .await?;
    audit::record(txn, now_ms, meta, Entry::by(principal, "account.create", "account", Some(&acc.id))).await?;
    Ok(acc)
}

/// Adds a person with a login and roles, all or nothing: the command line's `create-user`.
pub async fn onboard(
    app: &App,
    principal: &Principal,
    input: PersonInput,
    password: String,
    roles: &[Role],
    meta: &RequestMeta,
) -> Result<SavedPerson, AppError> {
    let now_ms = app.now_ms();
    let unit_id = input.unit_id.clone();
    let txn = app.db.begin().await?;
    let (person, warnings) = people::create_in(app, &txn, now_ms, principal, input, meta).await?;
    check_new_password("password", &password, &person)?;
    let hash = app.passwords.hash(password).await;
    create_in(&txn, now_ms, principal, &person.id, hash, meta).await?;
    for role in roles.iter().copied().filter(|r| *r != Role::Employee) {
        let unit_id = role.may_have_unit().then(|| unit_id.clone()).flatten();
        grant_in(&txn, now_ms, principal, &person.id, GrantRequest { role, unit_id }, meta).await?;
    }
    txn.commit().await?;
    Ok(SavedPerson { person: PersonView::of(app, person, principal), warnings })
}

pub(crate) async fn insert_account(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    person_id: &str,
    password_hash: String,
    must_change_password: bool,
    now_ms: i64,
) -> Result<account::Model, AppError> {
    let model = account::Model {
        institution_id: institution_id.into(),
        id: new_id(),
        person_id: person_id.into(),
        password_hash,
        must_change_password,
        password_changed_at: now_ms,
        created_at: now_ms,
    };
    account::Entity::insert(account::ActiveModel::from(model.clone()))
        .exec_without_returning(conn)
        .await
        .map_err(|e| AppError::unique_or(e, "account_exists", "person_id"))?;
    Ok(model)
}

pub(crate) async fn insert_grant(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    account_id: &str,
    role: Role,
    unit_id: Option<&str>,
    granted_by: Option<&str>,
    now_ms: i64,
) -> Result<String, AppError> {
    let id = new_id();
    role_grant::Entity::insert(role_grant::ActiveModel {
        institution_id: Set(institution_id.into()),
        id: Set(id.clone()),
        account_id: Set(account_id.into()),
        role: Set(role.as_str().into()),
        unit_id: Set(unit_id.map(Into::into)),
        granted_by: Set(granted_by.map(Into::into)),
        created_at: Set(now_ms),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(id)
}

/// Sets a new password chosen by an administrator; the person must change it at next login and
/// all their sessions end.
pub async fn reset_password(
    app: &App,
    principal: &Principal,
    person_id: &str,
    req: NewPassword,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let p = administered(&app.db, principal, person_id).await?;
    check_new_password("password", &req.password, &p)?;
    let hash = app.passwords.hash(req.password).await;
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let acc = account_of(&txn, &principal.institution_id, &p.id).await?.ok_or(AppError::NotFound("account"))?;
    let account_id = acc.id.clone();
    set_password(&txn, acc, hash, true, now_ms).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "account.reset_password", "account", Some(&account_id)))
        .await?;
    txn.commit().await?;
    crate::auth::forget_principals(app);
    Ok(())
}

pub(crate) async fn set_password(
    conn: &impl ConnectionTrait,
    acc: account::Model,
    hash: String,
    must_change: bool,
    now_ms: i64,
) -> Result<(), AppError> {
    let (institution_id, account_id) = (acc.institution_id.clone(), acc.id.clone());
    let mut active = acc.into_active_model();
    active.password_hash = Set(hash);
    active.must_change_password = Set(must_change);
    active.password_changed_at = Set(now_ms);
    sea_orm::ActiveModelTrait::update(active, conn).await?;
    revoke_sessions(conn, &institution_id, &account_id, None, now_ms).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    pub role: Role,
    /// Required for `unit_admin`; allowed for `supervisor`; refused for the others.
    #[serde(default)]
    pub unit_id: Option<String>,
}

/// Which roles a principal may hand out: unit admins only unit-level roles; institution admins all
/// but superadmin; superadmins everything.
fn may_grant(principal: &Principal, role: Role) -> bool {
    if principal.has(Role::Superadmin) {
        return true;
    }
    if principal.has(Role::InstitutionAdmin) {
        return role != Role::Superadmin;
    }
    principal.is_admin() && matches!(role, Role::Employee | Role::Supervisor | Role::UnitAdmin)
}

pub async fn grant(
    app: &App,
    principal: &Principal,
    person_id: &str,
    req: GrantRequest,
    meta: &RequestMeta,
) -> Result<AccountView, AppError> {
    let txn = app.db.begin().await?;
    let acc = grant_in(&txn, app.now_ms(), principal, person_id, req, meta).await?;
    let result = view(&txn, acc).await?;
    txn.commit().await?;
    crate::auth::forget_principals(app);
    Ok(result)
}

async fn grant_in(
    txn: &DatabaseTransaction,
    now_ms: i64,
    principal: &Principal,
    person_id: &str,
    req: GrantRequest,
    meta: &RequestMeta,
) -> Result<account::Model, AppError> {
    let p = administered(txn, principal, person_id).await?;
    if !may_grant(principal, req.role) {
        return Err(AppError::Forbidden);
    }
    let unit_id = req.unit_id.filter(|u| !u.is_empty());
    match (&unit_id, req.role.needs_unit(), req.role.may_have_unit()) {
        (None, true, _) => return Err(AppError::field("unit_id", &Rule::UnitRequired)),
        (Some(_), _, false) => return Err(AppError::field("unit_id", &Rule::UnitNotAllowed)),
        (Some(u), _, _) => {
            let exists =
                unit::Entity::find_by_id((principal.institution_id.clone(), u.clone())).one(txn).await?.is_some();
            if !exists || !principal.admin_scope.covers_unit(Some(u)) {
                return Err(AppError::field("unit_id", &Rule::UnknownUnit));
            }
        }
        (None, false, _) => {}
    }
    let acc = account_of(txn, &principal.institution_id, &p.id).await?.ok_or(AppError::NotFound("account"))?;
    let wanted = Grant { role: req.role, unit: unit_id.clone() };
    if !grants_of(txn, &principal.institution_id, &acc.id).await?.contains(&wanted) {
        let grant_id = insert_grant(
            txn,
            &principal.institution_id,
            &acc.id,
            req.role,
            unit_id.as_deref(),
            Some(&principal.account_id),
            now_ms,
        )
        .await?;
        audit::record(
            txn,
            now_ms,
            meta,
            Entry::by(principal, "role.grant", "role_grant", Some(&grant_id))
                .with(serde_json::json!({ "role": req.role.as_str(), "unit_id": unit_id, "account_id": acc.id })),
        )
        .await?;
    }
    Ok(acc)
}

pub async fn revoke(
    app: &App,
    principal: &Principal,
    person_id: &str,
    grant_id: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let p = administered(&txn, principal, person_id).await?;
    let acc = account_of(&txn, &principal.institution_id, &p.id).await?.ok_or(AppError::NotFound("account"))?;
    let g = role_grant::Entity::find_by_id((principal.institution_id.clone(), grant_id.to_string()))
        .one(&txn)
        .await?
        .filter(|g| g.account_id == acc.id)
        .ok_or(AppError::NotFound("role_grant"))?;
    let role = Role::parse(&g.role).ok_or(AppError::NotFound("role_grant"))?;
    if !may_grant(principal, role) || (g.unit_id.is_some() && !principal.admin_scope.covers_unit(g.unit_id.as_ref())) {
        return Err(AppError::Forbidden);
    }
    if g.account_id == principal.account_id && matches!(role, Role::InstitutionAdmin | Role::Superadmin) {
        // Removing one's own top role could leave an institution with no administrator.
        return Err(AppError::Forbidden);
    }
    role_grant::Entity::delete_by_id((principal.institution_id.clone(), grant_id.to_string())).exec(&txn).await?;
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry::by(principal, "role.revoke", "role_grant", Some(grant_id))
            .with(serde_json::json!({ "role": role.as_str(), "account_id": acc.id })),
    )
    .await?;
    txn.commit().await?;
    crate::auth::forget_principals(app);
    Ok(())
}
