//! Malformed, hostile and oversized input: always a 4xx problem naming the field, never a panic,
//! never a half-written row.

use crate::support::TestApp;
use hadir_db::db_test;
use reqwest::StatusCode;
use serde_json::json;

db_test!(malformed_bodies_get_problems_that_name_the_field, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let send = |body: Vec<u8>, content_type: &'static str| {
        t.http.post(t.url("/api/v1/people")).bearer_auth(&admin).header("content-type", content_type).body(body).send()
    };
    let problem = |res: reqwest::Response| async move {
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        (res.status(), res.json::<serde_json::Value>().await.unwrap())
    };

    let (status, body) = problem(send(b"{\"full_name\": ".to_vec(), "application/json").await.unwrap()).await;
    assert_eq!((status, body["errors"][0]["code"].clone()), (StatusCode::BAD_REQUEST, json!("json_syntax")));

    let (status, body) = problem(
        send(br#"{"employee_number": 5, "employment_type": "asn", "full_name": "X"}"#.to_vec(), "application/json")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "employee_number");
    assert_eq!(body["errors"][0]["code"], "json_invalid_value");

    let (_, body) =
        problem(send(br#"{"employment_type": "asn", "full_name": "X"}"#.to_vec(), "application/json").await.unwrap())
            .await;
    assert_eq!(body["errors"][0]["code"], "json_missing_field");

    let (_, body) = problem(
        send(br#"{"employee_number": "1", "employment_type": "robot", "full_name": "X"}"#.to_vec(), "application/json")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "employment_type");

    let (_, body) = problem(
        send(
            br#"{"employee_number": "1", "employment_type": "asn", "full_name": "X", "is_admin": true}"#.to_vec(),
            "application/json",
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "json_unknown_field");

    let mut not_utf8 = br#"{"employee_number": "1", "employment_type": "asn", "full_name": ""#.to_vec();
    not_utf8.extend_from_slice(&[0xff, 0xfe, b'"', b'}']);
    let (status, _) = problem(send(not_utf8, "application/json").await.unwrap()).await;
    assert!(status.is_client_error());

    let (status, body) =
        problem(send(b"employee_number=1".to_vec(), "application/x-www-form-urlencoded").await.unwrap()).await;
    assert_eq!((status, body["code"].clone()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, json!("content_type_json")));

    let huge = format!(
        r#"{{"employee_number": "1", "employment_type": "asn", "full_name": "{}"}}"#,
        "a".repeat(2 * 1024 * 1024)
    );
    let (status, body) = problem(send(huge.into_bytes(), "application/json").await.unwrap()).await;
    assert_eq!((status, body["code"].clone()), (StatusCode::PAYLOAD_TOO_LARGE, json!("body_too_large")));

    let (_, page) = t.get("/api/v1/people", &admin).await;
    assert_eq!(page["total"], 4, "nothing was written");
});

db_test!(hostile_strings_are_stored_as_text_or_refused, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let (status, body) = t.post("/api/v1/people", &admin, json!({ "employee_number": "196808171994031005", "employment_type": "asn", "full_name": "Robert'); DROP TABLE people;--" })).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["person"]["full_name"], "Robert'); DROP TABLE people;--");
    let (_, page) = t.get("/api/v1/people?q=drop%20table", &admin).await;
    assert_eq!(page["total"], 1);

    let (status, body) = t
        .post(
            "/api/v1/people",
            &admin,
            json!({ "employee_number": "197512252000032002", "employment_type": "asn", "full_name": "a".repeat(151) }),
        )
        .await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("field_too_long"))
    );
    let (status, body) = t.post("/api/v1/people", &admin, json!({ "employee_number": "197512252000032002", "employment_type": "asn", "full_name": "Nama\u{0007}Aneh" })).await;
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("field_control_characters"))
    );
    let (status, _) = t.post("/api/v1/auth/login", "", json!({ "login": "x".repeat(10_000), "password": "y" })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
});

db_test!(messages_follow_accept_language, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let ask = |lang: Option<&'static str>| {
        let mut req = t
            .http
            .post(t.url("/api/v1/people"))
            .bearer_auth(&admin)
            .json(&json!({ "employee_number": "x", "employment_type": "asn", "full_name": "" }));
        if let Some(l) = lang {
            req = req.header("accept-language", l);
        }
        req.send()
    };
    let body: serde_json::Value = ask(None).await.unwrap().json().await.unwrap();
    assert_eq!(body["title"], "Periksa kembali isian berikut");
    assert_eq!(body["errors"][1]["message"], "tidak boleh kosong");
    let res = ask(Some("en-GB,en;q=0.9")).await.unwrap();
    assert_eq!(res.headers()["content-language"], "en");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["title"], "Please check these fields");
    assert_eq!(body["errors"][0]["message"], "NIP may contain digits only");
    assert_eq!(body["errors"][1]["message"], "must not be empty");
});

db_test!(unknown_routes_and_methods_are_problems_too, |db| {
    let t = TestApp::start(db).await;
    let res = t.http.get(t.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let res = t.http.put(t.url("/api/v1/auth/login")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    let res = t.http.get(t.url("/api/v1/people")).bearer_auth("hdr_forged").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
});
