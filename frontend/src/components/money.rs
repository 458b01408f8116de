//! Amounts of money as people type them ("1 650.50", "R1,650.5") turned into minor units, and
//! back. Money never passes through a float: the text is split at the decimal point.

/// The number of decimals of `currency`'s minor units (2: cents in a rand), the domain's
/// ISO 4217 table. Typing and showing money both use it.
pub fn decimals(currency: &str) -> u32 {
    rxgate_domain::money::exponent(currency)
}

/// The amount typed in `text`, in `currency`'s minor units. Spaces, thousands commas and a
/// leading currency symbol or code are ignored; more decimals than the currency has, signs and
/// anything else are refused with a message for the person typing.
pub fn parse_amount(text: &str, currency: &str) -> Result<i64, String> {
    let places = decimals(currency);
    let cleaned: String = text
        .trim()
        .trim_start_matches(currency)
        .trim_start_matches('R')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    let invalid = || format!("Enter an amount such as {}.", example(places));
    if cleaned.is_empty() {
        return Err(invalid());
    }
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(invalid());
    }
    if fraction.len() > places as usize {
        return Err(format!(
            "Use at most {places} decimals, e.g. {}.",
            example(places)
        ));
    }
    let scale = 10_i64.pow(places);
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| invalid())?
    };
    let padded = format!("{fraction:0<width$}", width = places as usize);
    let fraction: i64 = if padded.is_empty() {
        0
    } else {
        padded.parse().map_err(|_| invalid())?
    };
    whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction))
        .ok_or_else(|| "That amount is too large.".to_owned())
}

fn example(places: u32) -> &'static str {
    if places == 0 { "1650" } else { "1650.00" }
}

/// `amount_minor` as it is typed back into a field: "1650.00" (no grouping, no symbol).
pub fn amount_input(amount_minor: i64, currency: &str) -> String {
    let places = decimals(currency);
    if places == 0 {
        return amount_minor.to_string();
    }
    let scale = 10_i64.pow(places);
    let sign = if amount_minor < 0 { "-" } else { "" };
    let minor = amount_minor.unsigned_abs();
    let scale = scale.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        minor / scale,
        minor % scale,
        width = places as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(parse_amount("1650", "ZAR"), Ok(165_000));
        assert_eq!(parse_amount("1 650.5", "ZAR"), Ok(165_050));
        assert_eq!(parse_amount("R1,650.05", "ZAR"), Ok(165_005));
        assert_eq!(parse_amount(".5", "ZAR"), Ok(50));
        assert_eq!(parse_amount("0", "ZAR"), Ok(0));
        assert!(parse_amount("1.005", "ZAR").is_err());
        assert!(parse_amount("-1", "ZAR").is_err());
        assert!(parse_amount("", "ZAR").is_err());
        assert!(parse_amount(".", "ZAR").is_err());
        assert!(parse_amount("abc", "ZAR").is_err());
    }

    #[test]
    fn writes_amounts_back() {
        assert_eq!(amount_input(165_005, "ZAR"), "1650.05");
        assert_eq!(amount_input(5, "ZAR"), "0.05");
        assert_eq!(amount_input(1650, "JPY"), "1650");
    }
}
