//! The kiosk: a tablet at the office entrance shows the location's QR code full screen, with the
//! short code to type under it; both change every 30 seconds (the page fetches them every 5),
//! and employees scan or type them from the check-in page.
//!
//! A tablet is paired rather than signed in: an administrator names it and gets a one-time code,
//! typed at `/kios` on the tablet, which then holds a token of its own (the `hadir_kiosk`
//! cookie) that shows that location's codes and nothing else, until revoked. An administrator
//! can also open the screen with their own session, to preview it.

use super::i18n::{Tr, lang_of};
use super::login::Chrome;
use super::render;
use super::session::{Page, escape, failed};
use crate::AppState;
use crate::guard::{Admin, Meta, cookie_value};
use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use hadir_app::kiosks::{self, KioskPrincipal, KioskScreen, KioskView};
use hadir_app::{AppError, locations};
use hadir_domain::time_zone::WorkZone;
use qrcode::QrCode;
use qrcode::render::svg;
use serde::Deserialize;

/// The tablet's own credential.
pub const KIOSK_COOKIE: &str = "hadir_kiosk";

#[derive(Template)]
#[template(path = "kiosk_locations.html")]
struct Locations {
    c: Chrome,
    locations: Vec<(String, String)>,
}

/// The locations whose kiosk this administrator may open or pair a tablet for.
pub async fn locations(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let p = &page.principal;
    let loaded = async {
        let name = page.own_name(&state.app).await?;
        Ok::<_, AppError>((name, locations::list(&state.app, p).await?))
    };
    let (name, all) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(page.t, e),
    };
    let locations =
        all.into_iter().filter(|l| p.admin_scope.covers_unit(l.unit_id.as_ref())).map(|l| (l.id, l.name)).collect();
    render(&Locations { c: Chrome::of(&page, name, "/admin/kiosk"), locations })
}

#[derive(Template)]
#[template(path = "kiosk.html")]
struct Screen {
    t: Tr,
    location: String,
    /// Where the page fetches the current codes.
    code_path: String,
}

/// The screen on an administrator's own session (a preview, or a tablet not yet paired).
pub async fn screen(State(state): State<AppState>, page: Page<Admin>, Path(id): Path<String>) -> Response {
    match kiosks::screen_for_admin(&state.app, &page.principal, &id).await {
        Ok(s) => render(&Screen { t: page.t, location: s.location_name, code_path: format!("/admin/kiosk/{id}/kode") }),
        Err(e) => failed(page.t, e),
    }
}

/// The current codes as an HTML fragment: the QR code as SVG, the code to type under it.
pub async fn code(State(state): State<AppState>, page: Page<Admin>, Path(id): Path<String>) -> Response {
    match kiosks::screen_for_admin(&state.app, &page.principal, &id).await {
        Ok(s) => codes(&s),
        Err(e) => failed(page.t, e),
    }
}

fn codes(s: &KioskScreen) -> Response {
    Html(format!("{}<p class=\"typed-code\" id=\"typed-code\">{}</p>", qr_svg(&s.token), escape(&s.typed_code)))
        .into_response()
}

fn qr_svg(text: &str) -> String {
    match QrCode::new(text.as_bytes()) {
        Ok(code) => code.render::<svg::Color<'_>>().min_dimensions(320, 320).quiet_zone(true).build(),
        // Tokens are short ASCII: far below any QR capacity.
        Err(e) => {
            tracing::error!(error = %e, "kiosk token does not fit a QR code");
            String::new()
        }
    }
}

pub struct TabletLine {
    pub id: String,
    pub name: String,
    pub state: String,
    pub live: bool,
    pub last_seen: String,
}

#[derive(Template)]
#[template(path = "kiosk_tablets.html")]
struct Tablets {
    c: Chrome,
    location_id: String,
    location: String,
    tablets: Vec<TabletLine>,
}

fn tablet_line(t: Tr, zone: WorkZone, k: KioskView) -> TabletLine {
    TabletLine {
        live: matches!(k.state.as_str(), "waiting" | "paired"),
        state: t.get(&format!("tablet-{}", k.state)),
        last_seen: k.last_seen_at.map(|at| super::labels::moment(zone, at)).unwrap_or_default(),
        id: k.id,
        name: k.name,
    }
}

/// A location's paired tablets, and the form that names a new one.
pub async fn tablets(State(state): State<AppState>, page: Page<Admin>, Path(id): Path<String>) -> Response {
    let (t, p) = (page.t, &page.principal);
    let loaded = async {
        let all = kiosks::list(&state.app, p, &id).await?;
        let location = locations::get(&state.app, p, &id).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, location, all))
    };
    match loaded.await {
        Ok((name, location, all)) => render(&Tablets {
            c: Chrome::of(&page, name, "/admin/kiosk"),
            location_id: id,
            tablets: all.into_iter().map(|k| tablet_line(t, location.time_zone, k)).collect(),
            location: location.name,
        }),
        Err(e) => failed(t, e),
    }
}

