//! People in the admin console: find them (the search is sent in a form, never in the address,
//! so a name does not end up in a log), add one, change or deactivate one, open or reset a login.

use super::login::Chrome;
use super::session::{Page, escape, failed};
use super::{Tr, render};
use crate::AppState;
use crate::guard::Admin;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use hadir_app::accounts::{self, NewPassword};
use hadir_app::people::{self, PeopleQuery, PersonInput, PersonPatch, PersonView, Warning};
use hadir_app::{AppError, units};
use hadir_domain::Lang;
use hadir_domain::person::{EmploymentType, PersonStatus, Religion};
use serde::Deserialize;

const PER_PAGE: u64 = 25;

pub struct PersonLine {
    pub id: String,
    pub number: String,
    pub name: String,
    pub unit: String,
    pub position: String,
    pub active: bool,
}

/// The result table (`templates/people_list.html`), also the answer to a search.
#[derive(Template)]
#[template(path = "people_list.html")]
struct PeopleList {
    t: Tr,
    rows: Vec<PersonLine>,
    total: u64,
    page: u64,
    pages: u64,
}

#[derive(Template)]
#[template(path = "admin_people.html")]
struct PeoplePage {
    c: Chrome,
    units: Vec<(String, String)>,
    list: PeopleList,
}

/// The search form's fields; all optional.
#[derive(Default, Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    unit: String,
    /// `active`, `inactive`, or empty for both.
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<u64>,
}

/// One page of the search's result; `units` label each person's unit.
async fn people_list(
    state: &AppState,
    page: &Page<Admin>,
    units: &[(String, String)],
    search: Search,
) -> Result<PeopleList, AppError> {
    let query = PeopleQuery {
        q: Some(search.q),
        unit_id: Some(search.unit).filter(|u| !u.is_empty()),
        status: PersonStatus::parse(&search.status),
        page: search.page,
        per_page: Some(PER_PAGE),
    };
    let found = people::list(&state.app, &page.principal, query).await?;
    Ok(PeopleList {
        t: page.t,
        rows: found
            .items
            .into_iter()
            .map(|p| PersonLine {
                unit: p
                    .unit_id
                    .as_ref()
                    .and_then(|u| units.iter().find(|(id, _)| id == u))
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default(),
                active: p.status == PersonStatus::Active,
                position: p.position.unwrap_or_default(),
                number: p.employee_number,
                name: p.full_name,
                id: p.id,
            })
            .collect(),
        total: found.total,
        page: found.page,
        pages: found.total.div_ceil(found.per_page).max(1),
    })
}

/// The units for the filters and forms: id → "code · name".
async fn unit_codes(state: &AppState, page: &Page<Admin>) -> Result<Vec<(String, String)>, AppError> {
    Ok(units::list(&state.app, &page.principal)
        .await?
        .into_iter()
        .filter(|u| page.principal.admin_scope.covers_unit(Some(&u.id)))
        .map(|u| {
            // Closed units stay findable (their people's history), marked as such.
            let closed = if u.active { String::new() } else { format!(" ({})", page.t.get("person-inactive")) };
            (u.id, format!("{} · {}{closed}", u.code, u.name))
        })
        .collect())
}

/// The people in the admin's scope, active ones first page, with the search form.
pub async fn list(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let loaded = async {
        let search = Search { status: "active".into(), ..Search::default() };
        let units = unit_codes(&state, &page).await?;
        let list = people_list(&state, &page, &units, search).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, units, list))
    };
    match loaded.await {
        Ok((name, units, list)) => render(&PeoplePage { c: Chrome::of(&page, name, "/admin/orang"), units, list }),
        Err(e) => failed(page.t, e),
    }
}

/// A search (or another page of it): the result table only.
pub async fn search(State(state): State<AppState>, page: Page<Admin>, Form(search): Form<Search>) -> Response {
    let found = async { people_list(&state, &page, &unit_codes(&state, &page).await?, search).await };
    match found.await {
        Ok(list) => render(&list),
        Err(e) => failed(page.t, e),
    }
}

