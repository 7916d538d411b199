//! Amounts: integers in hundredths of a credit, never floats (SPEC §4.1). One parser and one
//! formatter, used by every page, form and export.

/// The largest amount a form may name: one million credits.
pub const MAX_AMOUNT: i64 = 100_000_000;

/// Why a typed amount is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    Negative,
    Zero,
    TooManyDecimals,
    TooLarge,
}

impl AmountError {
    pub fn message(self) -> &'static str {
        match self {
            AmountError::Empty => "Enter an amount",
            AmountError::NotANumber => "Enter the amount as a number, like 1.5 or 2.25",
            AmountError::Negative => "Enter an amount above zero",
            AmountError::Zero => "Enter an amount above zero",
            AmountError::TooManyDecimals => "Use at most two decimal places, like 1.25",
            AmountError::TooLarge => "Enter an amount of at most 1,000,000",
        }
    }
}

/// Parses "1.5" into 150. Accepts digits with an optional point or comma and up to two
/// decimals; refuses signs, exponents, thousands separators, zero and huge numbers.
pub fn parse_amount(text: &str) -> Result<i64, AmountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    if text.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    let (whole, fraction) = match text.split_once(['.', ',']) {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || (text.contains(['.', ',']) && fraction.is_empty())
    {
        return Err(AmountError::NotANumber);
    }
    if fraction.len() > 2 {
        return Err(AmountError::TooManyDecimals);
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 7 {
        return Err(AmountError::TooLarge);
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| AmountError::TooLarge)?
    };
    let cents: i64 = match fraction.len() {
        0 => 0,
        1 => {
            fraction
                .parse::<i64>()
                .map_err(|_| AmountError::NotANumber)?
                * 10
        }
        _ => fraction.parse().map_err(|_| AmountError::NotANumber)?,
    };
    let amount = whole * 100 + cents;
    if amount == 0 {
        return Err(AmountError::Zero);
    }
    if amount > MAX_AMOUNT {
        return Err(AmountError::TooLarge);
    }
    Ok(amount)
}

/// 150 -> "1.50"; -5 -> "-0.05".
pub fn format_number(amount: i64) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// 150 with "hours" -> "1.50 hours". Amounts are always shown with the currency's name.
pub fn format_amount(amount: i64, currency: &str) -> String {
    format!("{} {currency}", format_number(amount))
}
