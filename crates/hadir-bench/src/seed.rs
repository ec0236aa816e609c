//! What the benches stand on: an institution with a unit (every bench), and for a check-in surge
//! an office and `n` people each with an approved phone, the office assigned and a session. The
//! first person is made through the app itself (onboarding, sign-in, password change, device
//! registration and approval, assignment); the others are copies of that person's rows with
//! their own ids, inserted in bulk — so every column is what the app writes, and a surge of
//! 100,000 people seeds in seconds, not an hour.

use super::fail;
use hadir_app::accounts;
use hadir_app::auth::{self, ChangePassword, ClientKind, LoginRequest};
use hadir_app::devices::{self, DeviceRegistration};
use hadir_app::institutions::{self, InstitutionInput, InstitutionKind};
use hadir_app::locations::{self, Assignment, LocationInput};
use hadir_app::people::PersonInput;
use hadir_app::units::{self, UnitInput};
use hadir_app::{App, Principal, RequestMeta};
use hadir_db::entities::{account, device, location_assignment, person, role_grant, session};
use hadir_db::sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use hadir_domain::geo::{GeofenceInput, RawPoint};
use hadir_domain::person::EmploymentType;
use hadir_domain::photo::sample_jpeg;
use hadir_domain::time_zone::WorkZone;

const PASSWORD: &str = "Bench-Sandi-2026!";
const NEW_PASSWORD: &str = "Bench-Sandi-Baru-2026!";
/// Rows per insert statement: below both backends' limit on bound parameters.
const CHUNK: usize = 500;
/// The copies signed in yesterday, as phones do: a surge's first request of the day records
/// the session's activity, as it would in the morning.
const SIGNED_IN_AGO_MS: i64 = 12 * 60 * 60 * 1000;

pub struct Seeded {
    /// Person `i`'s session token; their phone is `device_key(i)`.
    pub tokens: Vec<String>,
    pub operator: Principal,
    pub office: String,
}

pub fn device_key(i: usize) -> String {
    format!("bench-phone-{i:06}")
}

/// An institution with one unit, as its operator: the ground every bench stands on.
pub struct Ground {
    pub institution: hadir_app::institutions::InstitutionView,
    pub operator: Principal,
    pub unit: hadir_app::units::UnitView,
}

pub async fn ground(app: &App, slug: &str, kind: InstitutionKind) -> Ground {
    let meta = RequestMeta::default();
    let input = InstitutionInput { slug: slug.into(), name: "Bench".into(), kind, time_zone: WorkZone::Jakarta };
    let institution = institutions::create(app, None, input, &meta).await.unwrap_or_else(|e| fail("institution", e));
    let operator = Principal::operator(&institution.id);
    let unit = UnitInput { code: "U".into(), name: "Unit".into(), kind: "unit".into(), parent_id: None };
    let unit = units::create(app, &operator, unit, &meta).await.unwrap_or_else(|e| fail("unit", e));
    Ground { institution, operator, unit }
}

/// The institution, its office, and `n` people who can check in there (at least one).
pub async fn seed(app: &App, n: usize) -> Seeded {
    let meta = RequestMeta::default();
    let slug = format!("bench-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let Ground { institution: inst, operator: op, unit } = ground(app, &slug, InstitutionKind::Company).await;
    let fence = GeofenceInput::Circle { center: RawPoint { lat: -3.8215, lon: 102.287 }, radius_m: 150.0 };
    let office = LocationInput {
        name: "Kantor".into(),
        address: None,
        unit_id: None,
        time_zone: WorkZone::Jakarta,
        geofence: fence,
    };
    let office = locations::create(app, &op, office, &meta).await.unwrap_or_else(|e| fail("location", e));

    // The template, through the app.
    let number = "B-000000".to_string();
    let person = PersonInput {
        employee_number: number.clone(),
        employment_type: EmploymentType::NonAsn,
        full_name: "Pegawai 0".into(),
        nik: None,
        email: None,
        phone: None,
        unit_id: Some(unit.id.clone()),
        position: None,
        supervisor_id: None,
        religion: None,
    };
    let saved =
        accounts::onboard(app, &op, person, PASSWORD.into(), &[], &meta).await.unwrap_or_else(|e| fail("person", e));
    let login =
        LoginRequest { login: number, password: PASSWORD.into(), institution: Some(slug), client: ClientKind::App };
    let token = auth::login(app, login, &meta).await.unwrap_or_else(|e| fail("login", e)).token;
    let me = auth::authenticate(app, &token).await.unwrap_or_else(|e| fail("authenticate", e));
    let change = ChangePassword { old_password: PASSWORD.into(), new_password: NEW_PASSWORD.into() };
    auth::change_password(app, &me, change, &meta).await.unwrap_or_else(|e| fail("password", e));
    let registration = DeviceRegistration { device_id: device_key(0), model: None, os: None };
    let selfie = sample_jpeg(480, 640, 2_000);
    let phone =
        devices::register(app, &me, registration, Some(selfie), &meta).await.unwrap_or_else(|e| fail("device", e));
    devices::approve(app, &op, &phone.id, &meta).await.unwrap_or_else(|e| fail("approve", e));
    locations::assign(app, &op, &saved.person.id, Assignment { location_ids: vec![office.id.clone()] }, &meta)
        .await
        .unwrap_or_else(|e| fail("assign", e));

    let mut tokens = Vec::with_capacity(n.max(1));
    tokens.push(token);
    copy(app, &inst.id, &me, n.saturating_sub(1), &mut tokens).await;
    Seeded { tokens, operator: op, office: office.id }
}

/// The template's rows, as the app wrote them.
struct Template {
    person: person::Model,
    account: account::Model,
    grants: Vec<role_grant::Model>,
    session: session::Model,
    device: device::Model,
    assignments: Vec<location_assignment::Model>,
}

async fn template(app: &App, inst: &str, me: &Principal) -> Template {
    let db = &app.db;
    let person = person::Entity::find_by_id((inst.to_string(), me.person_id.clone())).one(db).await;
    let account = account::Entity::find_by_id((inst.to_string(), me.account_id.clone())).one(db).await;
    let session = session::Entity::find_by_id((inst.to_string(), me.session_id.clone())).one(db).await;
    let device = device::Entity::find()
        .filter(device::Column::InstitutionId.eq(inst))
        .filter(device::Column::PersonId.eq(&me.person_id))
        .one(db)
        .await;
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::InstitutionId.eq(inst))
        .filter(role_grant::Column::AccountId.eq(&me.account_id))
        .all(db)
        .await;
    let assignments = location_assignment::Entity::find()
        .filter(location_assignment::Column::InstitutionId.eq(inst))
        .filter(location_assignment::Column::PersonId.eq(&me.person_id))
        .all(db)
        .await;
    Template {
        person: found("person", person),
        account: found("account", account),
        grants: read("role grants", grants),
        session: found("session", session),
        device: found("device", device),
        assignments: read("assignments", assignments),
    }
}