/// What the person form shows and sends back: text as typed.
#[derive(Default, Deserialize)]
pub struct PersonFields {
    #[serde(default)]
    employee_number: String,
    #[serde(default)]
    employment_type: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    nik: String,
    /// The NIK was shown in the form, so an empty field means "remove it" rather than
    /// "unchanged" (a unit administrator sees only the masked NIK).
    #[serde(default)]
    nik_shown: bool,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    position: String,
    /// The supervisor's NIP or e-mail.
    #[serde(default)]
    supervisor: String,
    #[serde(default)]
    status: String,
    /// A religion's code, or empty; sent only by a form that showed it (institution admins).
    #[serde(default)]
    religion: String,
    #[serde(default)]
    religion_shown: bool,
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

#[derive(Template)]
#[template(path = "admin_person.html")]
struct PersonPage {
    c: Chrome,
    /// None for a new person.
    id: Option<String>,
    f: PersonFields,
    nik_masked: String,
    types: Vec<(String, String)>,
    units: Vec<(String, String)>,
    /// Whether the person has a login already (edit page only).
    has_account: bool,
    /// Where they check in and their schedule (edit page only).
    a: Option<super::assignments::Assignments>,
    religions: Vec<(String, String)>,
}

fn religions(t: Tr) -> Vec<(String, String)> {
    Religion::ALL.iter().map(|r| (r.as_str().to_string(), t.get(&format!("religion-{}", r.as_str())))).collect()
}

/// The religion chosen in a form that showed it: `None` when not shown, `Some(None)` for "—".
fn religion_of(f: &PersonFields) -> Result<Option<Option<Religion>>, AppError> {
    if !f.religion_shown {
        return Ok(None);
    }
    match optional(&f.religion) {
        None => Ok(Some(None)),
        Some(code) => Religion::parse(&code)
            .map(|r| Some(Some(r)))
            .ok_or_else(|| AppError::field("religion", &hadir_app::Rule::UnknownChoice)),
    }
}

fn employment_types(t: Tr) -> Vec<(String, String)> {
    EmploymentType::ALL.iter().map(|e| (e.as_str().to_string(), t.get(&format!("employment-{}", e.as_str())))).collect()
}

/// The form for a new person.
pub async fn new_form(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let loaded = async { Ok::<_, AppError>((page.own_name(&state.app).await?, unit_codes(&state, &page).await?)) };
    let (name, units) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(page.t, e),
    };
    let f = PersonFields {
        employment_type: "asn".into(),
        status: "active".into(),
        religion_shown: page.principal.is_institution_admin(),
        ..PersonFields::default()
    };
    render(&PersonPage {
        types: employment_types(page.t),
        c: Chrome::of(&page, name, "/admin/orang"),
        id: None,
        f,
        nik_masked: String::new(),
        units,
        has_account: false,
        a: None,
        religions: religions(page.t),
    })
}

/// One person's form, filled in (opening it is recorded in their access log).
pub async fn edit_form(State(state): State<AppState>, page: Page<Admin>, Path(id): Path<String>) -> Response {
    let (app, p) = (&state.app, &page.principal);
    let loaded = async {
        let person = people::get(app, p, &id).await?;
        let supervisor = match &person.supervisor_id {
            Some(s) => Some(people::get(app, p, s).await.map(|s| s.employee_number).unwrap_or_default()),
            None => None,
        };
        let has_account = match accounts::get(app, p, &id).await {
            Ok(_) => true,
            Err(AppError::NotFound(_)) => false,
            Err(e) => return Err(e),
        };
        Ok::<_, AppError>((
            page.own_name(app).await?,
            unit_codes(&state, &page).await?,
            super::assignments::load(&state, p, &id).await?,
            person,
            supervisor,
            has_account,
        ))
    };
    let (name, units, a, person, supervisor, has_account) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(page.t, e),
    };
    let f = fields_of(&person, supervisor, page.principal.is_institution_admin());
    render(&PersonPage {
        types: employment_types(page.t),
        c: Chrome::of(&page, name, "/admin/orang"),
        id: Some(person.id),
        nik_masked: person.nik_masked.unwrap_or_default(),
        f,
        units,
        has_account,
        a: Some(a),
        religions: religions(page.t),
    })
}

/// The form as the person's record fills it; the religion only for a viewer who may see it.
fn fields_of(p: &PersonView, supervisor: Option<String>, religion_visible: bool) -> PersonFields {
    PersonFields {
        religion_shown: religion_visible,
        religion: p.religion.map(|r| r.as_str().to_string()).unwrap_or_default(),
        employee_number: p.employee_number.clone(),
        employment_type: p.employment_type.as_str().into(),
        full_name: p.full_name.clone(),
        nik_shown: p.nik.is_some(),
        nik: p.nik.clone().unwrap_or_default(),
        email: p.email.clone().unwrap_or_default(),
        phone: p.phone.clone().unwrap_or_default(),
        unit_id: p.unit_id.clone().unwrap_or_default(),
        position: p.position.clone().unwrap_or_default(),
        supervisor: supervisor.unwrap_or_default(),
        status: p.status.as_str().into(),
    }
}

