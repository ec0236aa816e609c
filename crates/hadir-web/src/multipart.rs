//! Uploads as `multipart/form-data`: a `metadata` part holding JSON and a photo part holding a
//! JPEG. Every way the form can be wrong becomes a problem naming the part.

use crate::problem::{Problem, fixed};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use hadir_app::FieldProblem;
use hadir_domain::{Explain, Lang};
use serde::de::DeserializeOwned;

/// The JSON of the `metadata` part, and the bytes of the part named `photo_part`.
pub struct Upload<T> {
    pub metadata: T,
    pub photo: Option<Vec<u8>>,
}

/// Largest photo upload, in bytes: the photo limit plus room for the metadata and form framing.
pub const UPLOAD_LIMIT: usize = 2 * 1024 * 1024 + 64 * 1024;

struct PartProblem(&'static str, String);

impl Explain for PartProblem {
    fn code(&self) -> &'static str {
        self.0
    }
    fn message(&self, lang: Lang) -> String {
        let lead = match (self.0, lang) {
            ("form_part_missing", Lang::Id) => "Bagian formulir tidak ada",
            ("form_part_missing", Lang::En) => "Form part missing",
            (_, Lang::Id) => "Data JSON tidak sesuai",
            (_, Lang::En) => "The JSON does not match",
        };
        format!("{lead}: {}", self.1)
    }
}

fn invalid(field: &str, problem: PartProblem) -> Problem {
    let mut p = fixed(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_form",
        "Formulir unggahan tidak sesuai",
        "The upload form does not match what this endpoint expects",
    );
    p.errors.push(FieldProblem::new(field, &problem));
    p
}

fn too_large() -> Problem {
    fixed(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        "Data yang dikirim terlalu besar",
        "The request body is too large",
    )
}

impl<T: DeserializeOwned> Upload<T> {
    /// Reads the form; `photo_part` is the name of the part carrying the JPEG.
    pub async fn read(request: Request, photo_part: &str) -> Result<Upload<T>, Problem> {
        let mut form = Multipart::from_request(request, &()).await.map_err(|_| {
            fixed(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "content_type_multipart",
                "Kirim data sebagai multipart/form-data",
                "Send the body as multipart/form-data",
            )
        })?;
        let (mut metadata, mut photo) = (None, None);
        loop {
            let field = match form.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                Err(_) => {
                    return Err(fixed(
                        StatusCode::BAD_REQUEST,
                        "form_unreadable",
                        "Formulir tidak dapat dibaca",
                        "The form could not be read",
                    ));
                }
            };
            let name = field.name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    fixed(
                        StatusCode::BAD_REQUEST,
                        "form_unreadable",
                        "Formulir tidak dapat dibaca",
                        "The form could not be read",
                    )
                }
            })?;
            if name == "metadata" {
                metadata = Some(bytes);
            } else if name == photo_part {
                photo = Some(bytes.to_vec());
            }
        }
        let metadata =
            metadata.ok_or_else(|| invalid("metadata", PartProblem("form_part_missing", "metadata".into())))?;
        let metadata = serde_json::from_slice(&metadata)
            .map_err(|e| invalid("metadata", PartProblem("json_invalid_value", e.to_string())))?;
        Ok(Upload { metadata, photo })
    }
}
