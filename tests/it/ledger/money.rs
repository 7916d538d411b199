//! Amounts as members type them and as pages show them.

use swapdesk::ledger::money::{AmountError, format_amount, parse_amount};

#[test]
fn amounts_parse_into_hundredths() {
    assert_eq!(parse_amount("1.5"), Ok(150));
    assert_eq!(parse_amount("1,5"), Ok(150));
    assert_eq!(parse_amount(" 2 "), Ok(200));
    assert_eq!(parse_amount("0.05"), Ok(5));
    assert_eq!(parse_amount(".5"), Ok(50));
    assert_eq!(parse_amount("1000000"), Ok(100_000_000));
}

#[test]
fn an_amount_that_is_not_a_positive_number_of_hundredths_is_refused_with_its_reason() {
    assert_eq!(parse_amount(""), Err(AmountError::Empty));
    assert_eq!(parse_amount("-1"), Err(AmountError::Negative));
    assert_eq!(parse_amount("0"), Err(AmountError::Zero));
    assert_eq!(parse_amount("0.00"), Err(AmountError::Zero));
    assert_eq!(parse_amount("1.234"), Err(AmountError::TooManyDecimals));
    assert_eq!(parse_amount("1000000.01"), Err(AmountError::TooLarge));
    assert_eq!(
        parse_amount("99999999999999999999999999"),
        Err(AmountError::TooLarge)
    );
    for bad in [
        "abc", "1e5", "1.", "1,000.50", "1.2.3", "NaN", "1 5", "½", "0x10",
    ] {
        assert_eq!(parse_amount(bad), Err(AmountError::NotANumber), "{bad}");
    }
}

#[test]
fn amounts_format_with_the_currency() {
    assert_eq!(format_amount(150, "hours"), "1.50 hours");
    assert_eq!(format_amount(-5, "hours"), "-0.05 hours");
    assert_eq!(format_amount(0, "Grind credits"), "0.00 Grind credits");
}
