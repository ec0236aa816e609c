//! Signing in and out of the web app.

use super::session::Page;
use super::{Tr, i18n::lang_of, render};
use crate::AppState;
use crate::api::auth::session_cookie;
use crate::guard::{Meta, SESSION_COOKIE, SelfService, cookie_value};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hadir_app::auth::{self, ClientKind, LoginRequest};
use hadir_domain::Explain;
use serde::Deserialize;

/// What every page's frame needs: texts, the CSRF token, who is signed in.
pub struct Chrome {
    pub t: Tr,
    pub csrf: String,
    pub name: String,
    pub admin: bool,
    /// A supervisor or administrator: sees the approval pages.
    pub decides: bool,
    /// The privacy officer (or an institution administrator where none is appointed): sees the
    /// privacy desk.
    pub privacy: bool,
    /// This page's path, for the language toggle to come back to.
    pub path: &'static str,
}

impl Chrome {
    pub fn of<P: crate::guard::Policy>(page: &Page<P>, name: String, path: &'static str) -> Chrome {
        let p = &page.principal;
        let decides = <crate::guard::Decider as crate::guard::Policy>::allows(p);
        let privacy = p.is_privacy_officer();
        Chrome { t: page.t, csrf: page.csrf.clone(), name, admin: p.is_admin(), decides, privacy, path }
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    login: String,
    institution: String,
    error: Option<String>,
}

fn login_page(t: Tr, login: String, institution: String, error: Option<String>) -> LoginPage {
    LoginPage {
        c: Chrome {
            t,
            csrf: String::new(),
            name: String::new(),
            admin: false,
            decides: false,
            privacy: false,
            path: "/masuk",
        },
        login,
        institution,
        error,
    }
}

fn redirect(to: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, HeaderValue::from_static(to))]).into_response()
}

/// `/`: the app for someone signed in, else the sign-in page.
pub async fn root(headers: HeaderMap) -> Response {
    let signed_in = headers.get(COOKIE).and_then(|c| c.to_str().ok()).and_then(|c| cookie_value(c, SESSION_COOKIE));
    redirect(if signed_in.is_some() { "/app" } else { "/masuk" })
}

pub async fn form(headers: HeaderMap) -> Response {
    render(&login_page(Tr { lang: lang_of(&headers) }, String::new(), String::new(), None))
}

#[derive(Deserialize)]
pub struct Credentials {
    login: String,
    password: String,
    #[serde(default)]
    institution: String,
}

/// Signs in and goes to the app; a failure shows the form again with what was typed (never the
/// password) and the reason in the page's language.
pub async fn submit(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> Response {
    let t = Tr { lang: lang_of(&headers) };
    let institution = form.institution.trim().to_string();
    let request = LoginRequest {
        login: form.login.clone(),
        password: form.password,
        institution: (!institution.is_empty()).then(|| institution.clone()),
        client: ClientKind::Browser,
    };
    match auth::login(&state.app, request, &meta).await {
        Ok(outcome) => {
            let max_age = (outcome.expires_at - state.app.clock.now().timestamp_millis()) / 1000;
            let mut response = redirect(if outcome.must_change_password { "/app/sandi" } else { "/app" });
            response.headers_mut().insert(SET_COOKIE, session_cookie(&state, &outcome.token, max_age));
            response
        }
        Err(error) => {
            let status = crate::problem::status_of(&error);
            let message = error.message(t.lang);
            let mut response = render(&login_page(t, form.login, institution, Some(message)));
            *response.status_mut() = status;
            response
        }
    }
}

/// Ends the session; the page's script also empties the offline caches (not the check-in queue).
pub async fn logout(State(state): State<AppState>, page: Page<SelfService>) -> Response {
    if let Err(e) = auth::logout(&state.app, &page.principal, &page.meta).await {
        return crate::problem::ApiError(e).into_response();
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(SET_COOKIE, session_cookie(&state, "", 0));
    response.headers_mut().insert("hx-redirect", HeaderValue::from_static("/masuk"));
    response
}
