//! Who is looking at a page: the session cookie, checked like the API's ([`crate::guard`]), but
//! answered the way a browser needs — a trip to the sign-in page instead of a JSON problem.

use super::i18n::{Tr, lang_of};
use crate::AppState;
use crate::guard::{Policy, SESSION_COOKIE, Signed, cookie_value, meta_of, same_origin};
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use hadir_app::AppError;
use hadir_app::{Principal, RequestMeta};
use hadir_domain::Explain;
use hadir_domain::time_zone::WorkZone;
use sha2::{Digest, Sha256};
use std::marker::PhantomData;

/// htmx sends it with every request (`hx-headers` on the page's body).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token of a session: derived from the session's secret token, which scripts cannot
/// read (the cookie is `HttpOnly`), so a page elsewhere cannot know it.
pub fn csrf_token(session_token: &str) -> String {
    // The first 16 bytes of the digest, as 32 hex digits.
    format!("{:.32x}", Sha256::digest(format!("hadir-csrf\0{session_token}")))
}

pub struct Page<P: Policy = Signed> {
    pub principal: std::sync::Arc<Principal>,
    pub meta: RequestMeta,
    pub t: Tr,
    pub csrf: String,
    policy: PhantomData<P>,
}

impl<P: Policy> Page<P> {
    /// The signed-in person's name, for the page's frame.
    pub async fn own_name(&self, app: &hadir_app::App) -> Result<String, hadir_app::AppError> {
        Ok(hadir_app::people::get(app, &self.principal, &self.principal.person_id).await?.full_name)
    }

    /// The institution's zone: the times a page shows are read in it.
    pub async fn zone(&self, app: &hadir_app::App) -> Result<WorkZone, hadir_app::AppError> {
        zone_of(app, &self.principal).await
    }
}

/// The zone of the principal's institution.
pub async fn zone_of(app: &hadir_app::App, principal: &Principal) -> Result<WorkZone, hadir_app::AppError> {
    Ok(hadir_app::institutions::current(app, principal).await?.time_zone)
}

/// Back to the sign-in page: a redirect, or for htmx an instruction to go there.
pub fn to_sign_in(parts: &Parts) -> Response {
    to_sign_in_at(parts, "/masuk")
}

/// Back to a page where one signs in (`/masuk`, or `/kios` for a tablet).
pub fn to_sign_in_at(parts: &Parts, page: &'static str) -> Response {
    let (status, header) = match parts.headers.contains_key("hx-request") {
        true => (StatusCode::NO_CONTENT, "hx-redirect"),
        false => (StatusCode::SEE_OTHER, LOCATION.as_str()),
    };
    let mut response = status.into_response();
    response.headers_mut().insert(header, HeaderValue::from_static(page));
    response
}

/// A short refusal in the page's language (htmx shows it where the action's answer would go).
pub fn refusal(status: StatusCode, t: Tr, key: &str) -> Response {
    (status, [("content-type", "text/plain; charset=utf-8")], t.get(key)).into_response()
}

/// A page's answer when a use case fails: the reason in the page's language. htmx shows it in
/// the page's alert line (the form keeps what was typed), each field's problem also beside its
/// input (`data-field`, placed by `static/app.js`); a plain request gets the same HTML.
pub fn failed(t: Tr, error: AppError) -> Response {
    if matches!(error, AppError::Database(_) | AppError::Internal(_)) {
        tracing::error!(error = %error, "page failed");
        return refusal(StatusCode::INTERNAL_SERVER_ERROR, t, "internal-error");
    }
    let status = crate::problem::status_of(&error);
    let mut html = escape(&error.message(t.lang));
    let fields: Vec<(&str, String)> = match &error {
        AppError::Invalid(problems) => {
            problems.iter().map(|p| (p.field.as_str(), p.message(t.lang).to_string())).collect()
        }
        AppError::Conflict { field, .. } => vec![(field, error.message(t.lang))],
        _ => Vec::new(),
    };
    if !fields.is_empty() {
        html.push_str("<ul>");
        for (field, message) in fields {
            html.push_str(&format!("<li data-field=\"{}\">{}</li>", escape(field), escape(&message)));
        }
        html.push_str("</ul>");
    }
    let headers =
        [("content-type", "text/html; charset=utf-8"), ("hx-retarget", "#page-error"), ("hx-reswap", "innerHTML")];
    (status, headers, html).into_response()
}

