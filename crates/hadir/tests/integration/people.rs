//! People, units and locations through the API, with their audit trail.

use crate::support::TestApp;
use hadir_db::db_test;
use reqwest::StatusCode;
use serde_json::json;

db_test!(creating_a_person_validates_warns_and_audits, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let person = json!({
        "employee_number": "19681017 199403 1 005",
        "employment_type": "asn",
        "full_name": "  Siti Aminah ",
        // Born 12-03-85 per the NIK, 17-10-68 per the NIP (both male): kept, with a warning.
        "nik": "1771031203850003",
        "email": "Siti.Aminah@Example.go.id",
        "phone": "0812-3456-7890",
        "unit_id": t.a.child_unit,
        "position": "Analis Kebijakan",
        "supervisor_id": t.a.unit_admin.person_id,
    });
    let (status, body) = t.post("/api/v1/people", &admin, person.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let saved = &body["person"];
    assert_eq!(saved["employee_number"], "196810171994031005");
    assert_eq!(saved["full_name"], "Siti Aminah");
    assert_eq!(saved["email"], "siti.aminah@example.go.id");
    assert_eq!(saved["phone"], "+6281234567890");
    assert_eq!(saved["nik_masked"], "1771••••••••0003");
    assert_eq!(saved["nik"], "1771031203850003", "institution admins see the full NIK");
    let codes: Vec<_> = body["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["nik_birth_date_differs"]);
    let id = saved["id"].as_str().unwrap().to_string();

    // A unit admin sees the mask only.
    let unit_admin = t.login(&t.a.unit_admin).await;
    let (_, seen) = t.get(&format!("/api/v1/people/{id}"), &unit_admin).await;
    assert!(seen["nik"].is_null());
    assert_eq!(seen["nik_masked"], "1771••••••••0003");

    // At rest the NIK is sealed; it is found by its blind index, by those who may see it.
    use hadir_db::sea_orm::{ConnectionTrait, Statement};
    let conn = db.connect().await;
    let sql = format!("SELECT nik, nik_index FROM people WHERE id = '{id}'");
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap().unwrap();
    let stored: String = row.try_get("", "nik").unwrap();
    assert!(stored.starts_with("enc:v1:") && !stored.contains("1771031203850003"), "{stored}");
    let index: String = row.try_get("", "nik_index").unwrap();
    assert_eq!(index.len(), 64);
    let (_, found) = t.get("/api/v1/people?q=1771031203850003", &admin).await;
    assert_eq!(found["items"][0]["id"], id.as_str(), "{found}");
    let (_, found) = t.get("/api/v1/people?q=1771031203850003", &unit_admin).await;
    assert_eq!(found["total"], 0, "unit admins cannot look people up by NIK");

    let (status, body) = t.post("/api/v1/people", &admin, person).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "employee_number_taken");

    let (_, audit) = t.get("/api/v1/audit?limit=5", &admin).await;
    let entry = audit.as_array().unwrap().iter().find(|e| e["subject_id"] == id.as_str()).expect("audited");
    assert_eq!(entry["action"], "person.create");
    assert!(entry["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(!entry.to_string().contains("1771031203850003"), "no personal values in the audit detail");
});

db_test!(every_identifier_rule_names_its_reason, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let cases = [
        ("asn", "199002292015032001", "id_birth_date"),
        ("asn", "198503122010131002", "nip_service_month"),
        ("asn", "198503122002021002", "id_service_start_too_early"),
        ("asn", "198503122010013002", "id_sex_digit"),
        ("asn", "198503122010011000", "id_sequence_zero"),
        ("asn", "1985031220100110", "id_length"),
        ("pppk", "198705122003212001", "id_service_start_too_early"),
        ("student", "0501234567", "nisn_prefix"),
        ("non_asn", "x'; DROP TABLE people;--", "employee_number_format"),
    ];
    for (kind, number, code) in cases {
        let (status, body) = t
            .post(
                "/api/v1/people",
                &admin,
                json!({ "employee_number": number, "employment_type": kind, "full_name": "Uji" }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{number}");
        assert_eq!(body["errors"][0]["field"], "employee_number");
        assert_eq!(body["errors"][0]["code"], code, "{number}");
    }
    for (nik, code) in
        [("1071031203850003", "nik_province"), ("1771033203850003", "nik_day"), ("1771031213850003", "nik_month")]
    {
        let (_, body) = t.post("/api/v1/people", &admin, json!({ "employee_number": "196808171994031005", "employment_type": "asn", "full_name": "Uji", "nik": nik })).await;
        assert_eq!(body["errors"][0]["code"], code, "{nik}");
    }
    let (status, _) = t.get("/api/v1/people?q=uji", &admin).await;
    assert_eq!(status, StatusCode::OK);
});

db_test!(people_are_searched_paged_updated_and_deactivated, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let (_, page) = t.get("/api/v1/people?q=PEGAWAI&per_page=1&page=2", &admin).await;
    assert_eq!(page["total"], 2);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["full_name"], "Pegawai Satu");
    let (_, page) = t.get("/api/v1/people?q=100%25_", &admin).await;
    assert_eq!(page["total"], 0, "LIKE wildcards in the query are literal");

    let employee_token = t.login(&t.a.employee).await;
    let path = format!("/api/v1/people/{}", t.a.employee.person_id);
    let (status, body) = t.patch(&path, &admin, json!({ "position": "Pranata Komputer", "phone": null })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["person"]["position"], "Pranata Komputer");
    let (status, body) = t.patch(&path, &admin, json!({ "supervisor_id": t.a.employee.person_id })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("unknown_supervisor"))
    );

    let (status, body) = t.patch(&path, &admin, json!({ "status": "inactive" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["person"]["status"], "inactive");
    assert_eq!(t.get("/api/v1/me", &employee_token).await.0, StatusCode::UNAUTHORIZED, "deactivation ends sessions");
    let (status, _) = t
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({ "login": t.a.employee.login, "password": crate::support::PASSWORD })),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, audit) = t.get("/api/v1/audit", &admin).await;
    let update = audit.as_array().unwrap().iter().find(|e| e["action"] == "person.update").unwrap();
    assert_eq!(update["detail"]["fields"], json!(["status"]));
});

