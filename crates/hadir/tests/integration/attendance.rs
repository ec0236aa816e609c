//! Check-in and check-out over HTTP: modes, signals, idempotency, offline sync, QR kiosk,
//! review, and every kind of bad input.

use crate::support::{Someone, TestApp};
use hadir_app::Clock;
use hadir_db::db_test;
use hadir_domain::photo::sample_jpeg;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PHONE: &str = "android-kantor-0001";
/// Inside the 150 m fence of the fixture's office (-3.8215, 102.287).
pub(crate) const INSIDE: (f64, f64) = (-3.8216, 102.2871);
/// About 1.1 km south of it.
const OUTSIDE: (f64, f64) = (-3.8315, 102.287);

/// Registers and approves `who`'s phone and assigns them the office; returns their token.
pub(crate) async fn ready(t: &TestApp, who: &Someone) -> String {
    let token = t.login(who).await;
    let admin = t.login(&t.a.admin).await;
    let (_, device) =
        t.upload("/api/v1/devices", &token, json!({ "device_id": PHONE }), "selfie", sample_jpeg(720, 960, 64)).await;
    let id = device["id"].as_str().unwrap();
    assert_eq!(
        t.call(Method::POST, &format!("/api/v1/devices/{id}/approve"), Some(&admin), None).await.0,
        StatusCode::OK
    );
    let path = format!("/api/v1/people/{}/locations", who.person_id);
    assert_eq!(
        t.call(Method::PUT, &path, Some(&admin), Some(json!({ "location_ids": [t.a.location] }))).await.0,
        StatusCode::OK
    );
    token
}

pub(crate) fn attempt(t: &TestApp, kind: &str, at: (f64, f64)) -> Value {
    json!({
        "attempt_id": uuid::Uuid::new_v4(),
        "kind": kind,
        "mode": "office",
        "device_id": PHONE,
        "lat": at.0,
        "lon": at.1,
        "accuracy_m": 8.5,
        "device_time": t.clock.now(),
    })
}

pub(crate) async fn send(t: &TestApp, token: &str, metadata: &Value, photo_filler: usize) -> (StatusCode, Value) {
    t.upload("/api/v1/checkins", token, metadata.clone(), "photo", sample_jpeg(480, 640, photo_filler)).await
}

db_test!(an_office_check_in_is_judged_once_and_retries_get_the_same_answer, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    t.clock.advance(chrono::Duration::minutes(25)); // 07:25 WIB
    let first = attempt(&t, "in", INSIDE);
    let (status, answer) = send(&t, &token, &first, 1000).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["outcome"], "accepted");
    assert_eq!(answer["signals"], json!([]));
    assert_eq!(answer["location_id"], t.a.location.as_str());
    assert_eq!(answer["local_date"], "2026-03-02");

    let (status, again) = send(&t, &token, &first, 1000).await;
    assert_eq!((status, &again), (StatusCode::OK, &answer), "a retry returns the first answer");
    let (status, body) = send(&t, &token, &attempt(&t, "in", INSIDE), 1001).await;
    assert_eq!((status, body["code"].clone()), (StatusCode::CONFLICT, json!("already_checked_in")));

    t.clock.advance(chrono::Duration::hours(9)); // 16:25 WIB
    let (status, out) = send(&t, &token, &attempt(&t, "out", INSIDE), 1002).await;
    assert_eq!((status, out["outcome"].clone()), (StatusCode::OK, json!("accepted")));
    // The same photo bytes again, even from another attempt, are a signal.
    let (status, copied) = send(&t, &token, &attempt(&t, "out", INSIDE), 1000).await;
    assert_eq!((status, copied["signals"].clone()), (StatusCode::OK, json!(["duplicate_photo"])));

    let history = format!("/api/v1/people/{}/checkins?from=2026-03-01&to=2026-03-31", t.a.employee.person_id);
    let (_, events) = t.get(&history, &token).await;
    assert_eq!(events.as_array().unwrap().len(), 3, "exactly three events");
    let event_id = answer["event_id"].as_str().unwrap();
    let photo =
        t.http.get(t.url(&format!("/api/v1/checkins/{event_id}/photo"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    assert!(!photo.bytes().await.unwrap().windows(11).any(|w| w == b"GPSLatitude"));

    // Another person's attempt id is refused; another institution sees nothing.
    let other = ready(&t, &t.a.outsider).await;
    let (status, body) = send(&t, &other, &first, 1003).await;
    assert_eq!((status, body["code"].clone()), (StatusCode::CONFLICT, json!("attempt_id_reused")));
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(t.get(&history, &admin_b).await.0, StatusCode::NOT_FOUND);
    assert_eq!(t.get(&format!("/api/v1/checkins/{event_id}/photo"), &admin_b).await.0, StatusCode::NOT_FOUND);
    assert_eq!(t.get(&history, &other).await.0, StatusCode::NOT_FOUND, "a colleague cannot read it");
});

db_test!(concurrent_retries_create_exactly_one_event, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let metadata = attempt(&t, "in", INSIDE);
    let tasks = (0..8).map(|_| send(&t, &token, &metadata, 2000));
    let answers = futures_join(tasks).await;
    for (status, answer) in &answers {
        assert_eq!(*status, StatusCode::OK, "{answer}");
        assert_eq!(answer["event_id"], answers[0].1["event_id"]);
    }
    let history = format!("/api/v1/people/{}/checkins?from=2026-03-02&to=2026-03-02", t.a.employee.person_id);
    assert_eq!(t.get(&history, &token).await.1.as_array().unwrap().len(), 1);

    // Different attempts racing for one day: the inserts share a batch, one wins, the rest are told.
    let colleague = ready(&t, &t.a.outsider).await;
    let attempts: Vec<Value> = (0..8).map(|_| attempt(&t, "in", INSIDE)).collect();
    let tasks = attempts.iter().enumerate().map(|(i, metadata)| send(&t, &colleague, metadata, 2100 + i));
    let answers = futures_join(tasks).await;
    let accepted = answers.iter().filter(|(status, _)| *status == StatusCode::OK).count();
    let refused = answers.iter().filter(|(_, body)| body["code"] == "already_checked_in").count();
    assert_eq!((accepted, refused), (1, 7), "{answers:?}");
});

db_test!(check_ins_arriving_together_are_each_judged_by_their_own_profile, |db| {
    let t = TestApp::start(db).await;
    // Nobody has checked in yet, so no profile is known: the three are read together.
    let employee = ready(&t, &t.a.employee).await;
    let unit_admin = ready(&t, &t.a.unit_admin).await;
    let outsider = t.login(&t.a.outsider).await; // no approved phone, no work location
    t.clock.advance(chrono::Duration::minutes(25));
    let tokens = [&employee, &outsider, &unit_admin];
    let attempts: Vec<Value> = tokens.iter().map(|_| attempt(&t, "in", INSIDE)).collect();
    let answers =
        futures_join(tokens.iter().zip(&attempts).zip(3000..).map(|((token, a), filler)| send(&t, token, a, filler)))
            .await;
    for (status, answer) in &answers {
        assert_eq!(*status, StatusCode::OK, "{answer}");
    }
    for ready in [&answers[0].1, &answers[2].1] {
        assert_eq!((&ready["outcome"], &ready["location_id"]), (&json!("accepted"), &json!(t.a.location)), "{ready}");
    }
    let outsider = &answers[1].1;
    assert!(outsider["signals"].as_array().unwrap().contains(&json!("unregistered_device")), "{outsider}");
    assert_eq!(outsider["location_id"], Value::Null, "{outsider}");
});

/// Runs the futures concurrently on this task.
async fn futures_join<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out = Vec::new();
    let mut pending: Vec<_> = set.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    out.extend(results.into_iter().map(Option::unwrap));
    out
}

