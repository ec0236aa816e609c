//! The minimum strength a new password must have.

use crate::explain::{Explain, Lang};

pub const MIN_LENGTH: usize = 10;
/// Long enough that length alone makes up for a single character class.
pub const PASSPHRASE_LENGTH: usize = 16;
pub const MAX_LENGTH: usize = 128;

/// Passwords seen first in every leaked list, plus local favourites.
const COMMON: &[&str] = &[
    "password",
    "passw0rd",
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "qwerty",
    "admin",
    "administrator",
    "bismillah",
    "indonesia",
    "rahasia",
    "sayang",
    "welcome",
    "letmein",
    "iloveyou",
    "katasandi",
    "pegawai",
    "presensi",
    "absensi",
    "hadir",
];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least {MIN_LENGTH} characters")]
    TooShort,
    #[error("password must be at most {MAX_LENGTH} characters")]
    TooLong,
    #[error(
        "password needs three of: lower-case, upper-case, digits, symbols (or at least {PASSPHRASE_LENGTH} characters)"
    )]
    TooSimple,
    #[error("password must not contain your NIP, e-mail or name")]
    Personal,
    #[error("password is too common")]
    Common,
}

impl Explain for PasswordError {
    fn code(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "password_too_short",
            PasswordError::TooLong => "password_too_long",
            PasswordError::TooSimple => "password_too_simple",
            PasswordError::Personal => "password_personal",
            PasswordError::Common => "password_common",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Id => match self {
                PasswordError::TooShort => format!("Kata sandi minimal {MIN_LENGTH} karakter"),
                PasswordError::TooLong => format!("Kata sandi maksimal {MAX_LENGTH} karakter"),
                PasswordError::TooSimple => format!(
                    "Kata sandi perlu tiga dari: huruf kecil, huruf besar, angka, simbol (atau minimal {PASSPHRASE_LENGTH} karakter)"
                ),
                PasswordError::Personal => "Kata sandi tidak boleh memuat NIP, e-mail atau nama Anda".into(),
                PasswordError::Common => "Kata sandi terlalu umum".into(),
            },
        }
    }
}

/// Checks a new password. `personal` holds what an attacker would try first: the login
/// identifiers and the person's name; parts shorter than four characters are ignored.
pub fn check_password(candidate: &str, personal: &[&str]) -> Result<(), PasswordError> {
    let length = candidate.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordError::TooLong);
    }
    let lower = candidate.to_lowercase();
    let squeezed: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    if COMMON.iter().any(|c| squeezed == *c || squeezed.trim_end_matches(|ch: char| ch.is_ascii_digit()) == *c) {
        return Err(PasswordError::Common);
    }
    let personal_parts = personal
        .iter()
        .flat_map(|p| p.split(|c: char| !c.is_alphanumeric()))
        .map(str::to_lowercase)
        .filter(|p| p.chars().count() >= 4);
    for part in personal_parts {
        if lower.contains(&part) {
            return Err(PasswordError::Personal);
        }
    }
    let classes = [
        candidate.chars().any(char::is_lowercase),
        candidate.chars().any(char::is_uppercase),
        candidate.chars().any(|c| c.is_ascii_digit()),
        candidate.chars().any(|c| !c.is_alphanumeric()),
    ]
    .into_iter()
    .filter(|present| *present)
    .count();
    if classes < 3 && length < PASSPHRASE_LENGTH {
        return Err(PasswordError::TooSimple);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_table() {
        let personal = ["198503122010011002", "budi.santoso@bengkuluprov.go.id", "Budi Santoso"];
        let cases: &[(&str, Result<(), PasswordError>)] = &[
            ("Kopi-Pagi-7", Ok(())),
            ("kopi pagi di bengkulu", Ok(())),
            ("Short1!", Err(PasswordError::TooShort)),
            ("abcdefghijk", Err(PasswordError::TooSimple)),
            ("abcdefghij12", Err(PasswordError::TooSimple)),
            ("Password123", Err(PasswordError::Common)),
            ("Bismillah2026", Err(PasswordError::Common)),
            ("Budi-Kopi-2026", Err(PasswordError::Personal)),
            ("x198503122010011002X", Err(PasswordError::Personal)),
            ("Kopi-SANTOSO-1", Err(PasswordError::Personal)),
        ];
        for (candidate, expected) in cases {
            assert_eq!(check_password(candidate, &personal), *expected, "{candidate}");
        }
        assert_eq!(check_password(&"Aa1!".repeat(40), &[]), Err(PasswordError::TooLong));
    }
}