/// The answer to a form that saved: "Saved." in the page's language, where the form's result goes.
pub fn saved(t: Tr) -> Response {
    axum::response::Html(format!("<span class=\"good\">{}</span>", escape(&t.get("saved")))).into_response()
}

/// Text made safe to place in HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// Where consent-based purposes are decided.
const CONSENT_PAGE: &str = "/app/privasi";
/// Pages open while consents are pending: deciding them, and one's password and account.
const OPEN_BEFORE_CONSENT: [&str; 3] = [CONSENT_PAGE, "/app/sandi", "/app/akun"];

/// Whether this request opens a page that waits until the person has decided the consents the
/// notice in force asks for (UU PDP Ps 21–22): every full page but those above. Fragments a
/// page fetches for itself are not pages of their own.
fn waits_for_consent(parts: &Parts) -> bool {
    let path = parts.uri.path();
    parts.method == Method::GET
        && !parts.headers.contains_key("hx-request")
        && !OPEN_BEFORE_CONSENT.iter().any(|open| path.starts_with(open))
}

impl<P: Policy> FromRequestParts<AppState> for Page<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let t = Tr { lang: lang_of(&parts.headers) };
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let Some(token) = header(COOKIE.as_str()).and_then(|c| cookie_value(c, SESSION_COOKIE)).map(str::to_string)
        else {
            return Err(to_sign_in(parts));
        };
        let csrf = csrf_token(&token);
        if parts.method != Method::GET && (!same_origin(parts) || header(CSRF_HEADER) != Some(csrf.as_str())) {
            return Err(refusal(StatusCode::FORBIDDEN, t, "csrf-refused"));
        }
        let Ok(principal) = hadir_app::auth::authenticate(&state.app, &token).await else {
            return Err(to_sign_in(parts));
        };
        if let Err(seconds) = crate::guard::within_rate(state, &principal) {
            let mut response = refusal(StatusCode::TOO_MANY_REQUESTS, t, "rate-limited");
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(seconds));
            return Err(response);
        }
        if principal.must_change_password && !P::DURING_PASSWORD_CHANGE {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(LOCATION, HeaderValue::from_static("/app/sandi"));
            return Err(response);
        }
        if !P::allows(&principal) {
            return Err(refusal(StatusCode::FORBIDDEN, t, "forbidden"));
        }
        if waits_for_consent(parts) {
            match hadir_app::consent::must_decide(&state.app, &principal).await {
                Ok(false) => {}
                Ok(true) => {
                    let mut response = StatusCode::SEE_OTHER.into_response();
                    response.headers_mut().insert(LOCATION, HeaderValue::from_static(CONSENT_PAGE));
                    return Err(response);
                }
                Err(e) => return Err(failed(t, e)),
            }
        }
        Ok(Page { principal, meta: meta_of(parts, state), t, csrf, policy: PhantomData })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_differ_per_session_and_do_not_reveal_it() {
        let a = csrf_token("hdr_one");
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{a}");
        assert_eq!(a, csrf_token("hdr_one"));
        assert_ne!(a, csrf_token("hdr_two"));
        assert!(!a.contains("one"));
    }

    #[test]
    fn escaped_text_cannot_open_a_tag_or_leave_an_attribute() {
        assert_eq!(escape(r#"<b a='1' c="2">&"#), "&lt;b a=&#39;1&#39; c=&quot;2&quot;&gt;&amp;");
    }
}
