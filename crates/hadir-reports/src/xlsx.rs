//! The recap as an XLSX workbook: a heading block, then one row per person with numbers as
//! numbers (the deduction as a percentage), ready for a spreadsheet's own sums and filters.

use crate::{RecapReport, ReportError};
use rust_xlsxwriter::{Format, Workbook};

pub fn recap_xlsx(report: &RecapReport) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Rekap")?;
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.00%");
    let t = &report.texts;

    sheet.write_string_with_format(0, 0, &report.institution, &bold)?;
    sheet.write_string_with_format(1, 0, &t.title, &bold)?;
    for (row, (label, value)) in
        [(&t.period_label, &report.period), (&t.unit_label, &report.unit), (&t.generated_label, &report.generated_at)]
            .into_iter()
            .enumerate()
    {
        sheet.write_string(2 + row as u32, 0, label)?;
        sheet.write_string(2 + row as u32, 1, value)?;
    }

    let header_row = 6;
    let mut headers = vec![t.number.clone(), t.name.clone(), t.unit.clone(), t.present.clone()];
    headers.extend((1..=4).map(|i| format!("TL{i}")));
    headers.extend((1..=4).map(|i| format!("PSW{i}")));
    headers.extend([t.absent.clone(), t.leave.clone(), t.deduction.clone()]);
    for (col, heading) in headers.iter().enumerate() {
        sheet.write_string_with_format(header_row, col as u16, heading, &bold)?;
    }
    for (i, line) in report.lines.iter().enumerate() {
        let row = header_row + 1 + i as u32;
        // NIPs are identifiers, not numbers: 18 digits would lose precision as a number.
        sheet.write_string(row, 0, &line.employee_number)?;
        sheet.write_string(row, 1, &line.full_name)?;
        sheet.write_string(row, 2, &line.unit)?;
        let counts = [line.present_days]
            .into_iter()
            .chain(line.late)
            .chain(line.early)
            .chain([line.absent_days, line.leave_days]);
        for (j, n) in counts.enumerate() {
            sheet.write_number(row, 3 + j as u16, f64::from(n))?;
        }
        sheet.write_number_with_format(row, 14, f64::from(line.deduction_bp) / 10_000.0, &percent)?;
    }
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 32)?;
    sheet.set_freeze_panes(header_row + 1, 0)?;
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_workbook_is_a_zip_with_the_sheet() {
        let bytes = super::recap_xlsx(&crate::sample(3)).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet1.xml"));
    }
}
