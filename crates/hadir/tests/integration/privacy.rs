//! Data-subject requests over HTTP: filing, legal due times, the desk, steps and answers.

use crate::support::TestApp;
use hadir_app::Clock;
use hadir_db::db_test;
use hadir_db::sea_orm::EntityTrait;
use reqwest::{Method, StatusCode};
use serde_json::json;

const HOURS_72: i64 = 72 * 60 * 60 * 1000;

db_test!(a_subject_request_is_filed_answered_and_its_deadline_kept_in_hours, |db| {
    let t = TestApp::start(db).await;
    let employee = t.login(&t.a.employee).await;
    let admin = t.login(&t.a.admin).await;

    let (status, access) = t
        .post("/api/v1/me/requests", &employee, json!({ "kind": "access", "detail": "Salinan data presensi saya" }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{access}");
    assert_eq!(access["status"], "received");
    let filed = access["filed_at"].as_i64().unwrap();
    assert_eq!(access["due_at"].as_i64().unwrap() - filed, HOURS_72, "3×24 hours, to the millisecond");
    assert_eq!(access["time_left_ms"], HOURS_72);
    let (_, erasure) =
        t.post("/api/v1/me/requests", &employee, json!({ "kind": "erasure", "detail": "Hapus swafoto lama" })).await;
    assert!(erasure["due_at"].is_null(), "the law sets no deadline for erasure");
    let (status, body) = t.post("/api/v1/me/requests", &employee, json!({ "kind": "gossip", "detail": "x" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // The desk: institution administrators only, open requests first by due time.
    let unit_admin = t.login(&t.a.unit_admin).await;
    assert_eq!(t.get("/api/v1/subject-requests", &unit_admin).await.0, StatusCode::FORBIDDEN);
    let (_, desk) = t.get("/api/v1/subject-requests?open=true", &admin).await;
    let kinds: Vec<_> = desk.as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds, ["access", "erasure"]);
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(t.get("/api/v1/subject-requests", &admin_b).await.1, json!([]), "another institution sees nothing");

    // A data protection officer works the desk and holds, and reads nothing else.
    let roles = format!("/api/v1/people/{}/account/roles", t.a.outsider.person_id);
    assert_eq!(t.post(&roles, &admin, json!({ "role": "dpo" })).await.0, StatusCode::OK);
    let dpo = t.login(&t.a.outsider).await;
    assert_eq!(t.get("/api/v1/subject-requests?open=true", &dpo).await.1.as_array().unwrap().len(), 2);
    assert_eq!(t.get("/api/v1/legal-holds", &dpo).await.0, StatusCode::OK);
    assert_eq!(t.get("/api/v1/retention/preview", &dpo).await.0, StatusCode::OK);
    for denied in ["/api/v1/people", "/api/v1/recap?month=2026-03", "/api/v1/audit"] {
        assert_eq!(t.get(denied, &dpo).await.0, StatusCode::FORBIDDEN, "{denied}");
    }
    let own = format!("/api/v1/people/{}/checkins?from=2026-03-01&to=2026-03-31", t.a.employee.person_id);
    assert_eq!(t.get(&own, &dpo).await.0, StatusCode::NOT_FOUND, "no one's attendance");

    let steps = format!("/api/v1/subject-requests/{}/steps", access["id"].as_str().unwrap());
    assert_eq!(t.post(&steps, &admin_b, json!({ "status": "in_progress" })).await.0, StatusCode::NOT_FOUND);
    let (status, _) = t.post(&steps, &admin, json!({ "status": "in_progress", "note": "Sedang disiapkan" })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = t.post(&steps, &admin, json!({ "status": "answered" })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("answer_required"))
    );
    t.clock.advance(chrono::Duration::hours(30));
    let answer = "Salinan dikirim lewat aplikasi; tidak ada data yang ditahan";
    let (status, done) = t.post(&steps, &admin, json!({ "status": "answered", "note": answer })).await;
    assert_eq!(
        (status, done["status"].clone(), done["overdue"].clone()),
        (StatusCode::OK, json!("answered"), json!(false))
    );
    assert!(done["time_left_ms"].is_null(), "closed");
    let (status, body) = t.post(&steps, &admin, json!({ "status": "in_progress" })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("request_closed"))
    );

    // The person reads the answer and every step.
    let (_, mine) = t.get("/api/v1/me/requests", &employee).await;
    let answered = mine.as_array().unwrap().iter().find(|r| r["kind"] == "access").unwrap();
    assert_eq!(answered["answer"], answer);
    let trail: Vec<_> = answered["steps"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(trail, ["received", "in_progress", "answered"]);

    // A rectification left alone for 72 hours and a second is overdue, on the desk and on /metrics.
    let (_, late) = t
        .post("/api/v1/me/requests", &employee, json!({ "kind": "rectification", "detail": "Jabatan saya salah" }))
        .await;
    t.clock.advance(chrono::Duration::hours(72) + chrono::Duration::seconds(1));
    let (_, desk) = t.get("/api/v1/subject-requests?open=true", &admin).await;
    let overdue = desk.as_array().unwrap().iter().find(|r| r["id"] == late["id"]).unwrap();
    assert_eq!(overdue["overdue"], true);
    assert!(overdue["time_left_ms"].as_i64().unwrap() < 0);
    let metrics = t.http.get(t.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("hadir_subject_requests_overdue"), "{metrics}");
});

db_test!(registers_keep_processors_disclosures_and_breaches_with_their_clock, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let employee = t.login(&t.a.employee).await;
    assert_eq!(t.get("/api/v1/breaches", &employee).await.0, StatusCode::FORBIDDEN);

    let processor = json!({ "name": "PT Awan Nusantara", "processes": "cadangan basis data terenkripsi",
        "purpose": "pemulihan bencana", "contract_reference": "PKS 027/2026" });
    assert_eq!(t.post("/api/v1/processors", &admin, processor).await.0, StatusCode::CREATED);
    let disclosure = json!({ "authority": "Pengadilan Negeri Bengkulu", "legal_basis": "Penetapan 12/Pdt/2026",
        "disclosed": "rekap presensi Maret 2026 satu pegawai", "disclosed_at": t.clock.now(), "subject_told": false });
    assert_eq!(t.post("/api/v1/disclosures", &admin, disclosure).await.0, StatusCode::CREATED);
    let (status, body) = t
        .post(
            "/api/v1/disclosures",
            &admin,
            json!({ "authority": "", "legal_basis": "x",
        "disclosed": "y", "disclosed_at": t.clock.now(), "subject_told": false }),
        )
        .await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("authority")));

    // A breach discovered now must be notified within 72 hours.
    let breach = json!({ "discovered_at": t.clock.now(), "occurred": "1 Maret 2026 malam",
        "data_affected": "nama, NIP dan swafoto presensi", "how": "cadangan terbuka di server uji",
        "remediation": "akses ditutup dan kunci diganti", "people_affected": 41, "contact": "dpo@kota-a.go.id" });
    let (status, recorded) = t.post("/api/v1/breaches", &admin, breach).await;
    assert_eq!(status, StatusCode::CREATED, "{recorded}");
    assert_eq!(recorded["notify_by"].as_i64().unwrap() - recorded["discovered_at"].as_i64().unwrap(), 72 * 3_600_000);
    let id = recorded["id"].as_str().unwrap();
    let notice = |to: &str| {
        let req = t.http.get(t.url(&format!("/api/v1/breaches/{id}/notice?to={to}"))).bearer_auth(&admin);
        async move { req.send().await.unwrap().text().await.unwrap() }
    };
    let to_people = notice("subjects").await;
    assert!(
        to_people.contains("nama, NIP dan swafoto presensi") && to_people.contains("Notice of a personal data breach")
    );
    assert!(notice("authority").await.contains("Data subjects affected:** 41"));
    let pdf = t
        .http
        .get(t.url(&format!("/api/v1/breaches/{id}/notice?to=authority&format=pdf")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"), "the same notice as a letter");

    t.clock.advance(chrono::Duration::hours(73));
    let (_, listed) = t.get("/api/v1/breaches", &admin).await;
    assert_eq!(listed[0]["overdue"], true, "nobody notified after 72 hours");
    let (subjects, authority) =
        (format!("/api/v1/breaches/{id}/notified?to=subjects"), format!("/api/v1/breaches/{id}/notified?to=authority"));
    assert_eq!(t.post(&subjects, &admin, json!({})).await.1["overdue"], true, "the authority is still due");
    assert_eq!(t.post(&authority, &admin, json!({})).await.1["overdue"], false);

    // The record of processing activities carries the schedule and the processors.
    let (status, ropa) = t.get("/api/v1/ropa", &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ropa["activities"].to_string().contains("90 days"), "{ropa}");
    assert_eq!(ropa["processors"][0]["name"], "PT Awan Nusantara");
    let dpia = t.http.get(t.url("/api/v1/dpia")).bearer_auth(&admin).send().await.unwrap().text().await.unwrap();
    for needed in [
        "# Draft DPIA",
        "Systematic monitoring",
        "PT Awan Nusantara",
        "90 days",
        "biometric_matching",
        "to be completed by the DPO",
    ] {
        assert!(dpia.contains(needed), "{needed}: {dpia}");
    }
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(t.get("/api/v1/breaches", &admin_b).await.1, json!([]));
    assert_eq!(t.get(&format!("/api/v1/breaches/{id}/notice?to=subjects"), &admin_b).await.0, StatusCode::NOT_FOUND);
});

db_test!(consent_is_asked_per_purpose_recorded_with_its_notice_and_provable, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let employee = t.login(&t.a.employee).await;
    let notice = json!({ "text_id": "Kami memproses data presensi Anda untuk…", "text_en": "We process your attendance data to…", "review_days": 14 });
    assert_eq!(t.post("/api/v1/privacy-notices", &employee, notice.clone()).await.0, StatusCode::FORBIDDEN);
    let (status, v1) = t.post("/api/v1/privacy-notices", &admin, notice.clone()).await;
    assert_eq!((status, v1["version"].clone()), (StatusCode::CREATED, json!(1)));

    let (_, current) = t.get("/api/v1/privacy-notice", &employee).await;
    assert_eq!(current["notice"]["version"], 1);
    let biometric = current["purposes"].as_array().unwrap().iter().find(|p| p["key"] == "biometric_matching").unwrap();
    assert_eq!(biometric["basis"], "consent");

    // Nothing in force yet: nothing pending. After the review period, the consent purposes are.
    assert_eq!(t.get("/api/v1/me/consents", &employee).await.1["pending"], json!([]));
    t.clock.advance(chrono::Duration::days(15));
    let employee = t.login(&t.a.employee).await;
    let (_, mine) = t.get("/api/v1/me/consents", &employee).await;
    assert_eq!(mine["pending"], json!(["biometric_matching", "announcements_email"]));

    // Granted, then withdrawn: both kept, in order, with the notice version and the channel.
    let decide = |granted: bool| json!({ "purpose": "biometric_matching", "granted": granted });
    assert_eq!(t.post("/api/v1/me/consents", &employee, decide(true)).await.1["current"]["biometric_matching"], true);
    let (_, after) = t.post("/api/v1/me/consents", &employee, decide(false)).await;
    assert_eq!(after["current"]["biometric_matching"], false);
    assert_eq!(after["pending"], json!(["announcements_email"]));
    let history = after["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!((history[0]["granted"].clone(), history[1]["granted"].clone()), (json!(true), json!(false)));
    assert_eq!((history[0]["notice_version"].clone(), history[0]["channel"].clone()), (json!(1), json!("app")));
    let (status, body) =
        t.post("/api/v1/me/consents", &employee, json!({ "purpose": "attendance", "granted": false })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("purpose_not_consent_based")),
        "attendance is a legal obligation, not a consent"
    );

    // The proof, for the DPO (or an institution admin); another institution sees nothing.
    let admin = t.login(&t.a.admin).await;
    let proof = format!("/api/v1/people/{}/consents", t.a.employee.person_id);
    assert_eq!(t.get(&proof, &admin).await.1["history"].as_array().unwrap().len(), 2);
    assert_eq!(t.get(&proof, &t.login(&t.b.admin).await).await.0, StatusCode::NOT_FOUND);

    // A new notice version, once in force, asks again.
    assert_eq!(t.post("/api/v1/privacy-notices", &admin, notice).await.1["version"], 2);
    t.clock.advance(chrono::Duration::days(15));
    let employee = t.login(&t.a.employee).await;
    assert_eq!(
        t.get("/api/v1/me/consents", &employee).await.1["pending"],
        json!(["biometric_matching", "announcements_email"])
    );
});

db_test!(the_web_app_waits_for_pending_consents_and_takes_feedback_on_a_notice_in_review, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let notice = json!({ "text_id": "Pemberitahuan baru…", "text_en": "A new notice…", "review_days": 14 });
    assert_eq!(t.post("/api/v1/privacy-notices", &admin, notice).await.0, StatusCode::CREATED);

    // A browser signed in as the employee; redirects are looked at, not followed.
    let browser =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let who = &t.a.employee;
    let sign_in = || {
        browser
            .post(t.url("/api/v1/auth/login"))
            .json(&json!({ "login": who.login, "password": crate::support::PASSWORD, "client": "browser" }))
            .send()
    };
    assert_eq!(sign_in().await.unwrap().status(), StatusCode::OK);
    let open = |path: &'static str| browser.get(t.url(path)).send();
    // Under review: the app is open, and says when the new notice binds.
    let home = open("/app").await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    assert!(home.text().await.unwrap().contains("notice-announced"));

    // Feedback on the version under review; only the latest version takes it.
    let employee = t.login(who).await;
    let send =
        |body: serde_json::Value| t.call(Method::POST, "/api/v1/privacy-notice/feedback", Some(&employee), Some(body));
    assert_eq!(
        send(json!({ "version": 1, "text": "Mohon jelaskan masa simpan swafoto." })).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = send(json!({ "version": 2, "text": "x" })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("notice_not_latest"))
    );
    assert_eq!(send(json!({ "version": 1, "text": "  " })).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, said) = t.get("/api/v1/privacy-notices/1/feedback", &admin).await;
    assert_eq!(
        (said[0]["text"].clone(), said[0]["full_name"].clone()),
        (json!("Mohon jelaskan masa simpan swafoto."), json!("Pegawai Satu"))
    );
    assert_eq!(t.get("/api/v1/privacy-notices/1/feedback", &employee).await.0, StatusCode::FORBIDDEN);

    // In force: every page but "my privacy" (and one's password and account) waits for the decisions.
    t.clock.advance(chrono::Duration::days(15));
    assert_eq!(sign_in().await.unwrap().status(), StatusCode::OK);
    let waiting = open("/app").await.unwrap();
    assert_eq!(waiting.status(), StatusCode::SEE_OTHER);
    assert_eq!(waiting.headers()["location"], "/app/privasi");
    assert_eq!(open("/app/riwayat").await.unwrap().status(), StatusCode::SEE_OTHER);
    assert_eq!(open("/app/privasi").await.unwrap().status(), StatusCode::OK);
    assert_eq!(open("/app/akun").await.unwrap().status(), StatusCode::OK);
    let employee = t.login(who).await;
    for purpose in ["biometric_matching", "announcements_email"] {
        let decision = json!({ "purpose": purpose, "granted": false });
        assert_eq!(t.post("/api/v1/me/consents", &employee, decision).await.0, StatusCode::OK);
    }
    // Refusing is a decision too: the app opens again.
    assert_eq!(open("/app").await.unwrap().status(), StatusCode::OK);
});

db_test!(an_access_request_gets_a_copy_of_everything_held_downloadable_once, |db| {
    use crate::attendance::{INSIDE, attempt, ready, send};
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    t.clock.advance(chrono::Duration::minutes(25)); // 07:25 WIB
    let (_, checked_in) = send(&t, &token, &attempt(&t, "in", INSIDE), 3000).await;
    assert_eq!(checked_in["outcome"], "accepted", "{checked_in}");
    // A staff read, so the trail has something in it.
    let admin = t.login(&t.a.admin).await;
    assert_eq!(t.get(&format!("/api/v1/people/{}", t.a.employee.person_id), &admin).await.0, StatusCode::OK);

    let (status, filed) =
        t.post("/api/v1/me/requests", &token, json!({ "kind": "access", "detail": "Semua data saya" })).await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    let (_, mine) = t.get("/api/v1/downloads", &token).await;
    assert_eq!(
        (mine[0]["kind"].clone(), mine[0]["request_id"].clone()),
        (json!("subject_export"), filed["id"].clone())
    );
    hadir_app::jobs::run_due(&t.app).await.unwrap();

    // The request says the copy is ready; the privacy officer still answers it.
    let (_, requests) = t.get("/api/v1/me/requests", &token).await;
    assert_eq!(requests[0]["status"], "in_progress");
    assert!(requests[0]["steps"][1]["note"].as_str().unwrap().contains("sekali"), "{requests}");
    let (_, mine) = t.get("/api/v1/downloads", &token).await;
    assert_eq!(mine[0]["status"], "done", "{mine}");
    let file = format!("/api/v1/downloads/{}/file", mine[0]["id"].as_str().unwrap());
    // Nobody else fetches it, not even the administrator.
    assert_eq!(t.http.get(t.url(&file)).bearer_auth(&admin).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let res = t.http.get(t.url(&file)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().to_string()).collect();
    for expected in [
        "README.txt",
        "profile.json",
        "checkins.csv",
        "devices.json",
        "consents.json",
        "access_log.json",
        "days.json",
        "requests.json",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} in {names:?}");
    }
    assert!(names.iter().any(|n| n.starts_with("photos/checkin-") && n.ends_with(".jpg")), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("photos/device-")), "{names:?}");
    let read = |zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let checkins = read(&mut zip, "checkins.json");
    assert_eq!(checkins[0]["id"], checked_in["event_id"]);
    assert!(checkins[0].get("photo_key").is_none() && checkins[0].get("answer").is_none(), "plumbing held back");
    assert_eq!(read(&mut zip, "access_log.json")[0]["data"], "profile");
    let account = read(&mut zip, "account.json");
    assert!(account[0].get("password_hash").is_none(), "no password hash");
    assert_eq!(read(&mut zip, "profile.json")[0]["full_name"], "Pegawai Satu");

    // Once: the file is gone from the store after its download.
    assert_eq!(t.http.get(t.url(&file)).bearer_auth(&token).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let (_, mine) = t.get("/api/v1/downloads", &token).await;
    assert_eq!(mine[0]["status"], "downloaded");
});

db_test!(a_rectification_proposed_by_the_person_is_applied_by_the_officer, |db| {
    let t = TestApp::start(db).await;
    let employee = t.login(&t.a.employee).await;
    let admin = t.login(&t.a.admin).await;
    let file = |body: serde_json::Value| t.post("/api/v1/me/requests", &employee, body);
    let base = |field: &str, value: &str| json!({ "kind": "rectification", "detail": "Nama saya salah eja", "field": field, "value": value });
    let (status, body) = file(base("unit_id", "x")).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("rectification_field"))
    );
    let (status, body) = file(base("full_name", " ")).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("rectification_value_required"))
    );
    let (status, body) = file(base("nik", "1234")).await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("value")));
    let (status, filed) = file(base("full_name", "Pegawai Satu Benar")).await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    assert_eq!((filed["field"].clone(), filed["proposed"].clone()), (json!("full_name"), json!("Pegawai Satu Benar")));

    let apply = format!("/api/v1/subject-requests/{}/rectification", filed["id"].as_str().unwrap());
    assert_eq!(t.call(Method::POST, &apply, Some(&employee), None).await.0, StatusCode::FORBIDDEN);
    let (status, answered) = t.call(Method::POST, &apply, Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!(answered["status"], "answered");
    assert!(answered["answer"].as_str().unwrap().contains("nama"));
    let (_, person) = t.get(&format!("/api/v1/people/{}", t.a.employee.person_id), &admin).await;
    assert_eq!(person["full_name"], "Pegawai Satu Benar");
    let (_, audit) = t.get("/api/v1/audit", &admin).await;
    assert!(audit.to_string().contains("person.rectify"), "audited");
    // Closed: it cannot be applied twice; an erasure action does not apply to it.
    let (status, body) = t.call(Method::POST, &apply, Some(&admin), None).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("request_kind_mismatch"))
    );
    let erase = format!("/api/v1/subject-requests/{}/erasure", filed["id"].as_str().unwrap());
    assert_eq!(t.get(&erase, &admin).await.0, StatusCode::UNPROCESSABLE_ENTITY);
});

