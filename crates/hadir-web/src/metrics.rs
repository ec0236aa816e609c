//! Prometheus metrics at `/metrics`: request counts and latencies per route, plus whatever the
//! use cases record; and the request log line.

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use std::fmt;
use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Instant;

/// The bearer token a scraper must send to read `/metrics`. Never printed.
#[derive(Clone)]
pub struct MetricsToken(String);

/// A token short enough to guess is refused rather than trusted.
const MIN_CHARS: usize = 16;

impl MetricsToken {
    pub fn parse(token: &str) -> Result<MetricsToken, String> {
        if token.chars().count() < MIN_CHARS || token.trim() != token {
            return Err(format!(
                "metrics_token must be at least {MIN_CHARS} characters with no spaces around it \
                 (e.g. the output of `openssl rand -hex 24`)"
            ));
        }
        Ok(MetricsToken(token.to_string()))
    }

    /// Whether the request carries this token as `Authorization: Bearer`. Compared as SHA-256
    /// digests, so the time the comparison takes says nothing about how much of a guess was right.
    fn admits(&self, headers: &HeaderMap) -> bool {
        crate::guard::bearer(headers).is_some_and(|sent| Sha256::digest(sent) == Sha256::digest(&self.0))
    }
}

impl fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MetricsToken(***)")
    }
}

/// The process-wide recorder; installed once, shared by every router in the process (tests run
/// many servers in one process).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5])
            .expect("static buckets are valid")
            .build_recorder();
        let handle = recorder.handle();
        // Fails only if something else installed a recorder first; then that one records.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

pub async fn track(request: Request, next: Next) -> Response {
    let _ = handle();
    let started = Instant::now();
    // The route template, never the concrete path: ids in paths would explode the label set.
    let route =
        request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = request.method().to_string();
    let request_id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_string();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    // One line per request: the route template, never the path or query (they may carry a
    // search term), and no header but the request id.
    tracing::info!(
        target: "hadir::request",
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        ms = elapsed.as_millis() as u64,
        request_id = %request_id,
    );
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("hadir_http_requests_total", &labels).increment(1);
    metrics::histogram!("hadir_http_request_duration_seconds", &labels[..2]).record(elapsed.as_secs_f64());
    response
}

/// Without a token, who may read `/metrics`: a scraper on this machine that reaches the server
/// directly. A reverse proxy's requests come from this machine too, but carry the forwarding
/// headers of a client elsewhere.
fn local_scraper(peer: Option<IpAddr>, headers: &HeaderMap) -> bool {
    let proxied = ["forwarded", "x-forwarded-for", "x-real-ip"].into_iter().any(|name| headers.contains_key(name));
    peer.is_some_and(|ip| ip.to_canonical().is_loopback()) && !proxied
}

pub async fn render(State(state): State<crate::AppState>, request: Request) -> Response {
    let headers = request.headers();
    let peer = crate::guard::peer(request.extensions());
    match &state.config.metrics_token {
        Some(token) if !token.admits(headers) => {
            let mut refused = crate::problem::fixed(
                StatusCode::UNAUTHORIZED,
                "metrics_token_required",
                "Metrik hanya untuk pemantau yang mengirim tokennya (Authorization: Bearer)",
                "Metrics are for a scraper that sends its token (Authorization: Bearer)",
            )
            .into_response();
            refused.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return refused;
        }
        None if !local_scraper(peer, headers) => {
            return crate::problem::fixed(
                StatusCode::FORBIDDEN,
                "metrics_local_only",
                "Tanpa metrics_token, metrik hanya untuk pemantau di mesin ini yang tidak melalui proxy: setel metrics_token",
                "Without metrics_token, metrics are only for a scraper on this machine, not through a proxy: set metrics_token",
            )
            .into_response();
        }
        _ => {}
    }
    // Measured at each scrape: data-subject requests past their legal deadline, all institutions.
    match hadir_app::subject_rights::count_overdue(&state.app).await {
        Ok(n) => metrics::gauge!("hadir_subject_requests_overdue").set(n as f64),
        Err(e) => tracing::warn!(error = %e, "counting overdue subject requests failed"),
    }
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], handle().render()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::AUTHORIZATION;

    fn with(authorization: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(authorization).unwrap());
        headers
    }

    #[test]
    fn only_the_configured_bearer_token_is_let_in() {
        let token = MetricsToken::parse("s3cret-scrape-0123").unwrap();
        assert!(token.admits(&with("Bearer s3cret-scrape-0123")));
        assert!(!token.admits(&with("Bearer s3cret-scrape-012")));
        assert!(!token.admits(&with("Bearer s3cret-scrape-0123-")));
        assert!(!token.admits(&with("Basic s3cret-scrape-0123")));
        assert!(!token.admits(&with("s3cret-scrape-0123")));
        assert!(!token.admits(&HeaderMap::new()));
    }

    #[test]
    fn without_a_token_only_a_direct_scraper_on_this_machine_is_let_in() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        for local in ["127.0.0.1", "127.0.0.53", "::1", "::ffff:127.0.0.1"] {
            assert!(local_scraper(ip(local), &HeaderMap::new()), "{local}");
        }
        for elsewhere in ["10.0.0.5", "192.168.1.20", "::ffff:10.0.0.5", "2001:db8::1"] {
            assert!(!local_scraper(ip(elsewhere), &HeaderMap::new()), "{elsewhere}");
        }
        assert!(!local_scraper(None, &HeaderMap::new()), "no peer address known");
        for (name, value) in
            [("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=203.0.113.9"), ("x-real-ip", "203.0.113.9")]
        {
            let mut proxied = HeaderMap::new();
            proxied.insert(name, HeaderValue::from_static(value));
            assert!(!local_scraper(ip("127.0.0.1"), &proxied), "through a proxy: {name}");
        }
    }

    #[test]
    fn short_or_padded_tokens_are_refused_and_none_is_printed() {
        assert!(MetricsToken::parse("fifteen-chars-x").is_err());
        assert!(MetricsToken::parse(" s3cret-scrape-0123").is_err());
        assert!(MetricsToken::parse("s3cret-scrape-0123\n").is_err());
        let token = MetricsToken::parse("s3cret-scrape-0123").unwrap();
        assert!(!format!("{token:?}").contains("s3cret"));
    }
}
