//! What each subcommand does.

use crate::cli::{AdminCommand, AuditCommand, Cli, Command, KeysCommand, ServeArgs, StorageArgs};
use crate::config::{Config, redact_url};
use hadir_app::accounts::{self, NewPassword};
use hadir_app::institutions::{self, InstitutionInput, InstitutionKind};
use hadir_app::passwords::PasswordCost;
use hadir_app::people::{self, PersonInput};
use hadir_app::{App, AppError, AppSettings, Principal, RequestMeta, SystemClock, demo, units};
use hadir_db::Objects;
use hadir_domain::Explain;
use std::io::BufRead;
use std::sync::Arc;

pub type CommandResult = Result<(), Box<dyn std::error::Error>>;

/// `println!`, but a closed standard output (`hadir demo | head`) is an error the command
/// reports, not a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(|e| format!("cannot write to standard output: {e}"))?
    }};
}

/// A use-case error as one line a person can act on (English at the command line).
fn explain(e: AppError) -> Box<dyn std::error::Error> {
    let lang = hadir_domain::Lang::En;
    let mut text = e.message(lang);
    match &e {
        AppError::Invalid(problems) => {
            for p in problems {
                text.push_str(&format!("\n  {}: {}", p.field, p.message(lang)));
            }
        }
        AppError::Database(db) => text = format!("{text} ({db})"),
        _ => {}
    }
    text.into()
}

pub async fn run(cli: Cli) -> CommandResult {
    let file = cli.config.as_deref();
    match cli.command {
        Command::Serve(args) => {
            let config = Config::load(file, &args)?;
            init_logging(&config);
            let web = web_config(&config)?;
            serve(&config, web, start(&config).await?).await
        }
        Command::Demo { serve: then_serve, args } => {
            let config = Config::load(file, &args)?;
            init_logging(&config);
            let web = web_config(&config)?;
            let app = start(&config).await?;
            seed_demo(&app, &config).await?;
            if then_serve { serve(&config, web, app).await } else { Ok(()) }
        }
        Command::Migrate(storage) => {
            let config = Config::load_storage(file, &storage)?;
            open(&config).await?;
            say!("migrations applied to {}", redact_url(&config.database_url()));
            Ok(())
        }
        Command::CheckConfig(args) => check_config(file, &args).await,
        Command::Admin(admin) => run_admin(file, admin).await,
        Command::Audit(AuditCommand::Verify(storage)) => {
            let config = Config::load_storage(file, &storage)?;
            verify_audit(&open(&config).await?).await
        }
        Command::Retention { dry_run, storage } => {
            let config = Config::load_storage(file, &storage)?;
            let reports = hadir_app::retention::run(&open(&config).await?, dry_run).await.map_err(explain)?;
            let verb = if dry_run { "would remove" } else { "removed" };
            for r in reports {
                say!(
                    "{}: {verb} {} photo(s), {} exact location(s), {} check-in record(s), {} access-log entr(ies), \
                     {} leave document(s), {} leave record(s), {} old phone(s), {} departed login(s), \
                     {} consent-ledger entr(ies); \
                     {} item(s) kept by legal holds",
                    r.institution,
                    r.photos,
                    r.locations,
                    r.records,
                    r.access_entries,
                    r.leave_documents,
                    r.leave_records,
                    r.devices,
                    r.accounts,
                    r.consent_entries,
                    r.held
                );
            }
            Ok(())
        }
        Command::Keys(KeysCommand::Rotate(storage)) => {
            let config = Config::load_storage(file, &storage)?;
            let (_, id) = hadir_app::sealing::Keyring::add_key(&config.key_file())?;
            let done = hadir_app::keys::reseal(&open(&config).await?).await.map_err(explain)?;
            say!(
                "new key {id} in {}; re-sealed {} NIK(s), {} other value(s) and {} document(s)",
                config.key_file().display(),
                done.niks,
                done.values,
                done.documents
            );
            Ok(())
        }
    }
}

/// Prints one line per institution; fails (exit status 1) when any chain is broken.
async fn verify_audit(app: &App) -> CommandResult {
    let reports = hadir_app::audit::verify(app).await.map_err(explain)?;
    let mut broken = 0;
    for r in &reports {
        match &r.result {
            Ok(n) => say!("ok      {}: {n} entries, chain intact", r.slug),
            Err(b) => {
                broken += 1;
                say!("BROKEN  {}: {b}", r.slug);
            }
        }
    }
    if broken > 0 {
        return Err(format!("the audit log of {broken} institution(s) was tampered with; see above").into());
    }
    say!("{} institution(s) verified", reports.len());
    Ok(())
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log).unwrap_or_else(|_| "info".into());
    // Logs go to standard error, so what a command prints (the demo's logins) stays clean on
    // standard output; colours only where a person reads them.
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