db_test!(outside_the_fence_goes_to_review_and_the_decision_is_audited, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let (_, answer) = send(&t, &token, &attempt(&t, "in", OUTSIDE), 3000).await;
    assert_eq!(answer["outcome"], "needs_review");
    assert_eq!(answer["signals"], json!(["outside_geofence"]));
    assert!(answer["distance_m"].as_f64().unwrap() > 1000.0);
    let id = answer["event_id"].as_str().unwrap().to_string();

    assert_eq!(t.get("/api/v1/checkins/review", &token).await.0, StatusCode::FORBIDDEN, "no one to supervise");
    let unit_admin = t.login(&t.a.unit_admin).await;
    let (_, queue) = t.get("/api/v1/checkins/review", &unit_admin).await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(queue[0]["id"], id.as_str());
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(t.get("/api/v1/checkins/review", &admin_b).await.1, json!([]));
    assert_eq!(
        t.post(&format!("/api/v1/checkins/{id}/review"), &admin_b, json!({ "approve": true, "reason": "x" })).await.0,
        StatusCode::NOT_FOUND
    );

    let (status, body) =
        t.post(&format!("/api/v1/checkins/{id}/review"), &unit_admin, json!({ "approve": true, "reason": "" })).await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("reason")));
    let (status, reviewed) = t
        .post(
            &format!("/api/v1/checkins/{id}/review"),
            &unit_admin,
            json!({ "approve": true, "reason": "Rapat di kantor gubernur" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reviewed}");
    assert_eq!(reviewed["outcome"], "accepted");
    assert_eq!(reviewed["review_reason"], "Rapat di kantor gubernur");
    let (status, body) = t
        .post(&format!("/api/v1/checkins/{id}/review"), &unit_admin, json!({ "approve": false, "reason": "ubah" }))
        .await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("already_reviewed"))
    );
    assert_eq!(t.get("/api/v1/checkins/review", &unit_admin).await.1, json!([]));

    let admin = t.login(&t.a.admin).await;
    let (_, audit) = t.get("/api/v1/audit?limit=20", &admin).await;
    assert!(
        audit.as_array().unwrap().iter().any(|e| e["action"] == "checkin.review" && e["subject_id"] == id.as_str())
    );
});

db_test!(where_two_reviews_are_required_another_administrator_gives_the_second, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let admin = t.login(&t.a.admin).await;
    let two = json!({ "second_review": true });
    assert_eq!(t.call(Method::PUT, "/api/v1/attendance-policy", Some(&admin), Some(two)).await.0, StatusCode::OK);
    let (_, answer) = send(&t, &token, &attempt(&t, "in", OUTSIDE), 3500).await;
    let review = format!("/api/v1/checkins/{}/review", answer["event_id"].as_str().unwrap());

    let unit_admin = t.login(&t.a.unit_admin).await;
    let (status, first) = t.post(&review, &unit_admin, json!({ "approve": true, "reason": "rapat di luar" })).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["outcome"], "needs_review", "one approval is not enough");
    assert!(first["first_reviewed_by"].is_string(), "{first}");
    // The same reviewer cannot give the second approval, and no longer sees it in the queue.
    assert_eq!(t.get("/api/v1/checkins/review", &unit_admin).await.1, json!([]));
    let (status, body) = t.post(&review, &unit_admin, json!({ "approve": true, "reason": "lagi" })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("second_reviewer_required"))
    );
    let (_, queue) = t.get("/api/v1/checkins/review", &admin).await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    let (status, last) = t.post(&review, &admin, json!({ "approve": true, "reason": "disetujui" })).await;
    assert_eq!((status, last["outcome"].clone()), (StatusCode::OK, json!("accepted")));

    let (_, audit) = t.get("/api/v1/audit?limit=20", &admin).await;
    let stages: Vec<_> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "checkin.review")
        .map(|e| e["detail"]["stage"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stages.len(), 2);
    assert!(stages.contains(&"first".to_string()) && stages.contains(&"final".to_string()));
});

db_test!(impossible_travel_is_measured_from_the_last_position_that_was_not_rejected, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    // About 90 km north of the office.
    const FAR: (f64, f64) = (-3.0, 102.287);
    let signals = |answer: &Value| {
        let mut s = answer["signals"].as_array().unwrap().clone();
        s.sort_by_key(|v| v.to_string());
        Value::Array(s)
    };
    t.clock.advance(chrono::Duration::minutes(25));
    let (_, answer) = send(&t, &token, &attempt(&t, "in", INSIDE), 4100).await;
    assert_eq!(answer["outcome"], "accepted");
    t.clock.advance(chrono::Duration::minutes(1));
    let (_, answer) = send(&t, &token, &attempt(&t, "out", FAR), 4101).await;
    assert_eq!(
        (answer["outcome"].clone(), signals(&answer)),
        (json!("needs_review"), json!(["impossible_travel", "outside_geofence"]))
    );
    // From another phone, back at the office a minute later: rejected, so not where they were.
    t.clock.advance(chrono::Duration::minutes(1));
    let mut other_phone = attempt(&t, "out", INSIDE);
    other_phone["device_id"] = json!("someone-elses-phone");
    let (_, answer) = send(&t, &token, &other_phone, 4102).await;
    assert_eq!(
        (answer["outcome"].clone(), signals(&answer)),
        (json!("rejected"), json!(["impossible_travel", "unregistered_device"]))
    );
    // Measured from the check-out far away, which is still under review.
    t.clock.advance(chrono::Duration::minutes(1));
    let (_, answer) = send(&t, &token, &attempt(&t, "out", FAR), 4103).await;
    assert_eq!(signals(&answer), json!(["outside_geofence"]));
});

db_test!(a_rejected_check_in_is_kept_and_frees_the_day, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let mut unregistered = attempt(&t, "in", INSIDE);
    unregistered["device_id"] = json!("someone-elses-phone");
    let (_, answer) = send(&t, &token, &unregistered, 4000).await;
    assert_eq!(
        (answer["outcome"].clone(), answer["signals"].clone()),
        (json!("rejected"), json!(["unregistered_device"]))
    );
    // The rejected attempt does not count: a proper check-in still goes through.
    let (_, proper) = send(&t, &token, &attempt(&t, "in", INSIDE), 4001).await;
    assert_eq!(proper["outcome"], "accepted");
    let history = format!("/api/v1/people/{}/checkins?from=2026-03-02&to=2026-03-02", t.a.employee.person_id);
    let (_, events) = t.get(&history, &token).await;
    let mut outcomes: Vec<_> =
        events.as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap().to_string()).collect();
    outcomes.sort();
    assert_eq!(outcomes, ["accepted", "rejected"], "never silently dropped");

    // A phone reset, or no longer assigned to the office: the next attempt knows at once.
    let admin = t.login(&t.a.admin).await;
    let reset = format!("/api/v1/people/{}/devices/reset", t.a.employee.person_id);
    assert_eq!(t.call(Method::POST, &reset, Some(&admin), None).await.0, StatusCode::OK);
    let (_, answer) = send(&t, &token, &attempt(&t, "out", INSIDE), 4002).await;
    assert_eq!(answer["signals"], json!(["unregistered_device"]));
    let locations = format!("/api/v1/people/{}/locations", t.a.employee.person_id);
    let none = json!({ "location_ids": [] });
    assert_eq!(t.call(Method::PUT, &locations, Some(&admin), Some(none)).await.0, StatusCode::OK);
    let (_, answer) = send(&t, &token, &attempt(&t, "out", INSIDE), 4003).await;
    assert_eq!(answer["signals"], json!(["outside_geofence", "unregistered_device"]));
});

db_test!(offline_attempts_sync_within_the_window_only, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    t.clock.advance(chrono::Duration::hours(9)); // 16:00 WIB: syncing the morning's offline check-in
    let mut offline = attempt(&t, "in", INSIDE);
    let made_at = t.clock.now() - chrono::Duration::minutes(8 * 60 + 35); // 07:25 WIB
    offline["offline_at"] = json!(made_at);
    let (_, answer) = send(&t, &token, &offline, 5000).await;
    assert_eq!((answer["outcome"].clone(), answer["offline"].clone()), (json!("accepted"), json!(true)));
    assert_eq!(answer["occurred_at"], made_at.timestamp_millis());

    let mut stale = attempt(&t, "out", INSIDE);
    stale["offline_at"] = json!(t.clock.now() - chrono::Duration::hours(30));
    let (_, answer) = send(&t, &token, &stale, 5001).await;
    assert_eq!((answer["outcome"].clone(), answer["signals"].clone()), (json!("rejected"), json!(["stale_offline"])));
});

