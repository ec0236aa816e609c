//! Phones: registration with a selfie, approval and its limit, rejection, reset; the policy;
//! and which locations a person may check in at.

use crate::support::TestApp;
use hadir_db::db_test;
use hadir_domain::photo::sample_jpeg;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn phone(id: &str) -> serde_json::Value {
    json!({ "device_id": id, "model": "Samsung Galaxy A15", "os": "Android 14" })
}

db_test!(a_phone_is_registered_with_a_selfie_and_approved_within_the_limit, |db| {
    let t = TestApp::start(db).await;
    let employee = t.login(&t.a.employee).await;
    let (status, first) = t
        .upload("/api/v1/devices", &employee, phone("android-0001-aaaa"), "selfie", sample_jpeg(720, 960, 40_000))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["status"], "pending");
    let first_id = first["id"].as_str().unwrap().to_string();

    // The stored selfie has lost its EXIF GPS.
    let (status, _) = t.get(&format!("/api/v1/devices/{first_id}/selfie"), &employee).await;
    assert_eq!(status, StatusCode::OK);
    let stored =
        t.http.get(t.url(&format!("/api/v1/devices/{first_id}/selfie"))).bearer_auth(&employee).send().await.unwrap();
    assert_eq!(stored.headers()["content-type"], "image/jpeg");
    let bytes = stored.bytes().await.unwrap();
    assert!(!bytes.windows(11).any(|w| w == b"GPSLatitude"));

    let (status, body) =
        t.upload("/api/v1/devices", &employee, phone("android-0001-aaaa"), "selfie", sample_jpeg(720, 960, 100)).await;
    assert_eq!((status, body["code"].clone()), (StatusCode::CONFLICT, json!("device_already_registered")));

    // The unit admin sees it waiting and approves; the outsider's admin scope does not reach it.
    let unit_admin = t.login(&t.a.unit_admin).await;
    let (_, waiting) = t.get("/api/v1/devices/pending", &unit_admin).await;
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    assert_eq!(t.get("/api/v1/devices/pending", &employee).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        t.call(Method::POST, &format!("/api/v1/devices/{first_id}/approve"), Some(&employee), None).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, approved) =
        t.call(Method::POST, &format!("/api/v1/devices/{first_id}/approve"), Some(&unit_admin), None).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    let (status, body) =
        t.call(Method::POST, &format!("/api/v1/devices/{first_id}/approve"), Some(&unit_admin), None).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("device_already_decided"))
    );

    // A new phone, once approved, retires the old one (one active phone by default).
    let (_, second) =
        t.upload("/api/v1/devices", &employee, phone("android-0002-bbbb"), "selfie", sample_jpeg(720, 960, 200)).await;
    let second_id = second["id"].as_str().unwrap().to_string();
    t.call(Method::POST, &format!("/api/v1/devices/{second_id}/approve"), Some(&unit_admin), None).await;
    let (_, mine) = t.get("/api/v1/devices", &employee).await;
    let state = |id: &str| mine.as_array().unwrap().iter().find(|d| d["id"] == id).unwrap()["status"].clone();
    assert_eq!((state(&first_id), state(&second_id)), (json!("retired"), json!("approved")));

    // With two allowed, a third phone keeps the newest two.
    let admin = t.login(&t.a.admin).await;
    let (status, policy) =
        t.call(Method::PUT, "/api/v1/attendance-policy", Some(&admin), Some(json!({ "max_active_devices": 2 }))).await;
    assert_eq!(status, StatusCode::OK, "{policy}");
    assert_eq!(policy["offline_window_hours"], 24, "fields left out keep their defaults");
    let (_, third) =
        t.upload("/api/v1/devices", &employee, phone("iphone-0003-cccc"), "selfie", sample_jpeg(720, 960, 300)).await;
    let third_id = third["id"].as_str().unwrap().to_string();
    t.call(Method::POST, &format!("/api/v1/devices/{third_id}/approve"), Some(&unit_admin), None).await;
    let (_, mine) = t.get("/api/v1/devices", &employee).await;
    let approved: Vec<_> = mine
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "approved")
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(approved.len(), 2);
    assert!(approved.contains(&second_id) && approved.contains(&third_id));

    // Reset retires everything; the audit log has every decision.
    let (status, reset) = t
        .call(
            Method::POST,
            &format!("/api/v1/people/{}/devices/reset", t.a.employee.person_id),
            Some(&unit_admin),
            None,
        )
        .await;
    assert_eq!((status, reset["retired"].clone()), (StatusCode::OK, json!(2)));
    let (_, audit) = t.get("/api/v1/audit?limit=50", &admin).await;
    let actions: Vec<_> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect();
    for action in ["device.register", "device.approve", "device.retire", "device.reset", "setting.attendance_policy"] {
        assert!(actions.iter().any(|a| a == action), "{action} missing from {actions:?}");
    }
});

