//! Adding many people at once from a CSV file. The file is checked row by row with exactly the
//! rules of adding one person (inside a transaction, each row in its own savepoint), and the
//! report names the row, the field and the problem. Nothing is written unless the whole file is
//! clean and the caller asked for more than a dry run: a file is taken whole or not at all.

use crate::audit::{self, Entry};
use crate::people::{PersonInput, create_in};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta};
use hadir_db::entities::{person, unit};
use hadir_domain::person::{EmploymentType, Religion};
use hadir_domain::{Explain, Lang};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The columns, in any order; the first three are required, the rest may be left out or empty.
pub const COLUMNS: [&str; 10] = [
    "employee_number",
    "employment_type",
    "full_name",
    "nik",
    "email",
    "phone",
    "unit_code",
    "position",
    "supervisor_number",
    "religion",
];

/// More rows than this are refused whole: split the file.
pub const MAX_ROWS: usize = 5_000;

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportProblem {
    /// The line in the file (the header is line 1).
    pub row: usize,
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Data rows in the file.
    pub rows: usize,
    /// People written (0 for a dry run or a file with problems).
    pub created: usize,
    pub problems: Vec<ImportProblem>,
}

#[derive(Clone, Copy)]
enum ImportRule {
    NotCsv,
    MissingColumn,
    UnknownColumn,
    TooManyRows,
    Empty,
    EmploymentType,
    UnknownUnit,
    UnknownSupervisor,
    Religion,
    ReligionNotAllowed,
}

impl Explain for ImportRule {
    fn code(&self) -> &'static str {
        match self {
            ImportRule::NotCsv => "import_not_csv",
            ImportRule::MissingColumn => "import_missing_column",
            ImportRule::UnknownColumn => "import_unknown_column",
            ImportRule::TooManyRows => "import_too_many_rows",
            ImportRule::Empty => "import_empty",
            ImportRule::EmploymentType => "employment_type_unknown",
            ImportRule::UnknownUnit => "unknown_unit",
            ImportRule::UnknownSupervisor => "unknown_supervisor",
            ImportRule::Religion => "religion_unknown",
            ImportRule::ReligionNotAllowed => "religion_not_allowed",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (id, en) = match self {
            ImportRule::NotCsv => ("Berkas bukan CSV UTF-8 yang sah", "The file is not valid UTF-8 CSV"),
            ImportRule::MissingColumn => (
                "Kolom wajib tidak ada: employee_number, employment_type, full_name",
                "A required column is missing: employee_number, employment_type, full_name",
            ),
            ImportRule::UnknownColumn => ("Kolom tidak dikenal", "Unknown column"),
            ImportRule::TooManyRows => ("Paling banyak 5.000 baris per berkas", "At most 5,000 rows per file"),
            ImportRule::Empty => ("Berkas tidak memuat baris data", "The file holds no data row"),
            ImportRule::EmploymentType => {
                ("Jenis kepegawaian: asn, pppk, non_asn atau student", "Employment type: asn, pppk, non_asn or student")
            }
            ImportRule::UnknownUnit => ("Kode unit tidak dikenal", "Unknown unit code"),
            ImportRule::UnknownSupervisor => (
                "Atasan tidak ditemukan (NIP yang sudah ada atau di baris sebelumnya)",
                "Supervisor not found (an existing number or one on an earlier row)",
            ),
            ImportRule::Religion => (
                "Agama tidak dikenal: islam, kristen, katolik, hindu, buddha, khonghucu atau kepercayaan",
                "Unknown religion: islam, kristen, katolik, hindu, buddha, khonghucu or kepercayaan",
            ),
            ImportRule::ReligionNotAllowed => (
                "Hanya admin instansi yang mencatat agama: kosongkan kolom ini",
                "Only institution administrators record religion: leave this column empty",
            ),
        };
        match lang {
            Lang::Id => id.into(),
            Lang::En => en.into(),
        }
    }
}

/// The file's column for a field of a person, so the report names what the user can fix.
fn column_of(field: &str) -> &str {
    match field {
        "unit_id" => "unit_code",
        "supervisor_id" => "supervisor_number",
        other => other,
    }
}

fn problem(row: usize, field: &str, error: &dyn Explain, lang: Lang) -> ImportProblem {
    ImportProblem { row, field: field.into(), code: error.code().into(), message: error.message(lang) }
}

