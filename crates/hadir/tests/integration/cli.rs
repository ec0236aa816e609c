//! The `hadir` binary itself: demo, migrate, check-config and the admin commands, on SQLite and
//! (when configured) PostgreSQL.

use crate::support::PASSWORD;
use hadir_db::db_test;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn hadir(args: &[&str], database_url: &str, data_dir: &std::path::Path, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hadir"))
        .args(args)
        .arg("--database-url")
        .arg(database_url)
        .arg("--data-dir")
        .arg(data_dir)
        .env("HADIR_PASSWORD_MEMORY_KIB", "64")
        .env("HADIR_PASSWORD_ITERATIONS", "1")
        .env("HADIR_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// A data folder of its own for one test, removed when the test ends, whether it passes or not.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new() -> Scratch {
        Scratch(std::env::temp_dir().join(format!("hadir-cli-{}", uuid::Uuid::new_v4())))
    }
}

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for Scratch {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for Scratch {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn logs_go_to_standard_error_and_what_a_command_prints_to_standard_output() {
    let dir = Scratch::new();
    let output = Command::new(env!("CARGO_BIN_EXE_hadir"))
        .args(["demo", "--data-dir"])
        .arg(&dir)
        .env("HADIR_PASSWORD_MEMORY_KIB", "64")
        .env("HADIR_PASSWORD_ITERATIONS", "1")
        .env("HADIR_LOG", "info")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(stdout.starts_with("Demo dibuat / demo created") && !stdout.contains("INFO"), "{stdout}");
    assert!(stderr.contains("Applying migration"), "{stderr}");
    assert!(!stderr.contains('\x1b'), "no colour codes when not read on a terminal: {stderr}");
}

db_test!(demo_is_idempotent_and_prints_working_logins, |db| {
    let dir = Scratch::new();
    let first = hadir(&["demo"], &db.url, &dir, None);
    assert!(first.status.success(), "{}", text(&first));
    let printed = text(&first);
    assert!(printed.contains("Pemerintah Provinsi Bengkulu"));
    assert!(printed.contains(hadir_app::demo::PASSWORD));
    let second = hadir(&["demo"], &db.url, &dir, None);
    assert!(second.status.success());
    assert!(text(&second).contains("sudah ada / demo already exists"));
    let logins = |s: &str| {
        s.lines()
            .filter(|l| l.starts_with("  ") && l.trim_end().ends_with(char::is_numeric))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(logins(&printed), logins(&text(&second)), "the same logins both times");
    assert_eq!(logins(&printed).len(), 5);

    // Every printed login signs in, with the roles its label promises.
    let base = crate::support::serve_database(db).await;
    let client = reqwest::Client::new();
    for line in logins(&printed) {
        let nip = line.split_whitespace().last().unwrap();
        let res = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({ "login": nip, "password": hadir_app::demo::PASSWORD, "client": "app" }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{line}");
        let token = res.json::<serde_json::Value>().await.unwrap()["token"].as_str().unwrap().to_string();
        let me: serde_json::Value =
            client.get(format!("{base}/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        let roles = me["roles"].to_string();
        let expected = if line.contains("Admin instansi") {
            "institution_admin"
        } else if line.contains("Admin OPD") {
            "unit_admin"
        } else if line.contains("atasan") {
            "supervisor"
        } else {
            "employee"
        };
        assert!(roles.contains(expected), "{line}: {roles}");
        let person_id = me["person"]["id"].as_str().unwrap();
        let sites: serde_json::Value = client
            .get(format!("{base}/api/v1/people/{person_id}/locations"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(sites.as_array().unwrap().len(), 1, "{line}: everyone may check in at their OPD's office");
        if expected == "institution_admin" {
            let people: serde_json::Value = client
                .get(format!("{base}/api/v1/people?per_page=1"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert!((450..=550).contains(&people["total"].as_u64().unwrap()), "about 500 employees");
            let locations: serde_json::Value = client
                .get(format!("{base}/api/v1/locations"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(locations.as_array().unwrap().len(), 6);
        }
    }
});

db_test!(admin_commands_create_and_reset_users, |db| {
    let dir = Scratch::new();
    let out = hadir(&["migrate"], &db.url, &dir, None);
    assert!(out.status.success(), "{}", text(&out));
    let out = hadir(
        &[
            "admin",
            "create-institution",
            "--slug",
            "sman-1-bengkulu",
            "--name",
            "SMAN 1 Kota Bengkulu",
            "--kind",
            "school",
        ],
        &db.url,
        &dir,
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    // Its photo and thumbnail folders are made with it, so its first surge does not make them.
    for kind in ["photos", "thumbs"] {
        let institutions = std::fs::read_dir(dir.join("objects").join(kind)).unwrap().collect::<Vec<_>>();
        assert_eq!(institutions.len(), 1, "{kind}: one institution");
        let folders = std::fs::read_dir(institutions[0].as_ref().unwrap().path()).unwrap();
        assert_eq!(folders.filter(|f| f.as_ref().unwrap().path().is_dir()).count(), 256, "{kind}");
    }
    let out = hadir(
        &["admin", "create-institution", "--slug", "sman-1-bengkulu", "--name", "Lagi", "--kind", "school"],
        &db.url,
        &dir,
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("already in use"), "{}", text(&out));

    let create = [
        "admin",
        "create-user",
        "--institution",
        "sman-1-bengkulu",
        "--employment-type",
        "asn",
        "--employee-number",
        "198503122010011002",
        "--name",
        "Kepala Sekolah",
        "--email",
        "kepsek@sman1.sch.id",
        "--role",
        "institution_admin",
        "--password-stdin",
    ];
    let out = hadir(&create, &db.url, &dir, Some(&format!("{PASSWORD}\n")));
    assert!(out.status.success(), "{}", text(&out));
    let out = hadir(&create, &db.url, &dir, Some(&format!("{PASSWORD}\n")));
    assert!(!out.status.success(), "the same NIP twice is refused");

    // A role that cannot be granted stops everything: no person without a login is left behind.
    let half = [
        "admin",
        "create-user",
        "--institution",
        "sman-1-bengkulu",
        "--employment-type",
        "non_asn",
        "--employee-number",
        "GTT-7",
        "--name",
        "Guru Honorer",
        "--role",
        "unit_admin",
    ];
    let out = hadir(&half, &db.url, &dir, None);
    assert!(!out.status.success());
    assert!(text(&out).contains("unit_id: This role needs a unit"), "{}", text(&out));
    let weak = [
        "admin",
        "create-user",
        "--institution",
        "sman-1-bengkulu",
        "--employment-type",
        "non_asn",
        "--employee-number",
        "GTT-7",
        "--name",
        "Guru Honorer",
        "--password-stdin",
    ];
    let out = hadir(&weak, &db.url, &dir, Some("pendek\n"));
    assert!(!out.status.success(), "a weak password is refused");
    let retry = hadir(&weak, &db.url, &dir, Some(&format!("{PASSWORD}\n")));
    assert!(retry.status.success(), "nothing of the failed attempts remained: {}", text(&retry));

    let bad_nip = [
        "admin",
        "create-user",
        "--institution",
        "sman-1-bengkulu",
        "--employment-type",
        "asn",
        "--employee-number",
        "199002292015032001",
        "--name",
        "X",
    ];
    let out = hadir(&bad_nip, &db.url, &dir, None);
    assert!(!out.status.success());
    assert!(text(&out).contains("employee_number: NIP holds a birth date that does not exist"), "{}", text(&out));

    let out = hadir(
        &["admin", "reset-password", "--institution", "sman-1-bengkulu", "--login", "kepsek@sman1.sch.id"],
        &db.url,
        &dir,
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let printed = text(&out);
    let generated = printed
        .lines()
        .find_map(|l| l.strip_prefix("new password (shown once; must be changed at next sign-in): "))
        .unwrap()
        .trim()
        .to_string();

    let base = crate::support::serve_database(db).await;
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "login": "kepsek@sman1.sch.id", "password": generated, "client": "app" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["must_change_password"], true);

    let out = hadir(&["admin", "reset-password", "--institution", "nope", "--login", "x"], &db.url, &dir, None);
    assert!(!out.status.success());
    assert!(text(&out).contains("no institution with slug"), "{}", text(&out));
});

#[test]
fn check_config_reports_and_refuses_what_is_wrong() {
    let dir = Scratch::new();
    let url = format!("sqlite://{}/check.db?mode=rwc", dir.display());
    std::fs::create_dir_all(&dir).unwrap();
    let ok = hadir(&["check-config", "--listen", "127.0.0.1:0"], &url, &dir, None);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("object store"));

    let config = dir.join("hadir.toml");
    std::fs::write(&config, "listn = \"0.0.0.0:1\"\n").unwrap();
    let typo = hadir(&["check-config", "--config", config.to_str().unwrap()], &url, &dir, None);
    assert!(!typo.status.success());
    assert!(text(&typo).contains("listn"), "{}", text(&typo));

    let bad_url = hadir(&["check-config"], "mysql://x", &dir, None);
    assert!(!bad_url.status.success());
    assert!(text(&bad_url).contains("sqlite:// or postgres://"), "{}", text(&bad_url));

    std::fs::write(&config, "map_tiles = \"tile.example.org/{z}/{x}/{y}.png\"\n").unwrap();
    let tiles = hadir(&["check-config", "--config", config.to_str().unwrap()], &url, &dir, None);
    assert!(!tiles.status.success());
    assert!(text(&tiles).contains("map_tiles must start with https://"), "{}", text(&tiles));

    std::fs::write(&config, "metrics_token = \"secret\"\n").unwrap();
    let short = hadir(&["check-config", "--config", config.to_str().unwrap()], &url, &dir, None);
    assert!(!short.status.success());
    let said = text(&short);
    assert!(said.contains("metrics_token must be at least 16 characters") && !said.contains("\"secret\""), "{said}");

    // A bucket nobody can reach stops the binary with the variables to look at.
    let unreachable = Command::new(env!("CARGO_BIN_EXE_hadir"))
        .args(["check-config", "--database-url", &url, "--object-store", "s3://no-such-bucket"])
        .env("AWS_ENDPOINT", "http://127.0.0.1:9")
        .env("AWS_ALLOW_HTTP", "true")
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_REGION", "us-east-1")
        .env("HADIR_DATA_DIR", &dir)
        .output()
        .unwrap();
    assert!(!unreachable.status.success());
    assert!(text(&unreachable).contains("S3 bucket no-such-bucket"), "{}", text(&unreachable));
}

/// The binary against a real S3-compatible server, when the test run names one (CI starts one).
#[test]
fn check_config_uses_an_s3_bucket() {
    let Some(store) = hadir_db::testing::s3_store() else { return };
    let dir = Scratch::new();
    let url = format!("sqlite://{}/s3.db?mode=rwc", dir.display());
    std::fs::create_dir_all(&dir).unwrap();
    let out = hadir(&["check-config", "--object-store", &store], &url, &dir, None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("object store: S3 bucket"), "{}", text(&out));
}

db_test!(audit_verify_finds_a_changed_entry_and_a_removed_one, |db| {
    // Two institutions with their people, accounts and roles: dozens of audited writes each.
    let t = crate::support::TestApp::start(db).await;
    // Concurrent audited writes in one institution take their numbers one after the other.
    let a = &t.a;
    tokio::join!(t.login(&a.admin), t.login(&a.employee), t.login(&a.unit_admin), t.login(&a.outsider));
    let dir = Scratch::new();
    let intact = hadir(&["audit", "verify"], &db.url, &dir, None);
    assert!(intact.status.success(), "{}", text(&intact));
    assert!(text(&intact).contains("ok      pemkot-a:"), "{}", text(&intact));

    // Someone with database access rewrites one entry of A and deletes one of B.
    let conn = db.connect().await;
    let sql = |statement: &str| {
        let conn = conn.clone();
        let statement = statement.to_string();
        async move { hadir_db::sea_orm::ConnectionTrait::execute_unprepared(&conn, &statement).await.unwrap() }
    };
    let of = |slug: &str| format!("institution_id = (SELECT id FROM institutions WHERE slug = '{slug}')");
    let changed = sql(&format!("UPDATE audit_log SET detail = '{{}}' WHERE seq = 3 AND {}", of("pemkot-a"))).await;
    assert_eq!(changed.rows_affected(), 1);
    let removed = sql(&format!("DELETE FROM audit_log WHERE seq = 2 AND {}", of("pemkot-b"))).await;
    assert_eq!(removed.rows_affected(), 1);

    let tampered = hadir(&["audit", "verify"], &db.url, &dir, None);
    assert!(!tampered.status.success());
    let report = text(&tampered);
    assert!(report.contains("BROKEN  pemkot-a: entry 3 was changed after it was written"), "{report}");
    assert!(report.contains("BROKEN  pemkot-b: entry 2 is missing"), "{report}");
    assert!(report.contains("tampered with"), "{report}");

    // New writes keep chaining after the damage; the damage stays visible.
    let admin = t.login(&t.a.admin).await;
    assert_eq!(t.get("/api/v1/me", &admin).await.0, reqwest::StatusCode::OK);
    assert!(!hadir(&["audit", "verify"], &db.url, &dir, None).status.success());
});

db_test!(keys_rotate_reseals_every_nik_including_ones_left_in_plain_text, |db| {
    use hadir_db::sea_orm::{ConnectionTrait, Statement};
    let dir = Scratch::new();
    assert!(hadir(&["demo"], &db.url, &dir, None).status.success());
    let key_file = std::fs::read_to_string(dir.join("keys").join("hadir.key")).unwrap();
    assert!(key_file.contains("\nk1 ") && key_file.contains("index "), "created on first start");

    let conn = db.connect().await;
    let niks = |conn: hadir_db::sea_orm::DatabaseConnection| async move {
        let sql = "SELECT nik FROM people WHERE nik IS NOT NULL";
        let rows = conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap();
        rows.iter().map(|r| r.try_get::<String>("", "nik").unwrap()).collect::<Vec<_>>()
    };
    let before = niks(conn.clone()).await;
    assert!(!before.is_empty() && before.iter().all(|n| n.starts_with("enc:v1:k1:")), "{before:?}");
    // A value written before encryption at rest existed.
    let plain = "UPDATE people SET nik = '1771031203850003', nik_index = NULL WHERE id = \
                 (SELECT id FROM people WHERE nik IS NOT NULL ORDER BY id LIMIT 1)";
    conn.execute_unprepared(plain).await.unwrap();

    let rotated = hadir(&["keys", "rotate"], &db.url, &dir, None);
    assert!(rotated.status.success(), "{}", text(&rotated));
    let religions = {
        let sql = "SELECT count(*) AS n FROM people WHERE religion IS NOT NULL";
        let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap().unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };
    assert!(religions > 0, "the demo records religions, sealed");
    let expected = format!(
        "new key k2 in {}; re-sealed {} NIK(s), {religions} other value(s) and 0 document(s)",
        dir.join("keys").join("hadir.key").display(),
        before.len()
    );
    assert!(text(&rotated).contains(&expected), "{}", text(&rotated));
    let after = niks(conn.clone()).await;
    assert!(after.iter().all(|n| n.starts_with("enc:v1:k2:")), "{after:?}");
    let sql = "SELECT religion FROM people WHERE religion IS NOT NULL";
    let rows = conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap();
    assert!(rows.iter().all(|r| r.try_get::<String>("", "religion").unwrap().starts_with("enc:v1:k2:")));
    let key_file = std::fs::read_to_string(dir.join("keys").join("hadir.key")).unwrap();
    assert!(key_file.contains("\nk2 ") && key_file.contains("\nk1 "), "the old key stays until removed by hand");
    // The retention dry run reports per institution and changes nothing.
    let dry = hadir(&["retention", "--dry-run"], &db.url, &dir, None);
    assert!(dry.status.success(), "{}", text(&dry));
    assert!(text(&dry).contains(&format!("{}: would remove 0 photo(s)", hadir_app::demo::SLUG)), "{}", text(&dry));
    // Starting again finds nothing left to seal, and the demo logins still work.
    assert!(hadir(&["demo"], &db.url, &dir, None).status.success());
    assert_eq!(niks(conn).await, after);
});