db_test!(qr_kiosk_tokens_work_once_where_and_when_they_were_shown, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let unit_admin = t.login(&t.a.unit_admin).await;
    let kiosk = format!("/api/v1/locations/{}/kiosk-token", t.a.location);
    let (status, shown) = t.get(&kiosk, &unit_admin).await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(t.get(&kiosk, &token).await.0, StatusCode::FORBIDDEN);
    let qr = |kind: &str, token_text: &Value| json!({ "attempt_id": uuid::Uuid::new_v4(), "kind": kind, "mode": "qr", "device_id": PHONE, "qr_token": token_text, "device_time": t.clock.now() });
    let form = |metadata: Value| {
        let form = reqwest::multipart::Form::new().text("metadata", metadata.to_string());
        t.http.post(t.url("/api/v1/checkins")).bearer_auth(&token).multipart(form).send()
    };
    // A scan rejected for another reason did not use the token.
    let mut elsewhere = qr("in", &shown["token"]);
    elsewhere["device_id"] = json!("a-phone-never-registered");
    let answer: Value = form(elsewhere).await.unwrap().json().await.unwrap();
    assert_eq!(
        (answer["outcome"].clone(), answer["signals"].clone()),
        (json!("rejected"), json!(["unregistered_device"]))
    );
    let answer: Value = form(qr("in", &shown["token"])).await.unwrap().json().await.unwrap();
    assert_eq!(
        (answer["outcome"].clone(), answer["location_id"].clone(), answer["signals"].clone()),
        (json!("accepted"), json!(t.a.location), json!([])),
        "no photo needed"
    );
    let replay: Value = form(qr("out", &shown["token"])).await.unwrap().json().await.unwrap();
    assert_eq!(replay["signals"], json!(["replayed_qr"]));

    // B's kiosk token means nothing in A.
    let admin_b = t.login(&t.b.admin).await;
    let (_, foreign) = t.get(&format!("/api/v1/locations/{}/kiosk-token", t.b.location), &admin_b).await;
    let answer: Value = form(qr("out", &foreign["token"])).await.unwrap().json().await.unwrap();
    assert_eq!((answer["outcome"].clone(), answer["signals"].clone()), (json!("rejected"), json!(["foreign_qr"])));

    // A minute later the token has expired.
    let (_, fresh) = t.get(&kiosk, &unit_admin).await;
    t.clock.advance(chrono::Duration::seconds(61));
    let answer: Value = form(qr("out", &fresh["token"])).await.unwrap().json().await.unwrap();
    assert_eq!(answer["signals"], json!(["foreign_qr"]));

    let res = form(qr("out", &json!("not-a-token"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "qr_token_format");
});

db_test!(a_paired_tablet_shows_its_locations_codes_and_nothing_else_until_revoked, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let unit_admin = t.login(&t.a.unit_admin).await;
    let tablets = format!("/api/v1/locations/{}/kiosks", t.a.location);
    let (status, new) = t.post(&tablets, &unit_admin, json!({ "name": "Tablet lobi" })).await;
    assert_eq!(status, StatusCode::CREATED, "{new}");
    assert_eq!(new["kiosk"]["state"], "waiting");
    let code = new["pairing_code"].as_str().unwrap().to_string();
    // Another institution's administrator neither sees nor names tablets here.
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(t.get(&tablets, &admin_b).await.0, StatusCode::NOT_FOUND);
    assert_eq!(t.post(&tablets, &token, json!({ "name": "x" })).await.0, StatusCode::FORBIDDEN);

    let pair = |code: &str| t.call(Method::POST, "/api/v1/kiosk/pair", None, Some(json!({ "code": code })));
    let (status, body) = pair("ZZZZ-ZZZZ").await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("kiosk_pairing_code"))
    );
    let (status, credential) = pair(&code.to_lowercase()).await;
    assert_eq!(status, StatusCode::OK, "{credential}");
    let tablet = credential["token"].as_str().unwrap().to_string();
    assert_eq!(pair(&code).await.0, StatusCode::UNPROCESSABLE_ENTITY, "a code pairs one tablet");
    // The tablet's token is not a session: it shows codes, and nothing else answers it.
    assert_eq!(t.get("/api/v1/me", &tablet).await.0, StatusCode::UNAUTHORIZED);
    let (status, screen) = t.get("/api/v1/kiosk/screen", &tablet).await;
    assert_eq!(status, StatusCode::OK, "{screen}");
    assert_eq!(screen["location_name"], "Kantor");

    // What it shows works at the check-in: the code typed by someone whose camera cannot scan,
    // then the same slot's QR token is a replay for them.
    let qr = |kind: &str, text: &Value| json!({ "attempt_id": uuid::Uuid::new_v4(), "kind": kind, "mode": "qr", "device_id": PHONE, "qr_token": text, "device_time": t.clock.now() });
    let form = |metadata: Value| {
        let form = reqwest::multipart::Form::new().text("metadata", metadata.to_string());
        t.http.post(t.url("/api/v1/checkins")).bearer_auth(&token).multipart(form).send()
    };
    let typed = json!(screen["typed_code"].as_str().unwrap().replace('-', " ").to_lowercase());
    let answer: Value = form(qr("in", &typed)).await.unwrap().json().await.unwrap();
    assert_eq!(
        (answer["outcome"].clone(), answer["location_id"].clone()),
        (json!("accepted"), json!(t.a.location)),
        "{answer}"
    );
    let again: Value = form(qr("out", &screen["token"])).await.unwrap().json().await.unwrap();
    assert_eq!(again["signals"], json!(["replayed_qr"]));

    let (_, listed) = t.get(&tablets, &unit_admin).await;
    assert_eq!((listed[0]["state"].clone(), listed[0]["name"].clone()), (json!("paired"), json!("Tablet lobi")));
    let revoke = format!("/api/v1/kiosks/{}/revoke", listed[0]["id"].as_str().unwrap());
    assert_eq!(t.call(Method::POST, &revoke, Some(&admin_b), None).await.0, StatusCode::NOT_FOUND);
    let (_, revoked) = t.call(Method::POST, &revoke, Some(&unit_admin), None).await;
    assert_eq!(revoked["state"], "revoked");
    assert_eq!(t.get("/api/v1/kiosk/screen", &tablet).await.0, StatusCode::UNAUTHORIZED);

    // An unused code runs out after ten minutes.
    let (_, later) = t.post(&tablets, &unit_admin, json!({ "name": "Tablet samping" })).await;
    t.clock.advance(chrono::Duration::minutes(11));
    assert_eq!(pair(later["pairing_code"].as_str().unwrap()).await.0, StatusCode::UNPROCESSABLE_ENTITY);
});

db_test!(bad_check_ins_get_clear_codes_and_change_nothing, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let with = |patch: Value| {
        let mut m = attempt(&t, "in", INSIDE);
        for (k, v) in patch.as_object().unwrap() {
            m[k] = v.clone();
        }
        m
    };
    let cases = [
        (json!({ "lat": 95.0 }), "lat", "geo_latitude"),
        (json!({ "lon": -200.0 }), "lat", "geo_longitude"),
        (json!({ "accuracy_m": -3.0 }), "accuracy_m", "accuracy_invalid"),
        (json!({ "lat": null }), "lat", "location_required"),
        (json!({ "mode": "qr" }), "qr_token", "qr_token_required"),
    ];
    for (patch, field, code) in cases {
        let (status, body) = send(&t, &token, &with(patch.clone()), 6000).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{patch}: {body}");
        assert!(
            body["errors"].as_array().unwrap().iter().any(|e| e["field"] == field && e["code"] == code),
            "{patch}: {body}"
        );
    }
    for (patch, what) in [
        (json!({ "mode": "teleport" }), "unknown mode"),
        (json!({ "attempt_id": "not-a-uuid" }), "attempt id"),
        (json!({ "lat": "x" }), "lat type"),
    ] {
        let (status, body) = send(&t, &token, &with(patch), 6001).await;
        assert_eq!(
            (status, body["errors"][0]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!("metadata")),
            "{what}"
        );
    }
    let png = t.upload("/api/v1/checkins", &token, attempt(&t, "in", INSIDE), "photo", b"GIF89a....".to_vec()).await;
    assert_eq!(png.1["errors"][0]["code"], "photo_not_jpeg");
    let mut cut = sample_jpeg(480, 640, 500);
    cut.truncate(200);
    let truncated = t.upload("/api/v1/checkins", &token, attempt(&t, "in", INSIDE), "photo", cut).await;
    assert_eq!(truncated.1["errors"][0]["code"], "photo_malformed");
    let (_, body) = t.upload_without_photo("/api/v1/checkins", &token, attempt(&t, "in", INSIDE)).await;
    assert_eq!(body["errors"][0]["code"], "photo_required");
    t.assert_upload_refused_as_too_large(
        "/api/v1/checkins",
        &token,
        attempt(&t, "in", INSIDE),
        "photo",
        vec![0xFF; 50 * 1024 * 1024],
    )
    .await;

    let (status, body) = send(&t, &token, &attempt(&t, "out", INSIDE), 6002).await;
    assert_eq!((status, body["code"].clone()), (StatusCode::CONFLICT, json!("no_check_in_today")));
    let history = format!("/api/v1/people/{}/checkins?from=2026-03-01&to=2026-03-31", t.a.employee.person_id);
    assert_eq!(t.get(&history, &token).await.1, json!([]), "nothing was written");
});

