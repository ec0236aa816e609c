//! Tenant isolation and least privilege, enforced by the guard and the use cases.

use crate::support::TestApp;
use hadir_db::db_test;
use reqwest::StatusCode;
use serde_json::json;

db_test!(institution_a_gets_404_for_everything_of_institution_b, |db| {
    let t = TestApp::start(db).await;
    let admin_a = t.login(&t.a.admin).await;
    let b_employee_token = t.login(&t.b.employee).await;
    let (_, sessions) = t.get("/api/v1/auth/sessions", &b_employee_token).await;
    let b_session = sessions[0]["id"].as_str().unwrap().to_string();
    let b = &t.b;

    for person in [&b.admin.person_id, &b.employee.person_id] {
        for path in [format!("/api/v1/people/{person}"), format!("/api/v1/people/{person}/account")] {
            let (status, body) = t.get(&path, &admin_a).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "GET {path}: {body}");
            assert_eq!(body["code"], "not_found");
        }
        let writes = [
            ("PATCH", format!("/api/v1/people/{person}"), json!({ "full_name": "Diretas" })),
            ("POST", format!("/api/v1/people/{person}/account/password"), json!({ "password": "Diretas-2026-!" })),
            ("POST", format!("/api/v1/people/{person}/account/roles"), json!({ "role": "employee" })),
        ];
        for (method, path, body) in writes {
            let (status, _) = if method == "PATCH" {
                t.patch(&path, &admin_a, body).await
            } else {
                t.post(&path, &admin_a, body).await
            };
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        }
    }
    for unit in [&b.opd_unit, &b.child_unit] {
        assert_eq!(t.get(&format!("/api/v1/units/{unit}"), &admin_a).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            t.patch(&format!("/api/v1/units/{unit}"), &admin_a, json!({ "name": "Diretas" })).await.0,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(t.get(&format!("/api/v1/locations/{}", b.location), &admin_a).await.0, StatusCode::NOT_FOUND);
    assert_eq!(t.delete(&format!("/api/v1/auth/sessions/{b_session}"), &admin_a).await.0, StatusCode::NOT_FOUND);
    // B's session survived the attempt.
    assert_eq!(t.get("/api/v1/me", &b_employee_token).await.0, StatusCode::OK);

    // A's own lists hold nothing of B's, and B's ids cannot be borrowed as references.
    let (_, people) = t.get("/api/v1/people?per_page=200", &admin_a).await;
    assert_eq!(people["total"], 4);
    let (_, units) = t.get("/api/v1/units", &admin_a).await;
    assert!(units.as_array().unwrap().iter().all(|u| u["id"] != b.opd_unit.as_str()));
    let (_, locations) = t.get("/api/v1/locations", &admin_a).await;
    assert_eq!(locations.as_array().unwrap().len(), 1);
    let (status, body) = t
        .post("/api/v1/people", &admin_a, json!({ "employee_number": "196808171994031005", "employment_type": "asn", "full_name": "Pindahan", "unit_id": b.opd_unit, "supervisor_id": b.admin.person_id }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["unit_id", "supervisor_id"]);
    let (status, _) =
        t.post("/api/v1/units", &admin_a, json!({ "code": "X", "name": "X", "parent_id": b.opd_unit })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, audit) = t.get("/api/v1/audit?limit=500", &admin_a).await;
    assert!(audit.as_array().unwrap().iter().all(|e| e["subject_id"] != b.employee.person_id.as_str()));
});

db_test!(an_employee_cannot_reach_admin_endpoints, |db| {
    let t = TestApp::start(db).await;
    let token = t.login(&t.a.employee).await;
    let someone = &t.a.outsider.person_id;
    let forbidden_reads = ["/api/v1/people", "/api/v1/audit", "/api/v1/institutions"];
    for path in forbidden_reads {
        let (status, body) = t.get(path, &token).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "GET {path}");
        assert_eq!(body["code"], "forbidden");
    }
    let writes = [
        (
            "/api/v1/people",
            json!({ "employee_number": "196808171994031005", "employment_type": "asn", "full_name": "X" }),
        ),
        ("/api/v1/units", json!({ "code": "X", "name": "X" })),
        (
            "/api/v1/institutions",
            json!({ "slug": "x-inst", "name": "X", "kind": "school", "time_zone": "Asia/Jakarta" }),
        ),
        (
            "/api/v1/locations",
            json!({ "name": "X", "time_zone": "Asia/Jakarta", "geofence": { "shape": "circle", "center": { "lat": -3.8, "lon": 102.3 }, "radius_m": 100 } }),
        ),
    ];
    for (path, body) in writes {
        assert_eq!(t.post(path, &token, body).await.0, StatusCode::FORBIDDEN, "POST {path}");
    }
    for path in [format!("/api/v1/people/{someone}/account"), format!("/api/v1/people/{someone}/account/password")] {
        assert_eq!(
            t.post(&path, &token, json!({ "password": "Diretas-2026-!" })).await.0,
            StatusCode::FORBIDDEN,
            "POST {path}"
        );
    }
    assert_eq!(
        t.patch(&format!("/api/v1/people/{}", t.a.employee.person_id), &token, json!({ "full_name": "Saya Sendiri" }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    // What an employee may see: themself, the organisation chart, locations and schedules.
    let (status, me) = t.get(&format!("/api/v1/people/{}", t.a.employee.person_id), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["employee_number"], t.a.employee.login);
    assert_eq!(t.get(&format!("/api/v1/people/{someone}"), &token).await.0, StatusCode::NOT_FOUND);
    for path in ["/api/v1/units", "/api/v1/locations", "/api/v1/schedules", "/api/v1/institution"] {
        assert_eq!(t.get(path, &token).await.0, StatusCode::OK, "GET {path}");
    }
});

db_test!(a_unit_admin_reaches_only_their_subtree, |db| {
    let t = TestApp::start(db).await;
    let token = t.login(&t.a.unit_admin).await;
    let (status, page) = t.get("/api/v1/people", &token).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<_> = page["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
    assert!(ids.contains(&t.a.employee.person_id), "the child unit is in scope");
    assert!(!ids.contains(&t.a.outsider.person_id));
    assert_eq!(t.get(&format!("/api/v1/people/{}", t.a.outsider.person_id), &token).await.0, StatusCode::NOT_FOUND);

    let new_person = |unit: &str| json!({ "employee_number": "196808171994031005", "employment_type": "asn", "full_name": "Baru", "unit_id": unit });
    let (status, body) = t.post("/api/v1/people", &token, new_person(&t.a.other_unit)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["code"], "unknown_unit");
    let (status, body) = t.post("/api/v1/people", &token, new_person(&t.a.child_unit)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Unit admins hand out unit-level roles only, and not in other units.
    let employee = &t.a.employee.person_id;
    let (status, _) = t
        .post(&format!("/api/v1/people/{employee}/account/roles"), &token, json!({ "role": "institution_admin" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = t
        .post(
            &format!("/api/v1/people/{employee}/account/roles"),
            &token,
            json!({ "role": "unit_admin", "unit_id": t.a.other_unit }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, account) = t
        .post(
            &format!("/api/v1/people/{employee}/account/roles"),
            &token,
            json!({ "role": "supervisor", "unit_id": t.a.child_unit }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(account["roles"].as_array().unwrap().iter().any(|g| g["role"] == "supervisor"));
    // A top-level unit is the institution admin's to create.
    assert_eq!(
        t.post("/api/v1/units", &token, json!({ "code": "TOP", "name": "Top" })).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        t.post("/api/v1/units", &token, json!({ "code": "OPD.2", "name": "Bidang Dua", "parent_id": t.a.opd_unit }))
            .await
            .0,
        StatusCode::CREATED
    );
});

db_test!(roles_need_the_right_unit_and_admins_cannot_demote_themselves, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let employee = &t.a.employee.person_id;
    let roles = format!("/api/v1/people/{employee}/account/roles");
    let (status, body) = t.post(&roles, &admin, json!({ "role": "unit_admin" })).await;
    assert_eq!((status, body["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unit_required")));
    let (status, body) = t.post(&roles, &admin, json!({ "role": "dpo", "unit_id": t.a.opd_unit })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("unit_not_allowed"))
    );
    assert_eq!(t.post(&roles, &admin, json!({ "role": "superadmin" })).await.0, StatusCode::FORBIDDEN);
    let (status, account) = t.post(&roles, &admin, json!({ "role": "dpo" })).await;
    assert_eq!(status, StatusCode::OK);
    let grant = account["roles"].as_array().unwrap().iter().find(|g| g["role"] == "dpo").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(t.delete(&format!("{roles}/{grant}"), &admin).await.0, StatusCode::NO_CONTENT);

    let (_, own) = t.get(&format!("/api/v1/people/{}/account", t.a.admin.person_id), &admin).await;
    let own_grant = own["roles"].as_array().unwrap().iter().find(|g| g["role"] == "institution_admin").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        t.delete(&format!("/api/v1/people/{}/account/roles/{own_grant}", t.a.admin.person_id), &admin).await.0,
        StatusCode::FORBIDDEN
    );
});
