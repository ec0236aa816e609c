//! The monthly recap as a file — CSV, XLSX or PDF — with its heading (institution, period, unit,
//! when it was made) in the reader's language. Small recaps are downloaded at once; any recap
//! can be prepared by a background job ([`crate::downloads`]) and fetched when it is ready.

use super::{RecapRow, recap_csv, unit_recap};
use crate::{App, AppError, Principal, institutions, units};
use hadir_domain::{Explain, Lang};
use hadir_reports::{RecapLine, RecapReport, RecapTexts};
use serde::{Deserialize, Serialize};

/// A PDF for more people than this takes longer than a request should (about 0.8 ms a row, see
/// docs/PERFORMANCE.md): it is prepared by a job instead.
pub const PDF_DIRECT_MAX_ROWS: usize = 5_000;
/// The most a prepared PDF holds (about 40 s of typesetting and 150 MB); more is refused with
/// the way out (a unit at a time, or the XLSX).
pub const PDF_JOB_MAX_ROWS: usize = 50_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Pdf,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ExportFormat::Pdf => "application/pdf",
        }
    }
}

/// What a recap file says around its rows, in the reader's language (the caller's words: the
/// web layer holds the translations).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReportWords {
    pub texts: RecapTexts,
    /// The month as read, e.g. "November 2026".
    pub period: String,
    /// What to call the whole institution when no unit is chosen.
    pub all_units: String,
}

/// A recap file to make: which month, which unit (and those below it), which format.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecapExport {
    pub month: String,
    pub unit_id: Option<String>,
    pub format: ExportFormat,
    pub words: ReportWords,
}

impl RecapExport {
    /// `rekap-2026-11.xlsx`.
    pub fn file_name(&self) -> String {
        let month = self.month.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "");
        format!("rekap-{month}.{}", self.format.extension())
    }
}

struct TooLarge(usize);

impl Explain for TooLarge {
    fn code(&self) -> &'static str {
        "export_too_large"
    }
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Id => format!("PDF paling banyak {} orang: pilih satu unit, atau unduh XLSX", self.0),
            Lang::En => format!("A PDF holds at most {} people: choose a unit, or download the XLSX", self.0),
        }
    }
}

/// Refuses a PDF longer than `max` rows, naming the filter that would shorten it.
pub fn check_pdf_size(rows: usize, max: usize) -> Result<(), AppError> {
    if rows > max { Err(AppError::field("unit_id", &TooLarge(max))) } else { Ok(()) }
}

/// One person's month as the report files show it.
pub fn report_line(r: RecapRow) -> RecapLine {
    RecapLine {
        employee_number: r.employee_number,
        full_name: r.full_name,
        unit: r.unit_code.unwrap_or_default(),
        present_days: r.totals.present_days,
        late: r.totals.late,
        early: r.totals.early,
        absent_days: r.totals.absent_days,
        leave_days: r.totals.leave_days,
        deduction_bp: r.totals.deduction.0,
    }
}

/// The rows around their heading, made now.
pub async fn report_of(
    app: &App,
    principal: &Principal,
    unit_id: Option<&str>,
    words: &ReportWords,
    rows: Vec<RecapRow>,
) -> Result<RecapReport, AppError> {
    let institution = institutions::current(app, principal).await?;
    let unit = match unit_id {
        Some(id) => units::get(app, principal, id).await.map(|u| format!("{} · {}", u.code, u.name))?,
        None => words.all_units.clone(),
    };
    let zone = institution.time_zone;
    let generated_at = format!("{} {}", zone.local(app.clock.now()).format("%d-%m-%Y %H:%M"), zone.abbreviation());
    Ok(RecapReport {
        institution: institution.name,
        period: words.period.clone(),
        unit,
        generated_at,
        texts: words.texts.clone(),
        lines: rows.into_iter().map(report_line).collect(),
    })
}

/// The recap in one format. Typesetting is CPU work: it runs beside the async threads.
pub async fn render(
    app: &App,
    principal: &Principal,
    export: &RecapExport,
    rows: Vec<RecapRow>,
) -> Result<Vec<u8>, AppError> {
    let render = match export.format {
        ExportFormat::Csv => return Ok(recap_csv(&rows).into_bytes()),
        ExportFormat::Xlsx => hadir_reports::recap_xlsx,
        ExportFormat::Pdf => hadir_reports::recap_pdf,
    };
    let report = report_of(app, principal, export.unit_id.as_deref(), &export.words, rows).await?;
    tokio::task::spawn_blocking(move || render(&report))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Computes and renders a recap, telling `progress` each step: `computing` the month, then
/// `writing` the file of that many people.
pub(crate) async fn make(
    app: &App,
    principal: &Principal,
    export: &RecapExport,
    progress: &crate::jobs::Progress,
) -> Result<Vec<u8>, AppError> {
    progress.step("computing", 0, 0).await;
    let rows = unit_recap(app, principal, &export.month, export.unit_id.as_deref()).await?;
    if export.format == ExportFormat::Pdf {
        check_pdf_size(rows.len(), PDF_JOB_MAX_ROWS)?;
    }
    let people = rows.len() as i64;
    progress.step("writing", 0, people).await;
    let bytes = render(app, principal, export, rows).await?;
    progress.step("writing", people, people).await;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_named_after_its_month_and_format_and_nothing_else() {
        let words = ReportWords {
            texts: RecapTexts {
                title: String::new(),
                period_label: String::new(),
                unit_label: String::new(),
                generated_label: String::new(),
                page_label: String::new(),
                number: String::new(),
                name: String::new(),
                unit: String::new(),
                present: String::new(),
                absent: String::new(),
                leave: String::new(),
                deduction: String::new(),
            },
            period: String::new(),
            all_units: String::new(),
        };
        let export =
            |month: &str, format| RecapExport { month: month.into(), unit_id: None, format, words: words.clone() };
        assert_eq!(export("2026-11", ExportFormat::Pdf).file_name(), "rekap-2026-11.pdf");
        assert_eq!(export("2026-11\"/../x", ExportFormat::Csv).file_name(), "rekap-2026-11x.csv");
        assert!(check_pdf_size(5_000, PDF_DIRECT_MAX_ROWS).is_ok());
        assert!(check_pdf_size(5_001, PDF_DIRECT_MAX_ROWS).is_err());
    }
}
