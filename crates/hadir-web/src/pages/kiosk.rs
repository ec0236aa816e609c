//! The kiosk: a tablet at the office entrance shows the location's QR code full screen; it
//! changes every 30 seconds (the page fetches the current one every 5), and employees scan it
//! from the check-in page.

use super::login::Chrome;
use super::render;
use super::session::Page;
use super::session::failed;
use crate::AppState;
use crate::guard::Admin;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use hadir_app::{AppError, attendance, locations};
use qrcode::QrCode;
use qrcode::render::svg;

#[derive(Template)]
#[template(path = "kiosk_locations.html")]
struct Locations {
    c: Chrome,
    locations: Vec<(String, String)>,
}

/// The locations whose kiosk this administrator may open.
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
    c: Chrome,
    id: String,
    location: String,
}

pub async fn screen(State(state): State<AppState>, page: Page<Admin>, Path(id): Path<String>) -> Response {
    let p = &page.principal;
    let loaded = async {
        // The token call checks that this administrator may run this location's kiosk.
        attendance::kiosk_token(&state.app, p, &id).await?;
        let name = page.own_name(&state.app).await?;
        Ok::<_, AppError>((name, locations::get(&state.app, p, &id).await?.name))
    };
    match loaded.await {
        Ok((name, location)) => render(&Screen { c: Chrome::of(&page, name, "/admin/kiosk"), id, location }),
        Err(e) => failed(page.t, e),
    }
}

/// The current code as an SVG fragment.
pub async fn code(State(state): State<AppState>, page: Page<Admin>, Path(id): Path<String>) -> Response {
    match attendance::kiosk_token(&state.app, &page.principal, &id).await {
        Ok(token) => Html(qr_svg(&token.token)).into_response(),
        Err(e) => failed(page.t, e),
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_token_becomes_an_svg_code() {
        let svg = super::qr_svg("hq1.abcdefghijklmnopqrstuvwxyz0123456789");
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"));
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
