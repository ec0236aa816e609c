//! The recap as an A4 landscape PDF typeset by typst from `templates/recap.typ`, with the fonts
//! typst ships (embedded in the binary: no font lookup on the server, the same output anywhere).

use crate::{RecapReport, ReportError};
use std::sync::OnceLock;
use typst::foundations::{Dict, IntoValue};
use typst_as_lib::TypstEngine;

static TEMPLATE: &str = include_str!("../templates/recap.typ");

fn engine() -> &'static TypstEngine<typst_as_lib::TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<typst_as_lib::TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| TypstEngine::builder().main_file(TEMPLATE).fonts(typst_assets::fonts()).build())
}

pub fn recap_pdf(report: &RecapReport) -> Result<Vec<u8>, ReportError> {
    // The data goes in as one JSON string: names are data, never typst markup.
    let data = serde_json::to_string(report).map_err(|e| ReportError::Pdf(e.to_string()))?;
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.into_value());
    let document = engine().compile_with_input(inputs).output.map_err(|e| ReportError::Pdf(format!("{e:?}")))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_recap_is_a_pdf_of_several_pages() {
        let bytes = super::recap_pdf(&crate::sample(120)).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        // The page tree's count: 120 rows do not fit one A4 page.
        let text = String::from_utf8_lossy(&bytes);
        let count: u32 = text
            .split("/Count ")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .expect("a page tree with a count");
        assert!(count >= 3, "{count} pages");
    }
}