db_test!(units_form_a_tree_without_cycles, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let (status, body) = t
        .post(
            "/api/v1/units",
            &admin,
            json!({ "code": "OPD.1.1", "name": "Seksi", "kind": "seksi", "parent_id": t.a.child_unit }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let grandchild = body["id"].as_str().unwrap().to_string();
    let (status, body) =
        t.patch(&format!("/api/v1/units/{}", t.a.opd_unit), &admin, json!({ "parent_id": grandchild })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("unit_parent_cycle"))
    );
    let (status, body) = t.post("/api/v1/units", &admin, json!({ "code": "OPD", "name": "Duplikat" })).await;
    assert_eq!((status, body["code"].clone()), (StatusCode::CONFLICT, json!("unit_code_taken")));
    let (status, body) = t
        .patch(&format!("/api/v1/units/{grandchild}"), &admin, json!({ "parent_id": null, "name": "Seksi Mandiri" }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["parent_id"].is_null());
});

db_test!(a_unit_is_closed_only_when_empty_and_then_takes_nobody_new, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let child = format!("/api/v1/units/{}", t.a.child_unit);
    let (_, seksi) = t
        .post("/api/v1/units", &admin, json!({ "code": "OPD.1.9", "name": "Seksi", "parent_id": t.a.child_unit }))
        .await;
    let seksi_path = format!("/api/v1/units/{}", seksi["id"].as_str().unwrap());
    // An active sub-unit keeps its parent open.
    let (status, body) = t.patch(&child, &admin, json!({ "active": false })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("unit_not_empty"))
    );
    let (status, body) = t.patch(&seksi_path, &admin, json!({ "active": false })).await;
    assert_eq!((status, body["active"].clone()), (StatusCode::OK, json!(false)), "{body}");
    // Nobody new goes into a closed unit, and nothing new under it.
    let newcomer = json!({ "employee_number": "198803252017122260", "employment_type": "asn", "full_name": "Baru",
        "unit_id": seksi["id"] });
    let (status, body) = t.post("/api/v1/people", &admin, newcomer).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("unit_inactive")),
        "{body}"
    );
    let (status, body) =
        t.post("/api/v1/units", &admin, json!({ "code": "OPD.1.9.1", "name": "Sub", "parent_id": seksi["id"] })).await;
    assert_eq!((status, body["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unit_inactive")));
    // A closed unit still lists (its history stays) and reopens.
    let (_, all) = t.get("/api/v1/units", &admin).await;
    assert!(all.as_array().unwrap().iter().any(|u| u["id"] == seksi["id"] && u["active"] == false));
    assert_eq!(t.patch(&seksi_path, &admin, json!({ "active": true })).await.0, StatusCode::OK);
    // Active people keep a unit open too.
    let (status, body) = t.patch(&format!("/api/v1/units/{}", t.a.opd_unit), &admin, json!({ "active": false })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("unit_not_empty"))
    );
});

