//! Hadir's HTTP layer: the axum router for `/api/v1` (JSON, documented by OpenAPI), health and
//! metrics. Authentication, tenant resolution and role checks happen in one extractor
//! ([`guard::Auth`]); errors become `application/problem+json` in the client's language in one
//! middleware ([`problem`]).

pub mod api;
pub mod guard;
pub mod json;
pub mod metrics;
pub mod multipart;
pub mod pages;
pub use metrics::MetricsToken;
pub use pages::MapTiles;
pub use rate_limit::RateLimit;
pub mod problem;
pub mod rate_limit;
mod security_headers;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use hadir_app::App;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

/// Settings of the HTTP layer.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Adds `Secure` to the session cookie. Off only for plain-HTTP localhost.
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Map tiles under the geofence preview; none by default, so no page calls out.
    pub map_tiles: Option<MapTiles>,
    /// Requests per signed-in session; `None` lifts the limit.
    pub rate_limit: Option<RateLimit>,
    /// The bearer token a scraper must send to read `/metrics`; `None` lets only a scraper on
    /// this machine, connecting directly, read it.
    pub metrics_token: Option<MetricsToken>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: true,
            trusted_proxies: Vec::new(),
            body_limit: 1024 * 1024,
            map_tiles: None,
            rate_limit: Some(RateLimit::default()),
            metrics_token: None,
        }
    }
}

/// What every handler is given. Axum clones it for each extractor of each request, so it is one
/// shared pointer: a clone of `App` itself is some twenty reference counts, each an atomic
/// increment and decrement contended between the cores (1.3 % of a QR check-in's CPU).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub app: App,
    pub config: WebConfig,
    pub limiter: rate_limit::Limiter,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The whole application: API, health, metrics, with request ids, body limit, panic guard,
/// security headers and problem rendering.
pub fn router(app: App, config: WebConfig) -> Router {
    let body_limit = config.body_limit;
    let limiter = rate_limit::Limiter::new(config.rate_limit);
    let state = AppState(Arc::new(Shared { app, config, limiter }));
    let (api, openapi) = api::routes().split_for_parts();
    let openapi = Arc::new(openapi);
    Router::new()
        .merge(api)
        .merge(pages::routes(&state.config))
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = openapi.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .route("/healthz", axum::routing::get(api::health::healthz))
        .route("/metrics", axum::routing::get(metrics::render))
        .route_layer(middleware::from_fn(metrics::track))
        .fallback(problem::not_found)
        .method_not_allowed_fallback(problem::method_not_allowed)
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CatchPanicLayer::custom(problem::panicked))
        .layer(middleware::from_fn(problem::render))
        .layer(middleware::from_fn(security_headers::add))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
