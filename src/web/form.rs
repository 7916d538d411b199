//! Form bodies, read leniently so that bad input becomes a message beside its field and the
//! form comes back refilled (SPEC §8.7), never a bare rejection.
//!
//! `FormData` keeps every field as text. Bad percent-encoding or bad UTF-8 is recorded as a
//! problem on its field, and the value is kept as well as it can be read. Typed parsing and
//! limits are done by `Errors`' helpers, so every form reports them the same way.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;

use crate::messages;
use crate::web::error::AppError;
use crate::web::html::Choices;

/// Largest form body we read, in bytes.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

#[derive(Debug, Default, Clone)]
pub struct FormData {
    fields: Vec<(String, String)>,
    unreadable: Vec<String>,
}

impl FormData {
    /// Parses an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &[u8]) -> Self {
        let mut form = FormData::default();
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let mut parts = pair.splitn(2, |b| *b == b'=');
            let raw_key = parts.next().unwrap_or_default();
            let raw_value = parts.next().unwrap_or_default();
            let (key, key_ok) = decode(raw_key);
            let (value, value_ok) = decode(raw_value);
            if !(key_ok && value_ok) {
                form.unreadable.push(key.clone());
            }
            form.fields.push((key, value));
        }
        form
    }

    /// The field's text, or "" when it is missing.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated field, such as a group of checkboxes.
    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Starts validation with the encoding problems already recorded on their fields.
    pub fn errors(&self) -> Errors {
        let mut errors = Errors::default();
        for field in &self.unreadable {
            errors.add_owned(field.clone(), messages::UNREADABLE.to_owned());
        }
        errors
    }
}

/// Percent-decodes one key or value. Returns the text and whether it decoded cleanly: a
/// `%` not followed by two hex digits, bad UTF-8 or a control character is a problem to
/// report on its field, and the text is kept as well as it can be read.
fn decode(raw: &[u8]) -> (String, bool) {
    let well_formed = raw.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || raw
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    let spaced: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
    let (text, utf8) = match String::from_utf8(bytes) {
        Ok(text) => (text, true),
        Err(err) => (String::from_utf8_lossy(err.as_bytes()).into_owned(), false),
    };
    // Control characters (NUL above all: PostgreSQL refuses it in text) are not text anyone
    // typed. Only tab and line breaks survive; the rest is dropped and reported.
    let allowed = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    if text.chars().all(allowed) {
        (text, well_formed && utf8)
    } else {
        (text.chars().filter(|c| allowed(*c)).collect(), false)
    }
}

/// One line of text: line breaks and tabs become spaces, so a name or headline cannot
/// smuggle extra lines into an email or a page.
fn one_line(value: &str) -> String {
    value
        .trim()
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::UnsupportedMediaType);
        }
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        Ok(FormData::parse(&body))
    }
}

/// One message per field, in the order found. The first is what the error summary shows first.
#[derive(Debug, Default, Clone)]
pub struct Errors {
    list: Vec<(String, String)>,
}

impl Errors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.add_owned(field.to_owned(), message.into());
    }

    fn add_owned(&mut self, field: String, message: String) {
        if !self.list.iter().any(|(f, _)| *f == field) {
            self.list.push((field, message));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.list.iter().any(|(f, _)| f == field)
    }

    /// The message for a field, or "" (templates test it with `is_empty`).
    pub fn get(&self, field: &str) -> &str {
        self.list
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.list.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }

    /// One line of trimmed text that must be present and at most `max` characters. `label`
    /// names the field in a message as its form does ("Your name must be…").
    pub fn required(
        &mut self,
        form: &FormData,
        field: &str,
        label: &str,
        max: usize,
        missing: &str,
    ) -> String {
        let value = one_line(form.text(field));
        if value.is_empty() {
            self.add(field, missing);
        } else {
            self.max_len(field, label, &value, max);
        }
        value
    }

    /// One line of trimmed text that may be empty, at most `max` characters.
    pub fn optional(&mut self, form: &FormData, field: &str, label: &str, max: usize) -> String {
        let value = one_line(form.text(field));
        self.max_len(field, label, &value, max);
        value
    }

    /// Text of one or more lines (a textarea) that must be present and at most `max`
    /// characters; line breaks are kept, the ends trimmed.
    pub fn paragraph(
        &mut self,
        form: &FormData,
        field: &str,
        label: &str,
        max: usize,
        missing: &str,
    ) -> String {
        let value = form.text(field).trim().replace("\r\n", "\n");
        if value.is_empty() {
            self.add(field, missing);
        } else {
            self.max_len(field, label, &value, max);
        }
        value
    }

    fn max_len(&mut self, field: &str, label: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, messages::too_long(label, max));
        }
    }

    /// A whole number in `min..=max`; the raw text is returned for refilling the form.
    pub fn number(
        &mut self,
        form: &FormData,
        field: &str,
        label: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let raw = form.text(field).trim();
        match raw.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.add(field, messages::whole_number(label, min, max));
                None
            }
        }
    }

    /// One of a fixed set of choices.
    pub fn choice<T: Choices>(&mut self, form: &FormData, field: &str) -> Option<T> {
        let found = T::parse(form.text(field));
        if found.is_none() {
            self.add(field, T::CHOOSE);
        }
        found
    }

    /// An email address: present, short enough and plausibly shaped.
    pub fn email(&mut self, form: &FormData, field: &str) -> String {
        let value = self.required(
            form,
            field,
            messages::LABEL_EMAIL,
            254,
            messages::ENTER_EMAIL,
        );
        if !value.is_empty() && !self.has(field) && !looks_like_email(&value) {
            self.add(field, messages::EMAIL_FORMAT);
        }
        value
    }
}

/// An address mail can be sent to: one @, a dot in the domain, and whatever the mailer
/// itself accepts (so a queued message never fails on its address).
pub fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && value.parse::<lettre::Address>().is_ok()
}

/// A query string from pairs, leaving out empty values.
pub fn encode_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A date as a date field sends it, YYYY-MM-DD.
pub fn parse_date(text: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), &format).ok()
}
