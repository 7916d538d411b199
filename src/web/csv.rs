//! CSV downloads. Spreadsheets run a cell that starts with `=`, `+`, `-`, `@` (or a tab or
//! carriage return) as a formula, so every text cell goes through a guard that puts a quote
//! in front: a member named `=HYPERLINK(…)` stays a name in Excel and LibreOffice. Numbers
//! are written as they are, since their minus sign is wanted.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// One cell of a row.
pub enum Cell<'a> {
    /// Anything a person typed or chose: guarded.
    Text(&'a str),
    /// A number or an id the app made.
    Number(String),
}

/// A CSV file being written in memory.
pub struct CsvFile {
    out: csv::Writer<Vec<u8>>,
}

impl Default for CsvFile {
    fn default() -> Self {
        Self {
            out: csv::Writer::from_writer(Vec::new()),
        }
    }
}

impl CsvFile {
    pub fn row(&mut self, cells: &[Cell<'_>]) -> anyhow::Result<()> {
        let fields: Vec<String> = cells
            .iter()
            .map(|cell| match cell {
                Cell::Text(text) => guard(text),
                Cell::Number(n) => n.clone(),
            })
            .collect();
        self.out.write_record(&fields)?;
        Ok(())
    }

    /// A header row: every cell is text.
    pub fn header(&mut self, names: &[&str]) -> anyhow::Result<()> {
        let cells: Vec<Cell<'_>> = names.iter().map(|n| Cell::Text(n)).collect();
        self.row(&cells)
    }

    /// The file as a download named `filename` (letters, digits, `-`, `.` only).
    pub fn download(self, filename: &str) -> anyhow::Result<Response> {
        let body = self
            .out
            .into_inner()
            .map_err(|e| anyhow::anyhow!("csv: {e}"))?;
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
            .unwrap_or(HeaderValue::from_static("attachment"));
        Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            body,
        )
            .into_response())
    }
}

/// The text with a leading quote if a spreadsheet would read it as a formula, including
/// after leading spaces and in the full-width forms some locales accept.
pub fn guard(text: &str) -> String {
    const STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    if text.trim_start_matches(' ').starts_with(STARTS) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