db_test!(the_month_shows_each_days_status_and_the_recap_adds_up, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let day = |d: i64, h: i64, m: i64| {
        // Wall-clock WIB (UTC+7) on March d, 2026, expressed as an offset from the fixture's start
        // (2026-03-02 07:00 WIB).
        chrono::Duration::days(d - 2) + chrono::Duration::hours(h - 7) + chrono::Duration::minutes(m)
    };
    let mut elapsed = chrono::Duration::zero();
    let mut at = |t: &TestApp, target: chrono::Duration| {
        t.clock.advance(target - elapsed);
        elapsed = target;
    };
    // Mon 2 March: on time, full day. Tue 3: 07:45 in (TL1), 15:00 out (PSW2). Wed 4: absent.
    // Thu 5: only a check-in (PSW4). Fri 6: not yet over when the month is read on Fri 15:00.
    for (d, h_in, m_in, out) in [(2, 7, 20, Some((16, 5))), (3, 7, 45, Some((15, 0))), (5, 7, 10, None)] {
        at(&t, day(d, h_in, m_in));
        let (_, a) = send(&t, &token, &attempt(&t, "in", INSIDE), (d * 10) as usize).await;
        assert_eq!(a["outcome"], "accepted", "{a}");
        if let Some((h, m)) = out {
            at(&t, day(d, h, m));
            send(&t, &token, &attempt(&t, "out", INSIDE), (d * 10 + 1) as usize).await;
        }
    }
    at(&t, day(6, 15, 0));
    let (status, month) =
        t.get(&format!("/api/v1/people/{}/attendance?month=2026-03", t.a.employee.person_id), &token).await;
    assert_eq!(status, StatusCode::OK, "{month}");
    let days = month["days"].as_array().unwrap();
    let status_of = |date: &str| days.iter().find(|d| d["date"] == date).cloned();
    assert!(status_of("2026-03-01").is_none(), "before the person was added");
    let monday = status_of("2026-03-02").unwrap();
    assert_eq!(
        (monday["status"].clone(), monday["late"].clone(), monday["early"].clone()),
        (json!("present"), json!(null), json!(null))
    );
    let tuesday = status_of("2026-03-03").unwrap();
    assert_eq!(
        (tuesday["late"].clone(), tuesday["early"].clone(), tuesday["deduction"].clone()),
        (json!("L1"), json!("L2"), json!(150))
    );
    assert_eq!(status_of("2026-03-04").unwrap()["status"], "absent");
    assert_eq!(status_of("2026-03-05").unwrap()["early"], "L4", "no check-out");
    assert!(status_of("2026-03-06").is_none(), "today, nothing yet");
    let totals = &month["totals"];
    assert_eq!((totals["present_days"].clone(), totals["absent_days"].clone()), (json!(3), json!(1)));
    // Kementan preset: TL1 0.5 + PSW2 1 + TK 5 + PSW4 2 = 8.5 %.
    assert_eq!(totals["deduction"], 850);

    let unit_admin = t.login(&t.a.unit_admin).await;
    let (status, rows) = t.get("/api/v1/recap?month=2026-03", &unit_admin).await;
    assert_eq!(status, StatusCode::OK);
    let mine = rows.as_array().unwrap().iter().find(|r| r["person_id"] == t.a.employee.person_id.as_str()).unwrap();
    assert_eq!(mine["totals"]["deduction"], 850);
    assert_eq!(mine["unit_code"], "OPD.1");
    assert!(
        rows.as_array().unwrap().iter().all(|r| r["person_id"] != t.a.outsider.person_id.as_str()),
        "outside the unit admin's scope"
    );

    let csv = t.http.get(t.url("/api/v1/recap.csv?month=2026-03")).bearer_auth(&unit_admin).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("employee_number,full_name,unit,present_days,TL1"));
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("{},Pegawai Satu,OPD.1,3,1,0,0,0,0,1,0,1,1,0,8.50", t.a.employee.login))),
        "{text}"
    );

    // The same month as a workbook and a PDF, named after it (their contents: browser-tests/).
    for (ext, content_type, magic) in [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &b"PK"[..]),
        ("pdf", "application/pdf", &b"%PDF-"[..]),
    ] {
        let url = t.url(&format!("/api/v1/recap.{ext}?month=2026-03&unit_id={}", t.a.child_unit));
        let res = t.http.get(url).bearer_auth(&unit_admin).header("accept-language", "en").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], content_type);
        assert_eq!(res.headers()["content-disposition"], format!("attachment; filename=\"rekap-2026-03.{ext}\""));
        assert!(res.bytes().await.unwrap().starts_with(magic));
        let refused = t.http.get(t.url(&format!("/api/v1/recap.{ext}?month=2026-03"))).bearer_auth(&token).send().await;
        assert_eq!(refused.unwrap().status(), StatusCode::FORBIDDEN);
    }

    assert_eq!(t.get("/api/v1/recap?month=2026-03", &token).await.0, StatusCode::FORBIDDEN);
    let (status, body) = t.get("/api/v1/recap?month=maret", &unit_admin).await;
    assert_eq!((status, body["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("month_format")));
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(
        t.get(&format!("/api/v1/people/{}/attendance?month=2026-03", t.a.employee.person_id), &admin_b).await.0,
        StatusCode::NOT_FOUND
    );
});

db_test!(assigned_schedules_and_period_overrides_decide_lateness, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let day = |weekday: &str, start: &str, end: &str| json!({ "weekday": weekday, "start": start, "end": end, "break_start": null, "break_end": null });
    let morning = json!({ "name": "Shift pagi", "week": { "days": [
        day("Mon", "06:00:00", "14:00:00"), day("Tue", "06:00:00", "14:00:00"), day("Wed", "06:00:00", "14:00:00"),
        day("Thu", "06:00:00", "14:00:00"), day("Fri", "06:00:00", "14:00:00"), day("Sat", "06:00:00", "14:00:00") ] } });
    let employee = t.login(&t.a.employee).await;
    assert_eq!(t.post("/api/v1/schedules", &employee, morning.clone()).await.0, StatusCode::FORBIDDEN);
    let (status, shift) = t.post("/api/v1/schedules", &admin, morning).await;
    assert_eq!(status, StatusCode::CREATED, "{shift}");
    assert_eq!(shift["weekly_minutes"], 6 * 8 * 60);
    let assign = format!("/api/v1/people/{}/schedule", t.a.employee.person_id);
    assert_eq!(t.get(&assign, &employee).await.1, json!({ "schedule_id": null }));
    assert_eq!(
        t.call(Method::PUT, &assign, Some(&admin), Some(json!({ "schedule_id": shift["id"] }))).await.0,
        StatusCode::NO_CONTENT
    );
    // The person and their administrator see it; someone else's is not found.
    assert_eq!(t.get(&assign, &employee).await.1, json!({ "schedule_id": shift["id"] }));
    assert_eq!(t.get(&assign, &admin).await.1, json!({ "schedule_id": shift["id"] }));
    let colleague = format!("/api/v1/people/{}/schedule", t.a.admin.person_id);
    assert_eq!(t.get(&colleague, &employee).await.0, StatusCode::NOT_FOUND);

    // Ramadan (for everyone) from Monday 9 to Friday 13 March: 08:00 starts.
    let ramadan = serde_json::to_value(hadir_domain::schedule::WeeklySchedule::ramadan_asn()).unwrap();
    let (status, body) = t
        .post(
            "/api/v1/schedules",
            &admin,
            json!({ "name": "Ramadan", "week": ramadan, "valid_from": "2026-03-09", "valid_to": "2026-03-13" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["weekly_minutes"], 32 * 60 + 30);

    let token = ready(&t, &t.a.employee).await;
    let outsider = ready(&t, &t.a.outsider).await;
    // Saturday 7 March, 06:05: a working day on the morning shift, five minutes late.
    t.clock.advance(chrono::Duration::days(5) - chrono::Duration::minutes(55));
    send(&t, &token, &attempt(&t, "in", INSIDE), 7000).await;
    // Monday 9 March, 07:55: on time in Ramadan for the outsider on the default week.
    t.clock.advance(chrono::Duration::days(2) + chrono::Duration::minutes(110));
    let (_, answer) = send(&t, &outsider, &attempt(&t, "in", INSIDE), 7001).await;
    assert_eq!(answer["outcome"], "accepted", "{answer}");
    t.clock.advance(chrono::Duration::days(1));

    let t = &t;
    let month = |person: String, tok: String| async move {
        t.get(&format!("/api/v1/people/{person}/attendance?month=2026-03"), &tok).await.1
    };
    let mine = month(t.a.employee.person_id.clone(), token.clone()).await;
    let saturday = mine["days"].as_array().unwrap().iter().find(|d| d["date"] == "2026-03-07").unwrap().clone();
    assert_eq!((saturday["status"].clone(), saturday["late"].clone()), (json!("present"), json!("L1")));
    let theirs = month(t.a.outsider.person_id.clone(), outsider.clone()).await;
    let monday = theirs["days"].as_array().unwrap().iter().find(|d| d["date"] == "2026-03-09").unwrap().clone();
    assert_eq!(
        (monday["status"].clone(), monday["late"].clone()),
        (json!("present"), json!(null)),
        "08:00 start in Ramadan"
    );

    // The rules of schedules.
    let (_, default) = t.post("/api/v1/schedules", &admin, json!({ "name": "Kantor", "week": serde_json::to_value(hadir_domain::schedule::WeeklySchedule::standard_asn()).unwrap(), "is_default": true })).await;
    let (status, body) = t.delete(&format!("/api/v1/schedules/{}", default["id"].as_str().unwrap()), &admin).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("schedule_delete_default"))
    );
    let week = serde_json::to_value(hadir_domain::schedule::WeeklySchedule::standard_asn()).unwrap();
    let cases = [
        (json!({ "name": "X", "week": week, "valid_from": "2026-04-02", "valid_to": "2026-04-01" }), "schedule_period"),
        (json!({ "name": "X", "week": week, "valid_from": "2026-04-01" }), "schedule_period"),
        (
            json!({ "name": "X", "week": week, "is_default": true, "valid_from": "2026-04-01", "valid_to": "2026-04-30" }),
            "schedule_default_override",
        ),
        (json!({ "name": "X", "week": { "days": [] } }), "schedule_days"),
        (
            json!({ "name": "X", "week": { "days": [day("Mon", "07:00:00", "15:00:00")], "flex_minutes": 500 } }),
            "schedule_flex",
        ),
    ];
    for (body, code) in cases {
        let (status, answer) = t.post("/api/v1/schedules", &admin, body.clone()).await;
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY
                && answer["errors"].as_array().unwrap().iter().any(|e| e["code"] == code),
            "{body}: {answer}"
        );
    }
    let (_, schedules) = t.get("/api/v1/schedules", &employee).await;
    let ramadan_id = schedules.as_array().unwrap().iter().find(|s| s["name"] == "Ramadan").unwrap()["id"].clone();
    let (status, body) = t.call(Method::PUT, &assign, Some(&admin), Some(json!({ "schedule_id": ramadan_id }))).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("schedule_assign_override"))
    );
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(
        t.call(Method::PUT, &assign, Some(&admin_b), Some(json!({ "schedule_id": null }))).await.0,
        StatusCode::NOT_FOUND
    );
});

