//! Files prepared in the background, in the admin console: the list of one's downloads (a recap
//! of any size, a large import's report), and the progress line a page shows in place while one
//! runs — it asks again every second and becomes the download link, or the import's report.

use super::login::Chrome;
use super::session::{Page, escape, failed};
use super::{Tr, labels, render};
use crate::AppState;
use crate::guard::Admin;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use hadir_app::downloads::{self, Download};
use hadir_app::people_import::ImportReport;
use hadir_app::{AppError, Principal};
use hadir_domain::time_zone::WorkZone;

/// A download as a line: what it is, where it stands, and the link once ready.
pub struct DownloadLine {
    pub id: String,
    pub what: String,
    pub status: String,
    pub busy: bool,
    /// Percent of the current step's count, when it has one.
    pub percent: Option<i64>,
    pub step: String,
    pub ready: bool,
    pub report: bool,
    pub file: String,
    pub requested: String,
    pub expires: String,
}

/// "1,2 MB", "840 KB".
fn size(t: Tr, bytes: i64) -> String {
    let (value, unit) = if bytes >= 1_000_000 { (bytes as f64 / 1e6, "MB") } else { (bytes as f64 / 1e3, "KB") };
    let text = format!("{value:.1}");
    let text = if t.code() == "id" { text.replace('.', ",") } else { text };
    format!("{text} {unit}")
}

pub fn line(t: Tr, zone: WorkZone, d: &Download) -> DownloadLine {
    let busy = matches!(d.status.as_str(), "queued" | "running");
    let step = match (&d.step, busy) {
        (Some(step), true) if d.total > 0 => {
            format!("{} · {} / {}", t.get(&format!("download-step-{step}")), d.done, d.total)
        }
        (Some(step), true) => t.get(&format!("download-step-{step}")),
        _ => String::new(),
    };
    let ready = d.status == "done" && d.file_name.is_some();
    DownloadLine {
        id: d.id.clone(),
        what: t.get(&format!("download-kind-{}", d.kind.replace('_', "-"))),
        status: t.get(&format!("download-{}", d.status)),
        busy,
        percent: (busy && d.total > 0).then(|| (100 * d.done / d.total).clamp(0, 100)),
        step,
        ready,
        report: d.kind == "people_import",
        file: match (&d.file_name, d.file_bytes) {
            (Some(name), Some(bytes)) => format!("{name} · {}", size(t, bytes)),
            _ => String::new(),
        },
        requested: labels::moment(zone, d.created_at),
        expires: d.expires_at.filter(|_| ready).map(|at| labels::moment(zone, at)).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "admin_downloads.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<DownloadLine>,
    busy: bool,
}

pub async fn list(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let loaded = async {
        let mine = downloads::mine(&state.app, &page.principal).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, mine, page.zone(&state.app).await?))
    };
    let (name, mine, zone) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(page.t, e),
    };
    let rows: Vec<DownloadLine> = mine.iter().map(|d| line(page.t, zone, d)).collect();
    let busy = rows.iter().any(|r| r.busy);
    render(&ListPage { c: Chrome::of(&page, name, "/admin/unduhan"), rows, busy })
}

#[derive(Template)]
#[template(path = "download_progress.html")]
struct Progress {
    t: Tr,
    d: DownloadLine,
}

#[derive(Template)]
#[template(path = "import_report.html")]
struct Report {
    t: Tr,
    report: ImportReport,
}

/// Where a download stands, as the fragment a page shows in place: a progress line that asks
/// again in a second, the download link, or — for an import — its report.
async fn fragment(state: &AppState, t: Tr, p: &Principal, id: &str) -> Result<String, AppError> {
    let d = downloads::get(&state.app, p, id).await?;
    let html = if d.kind == "people_import" && d.status == "done" {
        let (_, _, bytes) = downloads::file(&state.app, p, id).await?;
        let report = serde_json::from_slice::<ImportReport>(&bytes).map_err(|e| AppError::Internal(e.to_string()))?;
        Report { t, report }.render()
    } else {
        Progress { t, d: line(t, super::session::zone_of(&state.app, p).await?, &d) }.render()
    };
    html.map_err(|e| AppError::Internal(format!("template: {e}")))
}

/// The fragment for a page's progress line.
pub async fn progress_of(state: &AppState, t: Tr, p: &Principal, id: &str) -> Response {
    match fragment(state, t, p, id).await {
        Ok(html) => Html(html).into_response(),
        Err(e) => failed(t, e),
    }
}

pub async fn progress(State(state): State<AppState>, page: Page<Admin>, Path(id): Path<String>) -> Response {
    progress_of(&state, page.t, &page.principal, &id).await
}

#[derive(Template)]
#[template(path = "admin_download.html")]
struct OnePage {
    c: Chrome,
    body: String,
}

/// One download on a page of its own (an import's report, opened from the list).
pub async fn one(State(state): State<AppState>, page: Page<Admin>, Path(id): Path<String>) -> Response {
    let loaded = async {
        let name = page.own_name(&state.app).await?;
        Ok::<_, AppError>((name, fragment(&state, page.t, &page.principal, &id).await?))
    };
    match loaded.await {
        Ok((name, body)) => render(&OnePage { c: Chrome::of(&page, name, "/admin/unduhan"), body }),
        Err(e) => failed(page.t, e),
    }
}

/// A short answer for a download that could not be queued (said where the progress would go).
pub fn not_queued(t: Tr, e: AppError) -> Response {
    match e {
        AppError::Invalid(_) | AppError::NotFound(_) | AppError::Forbidden => failed(t, e),
        other => {
            tracing::error!(error = %other, "download not queued");
            Html(format!("<span class=\"bad\">{}</span>", escape(&t.get("internal-error")))).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hadir_domain::Lang;

    fn download(status: &str, step: Option<&str>, done: i64, total: i64) -> Download {
        Download {
            id: "j".into(),
            kind: "recap_export".into(),
            status: status.into(),
            request_id: None,
            step: step.map(Into::into),
            done,
            total,
            file_name: (status == "done").then(|| "rekap-2026-11.pdf".into()),
            file_bytes: (status == "done").then_some(1_250_000),
            created_at: 0,
            finished_at: None,
            expires_at: Some(86_400_000),
            downloaded_at: None,
        }
    }

    #[test]
    fn a_running_job_shows_its_step_and_share_and_a_done_one_its_file() {
        let t = Tr { lang: Lang::Id };
        let running = line(t, WorkZone::Jakarta, &download("running", Some("writing"), 250, 1000));
        assert!(running.busy && !running.ready);
        assert_eq!(running.percent, Some(25));
        assert!(running.step.ends_with("250 / 1000"), "{}", running.step);
        let computing = line(t, WorkZone::Jakarta, &download("running", Some("computing"), 0, 0));
        assert_eq!(computing.percent, None);
        let done = line(t, WorkZone::Jakarta, &download("done", None, 1000, 1000));
        assert!(done.ready && !done.busy);
        assert_eq!(done.expires, "02-01-1970 07:00 WIB");
        assert_eq!(line(t, WorkZone::Jayapura, &download("done", None, 1, 1)).expires, "02-01-1970 09:00 WIT");
        assert_eq!(done.file, "rekap-2026-11.pdf · 1,2 MB");
        assert!(!line(t, WorkZone::Jakarta, &download("expired", None, 0, 0)).ready);
    }
}
