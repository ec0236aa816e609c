//! `TestApp`: a running server with two institutions seeded through the use cases, a manual
//! clock, and an HTTP client.

use chrono::{DateTime, Utc};
use hadir_app::accounts::{self, GrantRequest, NewPassword};
use hadir_app::institutions::{self, InstitutionInput, InstitutionKind};
use hadir_app::locations::{self, LocationInput};
use hadir_app::passwords::PasswordCost;
use hadir_app::people::{self, PersonInput};
use hadir_app::sealing::Keyring;
use hadir_app::units::{self, UnitInput};
use hadir_app::{App, AppSettings, ManualClock, Principal, RequestMeta};
use hadir_db::Objects;
use hadir_db::entities::account;
use hadir_db::sea_orm::{ActiveValue::Set, EntityTrait};
use hadir_db::testing::TestDatabase;
use hadir_domain::geo::{GeofenceInput, RawPoint};
use hadir_domain::person::EmploymentType;
use hadir_domain::roles::Role;
use hadir_domain::time_zone::WorkZone;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;

pub const PASSWORD: &str = "Sandi-Uji-2026!";

/// One seeded person: ids and the login.
#[derive(Clone, Debug)]
pub struct Someone {
    pub person_id: String,
    pub login: String,
}

pub struct Tenant {
    pub admin: Someone,
    pub unit_admin: Someone,
    pub employee: Someone,
    /// An employee outside the unit admin's unit.
    pub outsider: Someone,
    pub opd_unit: String,
    pub child_unit: String,
    pub other_unit: String,
    pub location: String,
}

pub struct TestApp {
    pub base: String,
    /// The server's own use cases, for what a test drives directly (a round of background jobs).
    pub app: App,
    pub http: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub a: Tenant,
    pub b: Tenant,
}

pub fn start_instant() -> DateTime<Utc> {
    "2026-03-02T00:00:00Z".parse().unwrap()
}

pub async fn app_for(db: &TestDatabase, cost: PasswordCost) -> (App, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(start_instant()));
    let settings = AppSettings { password_cost: cost, ..AppSettings::default() };
    let app = App::new(db.connect().await, db.objects(), clock.clone(), settings, Keyring::ephemeral());
    (app, clock)
}

/// Serves `app` on a free loopback port; returns the base URL.
pub async fn serve(
    app: App,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let config = hadir_web::WebConfig { secure_cookies: false, ..hadir_web::WebConfig::default() };
    serve_with(app, config, shutdown).await
}

/// [`serve`] with settings of the test's own.
pub async fn serve_with(
    app: App,
    config: hadir_web::WebConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = hadir_web::router(app, config);
    let handle = tokio::spawn(hadir_web::serve(listener, router, shutdown));
    (base, handle)
}

/// An upload form: a `metadata` JSON part and a JPEG part named `photo_part`.
fn form(metadata: Value, photo_part: &str, photo: Vec<u8>) -> reqwest::multipart::Form {
    let jpeg = reqwest::multipart::Part::bytes(photo).file_name("photo.jpg").mime_str("image/jpeg").unwrap();
    reqwest::multipart::Form::new().text("metadata", metadata.to_string()).part(photo_part.to_string(), jpeg)
}

/// Serves a database as it is (e.g. after the binary wrote to it), with the real clock.
pub async fn serve_database(db: &TestDatabase) -> String {
    let settings = AppSettings::default();
    let app = App::new(
        db.connect().await,
        Objects::open("memory://").unwrap(),
        Arc::new(hadir_app::SystemClock),
        settings,
        Keyring::ephemeral(),
    );
    serve(app, std::future::pending()).await.0
}

const NIPS: [&str; 10] = [
    "198503122010011002",
    "198705122010012003",
    "199001012015031001",
    "199202292015032001",
    "198812312012121004",
    "197001011995031001",
    "197512252000032002",
    "198107172006041003",
    "199306302019022001",
    "196808171994031005",
];

