//! What operators rely on: health, metrics, the OpenAPI document, headers, graceful shutdown.

use crate::support::{PASSWORD, TestApp, app_for};
use hadir_app::passwords::PasswordCost;
use hadir_db::db_test;
use reqwest::{Method, StatusCode};
use serde_json::json;

db_test!(health_metrics_and_headers, |db| {
    let t = TestApp::start(db).await;
    let res = t.http.get(t.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let headers = res.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers.contains_key("x-request-id"));
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "ok");

    // A request id sent by a proxy is kept.
    let res = t.http.get(t.url("/healthz")).header("x-request-id", "lb-42").send().await.unwrap();
    assert_eq!(res.headers()["x-request-id"], "lb-42");

    t.login(&t.a.employee).await;
    let metrics = t.http.get(t.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("hadir_http_requests_total"), "{metrics}");
    assert!(metrics.contains(r#"route="/api/v1/auth/login""#));
    assert!(!metrics.contains(&t.a.employee.person_id), "route templates, never concrete ids");

    // With no token set, a scrape that came through a reverse proxy (from elsewhere) is refused.
    let res = t.http.get(t.url("/metrics")).header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "metrics_local_only", "{body}");
    assert!(body.to_string().contains("metrics_token"), "says what to set: {body}");
});

db_test!(metrics_ask_for_the_token_when_one_is_set, |db| {
    let (app, _) = app_for(db, PasswordCost::insecure_fast()).await;
    let config = hadir_web::WebConfig {
        secure_cookies: false,
        metrics_token: Some(hadir_web::MetricsToken::parse("scrape-7f3a9c-5e1d").unwrap()),
        ..hadir_web::WebConfig::default()
    };
    let (base, _) = crate::support::serve_with(app, config, std::future::pending()).await;
    let http = reqwest::Client::new();
    let scrape = |authorization: Option<&'static str>| {
        let request = http.get(format!("{base}/metrics"));
        match authorization {
            Some(value) => request.header("authorization", value),
            None => request,
        }
        .send()
    };
    for refused in [None, Some("Bearer scrape-7f3a9c-5e1"), Some("Basic scrape-7f3a9c-5e1d")] {
        let res = scrape(refused).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{refused:?}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "metrics_token_required", "{body}");
    }
    let res = scrape(Some("Bearer scrape-7f3a9c-5e1d")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("hadir_http_requests_total"));
    // The health check stays open: load balancers send no token.
    assert_eq!(http.get(format!("{base}/healthz")).send().await.unwrap().status(), StatusCode::OK);
});

