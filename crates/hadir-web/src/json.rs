//! The JSON body extractor: like `axum::Json`, but every rejection is a problem that names the
//! field and the rule (wrong type, missing, unknown, malformed, too large, not UTF-8).

use crate::problem::{Problem, fixed};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use hadir_app::FieldProblem;
use hadir_domain::{Explain, Lang};
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

/// Why a JSON body could not become the expected type, for one field.
struct JsonRule {
    code: &'static str,
    detail: String,
}

impl Explain for JsonRule {
    fn code(&self) -> &'static str {
        self.code
    }
    fn message(&self, lang: Lang) -> String {
        let lead = match (self.code, lang) {
            ("json_unknown_field", Lang::Id) => "Kolom tidak dikenal",
            ("json_unknown_field", Lang::En) => "Unknown field",
            ("json_missing_field", Lang::Id) => "Kolom wajib tidak ada",
            ("json_missing_field", Lang::En) => "Required field is missing",
            ("json_syntax", Lang::Id) => "JSON tidak sah",
            ("json_syntax", Lang::En) => "Malformed JSON",
            (_, Lang::Id) => "Tipe atau nilai tidak sesuai",
            (_, Lang::En) => "Wrong type or value",
        };
        format!("{lead}: {}", self.detail)
    }
}

fn classify(error: &serde_json::Error) -> &'static str {
    let text = error.to_string();
    match error.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "json_syntax",
        _ if text.starts_with("unknown field") => "json_unknown_field",
        _ if text.starts_with("missing field") => "json_missing_field",
        _ => "json_invalid_value",
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !is_json {
            return Err(fixed(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "content_type_json",
                "Kirim data sebagai application/json",
                "Send the body as application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                fixed(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "Data yang dikirim terlalu besar",
                    "The request body is too large",
                )
            } else {
                fixed(
                    StatusCode::BAD_REQUEST,
                    "body_unreadable",
                    "Data tidak dapat dibaca",
                    "The request body could not be read",
                )
            }
        })?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let parsed = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|e| (e.path().to_string(), e.into_inner()))
            .and_then(|value| deserializer.end().map(|()| value).map_err(|e| (".".to_string(), e)));
        parsed.map(ApiJson).map_err(|(path, inner)| {
            let code = classify(&inner);
            let field = if path == "." { "body".to_string() } else { path };
            let rule = JsonRule { code, detail: inner.to_string() };
            let mut problem = fixed(
                if code == "json_syntax" { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY },
                "invalid_json",
                "Data JSON tidak sesuai",
                "The JSON body does not match what this endpoint expects",
            );
            problem.errors.push(FieldProblem::new(&field, &rule));
            problem
        })
    }
}