db_test!(an_erasure_is_weighed_against_retention_and_holds_then_carried_out, |db| {
    use crate::attendance::{INSIDE, attempt, ready, send};
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    t.clock.advance(chrono::Duration::minutes(25));
    let (_, checked_in) = send(&t, &token, &attempt(&t, "in", INSIDE), 4000).await;
    assert_eq!(checked_in["outcome"], "accepted");
    let admin = t.login(&t.a.admin).await;
    let notice = json!({ "text_id": "Pemberitahuan", "text_en": "Notice", "review_days": 0 });
    assert_eq!(t.post("/api/v1/privacy-notices", &admin, notice).await.0, StatusCode::CREATED);
    let consent = json!({ "purpose": "announcements_email", "granted": true });
    assert_eq!(t.post("/api/v1/me/consents", &token, consent).await.0, StatusCode::OK);

    // Under a legal hold nothing goes.
    let (_, hold) = t
        .post(
            "/api/v1/legal-holds",
            &admin,
            json!({ "person_id": t.a.employee.person_id, "reference": "Perkara 1/2026", "reason": "Pemeriksaan" }),
        )
        .await;
    let (_, filed) =
        t.post("/api/v1/me/requests", &token, json!({ "kind": "erasure", "detail": "Hapus data saya" })).await;
    let path = format!("/api/v1/subject-requests/{}/erasure", filed["id"].as_str().unwrap());
    let (status, plan) = t.get(&path, &admin).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert!(plan["answer"].as_str().unwrap().starts_with("Dihapus:\n- tidak ada"), "{plan}");
    let release = format!("/api/v1/legal-holds/{}/release", hold["id"].as_str().unwrap());
    assert_eq!(t.call(Method::POST, &release, Some(&admin), None).await.0, StatusCode::OK);

    let (_, plan) = t.get(&path, &admin).await;
    let text = |list: &serde_json::Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect()
    };
    assert!(text(&plan["erased"]).contains(&"Swafoto presensi (1)".to_string()), "{plan}");
    let lines = text(&plan["kept"]);
    assert!(lines.iter().any(|l| l.starts_with("Catatan presensi dan status harian: kewajiban hukum")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("Akun masuk dan sesinya: Anda masih bekerja")), "{lines:?}");
    let event = hadir_db::entities::attendance_event::Entity::find_by_id((
        t.get("/api/v1/institution", &admin).await.1["id"].as_str().unwrap().to_string(),
        checked_in["event_id"].as_str().unwrap().to_string(),
    ));
    let before = event.clone().one(&t.app.db).await.unwrap().unwrap();
    let key = before.photo_key.clone().unwrap();
    assert!(t.app.objects.get_if_exists(&key).await.unwrap().is_some());

    assert_eq!(t.call(Method::POST, &path, Some(&token), None).await.0, StatusCode::FORBIDDEN);
    let (status, answered) = t.call(Method::POST, &path, Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!(answered["status"], "answered");
    let after = event.one(&t.app.db).await.unwrap().unwrap();
    assert_eq!((after.photo_key, after.lat, after.lon), (None, None, None), "photo and exact place gone");
    assert!(after.distance_m.is_some(), "the distance stays");
    assert!(t.app.objects.get_if_exists(&key).await.unwrap().is_none(), "removed from the store");
    let (_, consents) = t.get("/api/v1/me/consents", &token).await;
    assert_eq!(consents["current"]["announcements_email"], false, "consent withdrawn");
    assert_eq!(consents["history"].as_array().unwrap().last().unwrap()["channel"], "erasure");
    // Still employed: still signed in, and the attendance record stays.
    assert_eq!(t.get("/api/v1/me", &token).await.0, StatusCode::OK);
    let (_, history) = t
        .get(&format!("/api/v1/people/{}/checkins?from=2026-03-02&to=2026-03-02", t.a.employee.person_id), &token)
        .await;
    assert_eq!(history.as_array().unwrap().len(), 1);
});