fn read<T>(what: &str, result: Result<T, hadir_db::sea_orm::DbErr>) -> T {
    result.unwrap_or_else(|e| fail(&format!("reading the template's {what}"), e))
}

fn found<T>(what: &str, result: Result<Option<T>, hadir_db::sea_orm::DbErr>) -> T {
    read(what, result).unwrap_or_else(|| fail(&format!("the template's {what}"), "not stored"))
}

/// `count` more people like the template, numbered from 1; their tokens are appended.
async fn copy(app: &App, inst: &str, me: &Principal, count: usize, tokens: &mut Vec<String>) {
    let t = template(app, inst, me).await;
    let txn = app.db.begin().await.unwrap_or_else(|e| fail("transaction", e));
    let ago = t.session.created_at - SIGNED_IN_AGO_MS;
    let id = |kind: &str, i: usize| format!("bench-{kind}-{i:07}");
    for chunk in (1..=count).collect::<Vec<_>>().chunks(CHUNK) {
        let mut rows = Rows::default();
        for &i in chunk {
            let (person_id, account_id) = (id("person", i), id("account", i));
            let token = format!("hdr_bench_{}", uuid::Uuid::new_v4().simple());
            rows.people.push(person::Model {
                id: person_id.clone(),
                employee_number: format!("B-{i:06}"),
                full_name: format!("Pegawai {i}"),
                ..t.person.clone()
            });
            rows.accounts.push(account::Model {
                id: account_id.clone(),
                person_id: person_id.clone(),
                ..t.account.clone()
            });
            rows.grants.extend(t.grants.iter().enumerate().map(|(g, grant)| role_grant::Model {
                id: format!("{}-{g}", id("grant", i)),
                account_id: account_id.clone(),
                ..grant.clone()
            }));
            rows.sessions.push(session::Model {
                id: id("session", i),
                account_id: account_id.clone(),
                token_hash: auth::token_hash(&token),
                created_at: ago,
                last_seen_at: ago,
                ..t.session.clone()
            });
            rows.devices.push(device::Model {
                id: id("device", i),
                person_id: person_id.clone(),
                device_key: device_key(i),
                ..t.device.clone()
            });
            rows.assignments.extend(
                t.assignments.iter().map(|a| location_assignment::Model { person_id: person_id.clone(), ..a.clone() }),
            );
            tokens.push(token);
        }
        rows.insert(&txn).await;
    }
    txn.commit().await.unwrap_or_else(|e| fail("commit", e));
}

#[derive(Default)]
struct Rows {
    people: Vec<person::Model>,
    accounts: Vec<account::Model>,
    grants: Vec<role_grant::Model>,
    sessions: Vec<session::Model>,
    devices: Vec<device::Model>,
    assignments: Vec<location_assignment::Model>,
}

impl Rows {
    async fn insert(self, txn: &hadir_db::sea_orm::DatabaseTransaction) {
        insert_all::<person::ActiveModel, _>(txn, self.people).await;
        insert_all::<account::ActiveModel, _>(txn, self.accounts).await;
        insert_all::<role_grant::ActiveModel, _>(txn, self.grants).await;
        insert_all::<session::ActiveModel, _>(txn, self.sessions).await;
        insert_all::<device::ActiveModel, _>(txn, self.devices).await;
        insert_all::<location_assignment::ActiveModel, _>(txn, self.assignments).await;
    }
}

async fn insert_all<A, M>(txn: &hadir_db::sea_orm::DatabaseTransaction, models: Vec<M>)
where
    A: ActiveModelTrait + From<M> + Send,
{
    if models.is_empty() {
        return;
    }
    A::Entity::insert_many(models.into_iter().map(A::from))
        .exec_without_returning(txn)
        .await
        .unwrap_or_else(|e| fail("copying the template", e));
}
