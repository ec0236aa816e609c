//! Notices as A4 PDFs (a breach notice to the people affected or to the authority, a privacy
//! notice), from the same plain Markdown the API serves: `#` headings, `-` items with an optional
//! `**label:**`, `---` rules, and paragraphs. Typeset by typst from `templates/letter.typ`.

use crate::ReportError;
use serde::Serialize;
use std::sync::OnceLock;
use typst::foundations::{Dict, IntoValue};
use typst_as_lib::TypstEngine;

static TEMPLATE: &str = include_str!("../templates/letter.typ");

#[derive(Debug, PartialEq, Eq, Serialize)]
struct Block {
    kind: &'static str,
    label: String,
    text: String,
}

#[derive(Serialize)]
struct Letter<'a> {
    title: &'a str,
    blocks: Vec<Block>,
}

/// The blocks of the Markdown the notices are written in (nothing more is needed, or read).
fn blocks(markdown: &str) -> Vec<Block> {
    let block = |kind, label: &str, text: &str| Block { kind, label: label.into(), text: text.trim().into() };
    let mut out: Vec<Block> = Vec::new();
    for line in markdown.lines().map(str::trim) {
        if line.is_empty() {
            continue;
        }
        if let Some(heading) = line.strip_prefix('#') {
            out.push(block("heading", "", heading.trim_start_matches('#')));
        } else if line == "---" {
            out.push(block("rule", "", ""));
        } else if let Some(item) = line.strip_prefix("- ") {
            match item.strip_prefix("**").and_then(|rest| rest.split_once("**")) {
                Some((label, text)) => out.push(block("item", label, text)),
                None => out.push(block("item", "", item)),
            }
        } else {
            out.push(block("paragraph", "", &line.replace("**", "")));
        }
    }
    out
}

fn engine() -> &'static TypstEngine<typst_as_lib::TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<typst_as_lib::TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| TypstEngine::builder().main_file(TEMPLATE).fonts(typst_assets::fonts()).build())
}

/// The notice as a PDF; `title` names it in the document and its footer.
pub fn letter_pdf(title: &str, markdown: &str) -> Result<Vec<u8>, ReportError> {
    let data = serde_json::to_string(&Letter { title, blocks: blocks(markdown) })
        .map_err(|e| ReportError::Pdf(e.to_string()))?;
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.into_value());
    let document = engine().compile_with_input(inputs).output.map_err(|e| ReportError::Pdf(format!("{e:?}")))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notices_markdown_becomes_blocks() {
        let md = "# Judul\n\nPembuka **penting**.\n\n- **Data:** nama, NIP\n- tanpa label\n\n---\n\n## Title";
        let kinds: Vec<_> = blocks(md).iter().map(|b| (b.kind, b.label.clone(), b.text.clone())).collect();
        assert_eq!(
            kinds,
            [
                ("heading", String::new(), "Judul".to_string()),
                ("paragraph", String::new(), "Pembuka penting.".to_string()),
                ("item", "Data:".to_string(), "nama, NIP".to_string()),
                ("item", String::new(), "tanpa label".to_string()),
                ("rule", String::new(), String::new()),
                ("heading", String::new(), "Title".to_string()),
            ]
        );
    }

    #[test]
    fn a_notice_is_a_pdf_and_markup_in_it_stays_text() {
        let bytes =
            letter_pdf("Pemberitahuan", "# Judul\n\n- **Kontak:** #set page(width: 1cm) dpo@example.go.id").unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