fn settings(config: &Config) -> AppSettings {
    AppSettings {
        browser_session_ttl: chrono::Duration::hours(config.browser_session_hours),
        app_session_ttl: chrono::Duration::days(config.app_session_days),
        password_cost: PasswordCost { memory_kib: config.password_memory_kib, iterations: config.password_iterations },
    }
}

/// Opens the database (creating the data folder for SQLite), applies migrations, opens the
/// object store.
pub async fn open(config: &Config) -> Result<App, Box<dyn std::error::Error>> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("cannot create data folder {}: {e}", config.data_dir.display()))?;
    }
    let db = hadir_db::connect(&config.database_url()).await?;
    hadir_db::migrate(&db).await?;
    let objects = Objects::open(&config.object_store())?;
    objects.probe().await?;
    let keys = hadir_app::sealing::Keyring::load_or_create(&config.key_file())?;
    Ok(App::new(db, objects, Arc::new(SystemClock), settings(config), keys))
}

/// Opens everything and seals any specific personal data still stored in plain text or under
/// an older key (values written before encryption at rest, or before a key rotation).
async fn start(config: &Config) -> Result<App, Box<dyn std::error::Error>> {
    let app = open(config).await?;
    let done = hadir_app::keys::reseal(&app).await.map_err(explain)?;
    if done != hadir_app::keys::Resealed::default() {
        tracing::info!(
            niks = done.niks,
            values = done.values,
            documents = done.documents,
            "sealed under the current key"
        );
    }
    Ok(app)
}

pub fn web_config(config: &Config) -> Result<hadir_web::WebConfig, String> {
    let map_tiles = config.map_tiles.as_deref().map(hadir_web::MapTiles::parse).transpose()?;
    let metrics_token = config.metrics_token.as_deref().map(hadir_web::MetricsToken::parse).transpose()?;
    Ok(hadir_web::WebConfig {
        secure_cookies: config.secure_cookies(),
        trusted_proxies: config.trusted_proxies.clone(),
        body_limit: config.body_limit_bytes,
        map_tiles,
        rate_limit: Some(hadir_web::RateLimit { per_second: config.requests_per_second, burst: config.request_burst }),
        metrics_token,
    })
}

async fn serve(config: &Config, web: hadir_web::WebConfig, app: App) -> CommandResult {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    tracing::info!(
        listen = %config.listen,
        database = %redact_url(&config.database_url()),
        objects = %app.objects.description(),
        "hadir is serving"
    );
    say!("Hadir berjalan di / is running at http://{}", listener.local_addr()?);
    // Background jobs run beside the server and stop after it, finishing the round in hand.
    let (stop_jobs, jobs_stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(hadir_app::jobs::work(app.clone(), async {
        let _ = jobs_stopped.await;
    }));
    let router = hadir_web::router(app, web);
    let served = hadir_web::serve(listener, router, shutdown_signal()).await;
    let _ = stop_jobs.send(());
    let _ = worker.await;
    served?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C; the server then stops accepting and finishes what it has.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

async fn seed_demo(app: &App, config: &Config) -> CommandResult {
    let summary = demo::seed(app).await.map_err(explain)?;
    if summary.created {
        say!("Demo dibuat / demo created: Pemerintah Provinsi Bengkulu, {} pegawai/employees", summary.people);
    } else {
        say!("Demo sudah ada / demo already exists: Pemerintah Provinsi Bengkulu");
    }
    say!("URL: http://{}", config.listen);
    say!("Kata sandi semua akun demo / password of every demo account: {}", demo::PASSWORD);
    say!("Login (NIP) untuk dicoba / logins to try:");
    for login in &summary.logins {
        say!("  {:<24} {:<28} {}", login.role, login.name, login.login);
    }
    say!(
        "Contoh / example:\n  curl -s -X POST http://{}/api/v1/auth/login -H 'content-type: application/json' \\\n    -d '{{\"login\":\"{}\",\"password\":\"{}\",\"client\":\"app\"}}'",
        config.listen,
        summary.logins.first().map(|l| l.login.as_str()).unwrap_or(""),
        demo::PASSWORD
    );
    Ok(())
}

async fn check_config(file: Option<&std::path::Path>, args: &ServeArgs) -> CommandResult {
    let config = Config::load(file, args)?;
    say!("configuration: {config:#?}");
    web_config(&config)?;
    let db = hadir_db::connect(&config.database_url()).await?;
    let pending = hadir_db::pending_migrations(&db).await?;
    say!("database: reachable; {} pending migration(s) {:?}", pending.len(), pending);
    let objects = Objects::open(&config.object_store())?;
    objects.probe().await?;
    say!("object store: {} is writable", objects.description());
    let key_file = config.key_file();
    if key_file.exists() {
        let keys = hadir_app::sealing::Keyring::load_or_create(&key_file)?;
        say!("encryption keys: {} (current key {})", key_file.display(), keys.current_id());
    } else {
        say!("encryption keys: {} will be created on first start", key_file.display());
    }
    match std::net::TcpListener::bind(config.listen) {
        Ok(_) => say!("listen address {} is free", config.listen),
        Err(e) => return Err(format!("listen address {}: {e}", config.listen).into()),
    }
    say!("ok");
    Ok(())
}

/// A password from the first line of standard input, or a generated one printed once.
fn password(from_stdin: bool) -> Result<(String, bool), Box<dyn std::error::Error>> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            return Err("--password-stdin: standard input held no password".into());
        }
        return Ok((line, false));
    }
    // 16 characters from a uuid's randomness plus a fixed mix of classes: passes the policy.
    let random = uuid::Uuid::new_v4().simple().to_string();
    Ok((format!("Hd-{}-{}9", &random[..8], &random[8..16].to_uppercase()), true))
}

