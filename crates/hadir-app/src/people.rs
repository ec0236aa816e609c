//! People: the institution's employees and students. Administrators reach the people of the units
//! in their scope; everyone reaches their own record.

use crate::access_log::{self, Data};
use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, Rule, new_id};
use hadir_db::entities::{account, person, unit};
use hadir_domain::identifiers::Nik;
use hadir_domain::person::{self as rules, EmployeeNumber, EmploymentType, PersonStatus, Religion};
use hadir_domain::roles::AdminScope;
use hadir_domain::{Explain, Lang};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonView {
    pub id: String,
    pub employee_number: String,
    pub employment_type: EmploymentType,
    pub full_name: String,
    /// Shown as `1771••••••••0003` to everyone.
    pub nik_masked: Option<String>,
    /// The full NIK: only for the person themself and institution administrators.
    pub nik: Option<String>,
    /// Shown to institution administrators and the person themself; absent for others.
    pub religion: Option<Religion>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub unit_id: Option<String>,
    pub position: Option<String>,
    pub supervisor_id: Option<String>,
    pub status: PersonStatus,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The sealed form of a NIK for the `people` row, and its blind index.
pub(crate) fn seal_nik(app: &App, nik: Option<&str>) -> Result<(Option<String>, Option<String>), AppError> {
    let Some(nik) = nik else { return Ok((None, None)) };
    let sealed = app.keys.seal_text(nik).map_err(|e| AppError::Internal(format!("sealing: {e}")))?;
    Ok((Some(sealed), Some(app.keys.blind_index(NIK_INDEX, nik))))
}

/// The NIK of a `people` row, opened. A value that does not open (its key is missing from the
/// key file) is reported in the log and shown as absent, never as ciphertext.
pub(crate) fn open_nik(app: &App, p: &person::Model) -> Option<String> {
    let stored = p.nik.as_deref()?;
    match app.keys.open_text(stored) {
        Ok(nik) => Some(nik),
        Err(e) => {
            tracing::error!(person = %p.id, error = %e, "a NIK cannot be opened");
            None
        }
    }
}

/// The sealed form of a religion for the `people` row.
pub(crate) fn seal_religion(app: &App, religion: Option<Religion>) -> Result<Option<String>, AppError> {
    religion
        .map(|r| app.keys.seal_text(r.as_str()).map_err(|e| AppError::Internal(format!("sealing: {e}"))))
        .transpose()
}

/// The religion of a `people` row, opened (absent when it does not open: reported in the log).
pub(crate) fn open_religion(app: &App, p: &person::Model) -> Option<Religion> {
    let stored = p.religion.as_deref()?;
    match app.keys.open_text(stored) {
        Ok(code) => Religion::parse(&code),
        Err(e) => {
            tracing::error!(person = %p.id, error = %e, "a religion cannot be opened");
            None
        }
    }
}

/// What the blind index of a NIK is computed for (one key, several purposes).
const NIK_INDEX: &str = "nik";

impl PersonView {
    pub(crate) fn of(app: &App, p: person::Model, viewer: &Principal) -> PersonView {
        let full_nik = viewer.is_institution_admin() || viewer.person_id == p.id;
        let nik = open_nik(app, &p).and_then(|n| Nik::parse(&n).ok());
        let religion = open_religion(app, &p).filter(|_| full_nik);
        PersonView {
            religion,
            nik_masked: nik.as_ref().map(Nik::masked),
            nik: nik.filter(|_| full_nik).map(|n| n.as_str().to_string()),
            employment_type: EmploymentType::parse(&p.employment_type).unwrap_or(EmploymentType::NonAsn),
            status: PersonStatus::parse(&p.status).unwrap_or(PersonStatus::Inactive),
            id: p.id,
            employee_number: p.employee_number,
            full_name: p.full_name,
            email: p.email,
            phone: p.phone,
            unit_id: p.unit_id,
            position: p.position,
            supervisor_id: p.supervisor_id,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A person as submitted for creation. Unknown fields are refused, so a typo is not silently lost.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// NIP for `asn`, NI PPPK for `pppk`, NISN for `student`, the institution's own number otherwise.
    pub employee_number: String,
    pub employment_type: EmploymentType,
    pub full_name: String,
    #[serde(default)]
    pub nik: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub position: Option<String>,
    #[serde(default)]
    pub supervisor_id: Option<String>,
    /// Recorded and seen by institution administrators only.
    #[serde(default)]
    pub religion: Option<Religion>,
}

/// A change to a person: absent fields stay; `null` clears an optional field.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonPatch {
    pub employee_number: Option<String>,
    pub employment_type: Option<EmploymentType>,
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub nik: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub unit_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub position: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub supervisor_id: Option<Option<String>>,
    pub status: Option<PersonStatus>,
    /// Institution administrators only.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Religion>)]
    pub religion: Option<Option<Religion>>,
}

/// Tells a field sent as `null` (`Some(None)`) from one not sent (`None`).
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Warning {
    pub field: String,
    pub code: String,
    pub message_id: String,
    pub message_en: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SavedPerson {
    pub person: PersonView,
    /// Things worth a second look that did not stop the save (e.g. a NIK whose birth date differs
    /// from the NIP's).
    pub warnings: Vec<Warning>,
}

/// Validated column values.
struct Valid {
    employee_number: String,
    employment_type: EmploymentType,
    full_name: String,
    nik: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    unit_id: Option<String>,
    position: Option<String>,
    supervisor_id: Option<String>,
    religion: Option<Religion>,
}

fn optional<T>(
    value: Option<&str>,
    field: &str,
    problems: &mut Vec<FieldProblem>,
    parse: impl Fn(&str) -> Result<T, rules::FieldError>,
) -> Option<T> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    parse(value).map_err(|e| problems.push(FieldProblem::new(field, &e))).ok()
}

/// Checks every field and reports all problems at once; then the references and uniqueness.
async fn validate(
    txn: &DatabaseTransaction,
    principal: &Principal,
    input: &PersonInput,
    own_id: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Result<Valid, AppError> {
    let mut problems = Vec::new();
    let number = EmployeeNumber::parse(input.employment_type, &input.employee_number)
        .map_err(|e| problems.push(FieldProblem::new("employee_number", &e)))
        .ok();
    let full_name = rules::text(&input.full_name, rules::MAX_NAME_LEN)
        .map_err(|e| problems.push(FieldProblem::new("full_name", &e)))
        .ok();
    let nik = optional(input.nik.as_deref(), "nik", &mut problems, |v| Nik::parse(v).map_err(Into::into));
    let email = optional(input.email.as_deref(), "email", &mut problems, rules::email);
    let phone = optional(input.phone.as_deref(), "phone", &mut problems, rules::phone);
    let position =
        optional(input.position.as_deref(), "position", &mut problems, |v| rules::text(v, rules::MAX_TEXT_LEN));

    let unit_id = input.unit_id.clone().filter(|u| !u.is_empty());
    let unit = match &unit_id {
        Some(id) => unit::Entity::find_by_id((principal.institution_id.clone(), id.clone())).one(txn).await?,
        None => None,
    };
    if unit_id.is_some() && unit.is_none() || !principal.admin_scope.covers_unit(unit_id.as_ref()) {
        problems.push(FieldProblem::new("unit_id", &Rule::UnknownUnit));
    } else if unit.as_ref().is_some_and(|u| !u.active) {
        // Someone already in a unit that was closed may still have their record corrected.
        let stays = match own_id {
            Some(id) => person::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
                .one(txn)
                .await?
                .is_some_and(|p| p.unit_id == unit_id),
            None => false,
        };
        if !stays {
            problems.push(FieldProblem::new("unit_id", &Rule::UnitInactive));
        }
    }
    let supervisor_id = input.supervisor_id.clone().filter(|s| !s.is_empty());
    if let Some(sup) = &supervisor_id {
        let exists =
            person::Entity::find_by_id((principal.institution_id.clone(), sup.clone())).one(txn).await?.is_some();
        if !exists || Some(sup.as_str()) == own_id {
            problems.push(FieldProblem::new("supervisor_id", &Rule::UnknownSupervisor));
        }
    }
    let (Some(number), Some(full_name), true) = (number, full_name, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };

    if let (Some(nik), Some((born, sex))) = (&nik, number.birth_and_sex()) {
        for w in nik.warnings_against(born, sex) {
            warnings.push(Warning {
                field: "nik".into(),
                code: w.code().into(),
                message_id: w.message(Lang::Id),
                message_en: w.message(Lang::En),
            });
        }
    }
    let taken = |column: person::Column, value: String| {
        let mut q = person::Entity::find()
            .filter(person::Column::InstitutionId.eq(&principal.institution_id))
            .filter(column.eq(value));
        if let Some(id) = own_id {
            q = q.filter(person::Column::Id.ne(id));
        }
        q
    };
    if taken(person::Column::EmployeeNumber, number.as_str().to_string()).one(txn).await?.is_some() {
        return Err(AppError::Conflict { code: "employee_number_taken", field: "employee_number" });
    }
    if let Some(e) = &email
        && taken(person::Column::Email, e.clone()).one(txn).await?.is_some()
    {
        return Err(AppError::Conflict { code: "email_taken", field: "email" });
    }
    Ok(Valid {
        employee_number: number.as_str().to_string(),
        employment_type: input.employment_type,
        full_name,
        nik: nik.map(|n| n.as_str().to_string()),
        email,
        phone,
        unit_id,
        position,
        supervisor_id,
        religion: input.religion,
    })
}

/// Saves a validated person, new or changed, on conflict of a race reporting what a pre-check would.
fn unique_conflict(err: sea_orm::DbErr) -> AppError {
    let text = err.to_string();
    if text.contains("email") {
        AppError::unique_or(err, "email_taken", "email")
    } else {
        AppError::unique_or(err, "employee_number_taken", "employee_number")
    }
}

pub async fn create(
    app: &App,
    principal: &Principal,
    input: PersonInput,
    meta: &RequestMeta,
) -> Result<SavedPerson, AppError> {
    let txn = app.db.begin().await?;
    let (model, warnings) = create_in(app, &txn, app.now_ms(), principal, input, meta).await?;
    txn.commit().await?;
    Ok(SavedPerson { person: PersonView::of(app, model, principal), warnings })
}

/// Validates and inserts a person inside the caller's transaction.
pub(crate) async fn create_in(
    app: &App,
    txn: &DatabaseTransaction,
    now_ms: i64,
    principal: &Principal,
    input: PersonInput,
    meta: &RequestMeta,
) -> Result<(person::Model, Vec<Warning>), AppError> {
    if !principal.is_admin() {
        return Err(AppError::Forbidden);
    }
    if input.religion.is_some() && !principal.is_institution_admin() {
        return Err(AppError::Forbidden);
    }
    let mut warnings = Vec::new();
    let v = validate(txn, principal, &input, None, &mut warnings).await?;
    let (sealed_nik, nik_index) = seal_nik(app, v.nik.as_deref())?;
    let religion = seal_religion(app, v.religion)?;
    let id = new_id();
    let model = person::Model {
        institution_id: principal.institution_id.clone(),
        id: id.clone(),
        employee_number: v.employee_number,
        employment_type: v.employment_type.as_str().into(),
        full_name: v.full_name,
        nik: sealed_nik,
        nik_index,
        email: v.email,
        phone: v.phone,
        unit_id: v.unit_id,
        position: v.position,
        supervisor_id: v.supervisor_id,
        status: PersonStatus::Active.as_str().into(),
        created_at: now_ms,
        updated_at: now_ms,
        religion,
    };
    person::Entity::insert(person::ActiveModel::from(model.clone()))
        .exec_without_returning(txn)
        .await
        .map_err(unique_conflict)?;
    audit::record(txn, now_ms, meta, Entry::by(principal, "person.create", "person", Some(&id))).await?;
    Ok((model, warnings))
}

/// Finds a person the principal may see: themself, or someone in their admin scope. Anything else
/// is "not found", so another tenant's ids reveal nothing.
async fn visible(conn: &impl ConnectionTrait, principal: &Principal, id: &str) -> Result<person::Model, AppError> {
    person::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(conn)
        .await?
        .filter(|p| p.id == principal.person_id || principal.admin_scope.covers_unit(p.unit_id.as_ref()))
        .ok_or(AppError::NotFound("person"))
}

pub async fn get(app: &App, principal: &Principal, id: &str) -> Result<PersonView, AppError> {
    let p = visible(&app.db, principal, id).await?;
    let view = PersonView::of(app, p.clone(), principal);
    let mut read = vec![Data::Profile];
    read.extend(view.nik.as_ref().map(|_| Data::Nik));
    read.extend(view.religion.map(|_| Data::Religion));
    access_log::record(app, principal, &p, &read).await?;
    Ok(view)
}

pub async fn update(
    app: &App,
    principal: &Principal,
    id: &str,
    patch: PersonPatch,
    meta: &RequestMeta,
) -> Result<SavedPerson, AppError> {
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let current = visible(&txn, principal, id).await?;
    if !principal.admin_scope.covers_unit(current.unit_id.as_ref()) {
        // People see their own record but change it through a rectification request.
        return Err(AppError::Forbidden);
    }
    let mut changed: Vec<&str> = Vec::new();
    let mut pick = |name: &'static str, new: Option<Option<String>>, old: &Option<String>| match new {
        Some(value) if value != *old => {
            changed.push(name);
            value
        }
        _ => old.clone(),
    };
    if patch.religion.is_some() && !principal.is_institution_admin() {
        return Err(AppError::Forbidden);
    }
    let current_religion = open_religion(app, &current).map(|r| r.as_str().to_string());
    let religion = pick("religion", patch.religion.map(|r| r.map(|r| r.as_str().to_string())), &current_religion)
        .and_then(|code| Religion::parse(&code));
    let input = PersonInput {
        religion,
        nik: pick("nik", patch.nik, &open_nik(app, &current)),
        email: pick("email", patch.email, &current.email),
        phone: pick("phone", patch.phone, &current.phone),
        unit_id: pick("unit_id", patch.unit_id, &current.unit_id),
        position: pick("position", patch.position, &current.position),
        supervisor_id: pick("supervisor_id", patch.supervisor_id, &current.supervisor_id),
        employee_number: pick(
            "employee_number",
            patch.employee_number.map(Some),
            &Some(current.employee_number.clone()),
        )
        .unwrap_or_default(),
        full_name: pick("full_name", patch.full_name.map(Some), &Some(current.full_name.clone())).unwrap_or_default(),
        employment_type: patch
            .employment_type
            .unwrap_or(EmploymentType::parse(&current.employment_type).unwrap_or(EmploymentType::NonAsn)),
    };
    if input.employment_type.as_str() != current.employment_type {
        changed.push("employment_type");
    }
    let status = patch.status.map(PersonStatus::as_str).unwrap_or(current.status.as_str()).to_string();
    if status != current.status {
        changed.push("status");
    }
    let mut warnings = Vec::new();
    let v = validate(&txn, principal, &input, Some(id), &mut warnings).await?;
    let (sealed_nik, nik_index) = seal_nik(app, v.nik.as_deref())?;
    // A religion re-sealed only when it changed: sealing draws a fresh nonce.
    let sealed_religion =
        if changed.contains(&"religion") { seal_religion(app, v.religion)? } else { current.religion.clone() };
    let model = person::Model {
        religion: sealed_religion,
        employee_number: v.employee_number,
        employment_type: v.employment_type.as_str().into(),
        full_name: v.full_name,
        nik: sealed_nik,
        nik_index,
        email: v.email,
        phone: v.phone,
        unit_id: v.unit_id,
        position: v.position,
        supervisor_id: v.supervisor_id,
        status,
        updated_at: now_ms,
        ..current
    };
    if !changed.is_empty() {
        person::Entity::update(person::ActiveModel::from(model.clone()).reset_all())
            .exec(&txn)
            .await
            .map_err(unique_conflict)?;
        if model.status == PersonStatus::Inactive.as_str() {
            // A deactivated person cannot keep using open sessions.
            if let Some(acc) = account_of(&txn, &principal.institution_id, id).await? {
                crate::auth::revoke_sessions(&txn, &principal.institution_id, &acc.id, None, now_ms).await?;
            }
        }
        audit::record(
            &txn,
            now_ms,
            meta,
            Entry::by(principal, "person.update", "person", Some(id)).with(serde_json::json!({ "fields": changed })),
        )
        .await?;
    }
    txn.commit().await?;
    crate::auth::forget_principals(app);
    Ok(SavedPerson { person: PersonView::of(app, model, principal), warnings })
}

pub(crate) async fn account_of(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    person_id: &str,
) -> Result<Option<account::Model>, AppError> {
    Ok(account::Entity::find()
        .filter(account::Column::InstitutionId.eq(institution_id))
        .filter(account::Column::PersonId.eq(person_id))
        .one(conn)
        .await?)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Part of a name, employee number or e-mail; case-insensitive.
    pub q: Option<String>,
    pub unit_id: Option<String>,
    pub status: Option<PersonStatus>,
    /// 1-based.
    pub page: Option<u64>,
    /// At most 200; default 50.
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PeoplePage {
    pub items: Vec<PersonView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// People in the principal's admin scope, by name.
pub async fn list(app: &App, principal: &Principal, query: PeopleQuery) -> Result<PeoplePage, AppError> {
    let mut select = person::Entity::find().filter(person::Column::InstitutionId.eq(&principal.institution_id));
    match &principal.admin_scope {
        AdminScope::None => return Err(AppError::Forbidden),
        AdminScope::Units(units) => select = select.filter(person::Column::UnitId.is_in(units.iter().cloned())),
        AdminScope::Institution => {}
    }
    if let Some(unit_id) = &query.unit_id {
        select = select.filter(person::Column::UnitId.eq(unit_id));
    }
    crate::access_log::record_list(app, principal, query.unit_id.as_deref(), crate::access_log::Data::PeopleList, None)
        .await?;
    if let Some(status) = query.status {
        select = select.filter(person::Column::Status.eq(status.as_str()));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let escaped: String = q
            .to_lowercase()
            .chars()
            .flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] })
            .collect();
        let pattern = || LikeExpr::new(format!("%{escaped}%")).escape('\\');
        let lower = |c: person::Column| Expr::expr(Func::lower(Expr::col(c)));
        let mut any = sea_orm::Condition::any()
            .add(lower(person::Column::FullName).like(pattern()))
            .add(lower(person::Column::EmployeeNumber).like(pattern()))
            .add(lower(person::Column::Email).like(pattern()));
        // A whole NIK finds its person through the blind index, for those who may see NIKs.
        if principal.is_institution_admin()
            && let Ok(nik) = Nik::parse(q)
        {
            any = any.add(person::Column::NikIndex.eq(app.keys.blind_index(NIK_INDEX, nik.as_str())));
        }
        select = select.filter(any);
    }
    let per_page = query.per_page.unwrap_or(50).clamp(1, 200);
    let page = Ord::max(query.page.unwrap_or(1), 1);
    let total = select.clone().count(&app.db).await?;
    let items = select
        .order_by_asc(person::Column::FullName)
        .order_by_asc(person::Column::Id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(&app.db)
        .await?
        .into_iter()
        .map(|p| PersonView::of(app, p, principal))
        .collect();
    Ok(PeoplePage { items, total, page, per_page })
}

/// The person of the principal's institution who signs in with `login` (NIP, other number or
/// e-mail), if any.
pub async fn find_by_login(app: &App, principal: &Principal, login: &str) -> Result<Option<PersonView>, AppError> {
    let (number, email) = crate::auth::normalise_login(login);
    let column_value = match (number, email) {
        (Some(n), _) => (person::Column::EmployeeNumber, n),
        (None, Some(e)) => (person::Column::Email, e),
        (None, None) => return Ok(None),
    };
    let found = person::Entity::find()
        .filter(person::Column::InstitutionId.eq(&principal.institution_id))
        .filter(column_value.0.eq(column_value.1))
        .one(&app.db)
        .await?;
    Ok(found
        .filter(|p| principal.admin_scope.covers_unit(p.unit_id.as_ref()))
        .map(|p| PersonView::of(app, p, principal)))
}

/// A person of the institution found by login, for the privacy officer (placing a legal hold on
/// anyone's data is their purpose, whatever unit the person is in): id and name.
pub async fn find_for_privacy_desk(
    app: &App,
    principal: &Principal,
    login: &str,
) -> Result<Option<(String, String)>, AppError> {
    if !principal.is_privacy_officer() {
        return Err(AppError::Forbidden);
    }
    let (number, email) = crate::auth::normalise_login(login);
    let found = match (number, email) {
        (Some(n), _) => person::Column::EmployeeNumber.eq(n),
        (None, Some(e)) => person::Column::Email.eq(e),
        (None, None) => return Ok(None),
    };
    Ok(person::Entity::find()
        .filter(person::Column::InstitutionId.eq(&principal.institution_id))
        .filter(found)
        .one(&app.db)
        .await?
        .map(|p| (p.id, p.full_name)))
}

/// Names to show beside rows about people the principal decides for (approval lists): id → name.
/// Ids of anyone else are left out.
pub async fn names_of(
    app: &App,
    principal: &Principal,
    ids: impl IntoIterator<Item = String>,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    Ok(by_ids(app, &principal.institution_id, ids)
        .await?
        .into_values()
        .filter(|p| principal.manages(p))
        .map(|p| (p.id, p.full_name))
        .collect())
}

/// The institution's people with these ids, by id, in one query: for lists that show or filter
/// by the person behind each row.
pub(crate) async fn by_ids(
    app: &App,
    institution_id: &str,
    ids: impl IntoIterator<Item = String>,
) -> Result<std::collections::HashMap<String, person::Model>, AppError> {
    Ok(person::Entity::find()
        .filter(person::Column::InstitutionId.eq(institution_id))
        .filter(person::Column::Id.is_in(ids))
        .all(&app.db)
        .await?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect())
}