db_test!(the_openapi_document_covers_every_endpoint, |db| {
    let t = TestApp::start(db).await;
    let doc: serde_json::Value = t.http.get(t.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/password", "post"),
        ("/api/v1/auth/sessions", "get"),
        ("/api/v1/auth/sessions/{id}", "delete"),
        ("/api/v1/me", "get"),
        ("/api/v1/institution", "get"),
        ("/api/v1/institutions", "get"),
        ("/api/v1/institutions", "post"),
        ("/api/v1/audit", "get"),
        ("/api/v1/units", "get"),
        ("/api/v1/units", "post"),
        ("/api/v1/units/{id}", "get"),
        ("/api/v1/units/{id}", "patch"),
        ("/api/v1/people", "get"),
        ("/api/v1/people", "post"),
        ("/api/v1/people/{id}", "get"),
        ("/api/v1/people/{id}", "patch"),
        ("/api/v1/people/{id}/account", "get"),
        ("/api/v1/people/{id}/account", "post"),
        ("/api/v1/people/{id}/account/password", "post"),
        ("/api/v1/people/{id}/account/roles", "post"),
        ("/api/v1/people/{id}/account/roles/{grant_id}", "delete"),
        ("/api/v1/locations", "get"),
        ("/api/v1/locations", "post"),
        ("/api/v1/locations/{id}", "get"),
        ("/api/v1/locations/{id}", "put"),
        ("/api/v1/schedules", "get"),
        ("/api/v1/holidays", "get"),
        ("/api/v1/holidays", "post"),
        ("/api/v1/holidays/{id}", "patch"),
        ("/api/v1/holidays/{id}", "delete"),
        ("/api/v1/holidays/import", "post"),
        ("/api/v1/discipline-table", "get"),
        ("/api/v1/discipline-table", "put"),
        ("/api/v1/devices", "post"),
        ("/api/v1/devices", "get"),
        ("/api/v1/devices/pending", "get"),
        ("/api/v1/devices/{id}/approve", "post"),
        ("/api/v1/devices/{id}/reject", "post"),
        ("/api/v1/devices/{id}/selfie", "get"),
        ("/api/v1/people/{id}/devices/reset", "post"),
        ("/api/v1/attendance-policy", "get"),
        ("/api/v1/attendance-policy", "put"),
        ("/api/v1/people/{id}/locations", "get"),
        ("/api/v1/people/{id}/locations", "put"),
        ("/api/v1/checkins", "post"),
        ("/api/v1/locations/{id}/kiosk-token", "get"),
        ("/api/v1/people/{id}/checkins", "get"),
        ("/api/v1/checkins/{id}/photo", "get"),
        ("/api/v1/checkins/review", "get"),
        ("/api/v1/checkins/{id}/review", "post"),
        ("/api/v1/people/{id}/attendance", "get"),
        ("/api/v1/recap", "get"),
        ("/api/v1/people/import", "post"),
        ("/api/v1/recap/today", "get"),
        ("/api/v1/recap/today/people", "get"),
        ("/api/v1/recap/exports", "post"),
        ("/api/v1/locations/{id}/kiosks", "post"),
        ("/api/v1/locations/{id}/kiosks", "get"),
        ("/api/v1/kiosks/{id}/revoke", "post"),
        ("/api/v1/kiosk/pair", "post"),
        ("/api/v1/kiosk/screen", "get"),
        ("/api/v1/downloads", "get"),
        ("/api/v1/downloads/{id}", "get"),
        ("/api/v1/downloads/{id}/file", "get"),
        ("/api/v1/people/import/jobs", "post"),
        ("/api/v1/recap/units", "get"),
        ("/api/v1/recap/units.csv", "get"),
        ("/api/v1/institution", "put"),
        ("/api/v1/recap.csv", "get"),
        ("/api/v1/recap.xlsx", "get"),
        ("/api/v1/recap.pdf", "get"),
        ("/api/v1/absences", "get"),
        ("/api/v1/leave", "post"),
        ("/api/v1/leave", "get"),
        ("/api/v1/leave/pending", "get"),
        ("/api/v1/leave/{id}/decide", "post"),
        ("/api/v1/leave/{id}/cancel", "post"),
        ("/api/v1/leave/{id}/document", "get"),
        ("/api/v1/me/access-log", "get"),
        ("/api/v1/retention-policy", "get"),
        ("/api/v1/retention-policy", "put"),
        ("/api/v1/retention/preview", "get"),
        ("/api/v1/legal-holds", "get"),
        ("/api/v1/legal-holds", "post"),
        ("/api/v1/legal-holds/{id}/release", "post"),
        ("/api/v1/me/requests", "get"),
        ("/api/v1/me/requests", "post"),
        ("/api/v1/subject-requests", "get"),
        ("/api/v1/subject-requests/{id}/steps", "post"),
        ("/api/v1/subject-requests/{id}/rectification", "post"),
        ("/api/v1/subject-requests/{id}/erasure", "get"),
        ("/api/v1/subject-requests/{id}/erasure", "post"),
        ("/api/v1/processors", "get"),
        ("/api/v1/processors", "post"),
        ("/api/v1/disclosures", "get"),
        ("/api/v1/disclosures", "post"),
        ("/api/v1/breaches", "get"),
        ("/api/v1/breaches", "post"),
        ("/api/v1/breaches/{id}/notice", "get"),
        ("/api/v1/breaches/{id}/notified", "post"),
        ("/api/v1/ropa", "get"),
        ("/api/v1/dpia", "get"),
        ("/api/v1/privacy-notice", "get"),
        ("/api/v1/privacy-notices", "post"),
        ("/api/v1/privacy-notice/feedback", "post"),
        ("/api/v1/privacy-notices/{version}/feedback", "get"),
        ("/api/v1/purposes", "put"),
        ("/api/v1/me/consents", "get"),
        ("/api/v1/me/consents", "post"),
        ("/api/v1/people/{id}/consents", "get"),
        ("/api/v1/people/{id}/leave-balance", "get"),
        ("/api/v1/people/{id}/leave-openings", "get"),
        ("/api/v1/people/{id}/leave-openings/{year}", "put"),
        ("/api/v1/schedules", "post"),
        ("/api/v1/schedules/{id}", "put"),
        ("/api/v1/schedules/{id}", "delete"),
        ("/api/v1/people/{id}/schedule", "get"),
        ("/api/v1/people/{id}/schedule", "put"),
        ("/api/v1/wfh-points", "post"),
        ("/api/v1/wfh-points", "get"),
        ("/api/v1/wfh-points/pending", "get"),
        ("/api/v1/wfh-points/{id}/decide", "post"),
        ("/api/v1/people/{id}/duties", "post"),
        ("/api/v1/people/{id}/duties", "get"),
        ("/api/v1/leave-policy", "get"),
        ("/api/v1/leave-policy", "put"),
    ];
    let documented: usize = paths.values().map(|ops| ops.as_object().unwrap().len()).sum();
    assert_eq!(documented, expected.len(), "a new endpoint needs a line here: {:?}", paths.keys().collect::<Vec<_>>());
    for (path, method) in expected {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is not documented");
        let res = t
            .http
            .request(
                method.to_uppercase().parse().unwrap(),
                t.url(&path.replace("{id}", "x").replace("{grant_id}", "y")),
            )
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        assert_ne!(body["code"], "route_not_found", "{method} {path} is documented but not routed");
        assert_ne!(body["code"], "method_not_allowed", "{method} {path} is documented but not routed");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_the_request_in_flight_finish() {
    let db = hadir_db::testing::TestDatabase::fresh(hadir_db::Backend::Sqlite).await;
    // A deliberately slow password hash keeps a login in flight long enough to shut down under it.
    let (app, _) = app_for(&db, PasswordCost { memory_kib: 256 * 1024, iterations: 3 }).await;
    let meta = hadir_app::RequestMeta::default();
    let inst = hadir_app::institutions::create(
        &app,
        None,
        hadir_app::institutions::InstitutionInput {
            slug: "slow".into(),
            name: "Slow".into(),
            kind: hadir_app::institutions::InstitutionKind::School,
            time_zone: hadir_domain::time_zone::WorkZone::Jayapura,
        },
        &meta,
    )
    .await
    .unwrap();
    let op = hadir_app::Principal::operator(&inst.id);
    let person = hadir_app::people::PersonInput {
        employee_number: "G-001".into(),
        employment_type: hadir_domain::person::EmploymentType::NonAsn,
        full_name: "Guru".into(),
        nik: None,
        email: None,
        phone: None,
        unit_id: None,
        position: None,
        supervisor_id: None,
        religion: None,
    };
    let saved = hadir_app::people::create(&app, &op, person, &meta).await.unwrap();
    hadir_app::accounts::create(
        &app,
        &op,
        &saved.person.id,
        hadir_app::accounts::NewPassword { password: PASSWORD.into() },
        &meta,
    )
    .await
    .unwrap();

    // Shut down only once the login has reached the server: a fixed wait lost that race on a
    // busy machine, and the listener closed before the client connected.
    let (arrived_tx, mut arrived) = tokio::sync::mpsc::unbounded_channel::<()>();
    let config = hadir_web::WebConfig { secure_cookies: false, ..hadir_web::WebConfig::default() };
    let router = hadir_web::router(app, config).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let _ = arrived_tx.send(());
            next.run(request)
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(hadir_web::serve(listener, router, async move {
        let _ = stop_rx.await;
    }));
    let login = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({ "login": "G-001", "password": PASSWORD }))
            .send()
            .await
    });
    tokio::time::timeout(std::time::Duration::from_secs(60), arrived.recv()).await.expect("the login arrives");
    assert!(!login.is_finished(), "the login should still be hashing");
    stop_tx.send(()).unwrap();
    let response = login.await.unwrap().expect("the in-flight request is answered");
    assert_eq!(response.status(), StatusCode::OK);
    tokio::time::timeout(std::time::Duration::from_secs(10), server).await.expect("server stops").unwrap().unwrap();
    db.drop_database().await;
}

