//! Leave requests: filing, documents, balance, decisions, and their effect on the month.

use crate::support::TestApp;
use hadir_db::db_test;
use hadir_domain::photo::sample_jpeg;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn request(kind: &str, start: &str, end: &str) -> serde_json::Value {
    json!({ "kind": kind, "start_date": start, "end_date": end, "reason": "Keperluan keluarga" })
}

/// A leave request without a document.
async fn file(t: &TestApp, token: &str, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
    let form = reqwest::multipart::Form::new().text("metadata", body.to_string());
    let res = t.http.post(t.url("/api/v1/leave")).bearer_auth(token).multipart(form).send().await.unwrap();
    (res.status(), res.json().await.unwrap())
}

db_test!(leave_is_requested_decided_and_shapes_the_month, |db| {
    let t = TestApp::start(db).await;
    let token = t.login(&t.a.employee).await;
    // The fixture's NIP 199001012015031001 started service in March 2015: a full annual balance.
    let balance_path = format!("/api/v1/people/{}/leave-balance?year=2026", t.a.employee.person_id);
    let (status, balance) = t.get(&balance_path, &token).await;
    assert_eq!(status, StatusCode::OK, "{balance}");
    // Added to Hadir in 2026, so nothing is carried from 2025 (unknown): 12 less 2026's 8 cuti bersama.
    assert_eq!((balance["entitlement"].clone(), balance["remaining"].clone()), (json!(4), json!(4)));
    let entitlement = balance["entitlement"].as_u64().unwrap();

    // Mon 9 – Wed 11 March 2026: three working days.
    let (status, filed) = file(&t, &token, request("annual_leave", "2026-03-09", "2026-03-11")).await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    assert_eq!((filed["working_days"].clone(), filed["status"].clone()), (json!(3), json!("pending")));
    let id = filed["id"].as_str().unwrap().to_string();
    let (_, balance) = t.get(&balance_path, &token).await;
    assert_eq!(balance["pending"], 3);
    assert_eq!(balance["remaining"].as_u64().unwrap(), entitlement - 3);

    let (status, body) = file(&t, &token, request("permission", "2026-03-10", "2026-03-10")).await;
    assert_eq!((status, body["code"].clone()), (StatusCode::CONFLICT, json!("leave_overlaps")));

    // The unit admin decides; the person cannot decide their own; another institution sees nothing.
    assert_eq!(
        t.post(&format!("/api/v1/leave/{id}/decide"), &token, json!({ "approve": true })).await.0,
        StatusCode::NOT_FOUND
    );
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(
        t.post(&format!("/api/v1/leave/{id}/decide"), &admin_b, json!({ "approve": true })).await.0,
        StatusCode::NOT_FOUND
    );
    let unit_admin = t.login(&t.a.unit_admin).await;
    let (_, waiting) = t.get("/api/v1/leave/pending", &unit_admin).await;
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    let (_, log) = t.get("/api/v1/me/access-log", &token).await;
    assert_eq!(log[0]["data"], "leave_requests", "the queue is a read of the request: {log}");
    let (status, body) = t.post(&format!("/api/v1/leave/{id}/decide"), &unit_admin, json!({ "approve": false })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("leave_reason_required"))
    );
    let (status, decided) =
        t.post(&format!("/api/v1/leave/{id}/decide"), &unit_admin, json!({ "approve": true })).await;
    assert_eq!((status, decided["status"].clone()), (StatusCode::OK, json!("approved")));
    let (_, balance) = t.get(&balance_path, &token).await;
    assert_eq!((balance["taken"].clone(), balance["pending"].clone()), (json!(3), json!(0)));

    // Once the days have passed, they are leave, not absence.
    t.clock.advance(chrono::Duration::days(10));
    let (_, month) =
        t.get(&format!("/api/v1/people/{}/attendance?month=2026-03", t.a.employee.person_id), &token).await;
    let day = |date: &str| month["days"].as_array().unwrap().iter().find(|d| d["date"] == date).unwrap().clone();
    assert_eq!(
        (day("2026-03-09")["status"].clone(), day("2026-03-09")["absence"].clone()),
        (json!("on_leave"), json!("annual_leave"))
    );
    assert_eq!(day("2026-03-09")["code"], "CT", "the default code for annual leave");
    assert_eq!(day("2026-03-06")["status"], "absent");
    assert_eq!(month["totals"]["leave_days"], 3);

    // A company-like policy: cuti bersama are not taken from annual leave.
    let admin = t.login(&t.a.admin).await;
    let (status, policy) = t
        .call(Method::PUT, "/api/v1/leave-policy", Some(&admin), Some(json!({ "cuti_bersama_reduces_annual": false })))
        .await;
    assert_eq!((status, policy["annual_days"].clone()), (StatusCode::OK, json!(12)));
    let (_, balance) = t.get(&balance_path, &token).await;
    assert_eq!(balance["entitlement"], 12, "no cuti bersama deduction (and nothing carried from before Hadir)");

    // The institution's own codes, and its own eligibility rules.
    let rules = json!({ "codes": { "annual_leave": "C" }, "long_leave_min_years": 20 });
    assert_eq!(t.call(Method::PUT, "/api/v1/leave-policy", Some(&admin), Some(rules)).await.0, StatusCode::OK);
    let (_, month) =
        t.get(&format!("/api/v1/people/{}/attendance?month=2026-03", t.a.employee.person_id), &token).await;
    let code = month["days"].as_array().unwrap().iter().find(|d| d["date"] == "2026-03-09").unwrap()["code"].clone();
    assert_eq!(code, "C");
    let (status, body) = file(&t, &token, request("long_leave", "2026-05-04", "2026-05-29")).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("leave_service_too_short")),
        "eleven years of service, twenty required here"
    );
    let (status, body) = file(&t, &token, request("important_reason_leave", "2026-05-04", "2026-06-15")).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("leave_kind_too_long"))
    );
    let (status, body) =
        t.call(Method::PUT, "/api/v1/leave-policy", Some(&admin), Some(json!({ "codes": { "sick": "S-1!" } }))).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("leave_policy_code"))
    );
    let (status, body) =
        t.call(Method::PUT, "/api/v1/leave-policy", Some(&admin), Some(json!({ "carry_cap": 6 }))).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("leave_policy_caps"))
    );
    assert_eq!(
        t.call(Method::PUT, "/api/v1/leave-policy", Some(&token), Some(json!({}))).await.0,
        StatusCode::FORBIDDEN
    );
});

