//! Page texts from `locales/{id,en}/*.ftl` (Fluent), embedded at compile time. The language is
//! the `hadir_lang` cookie set by the toggle, else the browser's `Accept-Language`, else
//! Indonesian.

use crate::guard::{Meta, cookie_value};
use axum::Form;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use fluent_templates::{LanguageIdentifier, Loader};
use hadir_domain::Lang;
use serde::Deserialize;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "id",
        // Texts are shown in HTML, where the bidi isolation marks only get in the way.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub const LANG_COOKIE: &str = "hadir_lang";

/// The language of pages and of the API's messages to the web app.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let chosen = headers.get(COOKIE).and_then(|c| c.to_str().ok()).and_then(|c| cookie_value(c, LANG_COOKIE));
    match chosen {
        Some("en") => Lang::En,
        Some("id") => Lang::Id,
        _ => headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default(),
    }
}

/// The translator a template calls: `{{ t.get("key") }}`.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn code(&self) -> &'static str {
        match self.lang {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// The other language, for the toggle.
    pub fn other(&self) -> &'static str {
        match self.lang {
            Lang::Id => "en",
            Lang::En => "id",
        }
    }

    pub fn get(&self, key: &str) -> String {
        let lang: LanguageIdentifier = self.code().parse().expect("id and en are language tags");
        // A missing key shows itself on the page; a test keeps both files complete.
        LOCALES.try_lookup(&lang, key).unwrap_or_else(|| key.to_string())
    }
}

#[derive(Deserialize)]
pub struct Switch {
    lang: String,
    /// Where to go back to: a path on this site.
    back: String,
}

/// The language toggle: remembers the choice for a year and goes back to the page.
pub async fn switch(_same_origin: Meta, Form(form): Form<Switch>) -> Response {
    let lang = if form.lang == "en" { "en" } else { "id" };
    let back = if form.back.starts_with('/') && !form.back.starts_with("//") { form.back } else { "/".into() };
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers.insert(
        SET_COOKIE,
        HeaderValue::from_str(&format!("{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax")).expect("ASCII"),
    );
    headers.insert(LOCATION, HeaderValue::from_str(&back).unwrap_or(HeaderValue::from_static("/")));
    response
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
        let mut keys = BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.is_empty()
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    keys.insert(key.to_string());
                }
            }
        }
        keys
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let (id, en) = (keys("id"), keys("en"));
        assert!(id.len() > 20, "the Indonesian file is read");
        assert_eq!(id.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in English");
        assert_eq!(en.difference(&id).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in Indonesian");
    }

    /// Every text key the templates and page modules ask for exists.
    #[test]
    fn every_key_the_pages_use_exists() {
        let known = keys("id");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = BTreeSet::new();
        for folder in ["templates", "src/pages", "src/api"] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                for piece in text.split("t.get(\"").skip(1) {
                    used.insert(piece.split('"').next().unwrap().to_string());
                }
            }
        }
        used.remove("key");
        assert!(used.len() > 20, "templates are read");
        let missing: Vec<_> = used.difference(&known).collect();
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }

    #[test]
    fn lookups_follow_the_language() {
        let id = super::Tr { lang: hadir_domain::Lang::Id };
        let en = super::Tr { lang: hadir_domain::Lang::En };
        assert_eq!(id.get("sign-in"), "Masuk");
        assert_eq!(en.get("sign-in"), "Sign in");
        assert_eq!(en.get("no-such-key"), "no-such-key");
    }
}
