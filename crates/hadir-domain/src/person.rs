//! A person's profile fields, validated: employment type decides which employee number is valid.

use crate::explain::{Explain, Lang};
use crate::identifiers::{IdError, NiPppk, Nip, Nisn, Sex};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EmploymentType {
    /// Civil servant (PNS): identified by a NIP.
    Asn,
    /// Contract civil servant: identified by a NI PPPK.
    Pppk,
    /// Honorary staff, private employees: the institution's own number.
    NonAsn,
    /// Students and santri: identified by a NISN.
    Student,
}

impl EmploymentType {
    pub const ALL: [EmploymentType; 4] =
        [EmploymentType::Asn, EmploymentType::Pppk, EmploymentType::NonAsn, EmploymentType::Student];

    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentType::Asn => "asn",
            EmploymentType::Pppk => "pppk",
            EmploymentType::NonAsn => "non_asn",
            EmploymentType::Student => "student",
        }
    }

    pub fn parse(s: &str) -> Option<EmploymentType> {
        EmploymentType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PersonStatus {
    Active,
    Inactive,
}

impl PersonStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonStatus::Active => "active",
            PersonStatus::Inactive => "inactive",
        }
    }

    pub fn parse(s: &str) -> Option<PersonStatus> {
        match s {
            "active" => Some(PersonStatus::Active),
            "inactive" => Some(PersonStatus::Inactive),
            _ => None,
        }
    }
}

/// Religion as Indonesian personnel records hold it (the six recognised religions, and belief in
/// God Almighty recognised by the Constitutional Court in 2017). Specific-purpose data under
/// UU PDP: sealed at rest, shown only to those whose purpose needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Religion {
    Islam,
    Kristen,
    Katolik,
    Hindu,
    Buddha,
    Khonghucu,
    Kepercayaan,
}

impl Religion {
    pub const ALL: [Religion; 7] = [
        Religion::Islam,
        Religion::Kristen,
        Religion::Katolik,
        Religion::Hindu,
        Religion::Buddha,
        Religion::Khonghucu,
        Religion::Kepercayaan,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Religion::Islam => "islam",
            Religion::Kristen => "kristen",
            Religion::Katolik => "katolik",
            Religion::Hindu => "hindu",
            Religion::Buddha => "buddha",
            Religion::Khonghucu => "khonghucu",
            Religion::Kepercayaan => "kepercayaan",
        }
    }

    /// The code, or a name as people write it ("Kristen Protestan", "Konghucu", "Budha").
    pub fn parse(s: &str) -> Option<Religion> {
        let s = s.trim().to_lowercase();
        let word = match s.as_str() {
            "kristen protestan" | "protestan" => "kristen",
            "katholik" => "katolik",
            "budha" => "buddha",
            "konghucu" | "kong hu cu" => "khonghucu",
            "kepercayaan terhadap tuhan yme" | "kepercayaan terhadap tuhan yang maha esa" => "kepercayaan",
            other => other,
        };
        Religion::ALL.into_iter().find(|r| r.as_str() == word)
    }
}

/// The number a person is known by at work, checked by the rule of their employment type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmployeeNumber {
    Nip(Nip),
    NiPppk(NiPppk),
    Nisn(Nisn),
    Other(String),
}

pub const MAX_OTHER_NUMBER_LEN: usize = 30;
pub const MAX_NAME_LEN: usize = 150;
pub const MAX_TEXT_LEN: usize = 200;

/// Why a profile field was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error(transparent)]
    Id(#[from] IdError),
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {0} characters")]
    TooLong(usize),
    #[error("must not contain control characters")]
    ControlCharacters,
    #[error("employee number may hold letters, digits, '.', '-' and '/' only")]
    OtherNumber,
    #[error("is not a valid e-mail address")]
    Email,
    #[error("is not a valid phone number (e.g. 0812xxxxxxxx or +62812xxxxxxxx)")]
    Phone,
}

