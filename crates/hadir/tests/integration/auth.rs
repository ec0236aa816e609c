//! Signing in and out, throttling, sessions and passwords.

use crate::support::{PASSWORD, TestApp};
use hadir_app::Clock;
use hadir_db::db_test;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

db_test!(login_by_nip_or_email_gives_a_token_or_a_cookie, |db| {
    let t = TestApp::start(db).await;
    // The NIP as people write it, with spaces.
    let token = t.login_with("19900101 201503 1 001", PASSWORD).await;
    let (status, me) = t.get("/api/v1/me", &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["person"]["employee_number"], "199001012015031001");
    assert_eq!(me["institution"]["slug"], "pemkot-a");
    assert_eq!(me["roles"], json!(["employee"]));

    let email = me["person"]["email"].as_str().unwrap().to_uppercase();
    let res = t
        .http
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({ "login": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("hadir_session=hdr_"), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["token"].is_null(), "a browser never sees the token");
    let session = cookie.split(';').next().unwrap();
    let res = t.http.get(t.url("/api/v1/me")).header("cookie", session).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
});

db_test!(wrong_and_unknown_logins_look_the_same, |db| {
    let t = TestApp::start(db).await;
    let attempt = |login: &'static str| {
        t.call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "login": login, "password": "Salah-Sandi-1" })))
    };
    let (s1, wrong) = attempt("199001012015031001").await;
    let (s2, unknown) = attempt("nobody@example.go.id").await;
    assert_eq!((s1, s2), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert_eq!(wrong["code"], "invalid_credentials");
    assert_eq!(wrong["code"], unknown["code"]);
    assert_eq!(wrong["title"], "NIP/e-mail atau kata sandi salah");
});

db_test!(five_failures_lock_the_account_for_fifteen_minutes, |db| {
    let t = TestApp::start(db).await;
    let login = t.a.employee.login.clone();
    for _ in 0..4 {
        let (status, _) = t
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({ "login": login, "password": "Salah-Sandi-1" })),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let res = t
        .http
        .post(t.url("/api/v1/auth/login"))
        .header("accept-language", "en")
        .json(&json!({ "login": login, "password": "Salah-Sandi-1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()["retry-after"], "900");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "login_throttled");
    assert!(body["title"].as_str().unwrap().contains("Try again in 15 minutes"), "{body}");

    // Even the right password waits out the lock.
    let (status, body) =
        t.call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "login": login, "password": PASSWORD }))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body["title"].as_str().unwrap().contains("15 menit"), "{body}");
    // Other accounts are not affected.
    t.login(&t.a.admin).await;

    t.clock.advance(chrono::Duration::minutes(15));
    t.login(&t.a.employee).await;
});

db_test!(a_session_asking_too_fast_waits_and_others_do_not, |db| {
    let t = TestApp::start(db).await;
    let limit = hadir_web::RateLimit::default();
    let busy = t.login(&t.a.employee).await;
    let other = t.login(&t.a.employee).await;
    // The clock stands still: the burst, and no more.
    for _ in 0..limit.burst {
        assert_eq!(t.get("/api/v1/me", &busy).await.0, StatusCode::OK);
    }
    let res = t.http.get(t.url("/api/v1/me")).bearer_auth(&busy).header("accept-language", "en").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()["retry-after"], "1");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["title"].as_str()),
        (Some("rate_limited"), Some("Too many requests; try again shortly"))
    );
    // The pages say it too, in the page's language.
    let page = t.http.get(t.url("/app")).header("cookie", format!("hadir_session={busy}")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(page.text().await.unwrap().contains("Terlalu banyak permintaan"));
    // Another session of the same person is not held back; a second later this one goes on.
    assert_eq!(t.get("/api/v1/me", &other).await.0, StatusCode::OK);
    t.clock.advance(chrono::Duration::seconds(1));
    for _ in 0..limit.per_second {
        assert_eq!(t.get("/api/v1/me", &busy).await.0, StatusCode::OK);
    }
    assert_eq!(t.get("/api/v1/me", &busy).await.0, StatusCode::TOO_MANY_REQUESTS);
});

db_test!(sessions_can_be_listed_and_revoked_and_expire, |db| {
    let t = TestApp::start(db).await;
    let phone = t.login(&t.a.employee).await;
    let laptop = t.login(&t.a.employee).await;
    let (status, sessions) = t.get("/api/v1/auth/sessions", &phone).await;
    assert_eq!(status, StatusCode::OK);
    let sessions = sessions.as_array().unwrap().clone();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let laptop_id = sessions.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(t.get("/api/v1/me", &laptop).await.0, StatusCode::OK, "the laptop's session is in use");

    let (status, _) = t.delete(&format!("/api/v1/auth/sessions/{laptop_id}"), &phone).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = t.get("/api/v1/me", &laptop).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "not_authenticated");
    // Revoking twice, or someone else's, is "not found".
    let (status, _) = t.delete(&format!("/api/v1/auth/sessions/{laptop_id}"), &phone).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _) = t.call(Method::POST, "/api/v1/auth/logout", Some(&phone), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(t.get("/api/v1/me", &phone).await.0, StatusCode::UNAUTHORIZED);

    // The app's token lasts 90 days, not a day longer.
    let token = t.login(&t.a.employee).await;
    t.clock.advance(chrono::Duration::days(89));
    assert_eq!(t.get("/api/v1/me", &token).await.0, StatusCode::OK);
    t.clock.advance(chrono::Duration::days(1));
    assert_eq!(t.get("/api/v1/me", &token).await.0, StatusCode::UNAUTHORIZED);
});