db_test!(wfh_and_duty_check_ins_match_their_approved_places_and_days, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let unit_admin = t.login(&t.a.unit_admin).await;
    const HOME: (f64, f64) = (-3.7990, 102.2650);
    let mut wfh = attempt(&t, "in", HOME);
    wfh["mode"] = json!("wfh");
    let (status, body) = send(&t, &token, &wfh, 8000).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::CONFLICT, json!("wfh_not_allowed_today")),
        "no approved point yet"
    );

    // Working from home on Mondays (the fixture's first day is Monday 2 March).
    let (status, proposal) = t
        .post(
            "/api/v1/wfh-points",
            &token,
            json!({ "lat": HOME.0, "lon": HOME.1, "radius_m": 80, "weekdays": ["Mon", "Fri"] }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{proposal}");
    let id = proposal["id"].as_str().unwrap();
    assert_eq!(
        t.post(&format!("/api/v1/wfh-points/{id}/decide"), &token, json!({ "approve": true })).await.0,
        StatusCode::NOT_FOUND,
        "not one's own"
    );
    let (_, waiting) = t.get("/api/v1/wfh-points/pending", &unit_admin).await;
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    let (_, log) = t.get("/api/v1/me/access-log", &token).await;
    assert!(log.to_string().contains("home_location"), "the queue shows where they live: {log}");
    let (status, approved) =
        t.post(&format!("/api/v1/wfh-points/{id}/decide"), &unit_admin, json!({ "approve": true })).await;
    assert_eq!((status, approved["status"].clone()), (StatusCode::OK, json!("approved")));

    let (_, answer) = send(&t, &token, &wfh, 8001).await;
    assert_eq!(
        (answer["outcome"].clone(), answer["mode"].clone(), answer["location_id"].clone()),
        (json!("accepted"), json!("wfh"), json!(null)),
        "{answer}"
    );
    t.clock.advance(chrono::Duration::hours(8));
    let mut away_from_home = attempt(&t, "out", (-3.81, 102.265));
    away_from_home["mode"] = json!("wfh");
    let (_, answer) = send(&t, &token, &away_from_home, 8002).await;
    assert_eq!(answer["signals"], json!(["outside_geofence"]));

    // Tuesday: not a WFH day; a duty assignment to Jakarta instead.
    t.clock.advance(chrono::Duration::days(1));
    let mut tuesday = attempt(&t, "in", HOME);
    tuesday["mode"] = json!("wfh");
    assert_eq!(send(&t, &token, &tuesday, 8003).await.1["code"], "wfh_not_allowed_today");
    const JAKARTA: (f64, f64) = (-6.1754, 106.8272);
    let mut duty = attempt(&t, "in", JAKARTA);
    duty["mode"] = json!("duty");
    assert_eq!(send(&t, &token, &duty, 8004).await.1["code"], "no_duty_today");
    let duties = format!("/api/v1/people/{}/duties", t.a.employee.person_id);
    let assignment = json!({ "place": "Kementerian PANRB", "lat": JAKARTA.0, "lon": JAKARTA.1, "start_date": "2026-03-03", "end_date": "2026-03-04", "reference": "ST/123/BKD/2026" });
    assert_eq!(t.post(&duties, &token, assignment.clone()).await.0, StatusCode::NOT_FOUND, "not for oneself");
    let (status, created) = t.post(&duties, &unit_admin, assignment).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, answer) = send(&t, &token, &duty, 8005).await;
    assert_eq!((answer["outcome"].clone(), answer["mode"].clone()), (json!("accepted"), json!("duty")), "{answer}");
    assert_eq!(t.get(&duties, &token).await.1.as_array().unwrap().len(), 1);

    let (status, body) = t.post(&duties, &unit_admin, json!({ "place": "X", "lat": 99.0, "lon": 0.0, "start_date": "2026-03-05", "end_date": "2026-03-01", "reference": "Y" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let codes: Vec<_> =
        body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes, ["geo_latitude", "duty_dates"]);
    let (status, body) =
        t.post("/api/v1/wfh-points", &token, json!({ "lat": HOME.0, "lon": HOME.1, "weekdays": [] })).await;
    assert_eq!((status, body["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("wfh_weekdays")));
});

db_test!(a_night_shift_checks_out_the_next_morning_and_counts_for_its_own_day, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let days: Vec<_> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .map(
            |d| json!({ "weekday": d, "start": "22:00:00", "end": "06:00:00", "break_start": null, "break_end": null }),
        )
        .collect();
    let (_, night) =
        t.post("/api/v1/schedules", &admin, json!({ "name": "Jaga malam", "week": { "days": days } })).await;
    let assign = format!("/api/v1/people/{}/schedule", t.a.employee.person_id);
    assert_eq!(
        t.call(Method::PUT, &assign, Some(&admin), Some(json!({ "schedule_id": night["id"] }))).await.0,
        StatusCode::NO_CONTENT
    );
    let token = ready(&t, &t.a.employee).await;

    t.clock.advance(chrono::Duration::hours(15) + chrono::Duration::minutes(5)); // Mon 22:05 WIB
    let (_, check_in) = send(&t, &token, &attempt(&t, "in", INSIDE), 9000).await;
    assert_eq!(check_in["outcome"], "accepted", "{check_in}");
    t.clock.advance(chrono::Duration::hours(7) + chrono::Duration::minutes(57)); // Tue 06:02 WIB
    let (status, check_out) = send(&t, &token, &attempt(&t, "out", INSIDE), 9001).await;
    assert_eq!((status, check_out["outcome"].clone()), (StatusCode::OK, json!("accepted")), "{check_out}");
    assert_eq!(check_out["local_date"], "2026-03-03");

    t.clock.advance(chrono::Duration::days(1)); // Wed 06:02: Tuesday's shift was missed
    let (_, month) =
        t.get(&format!("/api/v1/people/{}/attendance?month=2026-03", t.a.employee.person_id), &token).await;
    let day = |date: &str| month["days"].as_array().unwrap().iter().find(|d| d["date"] == date).unwrap().clone();
    let monday = day("2026-03-02");
    assert_eq!(
        (monday["status"].clone(), monday["late"].clone(), monday["early"].clone()),
        (json!("present"), json!("L1"), json!(null))
    );
    assert_eq!(day("2026-03-03")["status"], "absent", "the morning check-out belonged to Monday's shift");
});

/// The employee's totals in the institution's recap of March 2026, and the same month computed
/// from their check-ins alone (the person's own month, never cached): the oracle.
async fn march_totals(t: &TestApp, token: &str) -> (Value, Value) {
    let (status, rows) = t.get("/api/v1/recap?month=2026-03", token).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    let row = rows.as_array().unwrap().iter().find(|r| r["person_id"] == t.a.employee.person_id.as_str()).cloned();
    let path = format!("/api/v1/people/{}/attendance?month=2026-03", t.a.employee.person_id);
    let (_, month) = t.get(&path, token).await;
    (row.unwrap()["totals"].clone(), month["totals"].clone())
}

db_test!(the_recap_keeps_counted_days_and_recounts_only_what_changed, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    // Mon 2 March 07:20 WIB: on time; Tue 3 March 07:20: outside the fence, left for review.
    t.clock.advance(chrono::Duration::minutes(20));
    assert_eq!(send(&t, &token, &attempt(&t, "in", INSIDE), 5000).await.1["outcome"], "accepted");
    t.clock.advance(chrono::Duration::days(1));
    let (_, flagged) = send(&t, &token, &attempt(&t, "in", OUTSIDE), 5001).await;
    assert_eq!(flagged["outcome"], "needs_review");

    // Tue 10 March, the month in progress: days through the 8th are counted and kept.
    t.clock.advance(chrono::Duration::days(7));
    let token = t.login(&t.a.employee).await;
    let admin = t.login(&t.a.admin).await;
    let (recap, oracle) = march_totals(&t, &admin).await;
    assert_eq!(recap, oracle);
    assert_eq!((recap["present_days"].clone(), recap["absent_days"].clone()), (json!(1), json!(5)), "{recap}");

    // Proof that kept days are read back: a doctored 1 March (a Sunday) counts as absent…
    let conn = db.connect().await;
    let doctor = format!(
        "UPDATE recap_person_months SET days = 'aa' || substr(days, 3) WHERE person_id = '{}'",
        t.a.employee.person_id
    );
    let doctored = hadir_db::sea_orm::ConnectionTrait::execute_unprepared(&conn, &doctor).await.unwrap();
    assert_eq!(doctored.rows_affected(), 1);
    let absent = |v: &Value| v["absent_days"].as_u64().unwrap();
    let (recap, oracle) = march_totals(&t, &admin).await;
    assert_eq!(absent(&recap), absent(&oracle) + 1);

    // …while what changes a later day is recounted from that day on: yesterday's check-in
    // synced late (offline),
    let mut offline = attempt(&t, "in", INSIDE);
    offline["offline_at"] = json!(t.clock.now() - chrono::Duration::hours(20)); // Mon 9 March 11:20
    assert_eq!(send(&t, &token, &offline, 5002).await.1["outcome"], "accepted");
    let (recap, oracle) = march_totals(&t, &admin).await;
    assert_eq!(recap["present_days"], 2);
    assert_eq!((recap["present_days"].clone(), absent(&recap)), (oracle["present_days"].clone(), absent(&oracle) + 1));
    // and the flagged check-in of the 3rd approved.
    let unit_admin = t.login(&t.a.unit_admin).await;
    let review = format!("/api/v1/checkins/{}/review", flagged["event_id"].as_str().unwrap());
    assert_eq!(
        t.post(&review, &unit_admin, json!({ "approve": true, "reason": "dinas di gedung B" })).await.0,
        StatusCode::OK
    );
    let (recap, oracle) = march_totals(&t, &admin).await;
    assert_eq!(recap["present_days"], 3);
    assert_eq!((recap["present_days"].clone(), absent(&recap)), (oracle["present_days"].clone(), absent(&oracle) + 1));

    // What changes everyone's days recounts everything: a local holiday,
    let holiday = json!({ "date": "2026-03-04", "kind": "holiday", "name": "HUT Kota", "decree": "Perwali (contoh)" });
    assert_eq!(t.post("/api/v1/holidays", &admin, holiday).await.0, StatusCode::CREATED);
    let (recap, oracle) = march_totals(&t, &admin).await;
    assert_eq!(recap, oracle, "the doctored day is gone with the rest");

    // 10 April: March is over and kept whole, and stays right when the table changes.
    t.clock.advance(chrono::Duration::days(31));
    let admin = t.login(&t.a.admin).await;
    let (first, oracle) = march_totals(&t, &admin).await;
    assert_eq!(first, oracle);
    // 17 working days from 2 March: 22 weekdays less five days of holiday and cuti bersama; one
    // more local holiday; three days present.
    assert_eq!((first["present_days"].clone(), first["absent_days"].clone()), (json!(3), json!(13)), "{first}");
    assert_eq!(march_totals(&t, &admin).await.0, first, "the same answer from what is kept");
    assert_eq!(
        t.call(Method::PUT, "/api/v1/discipline-table", Some(&admin), Some(json!({ "preset": "kemenkeu" }))).await.0,
        StatusCode::OK
    );
    let (changed, oracle) = march_totals(&t, &admin).await;
    assert_ne!(changed["deduction"], first["deduction"]);
    assert_eq!(changed, oracle);

    // The office turns out to be in Makassar: the check-ins made there were an hour later, local
    // time, than counted (07:20 WIB is 08:20 WITA), and the kept days are counted again.
    let path = format!("/api/v1/locations/{}", t.a.location);
    let (_, office) = t.get(&path, &admin).await;
    let makassar = json!({ "name": office["name"], "time_zone": "Asia/Makassar", "geofence": office["geofence"] });
    let (status, saved) = t.call(Method::PUT, &path, Some(&admin), Some(makassar)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (moved, oracle) = march_totals(&t, &admin).await;
    assert_ne!(moved["deduction"], changed["deduction"], "{moved}");
    assert_eq!(moved, oracle);

    // The institution itself moves to WIT: the check-in of 3 March, made outside any site, is
    // dated in the institution's zone (07:20 WIB is 09:20 WIT), so it is counted again too.
    let change = json!({ "name": "Pemerintah Contoh", "time_zone": "Asia/Jayapura" });
    let unit_admin = t.login(&t.a.unit_admin).await;
    assert_eq!(
        t.call(Method::PUT, "/api/v1/institution", Some(&unit_admin), Some(change.clone())).await.0,
        StatusCode::FORBIDDEN
    );
    let blank = json!({ "name": " ", "time_zone": "Asia/Jayapura" });
    assert_eq!(
        t.call(Method::PUT, "/api/v1/institution", Some(&admin), Some(blank)).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, saved) = t.call(Method::PUT, "/api/v1/institution", Some(&admin), Some(change)).await;
    assert_eq!((status, saved["time_zone"].clone()), (StatusCode::OK, json!("Asia/Jayapura")), "{saved}");
    let (east, oracle) = march_totals(&t, &admin).await;
    assert_ne!(east["deduction"], moved["deduction"], "{east}");
    assert_eq!(east, oracle);
    let (_, audit) = t.get("/api/v1/audit?limit=5", &admin).await;
    let entry = audit.as_array().unwrap().iter().find(|e| e["action"] == "institution.update").cloned().unwrap();
    assert_eq!(entry["detail"]["before"]["time_zone"], "Asia/Jakarta", "{entry}");
});

db_test!(the_recap_by_unit_adds_up_each_units_people, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    t.clock.advance(chrono::Duration::minutes(50)); // 07:50 WIB: late
    assert_eq!(send(&t, &token, &attempt(&t, "in", INSIDE), 5200).await.1["outcome"], "accepted");
    t.clock.advance(chrono::Duration::days(8));
    let admin = t.login(&t.a.admin).await;
    let (_, people) = t.get("/api/v1/recap?month=2026-03", &admin).await;
    let (status, units) = t.get("/api/v1/recap/units?month=2026-03", &admin).await;
    assert_eq!(status, StatusCode::OK, "{units}");
    let units = units.as_array().unwrap();
    let people = people.as_array().unwrap();
    assert_eq!(units.iter().map(|u| u["totals"]["people"].as_u64().unwrap()).sum::<u64>(), people.len() as u64);
    for unit in units {
        let mine: Vec<&Value> = people.iter().filter(|p| p["unit_code"] == unit["unit_code"]).collect();
        let sum = |field: &str| mine.iter().map(|p| p["totals"][field].as_u64().unwrap()).sum::<u64>();
        let totals = &unit["totals"];
        assert_eq!(totals["people"].as_u64(), Some(mine.len() as u64), "{unit}");
        for field in ["present_days", "absent_days", "leave_days"] {
            assert_eq!(totals[field].as_u64(), Some(sum(field)), "{field} of {unit}");
        }
        let deductions: Vec<u64> = mine.iter().map(|p| p["totals"]["deduction"].as_u64().unwrap()).collect();
        let average = totals["average_deduction"].as_u64().unwrap();
        assert_eq!(average, deductions.iter().sum::<u64>() / deductions.len() as u64);
        assert_eq!(totals["people_deducted"].as_u64(), Some(deductions.iter().filter(|d| **d > 0).count() as u64));
        assert!(unit["unit_name"].is_string() || unit["unit_code"].is_null(), "{unit}");
    }
    let employee_unit =
        people.iter().find(|p| p["person_id"] == t.a.employee.person_id.as_str()).unwrap()["unit_code"].clone();
    let theirs = units.iter().find(|u| u["unit_code"] == employee_unit).unwrap();
    assert_eq!(theirs["totals"]["late"][0], 1, "the employee's TL1 on 2 March: {theirs}");

    // Rolled up to the top units: fewer lines, the same people, each under a unit with no parent.
    let (_, tops) = t.get("/api/v1/recap/units?month=2026-03&level=1", &admin).await;
    let tops = tops.as_array().unwrap();
    assert!(tops.len() < units.len(), "{tops:?}");
    assert_eq!(tops.iter().map(|u| u["totals"]["people"].as_u64().unwrap()).sum::<u64>(), people.len() as u64);
    let (_, all_units) = t.get("/api/v1/units", &admin).await;
    let parent_of =
        |code: &Value| all_units.as_array().unwrap().iter().find(|u| u["code"] == *code).unwrap()["parent_id"].clone();
    assert!(tops.iter().filter(|u| !u["unit_code"].is_null()).all(|u| parent_of(&u["unit_code"]).is_null()));
    let res = t.http.get(t.url("/api/v1/recap/units.csv?month=2026-03")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("unit,unit_name,people,"), "{csv}");
    assert_eq!(csv.lines().count(), units.len() + 1);

    let unit_admin = t.login(&t.a.unit_admin).await;
    let (_, scoped) = t.get("/api/v1/recap/units?month=2026-03", &unit_admin).await;
    assert!(scoped.as_array().unwrap().len() < units.len(), "a unit admin sees only their units");
    assert_eq!(t.get("/api/v1/recap/units?month=2026-03", &token).await.0, StatusCode::FORBIDDEN);
    assert_eq!(t.get("/api/v1/recap/units?month=maret", &admin).await.0, StatusCode::UNPROCESSABLE_ENTITY);
});

db_test!(the_yearly_tk_report_adds_the_months_and_runs_across_them, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    // Present on Monday 2 March, then never again until Thursday 9 April.
    t.clock.advance(chrono::Duration::minutes(20));
    assert_eq!(send(&t, &token, &attempt(&t, "in", INSIDE), 5100).await.1["outcome"], "accepted");
    t.clock.advance(chrono::Duration::days(38));
    let admin = t.login(&t.a.admin).await;
    let tk_of = |rows: &Value, person: &str| {
        rows.as_array().unwrap().iter().find(|r| r["person_id"] == person).map(|r| r["absent_days"].as_u64().unwrap())
    };
    let (status, report) = t.get("/api/v1/absences?year=2026", &admin).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let me = report.as_array().unwrap().iter().find(|r| r["person_id"] == t.a.employee.person_id.as_str()).unwrap();
    // The oracle: the person's own months, counted from their check-ins and never kept.
    let mut monthly = 0;
    for month in ["2026-03", "2026-04"] {
        let path = format!("/api/v1/people/{}/attendance?month={month}", t.a.employee.person_id);
        monthly += t.get(&path, &admin).await.1["totals"]["absent_days"].as_u64().unwrap();
    }

    // Every working day since 3 March was missed, holidays between them neither break nor extend
    // the run, and ten in a row reach dismissal whatever the total.
    assert_eq!(me["absent_days"].as_u64(), Some(monthly), "{me}");
    assert_eq!((me["longest_run"].as_u64(), me["threshold"].clone()), (Some(monthly), json!("dismissal")));
    assert!(monthly > 20, "{monthly}");
    assert_eq!(t.get("/api/v1/absences?year=2026", &admin).await.1, report, "the same from the kept months");
    // The report reads the months begun by today (9 April), and starts keeping no later one.
    {
        use hadir_db::entities::recap_generation as generation;
        use hadir_db::sea_orm::EntityTrait;
        let kept: Vec<String> =
            generation::Entity::find().all(&t.app.db).await.unwrap().into_iter().map(|g| g.month).collect();
        assert!(kept.contains(&"2026-04".to_string()), "{kept:?}");
        assert!(kept.iter().all(|m| m.as_str() <= "2026-04"), "a month not begun: {kept:?}");
    }

    // A unit administrator sees only their unit; last year had nobody; an employee is refused.
    let unit_admin = t.login(&t.a.unit_admin).await;
    let (_, theirs) = t.get("/api/v1/absences?year=2026", &unit_admin).await;
    assert_eq!(tk_of(&theirs, &t.a.employee.person_id), Some(monthly));
    assert_eq!(tk_of(&theirs, &t.a.outsider.person_id), None);
    assert!(tk_of(&report, &t.a.outsider.person_id).is_some(), "the institution admin sees the outsider's TK");
    assert_eq!(t.get("/api/v1/absences?year=2025", &admin).await.1, json!([]));
    assert_eq!(t.get("/api/v1/absences?year=2026", &token).await.0, StatusCode::FORBIDDEN);
});

/// A JPEG that decodes to pixels (the fixtures' sample JPEGs are structure only).
fn real_jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&pixels).unwrap();
    out
}