impl Explain for FieldError {
    fn code(&self) -> &'static str {
        match self {
            FieldError::Id(e) => e.code(),
            FieldError::Empty => "field_empty",
            FieldError::TooLong(_) => "field_too_long",
            FieldError::ControlCharacters => "field_control_characters",
            FieldError::OtherNumber => "employee_number_format",
            FieldError::Email => "email_format",
            FieldError::Phone => "phone_format",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FieldError::Id(e), lang) => e.message(lang),
            (_, Lang::En) => self.to_string(),
            (FieldError::Empty, Lang::Id) => "tidak boleh kosong".into(),
            (FieldError::TooLong(n), Lang::Id) => format!("maksimal {n} karakter"),
            (FieldError::ControlCharacters, Lang::Id) => "tidak boleh memuat karakter kendali".into(),
            (FieldError::OtherNumber, Lang::Id) => {
                "nomor pegawai hanya boleh berisi huruf, angka, '.', '-' dan '/'".into()
            }
            (FieldError::Email, Lang::Id) => "bukan alamat e-mail yang sah".into(),
            (FieldError::Phone, Lang::Id) => {
                "bukan nomor telepon yang sah (mis. 0812xxxxxxxx atau +62812xxxxxxxx)".into()
            }
        }
    }
}

impl EmployeeNumber {
    pub fn parse(kind: EmploymentType, input: &str) -> Result<EmployeeNumber, FieldError> {
        Ok(match kind {
            EmploymentType::Asn => EmployeeNumber::Nip(Nip::parse(input)?),
            EmploymentType::Pppk => EmployeeNumber::NiPppk(NiPppk::parse(input)?),
            EmploymentType::Student => EmployeeNumber::Nisn(Nisn::parse(input)?),
            EmploymentType::NonAsn => {
                let trimmed = input.trim();
                if trimmed.is_empty() {
                    return Err(FieldError::Empty);
                }
                if trimmed.chars().count() > MAX_OTHER_NUMBER_LEN {
                    return Err(FieldError::TooLong(MAX_OTHER_NUMBER_LEN));
                }
                if !trimmed.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/')) {
                    return Err(FieldError::OtherNumber);
                }
                EmployeeNumber::Other(trimmed.to_string())
            }
        })
    }

    pub fn as_str(&self) -> &str {
        match self {
            EmployeeNumber::Nip(n) => n.as_str(),
            EmployeeNumber::NiPppk(n) => n.as_str(),
            EmployeeNumber::Nisn(n) => n.as_str(),
            EmployeeNumber::Other(s) => s,
        }
    }

    /// Birth date and sex, where the number encodes them (NIP and NI PPPK).
    pub fn birth_and_sex(&self) -> Option<(NaiveDate, Sex)> {
        match self {
            EmployeeNumber::Nip(n) => Some((n.birth_date(), n.sex())),
            EmployeeNumber::NiPppk(n) => Some((n.birth_date(), n.sex())),
            _ => None,
        }
    }
}

/// Trimmed free text with a length bound and no control characters (names, positions, addresses).
pub fn text(input: &str, max: usize) -> Result<String, FieldError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(FieldError::Empty);
    }
    if trimmed.chars().count() > max {
        return Err(FieldError::TooLong(max));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::ControlCharacters);
    }
    Ok(trimmed.to_string())
}

/// Like [`text`], for writing in paragraphs (a notice, a comment): line breaks and tabs are kept
/// (`\r\n` becomes `\n`); other control characters are refused.
pub fn paragraphs(input: &str, max: usize) -> Result<String, FieldError> {
    let normalised = input.replace("\r\n", "\n");
    let trimmed = normalised.trim();
    if trimmed.is_empty() {
        return Err(FieldError::Empty);
    }
    if trimmed.chars().count() > max {
        return Err(FieldError::TooLong(max));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::ControlCharacters);
    }
    Ok(trimmed.to_string())
}

