//! What a use case can refuse, with stable codes; `hadir-web` maps each to an HTTP status.

use hadir_domain::{Explain, Lang};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;

/// One field that failed its rule, with the rule's code and both messages ready to show.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    #[serde(skip)]
    pub message_id: String,
    #[serde(skip)]
    pub message_en: String,
}

impl FieldProblem {
    pub fn new(field: &str, error: &dyn Explain) -> FieldProblem {
        FieldProblem {
            field: field.to_string(),
            code: error.code().to_string(),
            message_id: error.message(Lang::Id),
            message_en: error.message(Lang::En),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Id => &self.message_id,
            Lang::En => &self.message_en,
        }
    }
}

/// A rule a use case checks itself (the domain's field rules carry their own errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    UnknownUnit,
    UnknownLocation,
    UnknownSchedule,
    UnknownParent,
    UnknownSupervisor,
    /// A person named by NIP or e-mail who is not in the institution.
    UnknownPerson,
    UnitParentCycle,
    UnitCodeFormat,
    UnitRequired,
    UnitNotAllowed,
    SlugFormat,
    OldPasswordWrong,
    ReviewPeriod,
    /// A value a form offers as a list of choices, sent as something else.
    UnknownChoice,
    /// A form field that must hold a number (a coordinate, a radius).
    NotANumber,
    /// An inactive unit takes no new people, sub-units or locations.
    UnitInactive,
    /// A unit with active people or active sub-units cannot be deactivated.
    UnitNotEmpty,
    /// A form field that must hold a time of day.
    NotATime,
    /// A form field that must hold a date.
    NotADate,
}

