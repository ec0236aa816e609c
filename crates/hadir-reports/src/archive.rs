//! A person's copy of their data (UU PDP Ps 7, Ps 13): named files — JSON that a program reads,
//! the same records as CSV that a spreadsheet opens, their photos and documents — in one ZIP.

use crate::ReportError;
use serde_json::Value;
use std::io::Write;

/// The files, in the order given, deflated into one ZIP.
pub fn zip_files(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ReportError> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        out.start_file(name.as_str(), options).map_err(|e| ReportError::Archive(e.to_string()))?;
        out.write_all(bytes).map_err(|e| ReportError::Archive(e.to_string()))?;
    }
    Ok(out.finish().map_err(|e| ReportError::Archive(e.to_string()))?.into_inner())
}

/// Records (JSON objects) as CSV: one column per field, in the order fields first appear;
/// nested values as their JSON text. RFC 4180 quoting; a cell that a spreadsheet would run as a
/// formula is prefixed with an apostrophe.
pub fn csv_of(records: &[Value]) -> String {
    let mut columns: Vec<&str> = Vec::new();
    for record in records {
        if let Value::Object(fields) = record {
            for key in fields.keys() {
                if !columns.contains(&key.as_str()) {
                    columns.push(key);
                }
            }
        }
    }
    let mut out = columns.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for record in records {
        let line: Vec<String> = columns
            .iter()
            .map(|c| match record.get(*c) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => cell(s),
                Some(other) => cell(&other.to_string()),
            })
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_become_columns_in_the_order_they_appear() {
        let rows = [json!({ "a": 1, "b": "x,y" }), json!({ "b": "say \"hi\"", "c": [1, 2], "a": null })];
        assert_eq!(csv_of(&rows), "a,b,c\n1,\"x,y\",\n,\"say \"\"hi\"\"\",\"[1,2]\"\n");
        assert_eq!(csv_of(&[]), "\n");
    }

    #[test]
    fn a_cell_is_never_a_formula_but_a_negative_number_stays_one() {
        let rows = [json!({ "v": "=HYPERLINK(\"x\")" }), json!({ "v": "-3.82" }), json!({ "v": -3.82 })];
        assert_eq!(csv_of(&rows), "v\n\"'=HYPERLINK(\"\"x\"\")\"\n-3.82\n-3.82\n");
    }

    #[test]
    fn the_archive_opens_with_every_file_as_written() {
        let files = vec![("a/data.json".to_string(), b"{}".to_vec()), ("b.csv".to_string(), b"x\n1\n".to_vec())];
        let bytes = zip_files(&files).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("b.csv").unwrap(), &mut text).unwrap();
        assert_eq!(text, "x\n1\n");
    }
}