#[derive(Deserialize)]
pub struct NameField {
    #[serde(default)]
    name: String,
}

/// Names a tablet; the answer is its pairing code, shown this once.
pub async fn pair_code(
    State(state): State<AppState>,
    page: Page<Admin>,
    Path(id): Path<String>,
    Form(f): Form<NameField>,
) -> Response {
    match kiosks::create(&state.app, &page.principal, &id, &f.name, &page.meta).await {
        Ok(new) => Html(format!(
            "<p>{} <strong class=\"typed-code\" id=\"pairing-code\">{}</strong></p><p class=\"muted small\">{}</p>",
            escape(&page.t.get("tablet-code-is")),
            escape(&new.pairing_code),
            escape(&page.t.get("tablet-code-help")),
        ))
        .into_response(),
        Err(e) => failed(page.t, e),
    }
}

/// Revokes a tablet; the answer replaces its row.
pub async fn revoke(State(state): State<AppState>, page: Page<Admin>, Path(id): Path<String>) -> Response {
    match kiosks::revoke(&state.app, &page.principal, &id, &page.meta).await {
        Ok(_) => super::admin::decided_row(page.t, "revoked", "tablet"),
        Err(e) => failed(page.t, e),
    }
}

#[derive(Template)]
#[template(path = "kiosk_pair.html")]
struct PairPage {
    t: Tr,
    code: String,
    error: Option<String>,
}

/// `/kios` on the tablet: the pairing form, or the screen if this tablet is paired already.
pub async fn pair_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = kiosk_token(&headers)
        && kiosks::authenticate(&state.app, token).await.is_ok()
    {
        return to("/kios/layar");
    }
    render(&PairPage { t: Tr { lang: lang_of(&headers) }, code: String::new(), error: None })
}

#[derive(Deserialize)]
pub struct CodeField {
    #[serde(default)]
    code: String,
}

/// Pairs this tablet with the code typed; it keeps its token in an `HttpOnly` cookie for a year.
pub async fn pair(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    Form(f): Form<CodeField>,
) -> Response {
    let t = Tr { lang: lang_of(&headers) };
    match kiosks::pair(&state.app, &f.code, &meta).await {
        Ok(token) => {
            let secure = if state.config.secure_cookies { "; Secure" } else { "" };
            let cookie =
                format!("{KIOSK_COOKIE}={token}; Path=/kios; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}");
            let mut response = to("/kios/layar");
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(SET_COOKIE, value);
            }
            response
        }
        Err(e @ (AppError::Invalid(_) | AppError::Throttled { .. })) => {
            let message = match &e {
                AppError::Invalid(problems) if !problems.is_empty() => problems[0].message(t.lang).to_string(),
                _ => hadir_domain::Explain::message(&e, t.lang),
            };
            let mut response = render(&PairPage { t, code: f.code, error: Some(message) });
            *response.status_mut() = crate::problem::status_of(&e);
            response
        }
        Err(e) => failed(t, e),
    }
}

fn to(path: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, HeaderValue::from_static(path))]).into_response()
}

fn kiosk_token(headers: &HeaderMap) -> Option<&str> {
    headers.get(COOKIE).and_then(|c| c.to_str().ok()).and_then(|c| cookie_value(c, KIOSK_COOKIE))
}

/// A paired tablet, from its cookie; anything else goes back to the pairing form.
pub struct Tablet {
    kiosk: KioskPrincipal,
    t: Tr,
}

impl FromRequestParts<AppState> for Tablet {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let t = Tr { lang: lang_of(&parts.headers) };
        let token = kiosk_token(&parts.headers).unwrap_or_default();
        match kiosks::authenticate(&state.app, token).await {
            Ok(kiosk) => Ok(Tablet { kiosk, t }),
            // Unpaired or revoked: back to the pairing form (the screen's polling included).
            Err(AppError::Unauthenticated) => Err(super::session::to_sign_in_at(parts, "/kios")),
            Err(e) => Err(failed(t, e)),
        }
    }
}

/// The paired tablet's screen.
pub async fn tablet_screen(State(state): State<AppState>, tablet: Tablet) -> Response {
    match kiosks::screen(&state.app, &tablet.kiosk).await {
        Ok(s) => render(&Screen { t: tablet.t, location: s.location_name, code_path: "/kios/kode".into() }),
        Err(e) => failed(tablet.t, e),
    }
}

/// The paired tablet's current codes; a revoked tablet returns to the pairing form at its next
/// fetch.
pub async fn tablet_code(State(state): State<AppState>, tablet: Tablet) -> Response {
    match kiosks::screen(&state.app, &tablet.kiosk).await {
        Ok(s) => codes(&s),
        Err(e) => failed(tablet.t, e),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_token_becomes_an_svg_code() {
        let svg = super::qr_svg("hq1.abcdefghijklmnopqrstuvwxyz0123456789");
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"));
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