db_test!(thumbnails_are_made_by_a_background_job, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let (status, answer) =
        t.upload("/api/v1/checkins", &token, attempt(&t, "in", INSIDE), "photo", real_jpeg(480, 640)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let thumb = format!("/api/v1/checkins/{}/photo?size=thumb", answer["event_id"].as_str().unwrap());
    let size_of = |bytes: &[u8]| {
        let decoded = image::load_from_memory(bytes).unwrap();
        (decoded.width(), decoded.height())
    };
    let fetch = |path: String| {
        let req = t.http.get(t.url(&path)).bearer_auth(&token);
        async move { req.send().await.unwrap().bytes().await.unwrap() }
    };
    assert_eq!(size_of(&fetch(thumb.clone()).await), (480, 640), "the full photo until the job has run");

    // Two workers at once: the job runs once.
    let (first, second) = tokio::join!(hadir_app::jobs::run_due(&t.app), hadir_app::jobs::run_due(&t.app));
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!((first.done + second.done, first.failed + second.failed), (1, 0));
    assert_eq!(size_of(&fetch(thumb.clone()).await), (180, 240));
    assert_eq!(size_of(&fetch(thumb.replace("?size=thumb", "")).await), (480, 640), "the photo itself is kept");
    assert_eq!(hadir_app::jobs::run_due(&t.app).await.unwrap(), hadir_app::jobs::Round::default(), "nothing left");
    let (status, _) = t.get(&thumb.replace("thumb", "huge"), &token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A photo that cannot be decoded is retried later, then left as failed: never a panic.
    let (_, out) = send(&t, &token, &attempt(&t, "out", INSIDE), 6000).await;
    assert_eq!(out["outcome"], "accepted");
    let round = hadir_app::jobs::run_due(&t.app).await.unwrap();
    assert_eq!((round.done, round.retried), (0, 1));
    let mut rounds = Vec::new();
    for minutes in [1, 4, 9, 16] {
        t.clock.advance(chrono::Duration::minutes(minutes));
        let round = hadir_app::jobs::run_due(&t.app).await.unwrap();
        rounds.push((round.retried, round.failed));
    }
    assert_eq!(rounds, [(1, 0), (1, 0), (1, 0), (0, 1)], "five attempts in all, then failed");
    t.clock.advance(chrono::Duration::minutes(30));
    assert_eq!(hadir_app::jobs::run_due(&t.app).await.unwrap(), hadir_app::jobs::Round::default());
});

db_test!(retention_deletes_old_selfies_and_coordinates_except_under_a_legal_hold, |db| {
    use hadir_db::entities::attendance_event as event;
    use hadir_db::sea_orm::EntityTrait;
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let mut checked_in = Vec::new();
    for (who, shade) in [(&t.a.employee, 10u32), (&t.a.outsider, 20)] {
        let token = ready(&t, who).await;
        let (status, answer) =
            t.upload("/api/v1/checkins", &token, attempt(&t, "in", INSIDE), "photo", real_jpeg(320 + shade, 480)).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        checked_in.push((token, answer["event_id"].as_str().unwrap().to_string()));
    }
    hadir_app::jobs::run_due(&t.app).await.unwrap(); // the thumbnails
    let conn = db.connect().await;
    let photo_key = |id: String| {
        let conn = conn.clone();
        async move {
            use hadir_db::sea_orm::{ColumnTrait, QueryFilter};
            event::Entity::find().filter(event::Column::Id.eq(id)).one(&conn).await.unwrap().unwrap()
        }
    };
    let employee_key = photo_key(checked_in[0].1.clone()).await.photo_key.unwrap();
    let outsider_key = photo_key(checked_in[1].1.clone()).await.photo_key.unwrap();

    // A dispute about the outsider's allowance: their data is held.
    let hold = json!({ "person_id": t.a.outsider.person_id, "reference": "Perkara 12/2026", "reason": "Sengketa TPP" });
    let (status, held) = t.post("/api/v1/legal-holds", &admin, hold).await;
    assert_eq!(status, StatusCode::CREATED, "{held}");

    // 100 days later: the selfie of the one is due, the other's is held.
    t.clock.advance(chrono::Duration::days(100));
    let admin = t.login(&t.a.admin).await; // app tokens last 90 days
    let (status, preview) = t.get("/api/v1/retention/preview", &admin).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(
        (preview["photos"].clone(), preview["held"].clone(), preview["locations"].clone()),
        (json!(1), json!(1), json!(0))
    );
    assert!(t.app.objects.get_if_exists(&employee_key).await.unwrap().is_some(), "a dry run deletes nothing");

    let reports = hadir_app::retention::run(&t.app, false).await.unwrap();
    let mine = reports.iter().find(|r| r.institution == "pemkot-a").unwrap();
    assert_eq!((mine.photos, mine.held), (1, 1));
    assert!(t.app.objects.get_if_exists(&employee_key).await.unwrap().is_none(), "gone from the object store");
    let thumb = hadir_app::thumbnails::key_of(&employee_key).unwrap();
    assert!(t.app.objects.get_if_exists(&thumb).await.unwrap().is_none(), "with its thumbnail");
    let id = &checked_in[0].1;
    let token = t.login(&t.a.employee).await;
    assert_eq!(t.get(&format!("/api/v1/checkins/{id}/photo"), &token).await.0, StatusCode::NOT_FOUND);
    assert!(t.app.objects.get_if_exists(&outsider_key).await.unwrap().is_some(), "held");

    // A year on, exact coordinates go too; the verdict and the distance stay.
    t.clock.advance(chrono::Duration::days(270));
    let reports = hadir_app::retention::run(&t.app, false).await.unwrap();
    assert_eq!(reports.iter().find(|r| r.institution == "pemkot-a").unwrap().locations, 1);
    let kept = photo_key(id.clone()).await;
    assert_eq!((kept.lat, kept.lon, kept.location_id.is_some(), kept.distance_m.is_some()), (None, None, true, true));

    // Released: the next run applies the schedule to the outsider as well.
    let admin = t.login(&t.a.admin).await;
    let release = format!("/api/v1/legal-holds/{}/release", held["id"].as_str().unwrap());
    assert_eq!(t.post(&release, &admin, json!({})).await.0, StatusCode::OK);
    let reports = hadir_app::retention::run(&t.app, false).await.unwrap();
    let after = reports.iter().find(|r| r.institution == "pemkot-a").unwrap();
    assert_eq!((after.photos, after.locations, after.held), (1, 1, 0));
    assert!(t.app.objects.get_if_exists(&outsider_key).await.unwrap().is_none());

    // The schedule is the institution's own, within bounds.
    let (status, body) =
        t.call(Method::PUT, "/api/v1/retention-policy", Some(&admin), Some(json!({ "checkin_photo_days": 0 }))).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("retention_periods"))
    );
    let unit_admin = t.login(&t.a.unit_admin).await;
    assert_eq!(t.get("/api/v1/legal-holds", &unit_admin).await.0, StatusCode::FORBIDDEN);
});