db_test!(a_session_records_when_it_was_last_used_at_most_once_a_minute, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let phone = t.login(&t.a.employee).await;
    let laptop = t.login(&t.a.employee).await;
    let signed_in = t.clock.now().timestamp_millis();
    let last_seen = |sessions: Value, current: bool| {
        let list = sessions.as_array().unwrap().clone();
        list.iter().find(|s| s["current"] == current).unwrap()["last_seen_at"].as_i64().unwrap()
    };
    assert_eq!(last_seen(t.get("/api/v1/auth/sessions", &phone).await.1, true), signed_in);

    // Two minutes on, the phone is used again (after a change that makes every process read
    // sessions afresh); the laptop is not.
    t.clock.advance(chrono::Duration::minutes(2));
    let person = format!("/api/v1/people/{}", t.a.outsider.person_id);
    assert_eq!(t.patch(&person, &admin, json!({ "position": "Analis" })).await.0, StatusCode::OK);
    let (status, sessions) = t.get("/api/v1/auth/sessions", &phone).await;
    assert_eq!(status, StatusCode::OK);
    let used = t.clock.now().timestamp_millis();
    assert_eq!(last_seen(sessions.clone(), true), used, "{sessions}");
    assert_eq!(last_seen(sessions, false), signed_in, "the laptop was not used");

    // Within the minute, no new write.
    t.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(t.patch(&person, &admin, json!({ "position": "Analis Data" })).await.0, StatusCode::OK);
    assert_eq!(last_seen(t.get("/api/v1/auth/sessions", &phone).await.1, true), used);
    // The laptop, unused for two and a half minutes, is recorded when it is used.
    assert_eq!(t.get("/api/v1/me", &laptop).await.0, StatusCode::OK);
    let now = t.clock.now().timestamp_millis();
    assert_eq!(last_seen(t.get("/api/v1/auth/sessions", &phone).await.1, false), now);
});

db_test!(requests_arriving_together_are_each_authenticated_as_their_own_session, |db| {
    let t = TestApp::start(db).await;
    // Signed in and not used yet, so no principal is cached: the sessions are read together.
    let employee = t.login(&t.a.employee).await;
    let admin = t.login(&t.a.admin).await;
    let elsewhere = t.login(&t.b.employee).await;
    let ended = t.login(&t.a.outsider).await;
    assert_eq!(t.call(Method::POST, "/api/v1/auth/logout", Some(&ended), None).await.0, StatusCode::NO_CONTENT);
    let unknown = "hdr_nobodys_token_at_all_0000000000000000";
    let (first, again, admin_me, other_me, ended_me, unknown_me) = tokio::join!(
        t.get("/api/v1/me", &employee),
        t.get("/api/v1/me", &employee),
        t.get("/api/v1/me", &admin),
        t.get("/api/v1/me", &elsewhere),
        t.get("/api/v1/me", &ended),
        t.get("/api/v1/me", unknown)
    );
    let expected = [(first, &t.a.employee), (again, &t.a.employee), (admin_me, &t.a.admin), (other_me, &t.b.employee)];
    for ((status, body), who) in expected {
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["person"]["id"], who.person_id.as_str(), "{body}");
    }
    assert_eq!((ended_me.0, unknown_me.0), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
});

db_test!(role_and_status_changes_apply_to_live_sessions_at_the_next_request, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let employee = t.login(&t.a.employee).await;
    let (_, me) = t.get("/api/v1/me", &employee).await;
    assert_eq!(me["roles"], json!(["employee"]));

    let roles = format!("/api/v1/people/{}/account/roles", t.a.employee.person_id);
    let (status, account) = t.post(&roles, &admin, json!({ "role": "institution_admin" })).await;
    assert_eq!(status, StatusCode::OK, "{account}");
    let (_, me) = t.get("/api/v1/me", &employee).await;
    assert_eq!(me["roles"], json!(["employee", "institution_admin"]));
    assert_eq!(t.get("/api/v1/audit", &employee).await.0, StatusCode::OK);

    let grant = account["roles"].as_array().unwrap().iter().find(|g| g["role"] == "institution_admin").unwrap();
    let (status, _) = t.delete(&format!("{roles}/{}", grant["id"].as_str().unwrap()), &admin).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(t.get("/api/v1/audit", &employee).await.0, StatusCode::FORBIDDEN, "the role is gone at once");

    let person = format!("/api/v1/people/{}", t.a.employee.person_id);
    assert_eq!(t.patch(&person, &admin, json!({ "status": "inactive" })).await.0, StatusCode::OK);
    assert_eq!(t.get("/api/v1/me", &employee).await.0, StatusCode::UNAUTHORIZED, "deactivation ends sessions at once");
});

