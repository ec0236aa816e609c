//! Indonesian identifiers as validated newtypes (DOMAIN.md §4): parse once at the edge, then a value
//! of the type is known to satisfy every structural rule.
//!
//! Separators people type (spaces, dots, dashes) are accepted and dropped; what is kept is digits only.

mod nik;
mod nip;
mod nisn;
mod npsn;

pub use nik::{Nik, NikWarning};
pub use nip::{NiPppk, Nip};
pub use nisn::Nisn;
pub use npsn::Npsn;

use crate::explain::{Explain, Lang};
use chrono::{Datelike, NaiveDate};

/// Which identifier a rule was checking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    Nip,
    NiPppk,
    Nik,
    Nisn,
    Npsn,
}

impl IdKind {
    pub fn label(self) -> &'static str {
        match self {
            IdKind::Nip => "NIP",
            IdKind::NiPppk => "NI PPPK",
            IdKind::Nik => "NIK",
            IdKind::Nisn => "NISN",
            IdKind::Npsn => "NPSN",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// Why an identifier was rejected. Each variant is one rule of DOMAIN.md §4.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{} must have {expected} digits, found {found}", kind.label())]
    Length { kind: IdKind, expected: usize, found: usize },
    #[error("{} may contain digits only", kind.label())]
    NotDigits { kind: IdKind },
    #[error("{} holds a birth date that does not exist", kind.label())]
    BirthDate { kind: IdKind },
    #[error("NIP start-of-service month must be 01-12")]
    ServiceStartMonth,
    #[error("{} service start must be at least {MIN_AGE_AT_SERVICE_START} years after birth", kind.label())]
    ServiceStartTooEarly { kind: IdKind },
    #[error("{} sex digit must be 1 (male) or 2 (female)", kind.label())]
    SexDigit { kind: IdKind },
    #[error("{} sequence number must not be zero", kind.label())]
    Sequence { kind: IdKind },
    #[error("NIK province code is not an Indonesian province")]
    NikProvince,
    #[error("NIK birth day must be 01-31 (men) or 41-71 (women)")]
    NikDay,
    #[error("NIK birth month must be 01-12")]
    NikMonth,
    #[error("NISN must start with the last three digits of a plausible birth year")]
    NisnPrefix,
}

/// Nobody starts in the civil service before this age (DOMAIN.md §4: "after age 17 or so").
pub const MIN_AGE_AT_SERVICE_START: i32 = 17;

impl Explain for IdError {
    fn code(&self) -> &'static str {
        match self {
            IdError::Length { .. } => "id_length",
            IdError::NotDigits { .. } => "id_not_digits",
            IdError::BirthDate { .. } => "id_birth_date",
            IdError::ServiceStartMonth => "nip_service_month",
            IdError::ServiceStartTooEarly { .. } => "id_service_start_too_early",
            IdError::SexDigit { .. } => "id_sex_digit",
            IdError::Sequence { .. } => "id_sequence_zero",
            IdError::NikProvince => "nik_province",
            IdError::NikDay => "nik_day",
            IdError::NikMonth => "nik_month",
            IdError::NisnPrefix => "nisn_prefix",
        }
    }

    fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            IdError::Length { kind, expected, found } => {
                format!("{} harus {expected} digit, ditemukan {found}", kind.label())
            }
            IdError::NotDigits { kind } => format!("{} hanya boleh berisi angka", kind.label()),
            IdError::BirthDate { kind } => {
                format!("{} memuat tanggal lahir yang tidak ada", kind.label())
            }
            IdError::ServiceStartMonth => "Bulan TMT pada NIP harus 01-12".into(),
            IdError::ServiceStartTooEarly { kind } => {
                format!("TMT pada {} harus sedikitnya {MIN_AGE_AT_SERVICE_START} tahun setelah lahir", kind.label())
            }
            IdError::SexDigit { kind } => {
                format!("Digit jenis kelamin pada {} harus 1 (laki-laki) atau 2 (perempuan)", kind.label())
            }
            IdError::Sequence { kind } => {
                format!("Nomor urut pada {} tidak boleh nol", kind.label())
            }
            IdError::NikProvince => "Kode provinsi pada NIK bukan provinsi Indonesia".into(),
            IdError::NikDay => "Tanggal lahir pada NIK harus 01-31 (laki-laki) atau 41-71 (perempuan)".into(),
            IdError::NikMonth => "Bulan lahir pada NIK harus 01-12".into(),
            IdError::NisnPrefix => "Tiga digit awal NISN harus tiga digit akhir tahun lahir yang wajar".into(),
        }
    }
}

/// Drops the separators people type and checks that exactly `len` digits remain.
fn normalise_digits(input: &str, len: usize, kind: IdKind) -> Result<String, IdError> {
    let kept: String = input.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '\t')).collect();
    if !kept.chars().all(|c| c.is_ascii_digit()) {
        return Err(IdError::NotDigits { kind });
    }
    if kept.len() != len {
        return Err(IdError::Length { kind, expected: len, found: kept.len() });
    }
    Ok(kept)
}

/// The number written by `digits[range]`; callers have already checked they are ASCII digits.
fn number(digits: &str, range: std::ops::Range<usize>) -> u32 {
    digits[range].bytes().fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
}

fn birth_date(digits: &str, kind: IdKind) -> Result<NaiveDate, IdError> {
    let (year, month, day) = (number(digits, 0..4), number(digits, 4..6), number(digits, 6..8));
    NaiveDate::from_ymd_opt(year as i32, month, day).filter(|d| d.year() >= 1900).ok_or(IdError::BirthDate { kind })
}

fn sex_digit(digit: u32, kind: IdKind) -> Result<Sex, IdError> {
    match digit {
        1 => Ok(Sex::Male),
        2 => Ok(Sex::Female),
        _ => Err(IdError::SexDigit { kind }),
    }
}