db_test!(reads_of_lists_a_person_is_in_appear_in_their_access_log, |db| {
    let t = TestApp::start(db).await;
    let employee = t.login(&t.a.employee).await;
    let outsider = t.login(&t.a.outsider).await;
    let unit_admin = t.login(&t.a.unit_admin).await;
    // The unit admin reads the recap of everyone in reach, and the people list of the OPD.
    assert_eq!(t.get("/api/v1/recap?month=2026-03", &unit_admin).await.0, StatusCode::OK);
    let list = format!("/api/v1/people?unit_id={}", t.a.child_unit);
    assert_eq!(t.get(&list, &unit_admin).await.0, StatusCode::OK);
    let (_, log) = t.get("/api/v1/me/access-log", &employee).await;
    let seen: Vec<(String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["data"].as_str().unwrap().to_string(), e["detail"].as_str().unwrap_or_default().to_string()))
        .collect();
    assert!(seen.contains(&("recap".into(), "2026-03".into())), "{seen:?}");
    assert!(seen.contains(&("people_list".into(), String::new())), "{seen:?}");
    assert_eq!(log[0]["actor_name"], "Admin Unit");
    // Someone in a unit outside the reader's reach saw nothing of it.
    assert_eq!(t.get("/api/v1/me/access-log", &outsider).await.1, json!([]));
    // Reading one's own list is not logged for oneself.
    assert_eq!(t.get("/api/v1/me/access-log", &unit_admin).await.1, json!([]));
});