db_test!(today_by_unit_counts_each_person_once_in_the_admins_scope, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let unit_admin = t.login(&t.a.unit_admin).await;
    let row = |rows: &Value, code: &str| rows.as_array().unwrap().iter().find(|r| r["unit_code"] == code).cloned();
    let (status, before) = t.get("/api/v1/recap/today", &unit_admin).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    let opd1 = row(&before, "OPD.1").expect("the employee's unit");
    assert_eq!((opd1["counts"]["not_yet_in"].clone(), opd1["counts"]["late"].clone()), (json!(1), json!(0)));
    assert!(row(&before, "OTHER").is_none(), "outside the unit admin's scope");

    t.clock.advance(chrono::Duration::minutes(45)); // 07:45 WIB on a Monday: late
    let (_, answer) = send(&t, &token, &attempt(&t, "in", INSIDE), 1000).await;
    assert_eq!(answer["outcome"], "accepted");
    let (_, after) = t.get("/api/v1/recap/today", &unit_admin).await;
    let opd1 = row(&after, "OPD.1").unwrap();
    assert_eq!(
        (opd1["counts"]["late"].clone(), opd1["counts"]["not_yet_in"].clone(), opd1["counts"]["on_time"].clone()),
        (json!(1), json!(0), json!(0)),
        "{after}"
    );
    assert_eq!(t.get("/api/v1/recap/today", &token).await.0, StatusCode::FORBIDDEN);

    // The unit's bar opens on its people: the same column, with the time at the site.
    let (status, people) =
        t.get(&format!("/api/v1/recap/today/people?unit_id={}", opd1["unit_id"].as_str().unwrap()), &unit_admin).await;
    assert_eq!(status, StatusCode::OK, "{people}");
    let me =
        people.as_array().unwrap().iter().find(|p| p["person_id"] == t.a.employee.person_id.as_str()).cloned().unwrap();
    assert_eq!(
        (me["column"].clone(), me["first_in"].clone(), me["last_out"].clone()),
        (json!("late"), json!("07:45"), json!(null))
    );
    assert_eq!(me["status"]["late"], "L1", "{me}");
    let (_, everyone) = t.get("/api/v1/recap/today/people", &unit_admin).await;
    assert!(everyone.as_array().unwrap().iter().all(|p| p["unit_code"] != "OTHER"), "outside the unit admin's scope");
    assert_eq!(t.get("/api/v1/recap/today/people", &token).await.0, StatusCode::FORBIDDEN);
});

