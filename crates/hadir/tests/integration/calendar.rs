//! The holiday calendar and the discipline table through the API.

use crate::support::TestApp;
use hadir_db::db_test;
use reqwest::StatusCode;
use serde_json::json;

db_test!(each_institution_starts_with_the_national_calendar_and_amends_its_own, |db| {
    let t = TestApp::start(db).await;
    let employee = t.login(&t.a.employee).await;
    let (status, days) = t.get("/api/v1/holidays?year=2026", &employee).await;
    assert_eq!(status, StatusCode::OK);
    let days = days.as_array().unwrap().clone();
    let count = |kind: &str| days.iter().filter(|d| d["kind"] == kind).count();
    assert_eq!((count("holiday"), count("cuti_bersama")), (17, 8));
    assert!(days.iter().all(|d| d["decree"].as_str().unwrap().contains("Tahun 2026") && d["source"] == "national"));
    let nyepi_leave = days.iter().find(|d| d["date"] == "2026-03-18").unwrap();
    assert_eq!(nyepi_leave["kind"], "cuti_bersama");

    // Employees read; institution admins write.
    let local = json!({ "date": "2026-11-18", "kind": "holiday", "name": "HUT Provinsi Bengkulu", "decree": "Keputusan Gubernur Bengkulu (contoh)" });
    assert_eq!(t.post("/api/v1/holidays", &employee, local.clone()).await.0, StatusCode::FORBIDDEN);
    let unit_admin = t.login(&t.a.unit_admin).await;
    assert_eq!(t.post("/api/v1/holidays", &unit_admin, local.clone()).await.0, StatusCode::FORBIDDEN);
    let admin = t.login(&t.a.admin).await;
    let (status, created) = t.post("/api/v1/holidays", &admin, local).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["source"], "local");

    // A decree amended mid-year moves a day.
    let (status, moved) = t
        .patch(
            &format!("/api/v1/holidays/{}", nyepi_leave["id"].as_str().unwrap()),
            &admin,
            json!({ "date": "2026-03-17", "decree": "SKB perubahan (contoh)" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["date"], "2026-03-17");
    assert_eq!(moved["name"], nyepi_leave["name"]);

    // Institution B's calendar is untouched, and A's rows are not found from B.
    let admin_b = t.login(&t.b.admin).await;
    let (_, days_b) = t.get("/api/v1/holidays?year=2026", &admin_b).await;
    assert_eq!(days_b.as_array().unwrap().len(), 25);
    assert!(days_b.as_array().unwrap().iter().any(|d| d["date"] == "2026-03-18"));
    assert_eq!(
        t.delete(&format!("/api/v1/holidays/{}", created["id"].as_str().unwrap()), &admin_b).await.0,
        StatusCode::NOT_FOUND
    );

    // Importing the year again adds only what is missing: the moved day stays moved.
    assert_eq!(
        t.delete(&format!("/api/v1/holidays/{}", created["id"].as_str().unwrap()), &admin).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, imported) = t.post("/api/v1/holidays/import", &admin, json!({ "year": 2026 })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(imported["added"], 1, "the original 18 March row comes back beside the amended one");
    let (_, again) = t.post("/api/v1/holidays/import", &admin, json!({ "year": 2026 })).await;
    assert_eq!(again["added"], 0);

    let (status, body) = t
        .post(
            "/api/v1/holidays",
            &admin,
            json!({ "date": "2026-02-30", "kind": "holiday", "name": "X", "decree": "Y" }),
        )
        .await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("date")));
    let (status, body) = t
        .post(
            "/api/v1/holidays",
            &admin,
            json!({ "date": "2026-02-20", "kind": "holiday", "name": " ", "decree": "Y" }),
        )
        .await;
    assert_eq!((status, body["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("field_empty")));
});

db_test!(the_discipline_table_defaults_to_a_preset_and_refuses_broken_windows, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let (status, current) = t.get("/api/v1/discipline-table", &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(current["preset"], "kementan");
    assert_eq!(current["table"]["late"][2]["deduction"], 150);

    let (status, finance) = t
        .call(reqwest::Method::PUT, "/api/v1/discipline-table", Some(&admin), Some(json!({ "preset": "kemenkeu" })))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(finance["table"]["late"][3]["deduction"], 250);
    let (_, stored) = t.get("/api/v1/discipline-table", &admin).await;
    assert_eq!(stored["preset"], "kemenkeu");

    let mut custom = finance["table"].clone();
    custom["make_up_minutes"] = json!(30);
    custom["absent_day"] = json!(300);
    let (status, saved) = t
        .call(reqwest::Method::PUT, "/api/v1/discipline-table", Some(&admin), Some(json!({ "table": custom.clone() })))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert!(saved["preset"].is_null());
    assert_eq!(saved["table"]["make_up_minutes"], 30);

    custom["late"][1]["from_minutes"] = json!(35);
    let (status, body) =
        t.call(reqwest::Method::PUT, "/api/v1/discipline-table", Some(&admin), Some(json!({ "table": custom }))).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("discipline_window_gap"))
    );

    let employee = t.login(&t.a.employee).await;
    assert_eq!(
        t.call(
            reqwest::Method::PUT,
            "/api/v1/discipline-table",
            Some(&employee),
            Some(json!({ "preset": "kementan" }))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let admin_b = t.login(&t.b.admin).await;
    let (_, other) = t.get("/api/v1/discipline-table", &admin_b).await;
    assert_eq!(other["preset"], "kementan", "B keeps its own table");
});