db_test!(withdrawing_consent_to_selfies_changes_check_ins_at_once_and_removes_kept_selfies_at_the_next_run, |db| {
    use crate::attendance::{INSIDE, attempt, ready, send};
    use hadir_db::entities::{attendance_event as event, device};
    use hadir_db::sea_orm::{ColumnTrait, QueryFilter};
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    t.clock.advance(chrono::Duration::minutes(25)); // 07:25 WIB
    let (status, first) = send(&t, &token, &attempt(&t, "in", INSIDE), 700).await;
    assert_eq!((status, first["outcome"].clone()), (StatusCode::OK, json!("accepted")), "{first}");
    let conn = db.connect().await;
    let first_event = event::Entity::find()
        .filter(event::Column::Id.eq(first["event_id"].as_str().unwrap()))
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    let kept_selfie = first_event.photo_key.unwrap();
    let mine = t.get("/api/v1/me/consents", &token).await.1;
    assert_eq!(mine["selfies_allowed"], true, "public service by default: no consent asked");

    // A company bases selfies on consent instead.
    let admin = t.login(&t.a.admin).await;
    let mut register = serde_json::to_value(hadir_domain::consent::default_purposes()).unwrap();
    for p in register.as_array_mut().unwrap() {
        if p["key"] == "checkin_photo" {
            p["basis"] = json!("consent");
        }
    }
    assert_eq!(t.call(Method::PUT, "/api/v1/purposes", Some(&admin), Some(register)).await.0, StatusCode::OK);
    let decide = |granted: bool| json!({ "purpose": "checkin_photo", "granted": granted });
    assert_eq!(t.post("/api/v1/me/consents", &token, decide(true)).await.1["selfies_allowed"], true);
    let (_, body) = t.upload_without_photo("/api/v1/checkins", &token, attempt(&t, "out", INSIDE)).await;
    assert_eq!(body["errors"][0]["code"], "photo_required", "consent given: the selfie is required");

    // Withdrawn: the very next check-out goes without a selfie, for the supervisor to confirm.
    assert_eq!(t.post("/api/v1/me/consents", &token, decide(false)).await.1["selfies_allowed"], false);
    t.clock.advance(chrono::Duration::hours(9));
    let (status, out) = t.upload_without_photo("/api/v1/checkins", &token, attempt(&t, "out", INSIDE)).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!((out["outcome"].clone(), out["signals"].clone()), (json!("needs_review"), json!(["no_photo"])));
    // A selfie sent anyway (an old app, a queued attempt) is not kept.
    let (status, again) = send(&t, &token, &attempt(&t, "out", INSIDE), 701).await;
    assert_eq!((status, again["signals"].clone()), (StatusCode::OK, json!(["no_photo"])));
    let photo = format!("/api/v1/checkins/{}/photo", again["event_id"].as_str().unwrap());
    assert_eq!(t.get(&photo, &token).await.0, StatusCode::NOT_FOUND);
    let supervisor = t.login(&t.a.unit_admin).await;
    let (_, review) = t.get("/api/v1/checkins/review", &supervisor).await;
    assert!(review.as_array().unwrap().iter().any(|e| e["id"] == out["event_id"]), "{review}");
    let refusing = json!({ "actions": { "no_photo": "reject" } });
    let (status, body) = t.call(Method::PUT, "/api/v1/attendance-policy", Some(&admin), Some(refusing)).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("policy_no_photo"))
    );

    // A new phone registers without a selfie.
    let phone = json!({ "device_id": "android-baru-0002" });
    let (status, device) = t.upload_without_photo("/api/v1/devices", &token, phone).await;
    assert_eq!((status, device["has_selfie"].clone()), (StatusCode::CREATED, json!(false)), "{device}");

    // The next nightly run deletes the selfies kept of them, however young: the check-in's and
    // the approved phone's.
    let (_, preview) = t.get("/api/v1/retention/preview", &admin).await;
    assert_eq!(preview["photos"], 2, "{preview}");
    let reports = hadir_app::retention::run(&t.app, false).await.unwrap();
    assert_eq!(reports.iter().find(|r| r.institution == "pemkot-a").unwrap().photos, 2);
    assert!(t.app.objects.get_if_exists(&kept_selfie).await.unwrap().is_none(), "gone from the object store");
    let phones = device::Entity::find().all(&conn).await.unwrap();
    assert!(phones.iter().all(|d| d.photo_key.is_empty()), "no registration selfie left");
    assert_eq!(
        t.get(&format!("/api/v1/checkins/{}/photo", first["event_id"].as_str().unwrap()), &token).await.0,
        StatusCode::NOT_FOUND
    );
});
