//! Errors as `application/problem+json` (RFC 9457) with a stable `code` and a message in the
//! client's language (`Accept-Language`, Indonesian by default).
//!
//! Handlers return [`ApiError`], which only records *what* went wrong in the response's
//! extensions; [`render`] writes the body once it knows the language and the request id.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hadir_app::{AppError, FieldProblem};
use hadir_domain::{Explain, Lang};
use serde::Serialize;

/// What the body will say, in both languages.
#[derive(Clone, Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub code: String,
    pub message_id: String,
    pub message_en: String,
    pub errors: Vec<FieldProblem>,
    pub retry_after_secs: Option<i64>,
}

impl Problem {
    pub fn new(status: StatusCode, error: &dyn Explain) -> Problem {
        Problem {
            status,
            code: error.code().into(),
            message_id: error.message(Lang::Id),
            message_en: error.message(Lang::En),
            errors: Vec::new(),
            retry_after_secs: None,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        response.extensions_mut().insert(self);
        response
    }
}

/// A use-case error on its way out of a handler.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
        AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::InstitutionRequired | AppError::Conflict { .. } | AppError::Refused { .. } => StatusCode::CONFLICT,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        if matches!(error, AppError::Database(_) | AppError::Internal(_)) {
            // The detail stays in the server log; the client gets the request id to quote.
            tracing::error!(error = %error, "request failed");
        }
        let mut problem = Problem::new(status_of(&error), &error);
        match error {
            AppError::Invalid(problems) => problem.errors = problems,
            AppError::Throttled { minutes } => problem.retry_after_secs = Some(minutes * 60),
            _ => {}
        }
        problem.into_response()
    }
}

#[derive(Serialize)]
struct Body_<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    code: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
}

#[derive(Serialize)]
struct FieldBody<'a> {
    field: &'a str,
    code: &'a str,
    message: &'a str,
}

/// Writes problem bodies in the language the client asked for (the web app's language toggle,
/// else `Accept-Language`).
pub async fn render(request: Request, next: Next) -> Response {
    let lang = crate::pages::lang_of(request.headers());
    let request_id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
    let mut response = next.run(request).await;
    let Some(problem) = response.extensions_mut().remove::<Problem>() else {
        return response;
    };
    let title = match lang {
        Lang::Id => &problem.message_id,
        Lang::En => &problem.message_en,
    };
    let body = Body_ {
        kind: format!("urn:hadir:problem:{}", problem.code),
        title,
        status: problem.status.as_u16(),
        code: &problem.code,
        errors: problem
            .errors
            .iter()
            .map(|e| FieldBody { field: &e.field, code: &e.code, message: e.message(lang) })
            .collect(),
        request_id: request_id.as_deref(),
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.headers.insert(
        axum::http::header::CONTENT_LANGUAGE,
        HeaderValue::from_static(if lang == Lang::En { "en" } else { "id" }),
    );
    Response::from_parts(parts, Body::from(json))
}

/// A fixed problem with a code and two messages.
struct Fixed(&'static str, &'static str, &'static str);

impl Explain for Fixed {
    fn code(&self) -> &'static str {
        self.0
    }
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Id => self.1.into(),
            Lang::En => self.2.into(),
        }
    }
}

pub fn fixed(status: StatusCode, code: &'static str, id: &'static str, en: &'static str) -> Problem {
    Problem::new(status, &Fixed(code, id, en))
}

pub async fn not_found() -> Problem {
    fixed(StatusCode::NOT_FOUND, "route_not_found", "Alamat tidak ditemukan", "No such address")
}

pub async fn method_not_allowed() -> Problem {
    fixed(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "Metode HTTP ini tidak didukung di alamat ini",
        "This HTTP method is not supported here",
    )
}

/// A panic is a bug: logged, answered with 500, and the server keeps running.
pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    fixed(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "Terjadi kesalahan pada server; coba lagi",
        "Something went wrong on the server; please try again",
    )
    .into_response()
}