/// A lower-cased e-mail address with one `@`, a non-empty local part and a dotted domain.
pub fn email(input: &str) -> Result<String, FieldError> {
    let value = text(input, MAX_TEXT_LEN)?.to_lowercase();
    let (local, domain) = value.split_once('@').ok_or(FieldError::Email)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.split('.').all(|label| !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-'));
    let local_ok = !local.is_empty() && !local.chars().any(|c| c.is_whitespace() || c == '@');
    if domain_ok && local_ok { Ok(value) } else { Err(FieldError::Email) }
}

/// An Indonesian phone number, stored as `+62…` (leading `0` replaced).
pub fn phone(input: &str) -> Result<String, FieldError> {
    let kept: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    let national = if let Some(rest) = kept.strip_prefix("+62") {
        rest
    } else if let Some(rest) = kept.strip_prefix("62") {
        rest
    } else if let Some(rest) = kept.strip_prefix('0') {
        rest
    } else {
        return Err(FieldError::Phone);
    };
    let ok = (8..=12).contains(&national.len())
        && national.chars().all(|c| c.is_ascii_digit())
        && !national.starts_with('0');
    if ok { Ok(format!("+62{national}")) } else { Err(FieldError::Phone) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn employment_type_decides_the_number_rule() {
        assert!(EmployeeNumber::parse(EmploymentType::Asn, "198503122010011002").is_ok());
        assert!(matches!(
            EmployeeNumber::parse(EmploymentType::Asn, "198705122021212001"),
            Err(FieldError::Id(IdError::ServiceStartMonth))
        ));
        assert!(EmployeeNumber::parse(EmploymentType::Pppk, "198705122021212001").is_ok());
        assert!(EmployeeNumber::parse(EmploymentType::Student, "0091234567").is_ok());
        assert_eq!(EmployeeNumber::parse(EmploymentType::NonAsn, " THL/2024/017 ").unwrap().as_str(), "THL/2024/017");
        assert_eq!(EmployeeNumber::parse(EmploymentType::NonAsn, "x'; drop table--"), Err(FieldError::OtherNumber));
    }

    #[test]
    fn religions_are_read_as_personnel_records_write_them() {
        for r in Religion::ALL {
            assert_eq!(Religion::parse(r.as_str()), Some(r));
        }
        assert_eq!(Religion::parse(" Kristen Protestan "), Some(Religion::Kristen));
        assert_eq!(Religion::parse("Konghucu"), Some(Religion::Khonghucu));
        assert_eq!(Religion::parse("Budha"), Some(Religion::Buddha));
        assert_eq!(Religion::parse("atheis"), None);
    }

    #[test]
    fn text_rules() {
        assert_eq!(text("  Siti Aminah  ", 150).unwrap(), "Siti Aminah");
        assert_eq!(text("   ", 150), Err(FieldError::Empty));
        assert_eq!(text(&"a".repeat(151), 150), Err(FieldError::TooLong(150)));
        assert_eq!(text("a\u{0}b", 150), Err(FieldError::ControlCharacters));
        assert_eq!(text("a\nb", 150), Err(FieldError::ControlCharacters), "a name is one line");
        assert_eq!(paragraphs(" Satu.\r\n\r\nDua\tTiga \n", 150).unwrap(), "Satu.\n\nDua\tTiga");
        assert_eq!(paragraphs("a\u{7}b", 150), Err(FieldError::ControlCharacters));
        assert_eq!(paragraphs("\n \n", 150), Err(FieldError::Empty));
    }

    #[test]
    fn email_rules() {
        assert_eq!(email(" Budi@BengkuluProv.go.id ").unwrap(), "budi@bengkuluprov.go.id");
        for bad in ["budi", "budi@", "@x.id", "budi@localhost", "budi@x..id", "a b@x.id"] {
            assert_eq!(email(bad), Err(FieldError::Email), "{bad}");
        }
    }

    #[test]
    fn phone_rules() {
        assert_eq!(phone("0812-3456-7890").unwrap(), "+6281234567890");
        assert_eq!(phone("+62 812 3456 789").unwrap(), "+628123456789");
        assert_eq!(phone("(0736) 21234").unwrap(), "+6273621234");
        for bad in ["12345", "0812", "+1 202 555 0100", "08123456789012345", "0812abc4567"] {
            assert_eq!(phone(bad), Err(FieldError::Phone), "{bad}");
        }
    }
}
