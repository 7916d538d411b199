//! Page structs of the CSV import: the upload form, the preview and the report.

use askama::Template;

use crate::admin::import::service::{Counts, Judged, Preview};
use crate::web::form::Errors;
use crate::web::html::Layout;

/// The upload form; a refused file comes back here with why.
#[derive(Template)]
#[template(path = "admin/import.html")]
pub struct ImportPage {
    pub layout: Layout,
    pub slug: String,
    pub days: i64,
    pub errors: Errors,
}

/// Every row's fate before anything is written, with the file carried forward to confirm.
#[derive(Template)]
#[template(path = "admin/import_preview.html")]
pub struct PreviewPage {
    pub layout: Layout,
    pub slug: String,
    pub preview: Preview,
    pub counts: Counts,
    /// The file's text, sent back with the confirmation and read again there.
    pub csv: String,
    pub digest: String,
    /// Why the confirmation was not carried out: it found something different from the
    /// preview it came from.
    pub warning: Option<&'static str>,
}

/// What the import did.
#[derive(Template)]
#[template(path = "admin/import_done.html")]
pub struct ImportDonePage {
    pub layout: Layout,
    pub slug: String,
    pub counts: Counts,
    pub skipped: Vec<Judged>,
}