db_test!(the_logs_hold_no_identifiers_tokens_or_coordinates, |db| {
    let t = TestApp::start(db).await;
    // Sign in by NIP (and fail once), create a person with a NIK, look them up by it, check in.
    let token = t.login(&t.a.admin).await;
    let wrong = json!({ "login": t.a.employee.login, "password": "salah-sekali-123" });
    assert_eq!(t.call(Method::POST, "/api/v1/auth/login", None, Some(wrong)).await.0, StatusCode::UNAUTHORIZED);
    let nik = "3171011201900001";
    let person = json!({ "employee_number": "199001122015031002", "employment_type": "asn", "full_name": "Rudi Hartono",
        "nik": nik, "unit_id": t.a.opd_unit });
    assert_eq!(t.post("/api/v1/people", &token, person).await.0, StatusCode::CREATED);
    assert_eq!(t.get(&format!("/api/v1/people?q={nik}"), &token).await.1["total"], 1);
    let employee = t.login(&t.a.employee).await;
    let checkin = json!({ "attempt_id": uuid::Uuid::new_v4(), "kind": "in", "mode": "office", "device_id": "phone-x",
        "lat": -3.82153, "lon": 102.28717, "accuracy_m": 7.0, "device_time": chrono::Utc::now() });
    t.upload("/api/v1/checkins", &employee, checkin, "photo", hadir_domain::photo::sample_jpeg(480, 640, 10)).await;

    let logs = crate::support::captured_logs();
    assert!(logs.contains("hadir::request"), "request lines are logged: {}", &logs[..logs.len().min(500)]);
    for secret in [
        nik,
        t.a.admin.login.as_str(),
        t.a.employee.login.as_str(),
        &token,
        &employee,
        "salah-sekali",
        "-3.8215",
        "102.2871",
    ] {
        assert!(!logs.contains(secret), "{secret:?} appears in the logs");
    }
    // Nor any other NIP- or NIK-like number, from any test of this process so far.
    let longest_digit_run = logs.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
    assert!(longest_digit_run < 16, "a run of {longest_digit_run} digits in the logs");
});