/// A file whose shape was checked: its columns and its data rows.
struct Parsed {
    headers: Vec<String>,
    records: Vec<csv::StringRecord>,
}

/// The file's shape: CSV, known columns with the required ones, 1 to [`MAX_ROWS`] rows. Cheap,
/// so a file that cannot be imported is refused before anything is queued.
fn parse(csv_bytes: &[u8]) -> Result<Parsed, AppError> {
    let refuse = |rule: ImportRule, field: &str| AppError::Invalid(vec![FieldProblem::new(field, &rule)]);
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(csv_bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| refuse(ImportRule::NotCsv, "file"))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    if let Some(unknown) = headers.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(refuse(ImportRule::UnknownColumn, unknown));
    }
    if COLUMNS[..3].iter().any(|c| !headers.iter().any(|h| h == c)) {
        return Err(refuse(ImportRule::MissingColumn, "file"));
    }
    let mut records = Vec::new();
    for record in reader.records() {
        records.push(record.map_err(|_| refuse(ImportRule::NotCsv, "file"))?);
        if records.len() > MAX_ROWS {
            return Err(refuse(ImportRule::TooManyRows, "file"));
        }
    }
    if records.is_empty() {
        return Err(refuse(ImportRule::Empty, "file"));
    }
    Ok(Parsed { headers, records })
}

/// Checks (`dry_run`) or imports a CSV of people, in the request. Administrators only; units and
/// supervisors must be within their scope, as when adding one person.
pub async fn import(
    app: &App,
    principal: &Principal,
    csv_bytes: &[u8],
    dry_run: bool,
    lang: Lang,
    meta: &RequestMeta,
) -> Result<ImportReport, AppError> {
    if !principal.is_admin() {
        return Err(AppError::Forbidden);
    }
    check_and_write(app, principal, parse(csv_bytes)?, dry_run, lang, meta, None).await
}

/// Above this many rows, the pages check and import a file in the background with its progress
/// shown, rather than in the request.
pub const BACKGROUND_ABOVE_ROWS: usize = 500;

/// How many data rows a file has (0 when it cannot be read: the import will say why).
pub fn row_count(csv_bytes: &[u8]) -> usize {
    parse(csv_bytes).map(|p| p.records.len()).unwrap_or(0)
}

/// A file waiting in the object store to be checked or imported by a job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QueuedImport {
    pub upload_key: String,
    pub dry_run: bool,
    pub lang: Lang,
}

/// Queues a check or an import of a CSV file: its shape is checked now (a file that cannot be
/// imported is refused at once), its rows by the job, whose report is then downloadable.
pub async fn queue(
    app: &App,
    principal: &Principal,
    csv_bytes: Vec<u8>,
    dry_run: bool,
    lang: Lang,
    meta: &RequestMeta,
) -> Result<crate::downloads::Download, AppError> {
    if !principal.is_admin() {
        return Err(AppError::Forbidden);
    }
    parse(&csv_bytes)?;
    let upload_key = format!("uploads/{}/{}.csv", principal.institution_id, crate::new_id());
    app.objects.put(&upload_key, csv_bytes).await.map_err(|e| AppError::Internal(format!("object store: {e}")))?;
    let job = crate::jobs::Job::PeopleImport(QueuedImport { upload_key, dry_run, lang });
    crate::downloads::queue(app, principal, &job, meta).await
}

/// What a queued import's job does: the file, checked row by row with progress, then written
/// or not.
pub(crate) async fn run_queued(
    app: &App,
    principal: &Principal,
    queued: &QueuedImport,
    progress: &crate::jobs::Progress,
) -> Result<ImportReport, AppError> {
    let bytes =
        app.objects.get(&queued.upload_key).await.map_err(|e| AppError::Internal(format!("object store: {e}")))?;
    let parsed = parse(&bytes)?;
    let meta = RequestMeta::default();
    check_and_write(app, principal, parsed, queued.dry_run, queued.lang, &meta, Some(progress)).await
}

