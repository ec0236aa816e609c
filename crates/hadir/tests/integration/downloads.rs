//! Files prepared in the background: a recap export and a people import's report, with their
//! progress, their requester-only download, their expiry, and the requester's rights checked
//! again when the job runs.

use crate::support::TestApp;
use hadir_db::db_test;
use hadir_db::sea_orm::EntityTrait;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The bytes of a download, with its status and content type.
async fn fetch(t: &TestApp, token: &str, path: &str) -> (StatusCode, String, Vec<u8>) {
    let res = t.http.get(t.url(path)).bearer_auth(token).send().await.unwrap();
    let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (res.status(), kind, res.bytes().await.unwrap().to_vec())
}

db_test!(a_recap_is_prepared_in_the_background_for_its_requester_and_expires, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.unit_admin).await;
    let (status, queued) = t
        .post("/api/v1/recap/exports", &admin, json!({ "month": "2026-03", "unit_id": t.a.opd_unit, "format": "pdf" }))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    assert_eq!((queued["status"].clone(), queued["kind"].clone()), (json!("queued"), json!("recap_export")));
    let path = format!("/api/v1/downloads/{}", queued["id"].as_str().unwrap());
    // Not ready yet: there is no file to fetch.
    assert_eq!(fetch(&t, &admin, &format!("{path}/file")).await.0, StatusCode::NOT_FOUND);

    let round = hadir_app::jobs::run_due(&t.app).await.unwrap();
    assert_eq!(round.done, 1, "{round:?}");
    let (_, done) = t.get(&path, &admin).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!((done["step"].clone(), done["done"].clone()), (json!("writing"), done["total"].clone()));
    assert!(done["total"].as_i64().unwrap() >= 2, "the unit's people: {done}");
    assert_eq!(done["file_name"], "rekap-2026-03.pdf");
    let (status, kind, bytes) = fetch(&t, &admin, &format!("{path}/file")).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    assert_eq!(done["file_bytes"].as_u64().unwrap(), bytes.len() as u64);
    let (_, listed) = t.get("/api/v1/downloads", &admin).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(!listed[0]["downloaded_at"].is_null(), "the fetch is noted");

    // Nobody else sees or fetches it — not a colleague, not another institution.
    for other in [t.login(&t.a.admin).await, t.login(&t.b.admin).await] {
        assert_eq!(t.get(&path, &other).await.0, StatusCode::NOT_FOUND);
        assert_eq!(fetch(&t, &other, &format!("{path}/file")).await.0, StatusCode::NOT_FOUND);
        assert_eq!(t.get("/api/v1/downloads", &other).await.1, json!([]));
    }

    // A day later the file is gone from the store; the job says so.
    t.clock.advance(chrono::Duration::hours(25));
    hadir_app::jobs::run_due(&t.app).await.unwrap();
    let (_, expired) = t.get(&path, &admin).await;
    assert_eq!(expired["status"], "expired", "{expired}");
    assert_eq!(fetch(&t, &admin, &format!("{path}/file")).await.0, StatusCode::NOT_FOUND);
    let institution = t.get("/api/v1/institution", &admin).await.1["id"].as_str().unwrap().to_string();
    let key = format!("files/{institution}/{}/rekap-2026-03.pdf", queued["id"].as_str().unwrap());
    assert!(t.app.objects.get_if_exists(&key).await.unwrap().is_none(), "removed from the object store");

    // Bad requests are refused at once.
    let bad = [
        (json!({ "month": "2026-13", "format": "csv" }), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({ "month": "2026-03", "format": "docx" }), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({ "month": "2026-03", "format": "csv", "unit_id": t.b.opd_unit }), StatusCode::NOT_FOUND),
    ];
    for (body, expected) in bad {
        assert_eq!(t.post("/api/v1/recap/exports", &admin, body.clone()).await.0, expected, "{body}");
    }
    let employee = t.login(&t.a.employee).await;
    let (status, _) = t.post("/api/v1/recap/exports", &employee, json!({ "month": "2026-03", "format": "csv" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});

db_test!(a_queued_job_runs_with_the_rights_its_requester_has_when_it_runs, |db| {
    let t = TestApp::start(db).await;
    let unit_admin = t.login(&t.a.unit_admin).await;
    let (_, queued) =
        t.post("/api/v1/recap/exports", &unit_admin, json!({ "month": "2026-03", "format": "xlsx" })).await;
    // The unit administrator is deactivated before the job runs: it fails for good, no file.
    let admin = t.login(&t.a.admin).await;
    let person = format!("/api/v1/people/{}", t.a.unit_admin.person_id);
    assert_eq!(t.patch(&person, &admin, json!({ "status": "inactive" })).await.0, StatusCode::OK);
    let round = hadir_app::jobs::run_due(&t.app).await.unwrap();
    assert_eq!((round.done, round.retried, round.failed), (0, 0, 1));
    let row = job_row(&t, &admin, &queued).await;
    assert_eq!((row.status.as_str(), row.result_key.is_none()), ("failed", true));
});

/// The job behind a download, as stored.
async fn job_row(t: &TestApp, token: &str, queued: &Value) -> hadir_db::entities::job::Model {
    let institution = t.get("/api/v1/institution", token).await.1["id"].as_str().unwrap().to_string();
    let id = queued["id"].as_str().unwrap().to_string();
    hadir_db::entities::job::Entity::find_by_id((institution, id)).one(&t.app.db).await.unwrap().unwrap()
}

db_test!(a_large_import_is_checked_in_the_background_and_its_upload_removed, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    // 600 valid rows and one bad one.
    let mut csv = String::from("employee_number,employment_type,full_name,unit_code\n");
    for n in 1..=600 {
        csv.push_str(&format!("19900101201501{}{:03},asn,Pegawai {n},OPD.1\n", 1 + n / 400, n % 400 + 1));
    }
    csv.push_str("12345,asn,Nomor Salah,OPD.1\n");
    let send = |dry_run: bool, body: String| {
        t.http
            .post(t.url(&format!("/api/v1/people/import/jobs?dry_run={dry_run}")))
            .bearer_auth(&admin)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    // A file of the wrong shape is refused before anything is queued.
    let res = send(true, "name\nx\n".into()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let res = send(false, csv).await.unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let queued: Value = res.json().await.unwrap();
    assert_eq!(queued["kind"], "people_import");
    let payload: Value = serde_json::from_str(&job_row(&t, &admin, &queued).await.payload).unwrap();
    let upload = payload["upload_key"].as_str().unwrap().to_string();
    assert!(t.app.objects.get_if_exists(&upload).await.unwrap().is_some(), "the file waits in the store");

    hadir_app::jobs::run_due(&t.app).await.unwrap();
    let path = format!("/api/v1/downloads/{}", queued["id"].as_str().unwrap());
    let (_, done) = t.get(&path, &admin).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(
        (done["step"].clone(), done["done"].clone(), done["total"].clone()),
        (json!("checking"), json!(601), json!(601))
    );
    let (status, kind, bytes) = fetch(&t, &admin, &format!("{path}/file")).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/json"));
    let report: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!((report["rows"].clone(), report["created"].clone()), (json!(601), json!(0)), "all or nothing");
    assert_eq!(report["problems"][0]["row"], 602);
    assert!(t.app.objects.get_if_exists(&upload).await.unwrap().is_none(), "read, then removed");
    let (_, people) = t.call(Method::GET, "/api/v1/people?q=Pegawai%20600", Some(&admin), None).await;
    assert_eq!(people["total"], 0, "nothing written: {people}");
});
