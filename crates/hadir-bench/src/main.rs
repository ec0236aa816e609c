//! `hadir-bench checkin`: the check-in surge benchmark. It seeds people with approved phones and
//! an assigned office into a fresh database, serves the real router on loopback, and fires
//! selfie check-ins (each with its own ~40 KB JPEG) from many concurrent clients for a bounded
//! time. In the same run it measures a bare baseline — the same upload size, one plain insert,
//! no rules — so the printed ratio means something on any machine. Beside throughput it prints
//! the process's CPU time per request in each phase, and their ratio: if it differs from the
//! throughput ratio, one phase left the cores idle (waiting) rather than busy.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use clap::{Parser, Subcommand};
use hadir_app::attendance::CheckInAnswer;
use hadir_app::passwords::PasswordCost;
use hadir_app::{App, AppSettings, Principal, SystemClock};
use hadir_db::sea_orm::{ConnectionTrait, DatabaseConnection};
use hadir_domain::photo::sample_jpeg;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The allocator `hadir` runs with, so that the server measured here is the one deployed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod export;
mod recap;
mod seed;

#[derive(Parser)]
#[command(name = "hadir-bench", about = "Load tools for Hadir's hot paths")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Selfie check-ins against the real server, beside a bare-insert baseline.
    Checkin {
        /// People to seed (each checks in once, then checks out repeatedly, unless `--once`).
        #[arg(long, default_value_t = 500)]
        people: usize,
        /// A morning's surge: each person checks in once and no more, so no session, profile or
        /// earlier event of theirs is in a cache yet; a phase ends when everyone has checked in
        /// (or at `--seconds`). Seed more people than a phase can serve.
        #[arg(long)]
        once: bool,
        /// Concurrent client connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Seconds each phase runs.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// JPEG size in bytes.
        #[arg(long, default_value_t = 40_000)]
        photo_bytes: usize,
        /// `office` (selfie + GPS) or `qr` (the kiosk's current token, no photo; a person's second
        /// scan of one token is judged a replay, which still runs every rule).
        #[arg(long, default_value = "office")]
        mode: String,
        /// Runs the background job worker beside the server, as `hadir serve` does, and sends
        /// photos that decode (a real JPEG of about `--photo-bytes`), so that the thumbnail of
        /// each stored selfie is made during the surge, on the same cores.
        #[arg(long)]
        worker: bool,
        /// Also prints the check-in phase a quarter second at a time (requests sent, how many
        /// took over 150 ms, the slowest): a tail spread evenly is not one that comes in stalls.
        #[arg(long)]
        timeline: bool,
        /// Database to use (default: a fresh SQLite file in a temporary folder).
        #[arg(long)]
        database_url: Option<String>,
        /// Object store for the photos (default: a folder in the temporary folder; `memory://`
        /// takes the disk out of the measurement).
        #[arg(long)]
        object_store: Option<String>,
    },
    /// The monthly recap made into CSV, XLSX and PDF files, beside writing it as JSON.
    Export {
        /// People in the recap (rows).
        #[arg(long, default_value_t = 5_000)]
        people: usize,
        /// Runs of each format; the median is printed.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// The monthly recap of everyone in an institution, beside loading its events alone.
    Recap {
        /// People to seed, each with a check-in and a check-out on every working day of the month.
        #[arg(long, default_value_t = 100_000)]
        people: usize,
        /// Database to use (default: a fresh SQLite file in a temporary folder).
        #[arg(long)]
        database_url: Option<String>,
    },
}

fn fail(context: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("error: {context}: {e}");
    std::process::exit(1)
}