async fn institution_principal(app: &App, slug: &str) -> Result<Principal, Box<dyn std::error::Error>> {
    let institution = institutions::find_by_slug(app, slug).await.map_err(explain)?.ok_or_else(|| {
        format!("no institution with slug {slug:?} (create it with `hadir admin create-institution`)")
    })?;
    Ok(Principal::operator(&institution.id))
}

async fn run_admin(file: Option<&std::path::Path>, command: AdminCommand) -> CommandResult {
    let meta = RequestMeta { request_id: Some(format!("cli-{}", uuid::Uuid::now_v7())), ..RequestMeta::default() };
    let storage: &StorageArgs = match &command {
        AdminCommand::CreateInstitution { storage, .. }
        | AdminCommand::CreateUser { storage, .. }
        | AdminCommand::ResetPassword { storage, .. } => storage,
    };
    let app = open(&Config::load_storage(file, storage)?).await?;
    match command {
        AdminCommand::CreateInstitution { slug, name, kind, time_zone, .. } => {
            let kind: InstitutionKind = serde_json::from_value(serde_json::Value::String(kind.clone()))
                .map_err(|_| format!("--kind {kind:?}: use government, school, pesantren or company"))?;
            let created = institutions::create(&app, None, InstitutionInput { slug, name, kind, time_zone }, &meta)
                .await
                .map_err(explain)?;
            say!("institution created: {} ({})", created.name, created.slug);
        }
        AdminCommand::CreateUser {
            institution,
            employment_type,
            employee_number,
            name,
            email,
            unit,
            roles,
            password_stdin,
            ..
        } => {
            let operator = institution_principal(&app, &institution).await?;
            let unit_id = match unit {
                Some(code) => Some(
                    units::list(&app, &operator)
                        .await
                        .map_err(explain)?
                        .into_iter()
                        .find(|u| u.code == code)
                        .ok_or_else(|| format!("--unit {code:?}: no unit with that code in {institution}"))?
                        .id,
                ),
                None => None,
            };
            let (password, generated) = password(password_stdin)?;
            let input = PersonInput {
                employee_number,
                employment_type,
                full_name: name,
                nik: None,
                email,
                phone: None,
                unit_id: unit_id.clone(),
                position: None,
                supervisor_id: None,
                religion: None,
            };
            let saved =
                accounts::onboard(&app, &operator, input, password.clone(), &roles, &meta).await.map_err(explain)?;
            say!("user created: {} ({})", saved.person.full_name, saved.person.employee_number);
            if generated {
                say!("first password (shown once; must be changed at first sign-in): {password}");
            }
        }
        AdminCommand::ResetPassword { institution, login, password_stdin, .. } => {
            let operator = institution_principal(&app, &institution).await?;
            let (password, generated) = password(password_stdin)?;
            let person = people::find_by_login(&app, &operator, &login)
                .await
                .map_err(explain)?
                .ok_or_else(|| format!("--login {login:?}: nobody in {institution} signs in with that"))?;
            accounts::reset_password(&app, &operator, &person.id, NewPassword { password: password.clone() }, &meta)
                .await
                .map_err(explain)?;
            say!("password reset for {} ({}); their sessions ended", person.full_name, person.employee_number);
            if generated {
                say!("new password (shown once; must be changed at next sign-in): {password}");
            }
        }
    }
    Ok(())
}