db_test!(a_moved_fence_judges_the_next_check_in_and_stays_in_its_institution, |db| {
    let t = TestApp::start(db).await;
    let token = ready(&t, &t.a.employee).await;
    let admin = t.login(&t.a.admin).await;
    let path = format!("/api/v1/locations/{}", t.a.location);
    let (_, before) = t.get(&path, &admin).await;
    let moved = json!({
        "name": "Kantor pindahan",
        "time_zone": "Asia/Jakarta",
        "geofence": { "shape": "circle", "center": { "lat": OUTSIDE.0, "lon": OUTSIDE.1 }, "radius_m": 200.0 },
    });
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(t.call(Method::PUT, &path, Some(&admin_b), Some(moved.clone())).await.0, StatusCode::NOT_FOUND);
    let mut broken = moved.clone();
    broken["geofence"]["radius_m"] = json!(-5);
    let (status, body) = t.call(Method::PUT, &path, Some(&admin), Some(broken)).await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("geofence")));
    assert_eq!(t.get(&path, &admin).await.1, before, "a refused change leaves the location as it was");

    let (status, saved) = t.call(Method::PUT, &path, Some(&admin), Some(moved)).await;
    assert_eq!((status, saved["name"].clone()), (StatusCode::OK, json!("Kantor pindahan")));
    let (_, answer) = send(&t, &token, &attempt(&t, "in", OUTSIDE), 4000).await;
    assert_eq!((answer["outcome"].clone(), answer["signals"].clone()), (json!("accepted"), json!([])));
    let (_, audit) = t.get("/api/v1/audit?limit=20", &admin).await;
    assert!(audit.as_array().unwrap().iter().any(|e| e["action"] == "work_location.update"));
});