/// A fresh database (SQLite in a temporary folder unless a URL is given) and the app over it.
async fn open(
    database_url: Option<String>,
    object_store: Option<String>,
    clock: Arc<dyn hadir_app::Clock>,
) -> (std::path::PathBuf, String, DatabaseConnection, App) {
    let dir = std::env::temp_dir().join(format!("hadir-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail("temporary folder", e));
    let url = database_url.unwrap_or_else(|| format!("sqlite://{}/bench.db?mode=rwc", dir.display()));
    let db = hadir_db::connect(&url).await.unwrap_or_else(|e| fail("database", e));
    hadir_db::migrate(&db).await.unwrap_or_else(|e| fail("migrations", e));
    let store = object_store.unwrap_or_else(|| dir.join("objects").display().to_string());
    let objects = hadir_db::Objects::open(&store).unwrap_or_else(|e| fail("object store", e));
    let settings = AppSettings { password_cost: PasswordCost::insecure_fast(), ..AppSettings::default() };
    let app = App::new(db.clone(), objects, clock, settings, hadir_app::sealing::Keyring::ephemeral());
    (dir, url, db, app)
}

#[tokio::main]
async fn main() {
    match Cli::parse().command {
        Command::Checkin {
            people,
            once,
            connections,
            seconds,
            photo_bytes,
            mode,
            worker,
            timeline,
            database_url,
            object_store,
        } => {
            let qr = match mode.as_str() {
                "office" => false,
                "qr" => true,
                other => fail("--mode", format!("{other:?}: use office or qr")),
            };
            let load = Load { connections, phase: Duration::from_secs(seconds), once, timeline };
            let photo = match (qr, worker) {
                (true, _) => Vec::new(),
                (false, false) => sample_jpeg(720, 960, photo_bytes),
                (false, true) => decodable_jpeg(photo_bytes),
            };
            checkin(people, load, photo, qr, worker, database_url, object_store).await
        }
        Command::Export { people, runs } => export::run(people, runs.max(1)),
        Command::Recap { people, database_url } => {
            let clock = Arc::new(hadir_app::ManualClock::new(recap::during_the_month()));
            let (dir, _, db, app) = open(database_url, None, clock.clone()).await;
            recap::run(&app, &clock, &db, people).await;
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// How the clients ask, and whether the check-in phase is also printed in time order.
#[derive(Clone, Copy)]
struct Load {
    connections: usize,
    phase: Duration,
    once: bool,
    timeline: bool,
}

async fn checkin(
    people: usize,
    load_shape: Load,
    photo: Vec<u8>,
    qr: bool,
    worker: bool,
    database_url: Option<String>,
    object_store: Option<String>,
) {
    let (dir, url, db, app) = open(database_url, object_store, Arc::new(SystemClock)).await;
    println!("seeding {people} people with approved phones…");
    let started = Instant::now();
    let seed::Seeded { tokens, operator, office } = seed::seed(&app, people).await;
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());

    let kiosk = if qr { Some(kiosk(&app, operator, office).await) } else { None };
    let bare = bare_server(db.clone()).await;
    if worker {
        tokio::spawn(hadir_app::jobs::work(app.clone(), std::future::pending()));
    }
    let full =
        serve(hadir_web::router(app, hadir_web::WebConfig { secure_cookies: false, ..Default::default() })).await;
    let baseline = load(&bare, "/bare", &tokens, load_shape, &photo, kiosk.clone()).await;
    let checkin = load(&full, "/api/v1/checkins", &tokens, load_shape, &photo, kiosk).await;
    let Load { connections, phase, once, timeline } = load_shape;
    println!(
        "\n{} check-ins{}, {connections} connections, {} s a phase at most, {}-byte JPEGs{}, database {}",
        if qr { "QR" } else { "selfie" },
        if once { format!(" (once each, {} people)", tokens.len()) } else { String::new() },
        phase.as_secs(),
        photo.len(),
        if worker { " (decodable), job worker running" } else { "" },
        if url.starts_with("sqlite") { "SQLite" } else { "PostgreSQL" }
    );
    baseline.print("bare insert");
    checkin.print("check-in");
    if timeline {
        checkin.print_timeline();
    }
    println!(
        "ratio check-in / bare: {:.2} (throughput)",
        checkin.per_second() / baseline.per_second().max(f64::MIN_POSITIVE)
    );
    if let (Some(bare), Some(full)) = (baseline.cpu_per_request(), checkin.cpu_per_request()) {
        println!("ratio of CPU per request, bare / check-in: {:.2}", bare / full.max(f64::MIN_POSITIVE));
    }
    println!(
        "check-in outcomes: {} accepted, {} needs_review, {} rejected, {} refused (4xx), {} errors",
        checkin.accepted, checkin.needs_review, checkin.rejected, checkin.refused, checkin.errors
    );
    if worker {
        let (made, waiting) = thumbnails(&db).await;
        println!("thumbnails made by the worker: {made}, still queued: {waiting}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Thumbnail jobs done, and not done yet.
async fn thumbnails(db: &DatabaseConnection) -> (u64, u64) {
    use hadir_db::entities::job;
    use hadir_db::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let count = |done: bool| {
        let status = if done { job::Column::Status.eq("done") } else { job::Column::Status.ne("done") };
        job::Entity::find().filter(job::Column::Kind.eq("thumbnail")).filter(status).count(db)
    };
    let made = count(true).await.unwrap_or_else(|e| fail("counting jobs", e));
    (made, count(false).await.unwrap_or_else(|e| fail("counting jobs", e)))
}

/// The kiosk's current QR token, refreshed every 5 seconds as a kiosk would.
async fn kiosk(app: &App, operator: Principal, office: String) -> Arc<std::sync::RwLock<String>> {
    let fetch = |app: App, operator: Principal, office: String| async move {
        hadir_app::attendance::kiosk_token(&app, &operator, &office)
            .await
            .unwrap_or_else(|e| fail("kiosk token", e))
            .token
    };
    let shared = Arc::new(std::sync::RwLock::new(fetch(app.clone(), operator.clone(), office.clone()).await));
    let (app, writer) = (app.clone(), shared.clone());
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            let token = fetch(app.clone(), operator.clone(), office.clone()).await;
            if let Ok(mut slot) = writer.write() {
                *slot = token;
            }
        }
    });
    shared
}

async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| fail("listen", e));
    let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| fail("listen", e)));
    tokio::spawn(hadir_web::serve(listener, router, std::future::pending()));
    base
}

