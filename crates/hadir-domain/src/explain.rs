//! Stable error codes with bilingual messages.

/// The two languages the product speaks. Indonesian is the default everywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// Picks the language from an HTTP `Accept-Language` value: English only when the client
    /// prefers it over Indonesian; anything unknown falls back to Indonesian.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(Lang, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality =
                pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("id") | Some("in") => Lang::Id,
                Some("en") => Lang::En,
                _ => continue,
            };
            if best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang).unwrap_or_default()
    }
}

/// An error or warning a person can read: a stable machine code plus text in both languages.
pub trait Explain {
    /// Stable snake_case code; clients and the UI key on it, so it never changes once shipped.
    fn code(&self) -> &'static str;
    fn message(&self, lang: Lang) -> String;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_higher_quality() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("id-ID,id;q=0.9,en;q=0.8"), Lang::Id);
        assert_eq!(Lang::from_accept_language("en;q=0.5,id;q=0.8"), Lang::Id);
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::Id);
        assert_eq!(Lang::from_accept_language(""), Lang::Id);
        assert_eq!(Lang::from_accept_language("de, en;q=0.1"), Lang::En);
    }
}