/// The rows, each with exactly the rules of adding one person; written only when every row is
/// clean and more than a dry run was asked for.
async fn check_and_write(
    app: &App,
    principal: &Principal,
    parsed: Parsed,
    dry_run: bool,
    lang: Lang,
    meta: &RequestMeta,
    progress: Option<&crate::jobs::Progress>,
) -> Result<ImportReport, AppError> {
    let Parsed { headers, records } = parsed;
    let total = records.len() as i64;
    let inst = &principal.institution_id;
    let units: HashMap<String, String> = unit::Entity::find()
        .filter(unit::Column::InstitutionId.eq(inst))
        .all(&app.db)
        .await?
        .into_iter()
        .map(|u| (u.code, u.id))
        .collect();
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let mut added: HashMap<String, String> = HashMap::new();
    let mut problems = Vec::new();
    for (i, record) in records.iter().enumerate() {
        if let Some(p) = progress {
            p.count("checking", i as i64, total).await;
        }
        let row = i + 2;
        let field =
            |name: &str| headers.iter().position(|h| h == name).and_then(|p| record.get(p)).filter(|v| !v.is_empty());
        let before = problems.len();
        let employment_type = EmploymentType::parse(field("employment_type").unwrap_or(""));
        if employment_type.is_none() {
            problems.push(problem(row, "employment_type", &ImportRule::EmploymentType, lang));
        }
        let unit_id = match field("unit_code") {
            Some(code) => {
                let found = units.get(code).cloned();
                if found.is_none() {
                    problems.push(problem(row, "unit_code", &ImportRule::UnknownUnit, lang));
                }
                found
            }
            None => None,
        };
        let supervisor_id = match field("supervisor_number") {
            Some(number) => {
                let found = match added.get(number) {
                    Some(id) => Some(id.clone()),
                    None => person::Entity::find()
                        .filter(person::Column::InstitutionId.eq(inst))
                        .filter(person::Column::EmployeeNumber.eq(number))
                        .one(&txn)
                        .await?
                        .map(|p| p.id),
                };
                if found.is_none() {
                    problems.push(problem(row, "supervisor_number", &ImportRule::UnknownSupervisor, lang));
                }
                found
            }
            None => None,
        };
        let religion = match field("religion") {
            Some(_) if !principal.is_institution_admin() => {
                problems.push(problem(row, "religion", &ImportRule::ReligionNotAllowed, lang));
                None
            }
            Some(text) => {
                let parsed = Religion::parse(text);
                if parsed.is_none() {
                    problems.push(problem(row, "religion", &ImportRule::Religion, lang));
                }
                parsed
            }
            None => None,
        };
        let Some(employment_type) = employment_type.filter(|_| problems.len() == before) else { continue };
        let input = PersonInput {
            religion,
            employee_number: field("employee_number").unwrap_or("").into(),
            employment_type,
            full_name: field("full_name").unwrap_or("").into(),
            nik: field("nik").map(Into::into),
            email: field("email").map(Into::into),
            phone: field("phone").map(Into::into),
            unit_id,
            position: field("position").map(Into::into),
            supervisor_id,
        };
        // Each row in its own savepoint: a refused row leaves the others' checks intact.
        let savepoint = txn.begin().await?;
        match create_in(app, &savepoint, now_ms, principal, input, meta).await {
            Ok((model, _warnings)) => {
                savepoint.commit().await?;
                added.insert(model.employee_number, model.id);
            }
            Err(AppError::Invalid(fields)) => {
                savepoint.rollback().await?;
                problems.extend(fields.iter().map(|f| ImportProblem {
                    row,
                    field: column_of(&f.field).into(),
                    code: f.code.clone(),
                    message: f.message(lang).into(),
                }));
            }
            Err(e @ AppError::Conflict { field, .. }) => {
                savepoint.rollback().await?;
                problems.push(problem(row, field, &e, lang));
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(p) = progress {
        p.count("checking", total, total).await;
    }
    let created = if dry_run || !problems.is_empty() {
        txn.rollback().await?;
        0
    } else {
        if let Some(p) = progress {
            p.count("importing", total, total).await;
        }
        audit::record(
            &txn,
            now_ms,
            meta,
            Entry::by(principal, "people.import", "person", None).with(serde_json::json!({ "created": added.len() })),
        )
        .await?;
        txn.commit().await?;
        added.len()
    };
    Ok(ImportReport { dry_run, rows: records.len(), created, problems })
}
