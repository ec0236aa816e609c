//! The web app: server-rendered pages (askama) for employees (`/app`, an installable PWA) and
//! administrators (`/admin`), Indonesian first with English by a toggle. Pages go through the
//! same use cases as the API; the check-in page's script talks to `/api/v1` itself, because it
//! must also queue attempts while offline and send them later.
//!
//! Forms that change something are sent by htmx with the session's CSRF token in a header
//! ([`session::CSRF_HEADER`]) and must come from this origin; sign-in and the language switch
//! need no session and are checked for origin only.

mod account;
mod admin;
mod assets;
mod assignments;
mod dashboard;
mod discipline;
mod downloads;
mod dpo;
mod dpo_registers;
mod employee;
mod fence_map;
mod holidays;
mod i18n;
mod import;
mod institution;
mod kiosk;
mod labels;
mod leave;
mod locations;
mod login;
mod month;
mod people;
mod privacy;
mod schedules;
mod session;
mod units;
mod wfh;

use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

pub use fence_map::MapTiles;
pub use i18n::{Tr, lang_of};

pub fn routes(config: &crate::WebConfig) -> Router<AppState> {
    let policy = page_policy(config.map_tiles.as_ref());
    Router::new()
        .route("/", get(login::root))
        .route("/masuk", get(login::form).post(login::submit))
        .route("/keluar", post(login::logout))
        .route("/bahasa", post(i18n::switch))
        .route("/app", get(employee::home))
        .route("/app/perangkat", get(employee::device))
        .route("/app/riwayat", get(month::mine))
        .route("/app/sandi", get(employee::password_form).post(employee::change_password))
        .route("/app/cuti", get(leave::mine).post(leave::request))
        .route("/app/privasi", get(privacy::page))
        .route("/app/akun", get(account::page))
        .route("/app/akun/sesi/{id}", axum::routing::delete(account::revoke))
        .route("/app/privasi/persetujuan", post(privacy::decide))
        .route("/app/privasi/permintaan", post(privacy::file))
        .route("/app/privasi/masukan", post(privacy::feedback))
        .route("/app/cuti/{id}/batal", post(leave::cancel))
        .route("/app/wfh", get(wfh::mine).post(wfh::propose))
        .route("/admin/wfh", get(wfh::pending))
        .route("/admin/wfh/{id}", post(wfh::decide))
        .route("/admin/cuti", get(leave::pending))
        .route("/admin/cuti/{id}", post(leave::decide))
        .route("/admin", get(dashboard::today))
        .route("/admin/hari-ini", get(dashboard::unit_today))
        .route("/admin/perangkat", get(admin::devices))
        .route("/admin/perangkat/{id}", post(admin::decide_device))
        .route("/admin/tinjauan", get(admin::reviews))
        .route("/admin/tinjauan/{id}", post(admin::review))
        .route("/admin/rekap", get(admin::recap))
        .route("/admin/rekap/siapkan", post(admin::prepare_recap))
        .route("/admin/unduhan", get(downloads::list))
        .route("/admin/unduhan/{id}", get(downloads::one))
        .route("/admin/unduhan/{id}/kemajuan", get(downloads::progress))
        .route("/admin/impor", get(import::form).post(import::submit))
        .route("/admin/orang", get(people::list).post(people::create))
        .route("/admin/orang/cari", post(people::search))
        .route("/admin/orang/baru", get(people::new_form))
        .route("/admin/orang/{id}", get(people::edit_form).post(people::update))
        .route("/admin/orang/{id}/akun", post(people::set_login))
        .route("/admin/orang/{id}/bulan", get(month::of_person))
        .route("/admin/orang/{id}/lokasi", post(assignments::set_locations))
        .route("/admin/orang/{id}/jadwal", post(assignments::set_schedule))
        .route("/admin/unit", get(units::list).post(units::create))
        .route("/admin/unit/{id}", post(units::update))
        .route("/admin/lokasi", get(locations::list).post(locations::create))
        .route("/admin/lokasi/baru", get(locations::new_form))
        .route("/admin/lokasi/pratinjau", post(locations::preview))
        .route("/admin/lokasi/{id}", get(locations::edit_form).post(locations::update))
        .route("/admin/jadwal", get(schedules::list).post(schedules::create))
        .route("/admin/jadwal/baru", get(schedules::new_form))
        .route("/admin/jadwal/{id}", get(schedules::edit_form).post(schedules::update))
        .route("/admin/jadwal/{id}/hapus", post(schedules::delete))
        .route("/admin/instansi", get(institution::page).post(institution::save))
        .route("/admin/libur", get(holidays::year).post(holidays::create))
        .route("/admin/libur/impor", post(holidays::import))
        .route("/admin/libur/{id}", post(holidays::update))
        .route("/admin/libur/{id}/hapus", post(holidays::delete))
        .route("/admin/potongan", get(discipline::page).post(discipline::save))
        .route("/admin/kiosk", get(kiosk::locations))
        .route("/admin/kiosk/{id}", get(kiosk::screen))
        .route("/admin/kiosk/{id}/kode", get(kiosk::code))
        .route("/admin/kiosk/{id}/tablet", get(kiosk::tablets).post(kiosk::pair_code))
        .route("/admin/kiosk/tablet/{id}/cabut", post(kiosk::revoke))
        .route("/kios", get(kiosk::pair_form).post(kiosk::pair))
        .route("/kios/layar", get(kiosk::tablet_screen))
        .route("/kios/kode", get(kiosk::tablet_code))
        .route("/dpo", get(dpo::desk))
        .route("/dpo/permintaan/{id}/langkah", post(dpo::step))
        .route("/dpo/permintaan/{id}/perbaikan", post(dpo::rectify))
        .route("/dpo/permintaan/{id}/penghapusan", get(dpo::erasure).post(dpo::erase))
        .route("/dpo/pemberitahuan", get(dpo::notices).post(dpo::publish))
        .route("/dpo/register", get(dpo_registers::page))
        .route("/dpo/pemroses", post(dpo_registers::add_processor))
        .route("/dpo/pengungkapan", post(dpo_registers::add_disclosure))
        .route("/dpo/pelanggaran", post(dpo_registers::record_breach))
        .route("/dpo/pelanggaran/{id}/diberitahukan", post(dpo_registers::notified))
        .route("/dpo/retensi", get(dpo_registers::retention).post(dpo_registers::save_policy))
        .route("/dpo/penahanan", post(dpo_registers::hold))
        .route("/dpo/penahanan/{id}/lepas", post(dpo_registers::release))
        .route("/manifest.webmanifest", get(assets::manifest))
        .route("/sw.js", get(assets::service_worker))
        .route("/static/{file}", get(assets::file))
        .layer(middleware::from_fn(move |request, next| page_headers(policy.clone(), request, next)))
}

/// Pages load scripts, styles, images and media only from this origin, with no inline script;
/// map tiles may come from the one origin the operator configured.
fn page_policy(tiles: Option<&MapTiles>) -> HeaderValue {
    let images = tiles.map(|t| format!(" {}", t.origin())).unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:{images}; \
         media-src 'self' blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    // The origin was checked by `MapTiles::parse` to hold no characters a header refuses.
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// The camera and location are offered to the employee pages only.
async fn page_headers(policy: HeaderValue, request: Request, next: Next) -> Response {
    let employee_page = request.uri().path().starts_with("/app");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, policy);
    let devices = if employee_page { "camera=(self), geolocation=(self)" } else { "camera=(), geolocation=()" };
    headers.insert("permissions-policy", HeaderValue::from_static(devices));
    response
}

/// A rendered page; a template that fails to render is a bug, answered with 500 and logged.
fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "page failed to render");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