/// The baseline: the same multipart upload, read completely, and one plain insert.
async fn bare_server(db: DatabaseConnection) -> String {
    db.execute_unprepared("CREATE TABLE IF NOT EXISTS bench_bare (id VARCHAR(36) PRIMARY KEY, at BIGINT NOT NULL)")
        .await
        .unwrap_or_else(|e| fail("baseline table", e));
    async fn insert(State(db): State<DatabaseConnection>, mut form: Multipart) -> StatusCode {
        while let Ok(Some(field)) = form.next_field().await {
            if field.bytes().await.is_err() {
                return StatusCode::BAD_REQUEST;
            }
        }
        use hadir_db::sea_orm::sea_query::{Alias, Query};
        let statement = Query::insert()
            .into_table(Alias::new("bench_bare"))
            .columns([Alias::new("id"), Alias::new("at")])
            .values_panic([uuid::Uuid::now_v7().to_string().into(), chrono::Utc::now().timestamp_millis().into()])
            .to_owned();
        match db.execute(&statement).await {
            Ok(_) => StatusCode::OK,
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    let router = axum::Router::new()
        .route("/bare", axum::routing::post(insert))
        .layer(axum::extract::DefaultBodyLimit::max(hadir_web::multipart::UPLOAD_LIMIT))
        .with_state(db);
    serve(router).await
}

#[derive(Default)]
struct Results {
    elapsed: Duration,
    /// CPU time the whole process (server and load generator) spent in the phase.
    cpu: Option<Duration>,
    /// When each request was sent (since the phase began) and how long it took, in no order.
    timeline: Vec<(Duration, Duration)>,
    /// The times taken alone, shortest first (from `timeline`, for the percentiles).
    latencies: Vec<Duration>,
    accepted: usize,
    needs_review: usize,
    rejected: usize,
    refused: usize,
    errors: usize,
}

impl Results {
    /// Requests answered without a transport or server error.
    fn answered(&self) -> usize {
        self.latencies.len() - self.errors.min(self.latencies.len())
    }

    fn per_second(&self) -> f64 {
        self.answered() as f64 / self.elapsed.as_secs_f64()
    }

    /// Microseconds of CPU per request answered.
    fn cpu_per_request(&self) -> Option<f64> {
        Some(self.cpu?.as_secs_f64() * 1e6 / self.answered().max(1) as f64)
    }

    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let index = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        self.latencies[index]
    }

    /// The phase in quarter seconds by when requests were sent.
    fn print_timeline(&self) {
        const SLOW: Duration = Duration::from_millis(150);
        let mut windows: std::collections::BTreeMap<u128, (usize, usize, Duration)> = Default::default();
        for (sent, took) in &self.timeline {
            let window = windows.entry(sent.as_millis() / 250).or_default();
            window.0 += 1;
            window.1 += usize::from(*took > SLOW);
            window.2 = window.2.max(*took);
        }
        println!("  sent at      requests  over 150 ms  slowest");
        for (window, (sent, slow, slowest)) in windows {
            println!("  {:>6} ms  {sent:>9}  {slow:>11}  {:>6.1} ms", window * 250, slowest.as_secs_f64() * 1000.0);
        }
    }

    fn print(&self, label: &str) {
        let cpu = self.cpu_per_request().map_or("CPU n/a".into(), |us| format!("CPU {us:>5.0} µs/req"));
        println!(
            "{label:<12} {:>7} requests  {:>8.0} req/s  p50 {:>6.1} ms  p99 {:>6.1} ms  {cpu}",
            self.latencies.len(),
            self.per_second(),
            self.percentile(0.50).as_secs_f64() * 1000.0,
            self.percentile(0.99).as_secs_f64() * 1000.0
        );
    }
}

/// User and system CPU time of this process so far (Linux; `None` elsewhere). `/proc` counts in
/// ticks of 1/100 s, fine enough for phases of several seconds on every core.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// A JPEG that differs from every other one sent: the counter is written into its first
/// quantization table, which the stored photo keeps (its metadata is stripped) and which any
/// value 1–255 leaves decodable — sixteen entries, one hex digit of the counter each.
fn unique_photo(base: &[u8], counter: u64) -> Vec<u8> {
    let mut photo = base.to_vec();
    let table = photo.windows(2).position(|m| m == [0xFF, 0xDB]).unwrap_or_else(|| fail("photo", "no DQT")) + 5;
    for (i, entry) in photo[table..table + 16].iter_mut().enumerate() {
        *entry = 1 + ((counter >> (4 * i)) & 0xF) as u8;
    }
    photo
}

/// A 720×960 JPEG that decodes, as near `bytes` in size as the encoder's quality steps allow.
fn decodable_jpeg(bytes: usize) -> Vec<u8> {
    let mut state = 0x2545_F491_u32;
    let pixels = image::RgbImage::from_fn(720, 960, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state & 0x1F) as u8;
        image::Rgb([(x / 3) as u8 ^ grain, (y / 4) as u8, ((x + y) / 6) as u8 | grain])
    });
    let encode = |quality: u8| {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
            .encode_image(&pixels)
            .unwrap_or_else(|e| fail("photo", e));
        out
    };
    (10..=95).step_by(5).rev().map(encode).find(|jpeg| jpeg.len() <= bytes).unwrap_or_else(|| encode(5))
}

