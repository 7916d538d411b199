//! The words of the admins' bulk invitations from a CSV file.

pub const TITLE_IMPORT: &str = "Invite people from a file";
pub const TITLE_IMPORT_PREVIEW: &str = "Check the invitations";
pub const TITLE_IMPORT_DONE: &str = "Invitations sent";

pub const UPLOAD_TOO_LARGE: &str =
    "That file is larger than 1 MB. Split it into smaller files and upload each one.";
pub const UPLOAD_UNREADABLE: &str =
    "We could not read that upload. Choose the file again on the form and send it.";

// Why a whole file is refused.
pub const IMPORT_NO_FILE: &str = "Choose a CSV file to upload";
pub const IMPORT_EMPTY: &str =
    "The file is empty. Choose a CSV file with a header line and one line per person";
pub const IMPORT_OVER_1MB: &str = "The file is larger than 1 MB. Split it into smaller files";
pub const IMPORT_NOT_UTF8: &str = "The file is in the wrong encoding. Save it as CSV UTF-8 (in Excel: Save as, CSV UTF-8) and upload it again";
pub const IMPORT_HEADER_ONLY: &str =
    "The file has a header line but nobody in it. Add one line per person under the header";
pub const IMPORT_TOO_MANY_ROWS: &str =
    "Up to 5,000 rows are accepted in one file. Split the file and upload each part";
pub const IMPORT_UNREADABLE: &str =
    "The file is not a CSV file we can read. Save it as CSV UTF-8 and upload it again";

/// The header line names other columns than the ones we read.
pub fn import_wrong_columns(found: &str) -> String {
    format!(
        "The first line must name the columns name,email,credit_limit (credit_limit may be left out). This file's first line is: {found}"
    )
}

/// The CSV could not be read from this line on (an unclosed quote, say).
pub fn import_unreadable_at(line: u64) -> String {
    format!("{IMPORT_UNREADABLE} (the problem is on line {line})")
}

// Why one row is not invited.
pub const ROW_FORMULA: &str =
    "a cell starts with =, +, -, @ or a tab, which spreadsheets run as a formula";
pub const ROW_NAME_EMPTY: &str = "the name is empty";
pub const ROW_NAME_TOO_LONG: &str = "the name is longer than 80 characters";
pub const ROW_NAME_LINES: &str = "the name has line breaks or control characters";
pub const ROW_EMAIL_BAD: &str = "the email address is not valid";
pub const ROW_LIMIT_BAD: &str =
    "the credit limit is not a number from 0 to 1,000,000 with at most two decimals";
pub const ROW_TOO_MANY_CELLS: &str = "the line has more than three cells";

// What happens to a row.
pub const FATE_INVITE: &str = "Invite";
pub const FATE_MEMBER: &str = "Already a member";
pub const FATE_INVALID: &str = "Not invited";

/// A later line with an address seen before.
pub fn fate_duplicate(first_line: u64) -> String {
    format!("Duplicate of line {first_line}")
}

/// The preview changed between showing and confirming (a file edited, someone joined).
pub const IMPORT_CHANGED: &str = "Something changed since you checked the file (someone may have joined meanwhile). Nothing was sent: check the rows again, then confirm.";

/// A row that names no credit limit: the invitee starts with the space's default.
pub const LIMIT_DEFAULT: &str = "The space's default";