impl Explain for Rule {
    fn code(&self) -> &'static str {
        match self {
            Rule::UnknownUnit => "unknown_unit",
            Rule::UnknownLocation => "unknown_location",
            Rule::UnknownSchedule => "unknown_schedule",
            Rule::UnknownParent => "unknown_parent",
            Rule::UnknownSupervisor => "unknown_supervisor",
            Rule::UnknownPerson => "unknown_person",
            Rule::UnitParentCycle => "unit_parent_cycle",
            Rule::UnitCodeFormat => "unit_code_format",
            Rule::UnitRequired => "unit_required",
            Rule::UnitNotAllowed => "unit_not_allowed",
            Rule::SlugFormat => "slug_format",
            Rule::OldPasswordWrong => "old_password_wrong",
            Rule::ReviewPeriod => "review_days_range",
            Rule::UnknownChoice => "unknown_choice",
            Rule::NotANumber => "not_a_number",
            Rule::UnitInactive => "unit_inactive",
            Rule::UnitNotEmpty => "unit_not_empty",
            Rule::NotATime => "not_a_time",
            Rule::NotADate => "not_a_date",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (id, en) = match self {
            Rule::ReviewPeriod => ("Masa tinjau paling lama 90 hari", "The review period is at most 90 days"),
            Rule::UnknownUnit => {
                ("Unit tidak ditemukan atau di luar wewenang Anda", "Unit not found or outside your scope")
            }
            Rule::UnknownLocation => {
                ("Lokasi kerja tidak ditemukan di instansi ini", "Work location not found in this institution")
            }
            Rule::UnknownSchedule => {
                ("Jadwal tidak ditemukan di instansi ini", "Schedule not found in this institution")
            }
            Rule::UnknownParent => {
                ("Unit induk tidak ditemukan atau di luar wewenang Anda", "Parent unit not found or outside your scope")
            }
            Rule::UnknownSupervisor => {
                ("Atasan tidak ditemukan di instansi ini", "Supervisor not found in this institution")
            }
            Rule::UnknownPerson => ("Pegawai tidak ditemukan di instansi ini", "No such person in this institution"),
            Rule::UnitParentCycle => {
                ("Unit tidak boleh berada di bawah dirinya sendiri", "A unit cannot sit below itself")
            }
            Rule::UnitCodeFormat => (
                "Kode unit 1-30 karakter: huruf, angka, '.', '-', '_'",
                "Unit code is 1-30 characters: letters, digits, '.', '-', '_'",
            ),
            Rule::UnitRequired => ("Peran ini memerlukan unit", "This role needs a unit"),
            Rule::UnitNotAllowed => ("Peran ini tidak dibatasi unit", "This role is not limited to a unit"),
            Rule::SlugFormat => (
                "Slug 3-50 karakter: huruf kecil, angka dan tanda '-'",
                "Slug is 3-50 characters: lower-case letters, digits and '-'",
            ),
            Rule::OldPasswordWrong => ("Kata sandi lama salah", "The old password is wrong"),
            Rule::UnknownChoice => ("Pilih salah satu pilihan yang tersedia", "Pick one of the choices offered"),
            Rule::NotANumber => ("Isi dengan angka, mis. -6.1754", "Enter a number, e.g. -6.1754"),
            Rule::UnitInactive => {
                ("Unit ini sudah nonaktif; pilih unit yang aktif", "This unit is inactive; choose an active one")
            }
            Rule::UnitNotEmpty => (
                "Unit masih berisi pegawai aktif atau sub-unit aktif: pindahkan atau nonaktifkan dulu",
                "The unit still has active people or active sub-units: move or deactivate them first",
            ),
            Rule::NotATime => ("Isi jam sebagai JJ:MM, mis. 07:30", "Enter a time as HH:MM, e.g. 07:30"),
            Rule::NotADate => {
                ("Isi tanggal sebagai TTTT-BB-HH, mis. 2026-03-18", "Enter a date as YYYY-MM-DD, e.g. 2026-03-18")
            }
        };
        match lang {
            Lang::Id => id.into(),
            Lang::En => en.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong login or password")]
    InvalidCredentials,
    #[error("too many failed logins; try again in {minutes} minutes")]
    Throttled { minutes: i64 },
    #[error("the login matches accounts in several institutions")]
    InstitutionRequired,
    #[error("not allowed")]
    Forbidden,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("invalid input")]
    Invalid(Vec<FieldProblem>),
    #[error("conflict on {field}")]
    Conflict { code: &'static str, field: &'static str },
    /// A business rule refused the request as the data stands (e.g. a second check-in today).
    #[error("{message_en}")]
    Refused { code: &'static str, message_id: String, message_en: String },
    #[error("database: {0}")]
    Database(#[from] DbErr),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// A single invalid field.
    pub fn field(field: &str, error: &dyn Explain) -> AppError {
        AppError::Invalid(vec![FieldProblem::new(field, error)])
    }

    /// Turns a unique-constraint race into the same conflict a pre-check would have reported.
    pub(crate) fn unique_or(err: DbErr, code: &'static str, field: &'static str) -> AppError {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict { code, field },
            _ => AppError::Database(err),
        }
    }
}

impl Explain for AppError {
    fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "not_authenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Throttled { .. } => "login_throttled",
            AppError::InstitutionRequired => "institution_required",
            AppError::Forbidden => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Invalid(_) => "invalid_input",
            AppError::Conflict { code, .. } | AppError::Refused { code, .. } => code,
            AppError::Database(_) | AppError::Internal(_) => "internal_error",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (id, en) = match self {
            AppError::Unauthenticated => {
                ("Silakan masuk terlebih dahulu".to_string(), "Please sign in first".to_string())
            }
            AppError::InvalidCredentials => {
                ("NIP/e-mail atau kata sandi salah".into(), "Wrong NIP/e-mail or password".into())
            }
            AppError::Throttled { minutes } => (
                format!("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit"),
                format!("Too many failed sign-in attempts. Try again in {minutes} minutes"),
            ),
            AppError::InstitutionRequired => (
                "Akun ini terdaftar di beberapa instansi; pilih instansinya".into(),
                "This login exists in several institutions; choose the institution".into(),
            ),
            AppError::Forbidden => {
                ("Anda tidak berwenang melakukan ini".into(), "You are not allowed to do this".into())
            }
            AppError::NotFound(what) => (format!("Data tidak ditemukan ({what})"), format!("Not found ({what})")),
            AppError::Invalid(_) => ("Periksa kembali isian berikut".into(), "Please check these fields".into()),
            AppError::Conflict { field, .. } => {
                (format!("Nilai {field} sudah dipakai"), format!("This {field} is already in use"))
            }
            AppError::Refused { message_id, message_en, .. } => (message_id.clone(), message_en.clone()),
            AppError::Database(_) | AppError::Internal(_) => (
                "Terjadi kesalahan pada server; coba lagi".into(),
                "Something went wrong on the server; please try again".into(),
            ),
        };
        match lang {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}

/// Checks free-text fields; reports every problem at once.
pub(crate) fn checked_texts<const N: usize>(fields: [(&'static str, &str, usize); N]) -> Result<[String; N], AppError> {
    let mut problems = Vec::new();
    let checked = fields.map(|(name, value, max)| {
        hadir_domain::person::text(value, max).unwrap_or_else(|e| {
            problems.push(FieldProblem::new(name, &e));
            String::new()
        })
    });
    if problems.is_empty() { Ok(checked) } else { Err(AppError::Invalid(problems)) }
}