db_test!(sick_leave_needs_a_letter_and_bad_requests_are_refused, |db| {
    let t = TestApp::start(db).await;
    let token = t.login(&t.a.employee).await;
    let (status, body) = file(&t, &token, request("sick", "2026-03-03", "2026-03-04")).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("leave_document_required"))
    );
    let (status, one_day) = file(&t, &token, request("sick", "2026-03-03", "2026-03-03")).await;
    assert_eq!(status, StatusCode::CREATED, "one day needs no letter: {one_day}");

    let letter = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("metadata", request("sick_leave", "2026-03-04", "2026-03-06").to_string())
            .part("document", reqwest::multipart::Part::bytes(bytes).file_name("surat.pdf"));
        t.http.post(t.url("/api/v1/leave")).bearer_auth(&token).multipart(form).send()
    };
    let res = letter(b"not a document".to_vec()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["errors"][0]["code"], "leave_document_type");
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF".to_vec();
    let res = letter(pdf.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let filed: serde_json::Value = res.json().await.unwrap();
    assert_eq!(filed["has_document"], true);

    // Health data: sealed in the object store, opened only for the person and their deciders.
    let path = format!("/api/v1/leave/{}/document", filed["id"].as_str().unwrap());
    let fetch = |token: String| {
        let req = t.http.get(t.url(&path)).bearer_auth(token);
        async move { req.send().await.unwrap() }
    };
    let own = fetch(token.clone()).await;
    assert_eq!(own.headers()["content-type"], "application/pdf");
    assert_eq!(own.bytes().await.unwrap().to_vec(), pdf);
    let unit_admin = t.login(&t.a.unit_admin).await;
    assert_eq!(fetch(unit_admin).await.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(fetch(t.login(&t.a.outsider).await).await.status(), StatusCode::NOT_FOUND, "a colleague");
    assert_eq!(fetch(t.login(&t.b.admin).await).await.status(), StatusCode::NOT_FOUND, "another institution");
    use hadir_db::entities::leave_request;
    use hadir_db::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let row = leave_request::Entity::find()
        .filter(leave_request::Column::Id.eq(filed["id"].as_str().unwrap()))
        .one(&db.connect().await)
        .await
        .unwrap()
        .unwrap();
    let stored = t.app.objects.get(&row.document_key.unwrap()).await.unwrap();
    assert!(!stored.starts_with(b"%PDF") && !stored.windows(6).any(|w| w == b"endobj"), "sealed at rest");
    let scan = {
        let form = reqwest::multipart::Form::new()
            .text("metadata", request("sick_leave", "2026-03-16", "2026-03-17").to_string())
            .part("document", reqwest::multipart::Part::bytes(sample_jpeg(600, 800, 100)).file_name("surat.jpg"));
        t.http.post(t.url("/api/v1/leave")).bearer_auth(&token).multipart(form).send().await.unwrap()
    };
    assert_eq!(scan.status(), StatusCode::CREATED);

    let cases = [
        (request("annual_leave", "2026-03-10", "2026-03-09"), "leave_date_order"),
        (request("annual_leave", "2026-03-07", "2026-03-08"), "leave_no_working_days"),
        (request("annual_leave", "2026-03-23", "2026-03-24"), "leave_no_working_days"),
        (request("maternity_leave", "2026-04-01", "2026-07-31"), "leave_kind_too_long"),
        (request("study_assignment", "2026-04-01", "2031-06-01"), "leave_too_long"),
        (request("annual_leave", "2026-04-01", "2026-05-29"), "leave_balance_insufficient"),
    ];
    for (body, code) in cases {
        let (status, answer) = file(&t, &token, body.clone()).await;
        assert_eq!(
            (status, answer["errors"][0]["code"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(code)),
            "{body}"
        );
    }
    let (status, answer) = file(
        &t,
        &token,
        json!({ "kind": "holiday_at_the_beach", "start_date": "2026-04-01", "end_date": "2026-04-01", "reason": "x" }),
    )
    .await;
    assert_eq!((status, answer["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("metadata")));

    // Cancelling one's own pending request; not someone else's.
    let id = one_day["id"].as_str().unwrap();
    let other = t.login(&t.a.outsider).await;
    assert_eq!(
        t.call(Method::POST, &format!("/api/v1/leave/{id}/cancel"), Some(&other), None).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, cancelled) = t.call(Method::POST, &format!("/api/v1/leave/{id}/cancel"), Some(&token), None).await;
    assert_eq!((status, cancelled["status"].clone()), (StatusCode::OK, json!("cancelled")));
    let (_, mine) = t.get("/api/v1/leave", &token).await;
    assert_eq!(mine.as_array().unwrap().len(), 3);
});

db_test!(opening_balances_carry_over_from_years_before_hadir, |db| {
    let t = TestApp::start(db).await;
    let employee = t.login(&t.a.employee).await;
    let unit_admin = t.login(&t.a.unit_admin).await;
    let id = &t.a.employee.person_id;
    let openings = format!("/api/v1/people/{id}/leave-openings");
    let balance = |year: i32| format!("/api/v1/people/{id}/leave-balance?year={year}");
    let entitlement = |b: &serde_json::Value| b["entitlement"].as_u64().unwrap();
    // Added in 2026: nothing known of 2025, so nothing carries (12 less 2026's 8 cuti bersama).
    assert_eq!(entitlement(&t.get(&balance(2026), &employee).await.1), 4);

    // The personnel file says 0 days were taken in 2025: 2025's unused leave carries into 2026.
    let (app, admin) = (&t, &unit_admin);
    let put = |year: i32, body: serde_json::Value| {
        let path = format!("{openings}/{year}");
        async move { app.call(Method::PUT, &path, Some(admin), Some(body)).await }
    };
    let (status, row) = put(2025, json!({ "taken_days": 0, "reference": "Rekap cuti SIMPEG 2025" })).await;
    assert_eq!(status, StatusCode::OK, "{row}");
    let (_, b2025) = t.get(&balance(2025), &employee).await;
    let e2025 = entitlement(&b2025);
    assert!(e2025 > 0, "2025 is now known: {b2025}");
    let carried = |taken_2025: u64| (12 + e2025.saturating_sub(taken_2025)).min(18) - 8;
    assert_eq!(entitlement(&t.get(&balance(2026), &employee).await.1), carried(0));
    assert!(carried(0) > 4);

    // A correction replaces the year's figure; this year's opening counts as taken this year.
    put(2025, json!({ "taken_days": e2025, "reference": "Rekap cuti SIMPEG 2025, revisi" })).await;
    put(2026, json!({ "taken_days": 1, "reference": "Cuti Januari di sistem lama" })).await;
    let (_, b2026) = t.get(&balance(2026), &employee).await;
    assert_eq!((entitlement(&b2026), b2026["taken"].clone()), (carried(e2025), json!(1)));
    let (status, list) = t.get(&openings, &unit_admin).await;
    assert_eq!(status, StatusCode::OK);
    let years: Vec<_> = list.as_array().unwrap().iter().map(|o| (o["year"].clone(), o["taken_days"].clone())).collect();
    assert_eq!(years, vec![(json!(2025), json!(e2025)), (json!(2026), json!(1))]);

    // Bad input, roles and tenants.
    let (status, body) = put(2010, json!({ "taken_days": 400, "reference": " " })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].clone()).collect();
    assert_eq!(fields, vec![json!("year"), json!("taken_days"), json!("reference")], "{body}");
    let (status, _) = t
        .call(
            Method::PUT,
            &format!("{openings}/2025"),
            Some(&employee),
            Some(json!({ "taken_days": 0, "reference": "x" })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "employees do not set their own balance");
    let own = format!("/api/v1/people/{}/leave-openings/2025", t.a.unit_admin.person_id);
    let (status, body) =
        t.call(Method::PUT, &own, Some(&unit_admin), Some(json!({ "taken_days": 0, "reference": "x" }))).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("leave_opening_self"))
    );
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(t.get(&openings, &admin_b).await.0, StatusCode::NOT_FOUND);
});

db_test!(retention_removes_old_letters_leave_phones_departed_logins_and_their_consent_ledger, |db| {
    use hadir_db::entities::{account, consent_entry, device, leave_request};
    use hadir_db::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let t = TestApp::start(db).await;
    let token = t.login(&t.a.employee).await;
    let form = reqwest::multipart::Form::new()
        .text("metadata", request("sick_leave", "2026-03-04", "2026-03-06").to_string())
        .part("document", reqwest::multipart::Part::bytes(b"%PDF-1.7\n%%EOF".to_vec()).file_name("surat.pdf"));
    let res = t.http.post(t.url("/api/v1/leave")).bearer_auth(&token).multipart(form).send().await.unwrap();
    let filed: serde_json::Value = res.json().await.unwrap();
    let conn = db.connect().await;
    let letter_of = |id: String| {
        let conn = conn.clone();
        async move { leave_request::Entity::find().filter(leave_request::Column::Id.eq(id)).one(&conn).await.unwrap() }
    };
    let key = letter_of(filed["id"].as_str().unwrap().into()).await.unwrap().document_key.unwrap();
    // A phone registered, then refused.
    let (_, phone) = t
        .upload("/api/v1/devices", &token, json!({ "device_id": "android-lama" }), "selfie", sample_jpeg(720, 960, 70))
        .await;
    let admin = t.login(&t.a.admin).await;
    let reject = format!("/api/v1/devices/{}/reject", phone["id"].as_str().unwrap());
    assert_eq!(t.post(&reject, &admin, json!({ "reason": "Bukan ponsel dinas" })).await.0, StatusCode::OK);
    // The outsider, who had declined e-mail announcements, leaves the institution.
    let theirs = t.login(&t.a.outsider).await;
    let declined = json!({ "purpose": "announcements_email", "granted": false });
    assert_eq!(t.post("/api/v1/me/consents", &theirs, declined).await.0, StatusCode::OK);
    let outsider = format!("/api/v1/people/{}", t.a.outsider.person_id);
    assert_eq!(t.patch(&outsider, &admin, json!({ "status": "inactive" })).await.0, StatusCode::OK);

    // A hundred days on: the refused phone and the departed login are due; the letter is not.
    t.clock.advance(chrono::Duration::days(100));
    let admin = t.login(&t.a.admin).await;
    let (_, preview) = t.get("/api/v1/retention/preview", &admin).await;
    assert_eq!(
        (preview["devices"].clone(), preview["accounts"].clone(), preview["leave_documents"].clone()),
        (json!(1), json!(1), json!(0)),
        "{preview}"
    );
    hadir_app::retention::run(&t.app, false).await.unwrap();
    let phones = device::Entity::find().filter(device::Column::Id.eq(phone["id"].as_str().unwrap())).all(&conn).await;
    assert!(phones.unwrap().is_empty(), "the refused phone is gone");
    let logins = account::Entity::find().filter(account::Column::PersonId.eq(&t.a.outsider.person_id)).all(&conn).await;
    assert!(logins.unwrap().is_empty(), "the departed login is gone; the person's record stays");
    assert_eq!(t.get(&outsider, &admin).await.0, StatusCode::OK);

    // Past a year after the leave ended the letter goes; past five, the request itself.
    t.clock.advance(chrono::Duration::days(300));
    hadir_app::retention::run(&t.app, false).await.unwrap();
    let row = letter_of(filed["id"].as_str().unwrap().into()).await.unwrap();
    assert!(row.document_key.is_none());
    assert!(t.app.objects.get_if_exists(&key).await.unwrap().is_none(), "health data gone from the store");
    t.clock.advance(chrono::Duration::days(5 * 365));
    let reports = hadir_app::retention::run(&t.app, false).await.unwrap();
    let report = reports.iter().find(|r| r.institution == "pemkot-a").unwrap();
    assert_eq!(report.leave_records, 1);
    assert!(letter_of(filed["id"].as_str().unwrap().into()).await.is_none());
    // Five years after their login went, so does the proof of their consent decisions.
    assert_eq!(report.consent_entries, 1);
    let ledger = consent_entry::Entity::find().filter(consent_entry::Column::PersonId.eq(&t.a.outsider.person_id));
    assert!(ledger.all(&conn).await.unwrap().is_empty());
});
