//! Importing people from a CSV file: a dry run first shows every problem by row and field;
//! the import itself writes the whole file or nothing. A file of more than 500 rows is checked
//! in the background, its progress shown in place until the report replaces it.

use super::login::Chrome;
use super::render;
use super::session::Page;
use super::session::failed;
use crate::AppState;
use crate::guard::Admin;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use hadir_app::people;
use hadir_app::people_import::{self, COLUMNS, ImportReport};

#[derive(Template)]
#[template(path = "admin_import.html")]
struct ImportPage {
    c: Chrome,
    columns: String,
}

pub async fn form(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let p = &page.principal;
    match people::get(&state.app, p, &p.person_id).await {
        Ok(me) => {
            render(&ImportPage { c: Chrome::of(&page, me.full_name, "/admin/impor"), columns: COLUMNS.join(",") })
        }
        Err(e) => failed(page.t, e),
    }
}

#[derive(Template)]
#[template(path = "import_report.html")]
struct Report {
    t: super::Tr,
    report: ImportReport,
}

/// The form's two buttons: `check` (dry run) and `import`.
pub async fn submit(State(state): State<AppState>, page: Page<Admin>, mut form: Multipart) -> Response {
    let mut file = Vec::new();
    let mut dry_run = true;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("file") => match field.bytes().await {
                    Ok(bytes) => file = bytes.to_vec(),
                    Err(_) => return super::session::refusal(StatusCode::BAD_REQUEST, page.t, "import-unreadable"),
                },
                Some("action") => dry_run = field.text().await.map_or(true, |a| a != "import"),
                _ => {}
            },
            Ok(None) => break,
            Err(_) => return super::session::refusal(StatusCode::BAD_REQUEST, page.t, "import-unreadable"),
        }
    }
    // A large file is checked (or imported) in the background, its progress shown in place.
    if people_import::row_count(&file) > people_import::BACKGROUND_ABOVE_ROWS {
        return match people_import::queue(&state.app, &page.principal, file, dry_run, page.t.lang, &page.meta).await {
            Ok(d) => super::downloads::progress_of(&state, page.t, &page.principal, &d.id).await,
            Err(e) => super::downloads::not_queued(page.t, e),
        };
    }
    match people_import::import(&state.app, &page.principal, &file, dry_run, page.t.lang, &page.meta).await {
        Ok(report) => render(&Report { t: page.t, report }),
        Err(e) => failed(page.t, e),
    }
}
