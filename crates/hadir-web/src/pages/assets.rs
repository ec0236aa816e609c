//! The web app's static files, built into the binary: styles, the page scripts, vendored htmx,
//! icons, the manifest and the service worker (served from the root so it may control `/app`).

use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

const JS: &str = "text/javascript; charset=utf-8";

/// Name, content type, bytes.
const FILES: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../static/app.css")),
    ("app.js", JS, include_bytes!("../../static/app.js")),
    ("camera.js", JS, include_bytes!("../../static/camera.js")),
    ("checkin.js", JS, include_bytes!("../../static/checkin.js")),
    ("device.js", JS, include_bytes!("../../static/device.js")),
    ("queue.js", JS, include_bytes!("../../static/queue.js")),
    ("wfh.js", JS, include_bytes!("../../static/wfh.js")),
    ("htmx-2.0.11.min.js", JS, include_bytes!("../../static/htmx-2.0.11.min.js")),
    // jsQR 1.4.0 (npm, Apache-2.0): QR decoding where the browser has no BarcodeDetector.
    ("jsqr-1.4.0.js", JS, include_bytes!("../../static/jsqr-1.4.0.js")),
    ("icon.svg", "image/svg+xml", include_bytes!("../../static/icon.svg")),
    ("icon-192.png", "image/png", include_bytes!("../../static/icon-192.png")),
    ("icon-512.png", "image/png", include_bytes!("../../static/icon-512.png")),
];

fn asset(content_type: &'static str, bytes: &'static [u8]) -> Response {
    // Revalidated on each use: names carry no version, and the service worker keeps its own copy.
    ([(CONTENT_TYPE, content_type), (CACHE_CONTROL, "no-cache")], bytes).into_response()
}

pub async fn file(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, bytes)) => asset(content_type, bytes),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub async fn manifest() -> Response {
    asset("application/manifest+json", include_bytes!("../../static/manifest.webmanifest"))
}

pub async fn service_worker() -> Response {
    asset(JS, include_bytes!("../../static/sw.js"))
}

#[cfg(test)]
mod tests {
    /// Every file the pages, the manifest and the service worker name is served.
    #[test]
    fn referenced_static_files_exist() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for folder in ["templates", "static"] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "png") && !path.to_string_lossy().contains("htmx") {
                    texts.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut named = 0;
        for text in &texts {
            for piece in text.split("/static/").skip(1) {
                let name: String =
                    piece.chars().take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect();
                if name.is_empty() {
                    continue;
                }
                assert!(super::FILES.iter().any(|(n, _, _)| *n == name), "/static/{name} is not served");
                named += 1;
            }
        }
        assert!(named > 5);
    }
}