db_test!(rejections_need_a_reason_and_bad_uploads_are_refused, |db| {
    let t = TestApp::start(db).await;
    let employee = t.login(&t.a.employee).await;
    let admin = t.login(&t.a.admin).await;
    let (_, device) =
        t.upload("/api/v1/devices", &employee, phone("android-0009-zzzz"), "selfie", sample_jpeg(720, 960, 100)).await;
    let id = device["id"].as_str().unwrap().to_string();
    let (status, body) = t.post(&format!("/api/v1/devices/{id}/reject"), &admin, json!({ "reason": "  " })).await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("reason")));
    let (status, rejected) = t
        .post(
            &format!("/api/v1/devices/{id}/reject"),
            &admin,
            json!({ "reason": "Foto buram, ulangi di tempat terang" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["reason"], "Foto buram, ulangi di tempat terang");

    // Another institution's admin cannot see or decide it.
    let admin_b = t.login(&t.b.admin).await;
    assert_eq!(
        t.call(Method::POST, &format!("/api/v1/devices/{id}/approve"), Some(&admin_b), None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(t.get(&format!("/api/v1/devices/{id}/selfie"), &admin_b).await.0, StatusCode::NOT_FOUND);
    let other = t.login(&t.a.outsider).await;
    assert_eq!(t.get(&format!("/api/v1/devices/{id}/selfie"), &other).await.0, StatusCode::NOT_FOUND);

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let (status, body) = t.upload("/api/v1/devices", &employee, phone("android-0010-yyyy"), "selfie", png).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("photo_not_jpeg"))
    );
    let mut truncated = sample_jpeg(720, 960, 500);
    truncated.truncate(300);
    let (_, body) = t.upload("/api/v1/devices", &employee, phone("android-0010-yyyy"), "selfie", truncated).await;
    assert_eq!(body["errors"][0]["code"], "photo_malformed");
    let (_, body) =
        t.upload("/api/v1/devices", &employee, phone("android-0010-yyyy"), "photo", sample_jpeg(720, 960, 10)).await;
    assert_eq!(body["errors"][0]["field"], "selfie", "the selfie part is required");
    let (_, body) =
        t.upload("/api/v1/devices", &employee, json!({ "device_id": "x" }), "selfie", sample_jpeg(720, 960, 10)).await;
    assert_eq!(body["errors"][0]["code"], "device_id_format");
    let (status, body) = t
        .upload(
            "/api/v1/devices",
            &employee,
            json!({ "device": "android-0010-yyyy" }),
            "selfie",
            sample_jpeg(720, 960, 10),
        )
        .await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("metadata")));

    // A photo between the API's 1 MiB limit and the upload limit is accepted; beyond it, 413.
    let (status, _) = t
        .upload("/api/v1/devices", &employee, phone("android-0011-xxxx"), "selfie", sample_jpeg(720, 960, 1_500_000))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    t.assert_upload_refused_as_too_large(
        "/api/v1/devices",
        &employee,
        phone("android-0012-wwww"),
        "selfie",
        sample_jpeg(720, 960, 3_000_000),
    )
    .await;
    let res = t.http.post(t.url("/api/v1/devices")).bearer_auth(&employee).json(&phone("x")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let (status, body) =
        t.call(Method::PUT, "/api/v1/attendance-policy", Some(&admin), Some(json!({ "max_active_devices": 9 }))).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("policy_max_active_devices"))
    );
    let (status, _) = t
        .call(
            Method::PUT,
            "/api/v1/attendance-policy",
            Some(&admin),
            Some(json!({ "actions": { "teleport": "reject" } })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        t.call(Method::PUT, "/api/v1/attendance-policy", Some(&employee), Some(json!({}))).await.0,
        StatusCode::FORBIDDEN
    );
});

db_test!(people_are_assigned_the_locations_they_may_check_in_at, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let polygon = json!({ "name": "Gudang", "time_zone": "Asia/Jakarta", "geofence": { "shape": "polygon", "points": [
        { "lat": -3.80, "lon": 102.26 }, { "lat": -3.80, "lon": 102.27 }, { "lat": -3.79, "lon": 102.27 } ] } });
    let (_, second) = t.post("/api/v1/locations", &admin, polygon).await;
    let path = format!("/api/v1/people/{}/locations", t.a.employee.person_id);
    let ids = json!({ "location_ids": [t.a.location, second["id"], t.a.location] });
    let (status, assigned) = t.call(Method::PUT, &path, Some(&admin), Some(ids)).await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    assert_eq!(assigned.as_array().unwrap().len(), 2);

    let employee = t.login(&t.a.employee).await;
    let (status, mine) = t.get(&path, &employee).await;
    assert_eq!((status, mine.as_array().unwrap().len()), (StatusCode::OK, 2));
    assert_eq!(
        t.call(Method::PUT, &path, Some(&employee), Some(json!({ "location_ids": [] }))).await.0,
        StatusCode::FORBIDDEN
    );
    let outsider = t.login(&t.a.outsider).await;
    assert_eq!(t.get(&path, &outsider).await.0, StatusCode::NOT_FOUND);

    let foreign = json!({ "location_ids": [t.b.location] });
    let (status, body) = t.call(Method::PUT, &path, Some(&admin), Some(foreign)).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("unknown_location"))
    );
    let (_, still) = t.get(&path, &employee).await;
    assert_eq!(still.as_array().unwrap().len(), 2, "a refused change leaves the old set");
    let (_, cleared) = t.call(Method::PUT, &path, Some(&admin), Some(json!({ "location_ids": [] }))).await;
    assert_eq!(cleared, json!([]));
});