/// The supervisor typed as a NIP or e-mail, as a person id; one not found is a field problem.
async fn supervisor_id(state: &AppState, page: &Page<Admin>, login: &str) -> Result<Option<String>, AppError> {
    let Some(login) = optional(login) else { return Ok(None) };
    match people::find_by_login(&state.app, &page.principal, &login).await? {
        Some(p) => Ok(Some(p.id)),
        None => Err(AppError::field("supervisor", &hadir_app::Rule::UnknownSupervisor)),
    }
}

/// The answer to a saved form: a short confirmation, with any warnings worth a second look.
fn saved(t: Tr, warnings: Vec<Warning>) -> String {
    let mut html = format!("<span id=\"saved\">{}</span>", escape(&t.get("saved")));
    for w in warnings {
        let message = if t.lang == Lang::En { w.message_en } else { w.message_id };
        html.push_str(&format!("<br><span class=\"warn\">{}</span>", escape(&message)));
    }
    html
}

fn employment_type(text: &str) -> Result<EmploymentType, AppError> {
    EmploymentType::parse(text).ok_or_else(|| AppError::field("employment_type", &hadir_app::Rule::UnknownChoice))
}

/// Adds a person; the answer links to their page, where a login can be opened.
pub async fn create(State(state): State<AppState>, page: Page<Admin>, Form(f): Form<PersonFields>) -> Response {
    let result = async {
        let religion = religion_of(&f)?.flatten();
        let input = PersonInput {
            employment_type: employment_type(&f.employment_type)?,
            supervisor_id: supervisor_id(&state, &page, &f.supervisor).await?,
            employee_number: f.employee_number,
            full_name: f.full_name,
            nik: optional(&f.nik),
            email: optional(&f.email),
            phone: optional(&f.phone),
            unit_id: optional(&f.unit_id),
            position: optional(&f.position),
            religion,
        };
        people::create(&state.app, &page.principal, input, &page.meta).await
    };
    match result.await {
        Ok(s) => {
            let link = format!(
                " <a id=\"open-person\" href=\"/admin/orang/{}\">{}</a>",
                escape(&s.person.id),
                escape(&page.t.get("person-open"))
            );
            Html(saved(page.t, s.warnings) + &link).into_response()
        }
        Err(e) => failed(page.t, e),
    }
}

/// Saves changes to a person; deactivating is choosing "inactive" (they can no longer sign in
/// or check in, and their records stay).
pub async fn update(
    State(state): State<AppState>,
    page: Page<Admin>,
    Path(id): Path<String>,
    Form(f): Form<PersonFields>,
) -> Response {
    let result = async {
        let status =
            PersonStatus::parse(&f.status).ok_or_else(|| AppError::field("status", &hadir_app::Rule::UnknownChoice))?;
        let nik = optional(&f.nik);
        let religion = religion_of(&f)?;
        let patch = PersonPatch {
            employee_number: Some(f.employee_number),
            employment_type: Some(employment_type(&f.employment_type)?),
            full_name: Some(f.full_name),
            nik: (nik.is_some() || f.nik_shown).then_some(nik),
            email: Some(optional(&f.email)),
            phone: Some(optional(&f.phone)),
            unit_id: Some(optional(&f.unit_id)),
            position: Some(optional(&f.position)),
            supervisor_id: Some(supervisor_id(&state, &page, &f.supervisor).await?),
            status: Some(status),
            religion,
        };
        people::update(&state.app, &page.principal, &id, patch, &page.meta).await
    };
    match result.await {
        Ok(s) => Html(saved(page.t, s.warnings)).into_response(),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Deserialize)]
pub struct PasswordField {
    password: String,
}

/// Opens a login for the person with a first password they must change, or sets a new first
/// password for one who has a login (their sessions end).
pub async fn set_login(
    State(state): State<AppState>,
    page: Page<Admin>,
    Path(id): Path<String>,
    Form(f): Form<PasswordField>,
) -> Response {
    let (app, p) = (&state.app, &page.principal);
    let request = NewPassword { password: f.password };
    let result = match accounts::get(app, p, &id).await {
        Ok(_) => accounts::reset_password(app, p, &id, request, &page.meta).await.map(|()| "login-reset-done"),
        Err(AppError::NotFound(_)) => accounts::create(app, p, &id, request, &page.meta).await.map(|_| "login-opened"),
        Err(e) => Err(e),
    };
    match result {
        Ok(key) => Html(escape(&page.t.get(key))).into_response(),
        Err(e) => failed(page.t, e),
    }
}