db_test!(changing_the_password_needs_the_old_one_and_ends_other_sessions, |db| {
    let t = TestApp::start(db).await;
    let current = t.login(&t.a.employee).await;
    let other = t.login(&t.a.employee).await;

    let (status, body) = t
        .post(
            "/api/v1/auth/password",
            &current,
            json!({ "old_password": "Tebakan-Salah-1", "new_password": "Kopi-Pagi-Bengkulu-7" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "old_password");
    assert_eq!(body["errors"][0]["code"], "old_password_wrong");

    for (weak, code) in [
        ("short1A!", "password_too_short"),
        ("abcdefghijkl", "password_too_simple"),
        ("Password123", "password_common"),
        ("Pegawai-Satu-99", "password_personal"),
    ] {
        let (status, body) =
            t.post("/api/v1/auth/password", &current, json!({ "old_password": PASSWORD, "new_password": weak })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        assert_eq!(body["errors"][0]["code"], code, "{weak}");
    }

    let (status, _) = t
        .post(
            "/api/v1/auth/password",
            &current,
            json!({ "old_password": PASSWORD, "new_password": "Kopi-Pagi-Bengkulu-7" }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(t.get("/api/v1/me", &current).await.0, StatusCode::OK);
    assert_eq!(t.get("/api/v1/me", &other).await.0, StatusCode::UNAUTHORIZED);
    t.login_with(&t.a.employee.login, "Kopi-Pagi-Bengkulu-7").await;
    let (status, _) = t
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({ "login": t.a.employee.login, "password": PASSWORD })),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
});

db_test!(a_handed_out_password_must_be_changed_before_anything_else, |db| {
    let t = TestApp::start(db).await;
    let admin = t.login(&t.a.admin).await;
    let (status, _) = t
        .post(
            &format!("/api/v1/people/{}/account/password", t.a.employee.person_id),
            &admin,
            json!({ "password": "Sementara-2026!" }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = t
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({ "login": t.a.employee.login, "password": "Sementara-2026!", "client": "app" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["must_change_password"], true);
    let token = body["token"].as_str().unwrap();
    let (status, body) = t.get("/api/v1/units", token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "password_change_required");
    assert_eq!(t.get("/api/v1/me", token).await.0, StatusCode::OK);
    let (status, _) = t
        .post(
            "/api/v1/auth/password",
            token,
            json!({ "old_password": "Sementara-2026!", "new_password": "Teh-Manis-Sore-8" }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(t.get("/api/v1/units", token).await.0, StatusCode::OK);
});

db_test!(cookie_writes_from_another_site_are_refused, |db| {
    let t = TestApp::start(db).await;
    let res = t
        .http
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({ "login": t.a.employee.login, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let host = t.base.trim_start_matches("http://").to_string();

    let forged = t
        .http
        .post(t.url("/api/v1/auth/logout"))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = forged.json().await.unwrap();
    assert_eq!(body["code"], "csrf_rejected");
    let cross = t
        .http
        .post(t.url("/api/v1/auth/logout"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);

    let same = t
        .http
        .post(t.url("/api/v1/auth/logout"))
        .header("cookie", &cookie)
        .header("origin", format!("http://{host}"))
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::NO_CONTENT);
});

db_test!(a_login_in_two_institutions_needs_the_institution, |db| {
    let t = TestApp::start(db).await;
    // The same NIP registered in both institutions (a person seconded from one to the other).
    let admin_b = t.login(&t.b.admin).await;
    let (status, body) = t
        .post("/api/v1/people", &admin_b, json!({ "employee_number": t.a.employee.login, "employment_type": "asn", "full_name": "Pegawai Satu", "unit_id": t.b.opd_unit }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["person"]["id"].as_str().unwrap().to_string();
    let (status, _) = t.post(&format!("/api/v1/people/{id}/account"), &admin_b, json!({ "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, body) = t
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({ "login": t.a.employee.login, "password": PASSWORD })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "institution_required");
    let (status, body) = t
        .call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "login": t.a.employee.login, "password": PASSWORD, "institution": "pemkot-a", "client": "app" })))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = t.get("/api/v1/me", body["token"].as_str().unwrap()).await;
    assert_eq!(me["institution"]["slug"], "pemkot-a");
});

db_test!(many_failures_from_one_address_lock_that_address, |db| {
    let t = TestApp::start(db).await;
    // Guessing across many logins from one address: no single account reaches its limit.
    for i in 0..30 {
        let login = format!("tebakan{i}@example.go.id");
        let (status, _) = t
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({ "login": login, "password": "Salah-Sandi-1" })),
            )
            .await;
        assert_eq!(
            status,
            if i < 29 { StatusCode::UNAUTHORIZED } else { StatusCode::TOO_MANY_REQUESTS },
            "attempt {i}"
        );
    }
    let (status, body) = t
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({ "login": t.a.employee.login, "password": PASSWORD })),
        )
        .await;
    assert_eq!((status, body["code"].clone()), (StatusCode::TOO_MANY_REQUESTS, json!("login_throttled")));
    t.clock.advance(chrono::Duration::minutes(15));
    t.login(&t.a.employee).await;
});
