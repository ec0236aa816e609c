//! Files people download: the monthly attendance recap as a spreadsheet and as a PDF, each with
//! the institution's name, the period, the unit, when it was made, and (PDF) page numbers; and a
//! person's copy of their data as a ZIP. The caller supplies the texts in the reader's language;
//! nothing here reads a database.

mod archive;
mod letter;
mod pdf;
mod xlsx;

pub use archive::{csv_of, zip_files};
pub use letter::letter_pdf;
pub use pdf::recap_pdf;
pub use xlsx::recap_xlsx;

use serde::{Deserialize, Serialize};

/// One person's month.
#[derive(Clone, Debug, Serialize)]
pub struct RecapLine {
    pub employee_number: String,
    pub full_name: String,
    pub unit: String,
    pub present_days: u32,
    /// TL1–TL4.
    pub late: [u32; 4],
    /// PSW1–PSW4.
    pub early: [u32; 4],
    pub absent_days: u32,
    pub leave_days: u32,
    /// The month's TPP deduction in basis points (hundredths of a percent), after the cap.
    pub deduction_bp: u32,
}

/// The words of a report, in the reader's language (kept with a queued export, hence Deserialize).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecapTexts {
    pub title: String,
    pub period_label: String,
    pub unit_label: String,
    pub generated_label: String,
    pub page_label: String,
    /// Column headings, in the order of [`RecapLine`]'s fields (TL and PSW as four columns each).
    pub number: String,
    pub name: String,
    pub unit: String,
    pub present: String,
    pub absent: String,
    pub leave: String,
    pub deduction: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RecapReport {
    pub institution: String,
    /// e.g. "November 2026".
    pub period: String,
    /// The unit filtered on, or the words for "all units".
    pub unit: String,
    /// When the report was made, as the reader reads time (e.g. "23-11-2026 09:15 WIB").
    pub generated_at: String,
    pub texts: RecapTexts,
    pub lines: Vec<RecapLine>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("ZIP: {0}")]
    Archive(String),
}

#[cfg(test)]
pub(crate) fn sample(lines: usize) -> RecapReport {
    RecapReport {
        institution: "Pemerintah Provinsi Bengkulu".into(),
        period: "November 2026".into(),
        unit: "SETDA · Sekretariat Daerah".into(),
        generated_at: "23-11-2026 09:15 WIB".into(),
        texts: RecapTexts {
            title: "Rekap presensi bulanan".into(),
            period_label: "Periode".into(),
            unit_label: "Unit".into(),
            generated_label: "Dibuat".into(),
            page_label: "Halaman".into(),
            number: "NIP".into(),
            name: "Nama".into(),
            unit: "Unit".into(),
            present: "Hadir".into(),
            absent: "TK".into(),
            leave: "Cuti".into(),
            deduction: "Potongan".into(),
        },
        lines: (0..lines)
            .map(|i| RecapLine {
                employee_number: format!("19880325201712{:04}", 2260 + i),
                full_name: format!("Pegawai {i} & <Rekan> \"#\""),
                unit: "SETDA.1".into(),
                present_days: 20,
                late: [1, 0, 0, (i % 2) as u32],
                early: [0, 1, 0, 0],
                absent_days: 1,
                leave_days: 1,
                deduction_bp: 250 + i as u32,
            })
            .collect(),
    }
}
