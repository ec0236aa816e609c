//! Purposes of processing and their lawful bases (UU PDP Ps 20(2)), and what consent means for
//! each: only purposes whose basis is consent are asked for, and each is separate (Ps 22: never
//! bundled), so a person may refuse one and keep the others.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LawfulBasis {
    Consent,
    Contract,
    LegalObligation,
    VitalInterest,
    PublicService,
    LegitimateInterest,
}

/// One purpose in an institution's register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// A stable key, e.g. `attendance`.
    pub key: String,
    pub name_id: String,
    pub name_en: String,
    pub basis: LawfulBasis,
}

impl Purpose {
    /// Whether the person is asked, and may refuse or withdraw.
    pub fn needs_consent(&self) -> bool {
        self.basis == LawfulBasis::Consent
    }
}

/// The register's key for selfies, at check-in and when registering a phone.
pub const CHECKIN_PHOTO: &str = "checkin_photo";

/// Whether a selfie may be taken and kept for this person: always, unless the institution's
/// register bases selfies on consent, when only while the person's standing decision (`granted`,
/// `None` when never decided) is a grant. Without one they check in by the kiosk's QR code, or
/// without a photo for their supervisor to confirm (DOMAIN.md §1: a non-biometric fallback for
/// anyone who withholds or withdraws consent).
pub fn photos_allowed(register: &[Purpose], granted: Option<bool>) -> bool {
    let needs_consent = register.iter().any(|p| p.key == CHECKIN_PHOTO && p.needs_consent());
    !needs_consent || granted == Some(true)
}

fn purpose(key: &str, name_id: &str, name_en: &str, basis: LawfulBasis) -> Purpose {
    Purpose { key: key.into(), name_id: name_id.into(), name_en: name_en.into(), basis }
}

/// The register a government institution starts with; each institution may change it.
pub fn default_purposes() -> Vec<Purpose> {
    vec![
        purpose("attendance", "Presensi dan rekap kehadiran", "Attendance and its recap", LawfulBasis::LegalObligation),
        purpose(
            "location_at_checkin",
            "Lokasi saat presensi (hanya saat absen)",
            "Location at check-in (at that moment only)",
            LawfulBasis::PublicService,
        ),
        purpose(
            CHECKIN_PHOTO,
            "Swafoto saat presensi dan pendaftaran ponsel",
            "Selfies at check-in and phone registration",
            LawfulBasis::PublicService,
        ),
        purpose("performance", "Penilaian kinerja", "Performance evaluation", LawfulBasis::PublicService),
        purpose(
            "biometric_matching",
            "Pencocokan wajah pada swafoto presensi",
            "Face matching of check-in selfies",
            LawfulBasis::Consent,
        ),
        purpose("announcements_email", "Pengumuman lewat e-mail", "Announcements by e-mail", LawfulBasis::Consent),
    ]
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("purpose keys must be unique lower-case words (a-z, 0-9, _) and names non-empty")]
pub struct PurposeError;

impl crate::Explain for PurposeError {
    fn code(&self) -> &'static str {
        "purposes_invalid"
    }
    fn message(&self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::En => self.to_string(),
            crate::Lang::Id => "Kunci tujuan harus unik (a-z, 0-9, _) dan nama tidak boleh kosong".into(),
        }
    }
}

pub fn validate(purposes: &[Purpose]) -> Result<(), PurposeError> {
    let key_ok = |k: &str| {
        !k.is_empty() && k.len() <= 40 && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let mut keys: Vec<&str> = purposes.iter().map(|p| p.key.as_str()).collect();
    keys.sort_unstable();
    let unique = keys.windows(2).all(|w| w[0] != w[1]);
    let fine = purposes.iter().all(|p| key_ok(&p.key) && !p.name_id.trim().is_empty() && !p.name_en.trim().is_empty());
    if unique && fine && !purposes.is_empty() { Ok(()) } else { Err(PurposeError) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_consent_based_purposes_are_asked_and_biometrics_is_one() {
        let asked: Vec<_> = default_purposes().into_iter().filter(Purpose::needs_consent).map(|p| p.key).collect();
        assert_eq!(asked, ["biometric_matching", "announcements_email"]);
        assert_eq!(validate(&default_purposes()), Ok(()));
    }

    #[test]
    fn selfies_need_a_grant_only_where_the_register_bases_them_on_consent() {
        let mut register = default_purposes();
        for granted in [None, Some(false), Some(true)] {
            assert!(photos_allowed(&register, granted), "public service by default");
            assert!(photos_allowed(&[], granted), "not in the register at all");
        }
        let photos = register.iter_mut().find(|p| p.key == CHECKIN_PHOTO).unwrap();
        photos.basis = LawfulBasis::Consent;
        assert!(photos_allowed(&register, Some(true)));
        assert!(!photos_allowed(&register, Some(false)), "withdrawn");
        assert!(!photos_allowed(&register, None), "never given");
    }

    #[test]
    fn registers_are_validated() {
        let mut twice = default_purposes();
        twice.push(default_purposes()[0].clone());
        assert_eq!(validate(&twice), Err(PurposeError));
        let bad = vec![purpose("Attendance!", "x", "y", LawfulBasis::Consent)];
        assert_eq!(validate(&bad), Err(PurposeError));
        assert_eq!(validate(&[]), Err(PurposeError));
    }
}
