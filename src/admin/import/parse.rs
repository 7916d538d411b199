//! Reading an uploaded CSV of people to invite: `name,email,credit_limit`, a header line
//! first, UTF-8 with or without a byte order mark. A file that cannot be read as a whole is
//! refused with its `FileProblem`; otherwise every row comes back with its own `Problem`s,
//! so the preview can say of each line why it will not be invited.

use crate::admin::limits::parse_limit;
use crate::messages;
use crate::web::form::looks_like_email;

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 5_000;
/// As long as a display name may be (the join form's limit).
const NAME_MAX: usize = 80;
const EMAIL_MAX: usize = 254;
const BOM: &str = "\u{feff}";

/// Why a whole file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    TooLarge,
    NotUtf8,
    WrongColumns(String),
    HeaderOnly,
    TooManyRows,
    Unreadable(u64),
}

impl FileProblem {
    pub fn message(&self) -> String {
        match self {
            FileProblem::Empty => messages::IMPORT_EMPTY.to_owned(),
            FileProblem::TooLarge => messages::IMPORT_OVER_1MB.to_owned(),
            FileProblem::NotUtf8 => messages::IMPORT_NOT_UTF8.to_owned(),
            FileProblem::WrongColumns(found) => messages::import_wrong_columns(found),
            FileProblem::HeaderOnly => messages::IMPORT_HEADER_ONLY.to_owned(),
            FileProblem::TooManyRows => messages::IMPORT_TOO_MANY_ROWS.to_owned(),
            FileProblem::Unreadable(line) => messages::import_unreadable_at(*line),
        }
    }
}

/// Why one row cannot be invited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Formula,
    NameEmpty,
    NameTooLong,
    NameLines,
    EmailBad,
    LimitBad,
    TooManyCells,
}

impl Problem {
    pub fn message(self) -> &'static str {
        match self {
            Problem::Formula => messages::ROW_FORMULA,
            Problem::NameEmpty => messages::ROW_NAME_EMPTY,
            Problem::NameTooLong => messages::ROW_NAME_TOO_LONG,
            Problem::NameLines => messages::ROW_NAME_LINES,
            Problem::EmailBad => messages::ROW_EMAIL_BAD,
            Problem::LimitBad => messages::ROW_LIMIT_BAD,
            Problem::TooManyCells => messages::ROW_TOO_MANY_CELLS,
        }
    }
}

/// One line of the file, as read and judged on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line of the file it starts on; the header is line 1.
    pub line: u64,
    pub name: String,
    pub email: String,
    /// The credit limit cell as written, to show it back.
    pub limit_text: String,
    /// In hundredths of a credit; None leaves the space's default limit.
    pub credit_limit: Option<i64>,
    pub problems: Vec<Problem>,
}

impl Row {
    /// The address as compared: the same mailbox whatever its letters' case.
    pub fn email_key(&self) -> String {
        self.email.to_lowercase()
    }
}

/// The file's text, without its byte order mark and with `\n` ending every line, or why
/// it cannot be read at all. Line ends are made one kind because a browser sends the copy
/// the preview carries forward with `\r\n`: the confirm step must see the same lines.
/// `max` is `MAX_FILE_BYTES` for an upload; the copy sent back may be a little longer.
pub fn text(bytes: &[u8], max: usize) -> Result<String, FileProblem> {
    if bytes.len() > max {
        return Err(FileProblem::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::NotUtf8)?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Reads every row of a file's text (`text`), each judged on its own.
pub fn rows(text: &str) -> Result<Vec<Row>, FileProblem> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => return Err(unreadable(&e)),
        None => return Err(FileProblem::Empty),
    };
    let columns: Vec<String> = header.iter().map(|c| c.trim().to_lowercase()).collect();
    if columns != ["name", "email", "credit_limit"] && columns != ["name", "email"] {
        let found: String = header
            .iter()
            .collect::<Vec<_>>()
            .join(",")
            .chars()
            .take(100)
            .collect();
        return Err(FileProblem::WrongColumns(found));
    }
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| unreadable(&e))?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileProblem::TooManyRows);
        }
        let line = record.position().map_or(0, csv::Position::line);
        let cells: Vec<&str> = record.iter().collect();
        rows.push(row(line, &cells));
    }
    if rows.is_empty() {
        return Err(FileProblem::HeaderOnly);
    }
    Ok(rows)
}

fn unreadable(error: &csv::Error) -> FileProblem {
    FileProblem::Unreadable(error.position().map_or(0, csv::Position::line))
}

/// Judges one line's cells.
fn row(line: u64, cells: &[&str]) -> Row {
    let cell = |i: usize| cells.get(i).copied().unwrap_or("");
    let (name, email, limit_text) = (cell(0).trim(), cell(1).trim(), cell(2).trim());
    let mut problems = Vec::new();
    if cells.len() > 3 {
        problems.push(Problem::TooManyCells);
    }
    if cells.iter().any(|c| is_formula(c)) {
        problems.push(Problem::Formula);
    }
    if name.is_empty() {
        problems.push(Problem::NameEmpty);
    } else if name.chars().count() > NAME_MAX {
        problems.push(Problem::NameTooLong);
    }
    if name.chars().any(char::is_control) {
        problems.push(Problem::NameLines);
    }
    if email.chars().count() > EMAIL_MAX
        || email.chars().any(|c| c.is_control() || c.is_whitespace())
        || !looks_like_email(email)
    {
        problems.push(Problem::EmailBad);
    }
    let credit_limit = match limit_text {
        "" => None,
        text => match parse_limit(text) {
            Ok(limit) if !text.starts_with('+') => Some(limit),
            _ => {
                if !problems.contains(&Problem::Formula) {
                    problems.push(Problem::LimitBad);
                }
                None
            }
        },
    };
    Row {
        line,
        name: name.to_owned(),
        email: email.to_owned(),
        limit_text: limit_text.to_owned(),
        credit_limit,
        problems,
    }
}

/// A cell a spreadsheet would run as a formula: one starting with `=`, `+`, `-` or `@`
/// (after any spaces), or with a tab or a line break.
fn is_formula(cell: &str) -> bool {
    cell.starts_with(['\t', '\r', '\n'])
        || cell
            .trim_start_matches(' ')
            .starts_with(['=', '+', '-', '@'])
}