async fn person(
    app: &App,
    op: &Principal,
    slug: &str,
    nip: &str,
    name: &str,
    unit: &str,
    roles: &[(Role, Option<&str>)],
) -> Someone {
    let meta = RequestMeta::default();
    let input = PersonInput {
        employee_number: nip.into(),
        employment_type: EmploymentType::Asn,
        full_name: name.into(),
        nik: None,
        email: Some(format!("{}@{slug}.example.go.id", name.to_lowercase().replace(' ', "."))),
        phone: None,
        unit_id: Some(unit.into()),
        position: None,
        supervisor_id: None,
        religion: None,
    };
    let saved = people::create(app, op, input, &meta).await.unwrap();
    let acc =
        accounts::create(app, op, &saved.person.id, NewPassword { password: PASSWORD.into() }, &meta).await.unwrap();
    for (role, unit_id) in roles {
        let req = GrantRequest { role: *role, unit_id: unit_id.map(Into::into) };
        accounts::grant(app, op, &saved.person.id, req, &meta).await.unwrap();
    }
    // Fixtures start with a password the person chose, not one an admin handed out.
    account::Entity::update(account::ActiveModel {
        institution_id: Set(op.institution_id.clone()),
        id: Set(acc.id),
        must_change_password: Set(false),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .unwrap();
    Someone { person_id: saved.person.id, login: nip.into() }
}

async fn tenant(app: &App, slug: &str, nips: &[&str]) -> Tenant {
    let meta = RequestMeta::default();
    let input = InstitutionInput {
        slug: slug.into(),
        name: format!("Pemerintah {slug}"),
        kind: InstitutionKind::Government,
        time_zone: WorkZone::Jakarta,
    };
    let inst = institutions::create(app, None, input, &meta).await.unwrap();
    let op = Principal::operator(&inst.id);
    let unit = |code: &str, parent: Option<&str>| UnitInput {
        code: code.into(),
        name: format!("Unit {code}"),
        kind: "opd".into(),
        parent_id: parent.map(Into::into),
    };
    let opd = units::create(app, &op, unit("OPD", None), &meta).await.unwrap().id;
    let child = units::create(app, &op, unit("OPD.1", Some(&opd)), &meta).await.unwrap().id;
    let other = units::create(app, &op, unit("OTHER", None), &meta).await.unwrap().id;
    let fence = GeofenceInput::Circle { center: RawPoint { lat: -3.8215, lon: 102.287 }, radius_m: 150.0 };
    let location = locations::create(
        app,
        &op,
        LocationInput {
            name: "Kantor".into(),
            address: None,
            unit_id: Some(opd.clone()),
            time_zone: WorkZone::Jakarta,
            geofence: fence,
        },
        &meta,
    )
    .await
    .unwrap()
    .id;
    Tenant {
        admin: person(app, &op, slug, nips[0], "Admin Instansi", &opd, &[(Role::InstitutionAdmin, None)]).await,
        unit_admin: person(app, &op, slug, nips[1], "Admin Unit", &opd, &[(Role::UnitAdmin, Some(&opd))]).await,
        employee: person(app, &op, slug, nips[2], "Pegawai Satu", &child, &[]).await,
        outsider: person(app, &op, slug, nips[3], "Pegawai Lain", &other, &[]).await,
        opd_unit: opd,
        child_unit: child,
        other_unit: other,
        location,
    }
}

impl TestApp {
    pub async fn start(db: &TestDatabase) -> TestApp {
        capture_logs();
        let (app, clock) = app_for(db, PasswordCost::insecure_fast()).await;
        let a = tenant(&app, "pemkot-a", &NIPS[..4]).await;
        let b = tenant(&app, "pemkot-b", &NIPS[4..8]).await;
        let (base, _) = serve(app.clone(), std::future::pending()).await;
        // No connection reuse: a test that makes the server close a connection early (an
        // oversized upload) must not leave a dead pooled connection for the next request.
        let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        TestApp { base, app, http, clock, a, b }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a JSON request (or none) with an optional bearer token.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Sends a `multipart/form-data` upload: a `metadata` JSON part and a JPEG part.
    pub async fn upload(
        &self,
        path: &str,
        token: &str,
        metadata: Value,
        photo_part: &str,
        photo: Vec<u8>,
    ) -> (StatusCode, Value) {
        let res = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .multipart(form(metadata, photo_part, photo))
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Sends a `multipart/form-data` upload with its `metadata` part only (no photo).
    pub async fn upload_without_photo(&self, path: &str, token: &str, metadata: Value) -> (StatusCode, Value) {
        let form = reqwest::multipart::Form::new().text("metadata", metadata.to_string());
        let res = self.http.post(self.url(path)).bearer_auth(token).multipart(form).send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Sends an upload that is too large and checks it is refused: with `413`, or — when the
    /// server answered `413` and closed the connection before the client finished writing — with
    /// the connection closed early. Either way the server must still answer afterwards.
    pub async fn assert_upload_refused_as_too_large(
        &self,
        path: &str,
        token: &str,
        metadata: Value,
        photo_part: &str,
        photo: Vec<u8>,
    ) {
        match self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .multipart(form(metadata, photo_part, photo))
            .send()
            .await
        {
            Ok(res) => assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE),
            Err(e) => assert!(e.is_request(), "only an early close is acceptable: {e}"),
        }
        assert_eq!(self.http.get(self.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    }

    /// Signs in as the phone app and returns the bearer token.
    pub async fn login(&self, who: &Someone) -> String {
        self.login_with(&who.login, PASSWORD).await
    }

    pub async fn login_with(&self, login: &str, password: &str) -> String {
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({ "login": login, "password": password, "client": "app" })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_string()
    }
}

/// Everything the servers of this test process logged (at debug level and above), for the test
/// that scans it for personal data.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned()
}

static LOGS: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

struct Capture;

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing subscriber once per process; later calls do nothing.
fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("debug,sqlx=warn,sea_orm=warn,hyper=info,reqwest=info,h2=info")
            .with_writer(|| Capture)
            .with_ansi(false)
            .try_init();
    });
}