async fn load(
    base: &str,
    path: &str,
    tokens: &[String],
    Load { connections, phase, once, .. }: Load,
    photo: &[u8],
    kiosk: Option<Arc<std::sync::RwLock<String>>>,
) -> Results {
    let client =
        reqwest::Client::builder().pool_max_idle_per_host(connections).build().unwrap_or_else(|e| fail("client", e));
    let deadline = Instant::now() + phase;
    let started = Instant::now();
    let cpu_before = cpu_time();
    let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut tasks = Vec::new();
    for worker in 0..connections {
        let mine: Vec<String> = tokens.iter().skip(worker).step_by(connections).cloned().collect();
        let (client, url, photo, counter) = (client.clone(), format!("{base}{path}"), photo.to_vec(), counter.clone());
        let kiosk = kiosk.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Results::default();
            let mut checked_in = vec![false; mine.len()];
            let mut next = 0;
            let requests = if once { mine.len() } else { usize::MAX };
            while Instant::now() < deadline && !mine.is_empty() && next < requests {
                let i = next % mine.len();
                next += 1;
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let mut metadata = serde_json::json!({
                    "attempt_id": uuid::Uuid::new_v4(),
                    "kind": if checked_in[i] { "out" } else { "in" },
                    "mode": "office",
                    "device_id": seed::device_key(worker + i * connections),
                    "lat": -3.8216,
                    "lon": 102.2871,
                    "accuracy_m": 10.0,
                    "device_time": chrono::Utc::now(),
                });
                if let Some(current) = kiosk.as_ref().and_then(|k| k.read().ok().map(|t| t.clone())) {
                    metadata["mode"] = serde_json::json!("qr");
                    metadata["qr_token"] = serde_json::json!(current);
                }
                checked_in[i] = true;
                let mut form = reqwest::multipart::Form::new().text("metadata", metadata.to_string());
                if !photo.is_empty() {
                    form =
                        form.part("photo", reqwest::multipart::Part::bytes(unique_photo(&photo, n)).file_name("p.jpg"));
                }
                let sent = Instant::now();
                let response = client.post(&url).bearer_auth(&mine[i]).multipart(form).send().await;
                let status = response.as_ref().map(|r| r.status()).ok();
                let body = match response {
                    Ok(r) => r.text().await.ok(),
                    Err(_) => None,
                };
                out.timeline.push((sent.duration_since(started), sent.elapsed()));
                match status {
                    Some(s) if s.is_success() => {
                        match body.and_then(|b| serde_json::from_str::<CheckInAnswer>(&b).ok()).map(|a| a.outcome) {
                            Some(hadir_domain::attendance::checkin::Outcome::Accepted) | None => out.accepted += 1,
                            Some(hadir_domain::attendance::checkin::Outcome::NeedsReview) => out.needs_review += 1,
                            Some(hadir_domain::attendance::checkin::Outcome::Rejected) => out.rejected += 1,
                        }
                    }
                    Some(s) if s.is_client_error() => out.refused += 1,
                    _ => out.errors += 1,
                }
            }
            out
        }));
    }
    let mut all = Results::default();
    for task in tasks {
        if let Ok(part) = task.await {
            all.timeline.extend(part.timeline);
            all.accepted += part.accepted;
            all.needs_review += part.needs_review;
            all.rejected += part.rejected;
            all.refused += part.refused;
            all.errors += part.errors;
        }
    }
    all.elapsed = started.elapsed();
    all.cpu = cpu_time().zip(cpu_before).map(|(after, before)| after.saturating_sub(before));
    all.latencies = all.timeline.iter().map(|&(_, took)| took).collect();
    all.latencies.sort();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use hadir_domain::photo::{PhotoLimits, clean_jpeg};

    /// Every photo sent must pass the check-in's photo check and differ from the others after
    /// its metadata is stripped (else `duplicate_photo` flags it); the `--worker` ones must decode.
    #[test]
    fn photos_stay_valid_and_distinct_after_stripping() {
        for (base, decodes) in [(sample_jpeg(720, 960, 40_000), false), (decodable_jpeg(40_000), true)] {
            let cleaned: Vec<Vec<u8>> = [0, 1, 0xABCD_EF01_2345]
                .iter()
                .map(|n| clean_jpeg(&unique_photo(&base, *n), PhotoLimits::default()).unwrap().bytes)
                .collect();
            assert!(cleaned[0] != cleaned[1] && cleaned[1] != cleaned[2] && cleaned[0] != cleaned[2]);
            assert_eq!(image::load_from_memory(&cleaned[2]).is_ok(), decodes);
        }
        assert!(decodable_jpeg(40_000).len() <= 40_000);
    }
}