db_test!(locations_take_circles_and_polygons_and_refuse_bad_shapes, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let polygon = json!({ "name": "Kompleks", "time_zone": "Asia/Makassar", "geofence": { "shape": "polygon", "points": [
        { "lat": -3.80, "lon": 102.26 }, { "lat": -3.80, "lon": 102.27 }, { "lat": -3.79, "lon": 102.27 } ] } });
    let (status, body) = t.post("/api/v1/locations", &admin, polygon).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["time_zone"], "Asia/Makassar");
    let tiny = json!({ "name": "X", "time_zone": "Asia/Jakarta", "geofence": { "shape": "circle", "center": { "lat": -3.8, "lon": 102.3 }, "radius_m": 2 } });
    let (status, body) = t.post("/api/v1/locations", &admin, tiny).await;
    assert_eq!((status, body["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("geo_radius")));
    let outside = json!({ "name": "X", "time_zone": "Asia/Jakarta", "geofence": { "shape": "circle", "center": { "lat": 95.0, "lon": 102.3 }, "radius_m": 100 } });
    let (status, body) = t.post("/api/v1/locations", &admin, outside).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "geofence");
    assert_eq!(body["errors"][0]["code"], "geo_latitude");
    assert_eq!(body["errors"][0]["message"], "Lintang harus angka antara -90 dan 90");
    let zone = json!({ "name": "X", "time_zone": "Europe/Berlin", "geofence": { "shape": "circle", "center": { "lat": -3.8, "lon": 102.3 }, "radius_m": 100 } });
    let (status, body) = t.post("/api/v1/locations", &admin, zone).await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("time_zone")));
});

db_test!(staff_reads_of_a_persons_data_appear_in_their_access_log, |db| {
    let t = TestApp::start(db).await;
    let employee = t.login(&t.a.employee).await;
    let admin = t.login(&t.a.admin).await;
    let unit_admin = t.login(&t.a.unit_admin).await;
    let me = format!("/api/v1/people/{}", t.a.employee.person_id);
    // Their own reads are not logged.
    assert_eq!(t.get(&me, &employee).await.0, StatusCode::OK);
    assert_eq!(t.get("/api/v1/me/access-log", &employee).await.1, json!([]));

    assert_eq!(t.patch(&me, &admin, json!({ "nik": "1771031203850003" })).await.0, StatusCode::OK);
    assert_eq!(t.get(&me, &admin).await.0, StatusCode::OK);
    let checkins = format!("{me}/checkins?from=2026-03-01&to=2026-03-31");
    assert_eq!(t.get(&checkins, &unit_admin).await.0, StatusCode::OK);
    assert_eq!(t.get(&format!("{me}/attendance?month=2026-03"), &unit_admin).await.0, StatusCode::OK);

    let (status, log) = t.get("/api/v1/me/access-log", &employee).await;
    assert_eq!(status, StatusCode::OK);
    let seen: Vec<(String, String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("actor_name"), s("data"), s("purpose"))
        })
        .collect();
    let expect = |who: &str, what: &str| (who.to_string(), what.to_string(), "administration".to_string());
    for entry in [
        expect("Admin Instansi", "profile"),
        expect("Admin Instansi", "nik"),
        expect("Admin Unit", "checkins"),
        expect("Admin Unit", "month"),
    ] {
        assert!(seen.contains(&entry), "{entry:?} in {seen:?}");
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
    // Only the person reads their access log; the admin's own log is empty.
    assert_eq!(t.get("/api/v1/me/access-log", &admin).await.1, json!([]));
});

/// Sends a CSV to the import endpoint.
async fn import(t: &TestApp, token: &str, csv: &str, dry_run: bool) -> (StatusCode, serde_json::Value) {
    let res = t
        .http
        .post(t.url(&format!("/api/v1/people/import?dry_run={dry_run}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

db_test!(a_csv_import_reports_every_problem_and_writes_all_or_nothing, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.unit_admin).await;
    let boss = &t.a.unit_admin.login;
    let header = "employee_number,employment_type,full_name,unit_code,supervisor_number";
    let good = [
        format!("199203152019032917,asn,Rina Wulandari,OPD.1,{boss}"),
        // The supervisor may be a person added on an earlier row of the same file.
        "199104202020121003,asn,Budi Santoso,OPD.1,199203152019032917".to_string(),
    ];
    let bad = [
        "198612012011012005,asn,Di Luar Wewenang,OTHER,".to_string(),
        "199203152019032917,asn,Nomor Ganda,OPD.1,".to_string(),
        "198612012011012005,asn,Atasan Hilang,OPD.1,196001011990031999".to_string(),
    ];
    let messy = [header.to_string()].iter().chain(&good).chain(&bad).cloned().collect::<Vec<_>>().join("\n");
    for dry_run in [true, false] {
        let (status, report) = import(&t, &admin, &messy, dry_run).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let problems: Vec<_> = report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["row"].as_u64().unwrap(),
                    p["field"].as_str().unwrap().to_string(),
                    p["code"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            problems,
            vec![
                (4, "unit_code".into(), "unknown_unit".into()),
                (5, "employee_number".into(), "employee_number_taken".into()),
                (6, "supervisor_number".into(), "unknown_supervisor".into()),
            ],
            "{report}"
        );
        assert_eq!((report["rows"].clone(), report["created"].clone()), (json!(5), json!(0)));
    }
    let (_, found) = t.get("/api/v1/people?q=Rina", &admin).await;
    assert_eq!(found["total"], 0, "nothing was written");

    let clean = [header.to_string()].iter().chain(&good).cloned().collect::<Vec<_>>().join("\r\n");
    let (_, report) = import(&t, &admin, &clean, true).await;
    assert_eq!((report["problems"].clone(), report["created"].clone()), (json!([]), json!(0)));
    let (_, report) = import(&t, &admin, &clean, false).await;
    assert_eq!(report["created"], 2, "{report}");
    let (_, found) = t.get("/api/v1/people?q=Budi", &admin).await;
    let budi = &found["items"][0];
    let (_, rina) = t.get("/api/v1/people?q=Rina", &admin).await;
    assert_eq!(budi["supervisor_id"], rina["items"][0]["id"]);

    // The file itself wrong; roles; tenants.
    let (status, body) = import(&t, &admin, "nama,nip\nA,1", true).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("import_unknown_column"))
    );
    let (status, body) = import(&t, &admin, "employee_number,full_name\n1,A", true).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("import_missing_column"))
    );
    let (status, body) = import(&t, &admin, header, true).await;
    assert_eq!((status, body["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("import_empty")));
    let employee = t.login(&t.a.employee).await;
    assert_eq!(import(&t, &employee, &clean, true).await.0, StatusCode::FORBIDDEN);
    let other_tenant = t.login(&t.b.admin).await;
    let (_, report) =
        import(&t, &other_tenant, &format!("{header}\n198612012011012005,asn,Orang B,OPD.1,199203152019032917"), true)
            .await;
    assert_eq!(report["problems"][0]["code"], "unknown_supervisor", "another institution's people are not found");
});

db_test!(religion_is_sealed_and_seen_only_by_institution_admins_and_the_person, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let unit_admin = t.login(&t.a.unit_admin).await;
    let employee = t.login(&t.a.employee).await;
    let path = format!("/api/v1/people/{}", t.a.employee.person_id);
    // A unit administrator may neither set nor see it.
    assert_eq!(t.patch(&path, &unit_admin, json!({ "religion": "islam" })).await.0, StatusCode::FORBIDDEN);
    let (status, saved) = t.patch(&path, &admin, json!({ "religion": "katolik" })).await;
    assert_eq!((status, saved["person"]["religion"].clone()), (StatusCode::OK, json!("katolik")), "{saved}");
    assert!(t.get(&path, &unit_admin).await.1["religion"].is_null());
    assert_eq!(t.get(&path, &employee).await.1["religion"], "katolik", "the person sees their own");
    let (status, body) = t.patch(&path, &admin, json!({ "religion": "atheis" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    use hadir_db::sea_orm::{ConnectionTrait, Statement};
    let conn = db.connect().await;
    let sql = format!("SELECT religion FROM people WHERE id = '{}'", t.a.employee.person_id);
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap().unwrap();
    let stored: String = row.try_get("", "religion").unwrap();
    assert!(stored.starts_with("enc:v1:") && !stored.contains("katolik"), "sealed at rest: {stored}");

    // Reading it is in the person's access log; clearing it is a change like any other.
    assert_eq!(t.get(&path, &admin).await.1["religion"], "katolik");
    let (_, log) = t.get("/api/v1/me/access-log", &employee).await;
    assert!(log.as_array().unwrap().iter().any(|e| e["data"] == "religion"), "{log}");
    let (_, cleared) = t.patch(&path, &admin, json!({ "religion": null })).await;
    assert!(cleared["person"]["religion"].is_null());
});
