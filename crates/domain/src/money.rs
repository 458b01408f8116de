//! Money: ISO 4217 currencies and their minor units, the non-negative [`Money`] a price or fee is,
//! and the signed [`Amount`] that checkout, refunds and the ledger compute with.
//!
//! Every amount is an integer count of minor units (cents for ZAR); there are no floats here.
//! Arithmetic is checked and returns [`MoneyError`] instead of wrapping or panicking, and there
//! is deliberately no `std::ops::Add`: an unchecked `+` on money is how a total silently wraps.
//!
//! [`Currency::parse`] and [`Money::new`] report [`CatalogueError`] because that is the error
//! the catalogue's API has always returned for them (codes `INVALID_CURRENCY`,
//! `NEGATIVE_AMOUNT`); new operations use [`MoneyError`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::catalogue::CatalogueError;

/// Why a money operation is refused. [`MoneyError::code`] gives the stable code clients see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine an amount in {left} with one in {right}")]
    CurrencyMismatch { left: Currency, right: Currency },
    #[error("the amount is too large to represent")]
    Overflow,
    #[error("an amount of money cannot be negative (got {0} minor units)")]
    NegativeAmount(i64),
    #[error("an amount can only be split by weights that are not all zero")]
    NoWeights,
}

impl MoneyError {
    /// The stable code the API puts in problem responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::CurrencyMismatch { .. } => "CURRENCY_MISMATCH",
            Self::Overflow => "AMOUNT_OVERFLOW",
            Self::NegativeAmount(_) => "NEGATIVE_AMOUNT",
            Self::NoWeights => "NO_WEIGHTS",
        }
    }
}

/// The number of decimals of `code`'s minor unit: 2 for ZAR (cents), 0 for JPY, 3 for KWD.
///
/// Source: the ISO 4217 list of active codes ("List One", column "Minor unit"), maintained by
/// SIX for ISO. Only the codes whose minor unit is not 2 are listed; every other code, including
/// an unknown one and the codes ISO gives no minor unit ("N.A.": XAU, XDR, XXX, …), counts as 2.
/// Same signature as the SPA's `decimals`, so it can replace it.
pub fn exponent(code: &str) -> u32 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

/// An ISO 4217 currency code: exactly three ASCII capital letters (`ZAR`, `USD`). Lower case is
/// refused rather than corrected: a currency code is machine data, not something people type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

impl Currency {
    pub fn parse(raw: &str) -> Result<Self, CatalogueError> {
        if raw.len() == 3 && raw.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(CatalogueError::InvalidCurrency(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number of decimals of this currency's minor unit; see [`exponent`].
    pub fn exponent(&self) -> u32 {
        exponent(&self.0)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Currency {
    type Err = CatalogueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = CatalogueError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> Self {
        value.0
    }
}

/// An amount of money in minor units (cents for ZAR), never negative: prices and fees only.
/// Discounts and refunds are their own concepts, not negative prices; compute with [`Amount`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "MoneyRepr")]
pub struct Money {
    amount_minor: i64,
    currency: Currency,
}

/// The stored shape of [`Money`], checked on the way in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyRepr {
    amount_minor: i64,
    currency: Currency,
}

impl TryFrom<MoneyRepr> for Money {
    type Error = CatalogueError;

    fn try_from(value: MoneyRepr) -> Result<Self, Self::Error> {
        Self::new(value.amount_minor, value.currency)
    }
}

impl Money {
    pub fn new(amount_minor: i64, currency: Currency) -> Result<Self, CatalogueError> {
        if amount_minor < 0 {
            return Err(CatalogueError::NegativeAmount(amount_minor));
        }
        Ok(Self {
            amount_minor,
            currency,
        })
    }

    /// Nothing, in `currency`.
    pub fn zero(currency: Currency) -> Self {
        Self {
            amount_minor: 0,
            currency,
        }
    }

    pub fn amount_minor(&self) -> i64 {
        self.amount_minor
    }

    pub fn currency(&self) -> &Currency {
        &self.currency
    }
}

/// A signed amount of money in minor units: order totals, discounts, refunds (negative) and
/// ledger entries. Same JSON shape as [`Money`] (`{amount_minor, currency}`), sign allowed.
///
/// Every operation is checked: two currencies never mix and a result outside `i64` is
/// [`MoneyError::Overflow`], never a wrapped number or a panic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amount {
    amount_minor: i64,
    currency: Currency,
}

/// Basis points in a whole: 10 000 bp = 100 %.
const BASIS_POINTS_PER_WHOLE: i128 = 10_000;

impl Amount {
    pub fn new(amount_minor: i64, currency: Currency) -> Self {
        Self {
            amount_minor,
            currency,
        }
    }

    pub fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    pub fn amount_minor(&self) -> i64 {
        self.amount_minor
    }

    pub fn currency(&self) -> &Currency {
        &self.currency
    }

    pub fn is_negative(&self) -> bool {
        self.amount_minor < 0
    }

    pub fn is_zero(&self) -> bool {
        self.amount_minor == 0
    }

    pub fn checked_add(&self, other: &Amount) -> Result<Amount, MoneyError> {
        self.same_currency(other)?;
        self.amount_minor
            .checked_add(other.amount_minor)
            .map(|m| self.with_minor(m))
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_sub(&self, other: &Amount) -> Result<Amount, MoneyError> {
        self.same_currency(other)?;
        self.amount_minor
            .checked_sub(other.amount_minor)
            .map(|m| self.with_minor(m))
            .ok_or(MoneyError::Overflow)
    }

    /// A line total: this unit amount times `quantity`.
    pub fn checked_mul_qty(&self, quantity: u32) -> Result<Amount, MoneyError> {
        self.amount_minor
            .checked_mul(i64::from(quantity))
            .map(|m| self.with_minor(m))
            .ok_or(MoneyError::Overflow)
    }

    /// The opposite amount (a refund of a charge). Fails only for `i64::MIN` minor units, whose
    /// opposite does not fit.
    pub fn negate(&self) -> Result<Amount, MoneyError> {
        self.amount_minor
            .checked_neg()
            .map(|m| self.with_minor(m))
            .ok_or(MoneyError::Overflow)
    }

    /// `basis_points` / 10 000 of this amount (1 500 bp = 15 %; above 10 000 is more than the
    /// whole).
    ///
    /// Rounding: the exact rational `amount_minor × basis_points / 10 000` is rounded to the
    /// nearest minor unit, and an exact half goes away from zero (0.5 → 1, −0.5 → −1), so
    /// `percentage` of a refund is the negation of `percentage` of the charge. Computed in
    /// `i128`, which holds every `i64 × u32` product exactly.
    pub fn percentage(&self, basis_points: u32) -> Result<Amount, MoneyError> {
        let exact = i128::from(self.amount_minor) * i128::from(basis_points);
        let rounded = div_round_half_away_from_zero(exact, BASIS_POINTS_PER_WHOLE);
        i64::try_from(rounded)
            .map(|m| self.with_minor(m))
            .map_err(|_| MoneyError::Overflow)
    }

    /// Splits this amount into one part per weight, in proportion to the weights, so that the
    /// parts add up to exactly this amount (VAT out of a VAT-inclusive price, a payment across
    /// ledger accounts).
    ///
    /// Largest remainder: each part is first its exact share rounded towards zero; the minor
    /// units left over go one each to the parts with the largest discarded fractions, the
    /// earlier part first on a tie. So every part is within one minor unit of its exact share, a
    /// zero weight gets zero, and splitting a negative amount gives the negated parts of the
    /// positive one. Fails with [`MoneyError::NoWeights`] when the weights are empty or all
    /// zero.
    pub fn allocate(&self, weights: &[u64]) -> Result<Vec<Amount>, MoneyError> {
        let total_weight = weights
            .iter()
            .try_fold(0u128, |sum, w| sum.checked_add(u128::from(*w)))
            .ok_or(MoneyError::Overflow)?;
        if total_weight == 0 {
            return Err(MoneyError::NoWeights);
        }
        // Work on the magnitude so both signs round the same way; at most 2^63 × (2^64 − 1),
        // which fits in u128.
        let magnitude = u128::from(self.amount_minor.unsigned_abs());
        let mut parts = Vec::with_capacity(weights.len());
        let mut remainders = Vec::with_capacity(weights.len());
        let mut allotted = 0u128;
        for (index, weight) in weights.iter().enumerate() {
            let share = magnitude * u128::from(*weight);
            let floor = share / total_weight;
            allotted += floor;
            parts.push(floor);
            remainders.push((share % total_weight, index));
        }
        // Fewer minor units are left than there are parts with a non-zero remainder.
        let left_over = usize::try_from(magnitude - allotted).map_err(|_| MoneyError::Overflow)?;
        remainders.sort_by(|(ra, ia), (rb, ib)| rb.cmp(ra).then(ia.cmp(ib)));
        for (_, index) in remainders.into_iter().take(left_over) {
            if let Some(part) = parts.get_mut(index) {
                *part += 1;
            }
        }
        let negative = self.is_negative();
        parts
            .into_iter()
            .map(|part| {
                // A part is at most the magnitude, so it fits in i128 and, signed like the
                // whole, in i64.
                let part = i128::try_from(part).map_err(|_| MoneyError::Overflow)?;
                let signed = if negative { -part } else { part };
                i64::try_from(signed)
                    .map(|m| self.with_minor(m))
                    .map_err(|_| MoneyError::Overflow)
            })
            .collect()
    }

    fn same_currency(&self, other: &Amount) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency.clone(),
                right: other.currency.clone(),
            })
        }
    }

    fn with_minor(&self, amount_minor: i64) -> Amount {
        Amount::new(amount_minor, self.currency.clone())
    }
}

/// `numerator / denominator` rounded to the nearest integer, halves away from zero.
/// `denominator` must be positive.
fn div_round_half_away_from_zero(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator; // truncates towards zero
    let remainder = numerator % denominator; // same sign as the numerator
    if remainder.unsigned_abs() * 2 >= denominator.unsigned_abs() {
        quotient + numerator.signum()
    } else {
        quotient
    }
}

impl From<Money> for Amount {
    fn from(value: Money) -> Self {
        Self::new(value.amount_minor, value.currency)
    }
}

impl From<&Money> for Amount {
    fn from(value: &Money) -> Self {
        Self::new(value.amount_minor, value.currency.clone())
    }
}

/// A price again, if the amount is not negative.
impl TryFrom<Amount> for Money {
    type Error = MoneyError;

    fn try_from(value: Amount) -> Result<Self, Self::Error> {
        if value.amount_minor < 0 {
            return Err(MoneyError::NegativeAmount(value.amount_minor));
        }
        Ok(Self {
            amount_minor: value.amount_minor,
            currency: value.currency,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cur(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    fn zar(amount: i64) -> Amount {
        Amount::new(amount, cur("ZAR"))
    }

    fn minors(parts: &[Amount]) -> Vec<i64> {
        parts.iter().map(Amount::amount_minor).collect()
    }

    #[test]
    fn currency_table() {
        let cases = [
            ("ZAR", true),
            ("USD", true),
            ("zar", false),
            ("Zar", false),
            ("ZA", false),
            ("ZARR", false),
            ("", false),
            (" ZAR", false),
            ("Z1R", false),
            ("ZÄR", false),
        ];
        for (raw, ok) in cases {
            assert_eq!(Currency::parse(raw).is_ok(), ok, "{raw:?}");
        }
        assert_eq!(Currency::parse("EUR").unwrap().as_str(), "EUR");
        assert_eq!("EUR".parse::<Currency>().unwrap().to_string(), "EUR");
        let err = Currency::parse("eur").unwrap_err();
        assert_eq!(err.code(), "INVALID_CURRENCY");
        assert_eq!(
            err.to_string(),
            "`eur` is not an ISO 4217 currency code (three capital letters, such as ZAR)"
        );
    }

    #[test]
    fn exponent_table() {
        let cases = [
            ("ZAR", 2),
            ("USD", 2),
            ("EUR", 2),
            ("GBP", 2),
            ("MGA", 2),
            ("XAU", 2),
            ("QQQ", 2),
            ("", 2),
            ("jpy", 2),
            ("JPY", 0),
            ("KRW", 0),
            ("ISK", 0),
            ("CLP", 0),
            ("VND", 0),
            ("XAF", 0),
            ("XOF", 0),
            ("XPF", 0),
            ("UGX", 0),
            ("PYG", 0),
            ("RWF", 0),
            ("KMF", 0),
            ("GNF", 0),
            ("DJF", 0),
            ("BIF", 0),
            ("VUV", 0),
            ("UYI", 0),
            ("BHD", 3),
            ("IQD", 3),
            ("JOD", 3),
            ("KWD", 3),
            ("LYD", 3),
            ("OMR", 3),
            ("TND", 3),
            ("CLF", 4),
            ("UYW", 4),
        ];
        for (code, expected) in cases {
            assert_eq!(exponent(code), expected, "{code:?}");
            if let Ok(currency) = Currency::parse(code) {
                assert_eq!(currency.exponent(), expected, "{code}");
            }
        }
        // A drop-in for the SPA's `decimals: fn(&str) -> u32`.
        let decimals: fn(&str) -> u32 = exponent;
        assert_eq!(decimals("JPY"), 0);
    }

    #[test]
    fn money_is_never_negative() {
        let money = Money::new(12_50, cur("ZAR")).unwrap();
        assert_eq!(money.amount_minor(), 1250);
        assert_eq!(money.currency().as_str(), "ZAR");
        assert_eq!(Money::new(0, cur("ZAR")).unwrap().amount_minor(), 0);
        let err = Money::new(-1, cur("ZAR")).unwrap_err();
        assert_eq!(err, CatalogueError::NegativeAmount(-1));
        assert_eq!(err.code(), "NEGATIVE_AMOUNT");
        assert_eq!(
            err.to_string(),
            "an amount of money cannot be negative (got -1 minor units)"
        );
    }

    #[test]
    fn money_serde_checks_on_the_way_in() {
        let money = Money::new(9_900, cur("ZAR")).unwrap();
        let json = serde_json::to_value(&money).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "amount_minor": 9900, "currency": "ZAR" })
        );
        assert_eq!(serde_json::from_value::<Money>(json).unwrap(), money);
        for bad in [
            serde_json::json!({ "amount_minor": -5, "currency": "ZAR" }),
            serde_json::json!({ "amount_minor": 5, "currency": "zar" }),
            serde_json::json!({ "amount_minor": 5 }),
            serde_json::json!({ "amount_minor": 5, "currency": "ZAR", "x": 1 }),
        ] {
            assert!(
                serde_json::from_value::<Money>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn amount_serde_allows_a_sign_but_checks_the_currency() {
        let json = serde_json::to_value(zar(-1_250)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "amount_minor": -1250, "currency": "ZAR" })
        );
        assert_eq!(serde_json::from_value::<Amount>(json).unwrap(), zar(-1_250));
        for bad in [
            serde_json::json!({ "amount_minor": 5, "currency": "zar" }),
            serde_json::json!({ "amount_minor": 5 }),
            serde_json::json!({ "amount_minor": 5, "currency": "ZAR", "x": 1 }),
        ] {
            assert!(
                serde_json::from_value::<Amount>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn conversions_between_money_and_amount() {
        let price = Money::new(35_000, cur("ZAR")).unwrap();
        assert_eq!(Amount::from(&price), zar(35_000));
        assert_eq!(Amount::from(price.clone()), zar(35_000));
        assert_eq!(Money::try_from(zar(35_000)), Ok(price));
        assert_eq!(Money::try_from(zar(0)).unwrap().amount_minor(), 0);
        let err = Money::try_from(zar(-1)).unwrap_err();
        assert_eq!(err, MoneyError::NegativeAmount(-1));
        assert_eq!(err.code(), "NEGATIVE_AMOUNT");
    }

    #[test]
    fn arithmetic_table() {
        let (max, min) = (i64::MAX, i64::MIN);
        let add = [
            (1, 2, Ok(3)),
            (-5, 3, Ok(-2)),
            (max, 0, Ok(max)),
            (max, 1, Err(MoneyError::Overflow)),
            (min, -1, Err(MoneyError::Overflow)),
            (min, max, Ok(-1)),
        ];
        for (a, b, expected) in add {
            assert_eq!(
                zar(a).checked_add(&zar(b)).map(|s| s.amount_minor()),
                expected,
                "{a} + {b}"
            );
        }
        let sub = [
            (3, 2, Ok(1)),
            (2, 3, Ok(-1)),
            (min, 1, Err(MoneyError::Overflow)),
            (0, min, Err(MoneyError::Overflow)),
            (-1, min, Ok(max)),
        ];
        for (a, b, expected) in sub {
            assert_eq!(
                zar(a).checked_sub(&zar(b)).map(|s| s.amount_minor()),
                expected,
                "{a} - {b}"
            );
        }
        let mul = [
            (12_50, 3, Ok(37_50)),
            (-12_50, 3, Ok(-37_50)),
            (7, 0, Ok(0)),
            (max, 1, Ok(max)),
            (max, 2, Err(MoneyError::Overflow)),
            (min / 2, 2, Ok(min)),
            (min, 2, Err(MoneyError::Overflow)),
        ];
        for (a, qty, expected) in mul {
            assert_eq!(
                zar(a).checked_mul_qty(qty).map(|s| s.amount_minor()),
                expected,
                "{a} x {qty}"
            );
        }
        assert_eq!(zar(5).negate(), Ok(zar(-5)));
        assert_eq!(zar(0).negate(), Ok(zar(0)));
        assert_eq!(zar(max).negate(), Ok(zar(min + 1)));
        assert_eq!(zar(min).negate(), Err(MoneyError::Overflow));
        assert_eq!(MoneyError::Overflow.code(), "AMOUNT_OVERFLOW");
        assert!(zar(-1).is_negative() && !zar(0).is_negative() && !zar(1).is_negative());
        assert!(Amount::zero(cur("USD")).is_zero());
        assert_eq!(Amount::zero(cur("USD")).currency().as_str(), "USD");
    }

    #[test]
    fn currencies_never_mix() {
        let usd = Amount::new(1, cur("USD"));
        let expected = MoneyError::CurrencyMismatch {
            left: cur("ZAR"),
            right: cur("USD"),
        };
        assert_eq!(zar(1).checked_add(&usd), Err(expected.clone()));
        assert_eq!(zar(1).checked_sub(&usd), Err(expected.clone()));
        assert_eq!(expected.code(), "CURRENCY_MISMATCH");
        assert_eq!(
            expected.to_string(),
            "cannot combine an amount in ZAR with one in USD"
        );
    }

    #[test]
    fn percentage_table() {
        let cases: [(i64, u32, Result<i64, MoneyError>); 17] = [
            (100_000, 1_500, Ok(15_000)), // 15 % VAT on R1000
            (1_000, 10_000, Ok(1_000)),
            (1_000, 0, Ok(0)),
            (1_000, 25_000, Ok(2_500)),
            (1, 5_000, Ok(1)),   // 0.5 -> 1
            (-1, 5_000, Ok(-1)), // -0.5 -> -1
            (3, 5_000, Ok(2)),   // 1.5 -> 2
            (-3, 5_000, Ok(-2)), // -1.5 -> -2
            (1, 4_999, Ok(0)),   // 0.4999 -> 0
            (1, 5_001, Ok(1)),
            (-1, 4_999, Ok(0)),
            (99, 1_500, Ok(15)), // 14.85 -> 15
            (-99, 1_500, Ok(-15)),
            (33, 1_500, Ok(5)), // 4.95 -> 5
            (i64::MAX, 10_000, Ok(i64::MAX)),
            (i64::MIN, 10_000, Ok(i64::MIN)),
            (i64::MAX, 10_001, Err(MoneyError::Overflow)),
        ];
        for (a, bp, expected) in cases {
            assert_eq!(
                zar(a).percentage(bp).map(|p| p.amount_minor()),
                expected,
                "{bp} bp of {a}"
            );
        }
        assert_eq!(
            zar(i64::MIN).percentage(u32::MAX),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn allocate_table() {
        type Case = (i64, &'static [u64], Result<Vec<i64>, MoneyError>);
        let cases: [Case; 11] = [
            (100, &[1, 1, 1], Ok(vec![34, 33, 33])),
            (-100, &[1, 1, 1], Ok(vec![-34, -33, -33])),
            (5, &[1, 0, 1], Ok(vec![3, 0, 2])),
            (11_500, &[10_000, 1_500], Ok(vec![10_000, 1_500])), // price and VAT
            (100, &[3, 7], Ok(vec![30, 70])),
            (10, &[1, 2, 3], Ok(vec![2, 3, 5])), // 1.67, 3.33, 5: 2 goes to the .67
            (0, &[1, 2], Ok(vec![0, 0])),
            (7, &[4], Ok(vec![7])),
            (i64::MIN, &[1, 1], Ok(vec![i64::MIN / 2, i64::MIN / 2])),
            (100, &[], Err(MoneyError::NoWeights)),
            (100, &[0, 0], Err(MoneyError::NoWeights)),
        ];
        for (a, weights, expected) in cases {
            assert_eq!(
                zar(a).allocate(weights).map(|p| minors(&p)),
                expected,
                "{a} by {weights:?}"
            );
        }
        let huge = zar(i64::MAX).allocate(&[u64::MAX, 1, u64::MAX]).unwrap();
        assert_eq!(
            minors(&huge).iter().map(|m| i128::from(*m)).sum::<i128>(),
            i128::from(i64::MAX)
        );
        assert!(huge.iter().all(|p| p.currency().as_str() == "ZAR"));
        assert_eq!(MoneyError::NoWeights.code(), "NO_WEIGHTS");
    }

    fn any_amount() -> impl Strategy<Value = Amount> {
        any::<i64>().prop_map(zar)
    }

    proptest! {
        #[test]
        fn currency_accepts_three_capitals(code in "[A-Z]{3}") {
            let currency = Currency::parse(&code).unwrap();
            prop_assert_eq!(currency.as_str(), code.as_str());
            prop_assert!(currency.exponent() <= 4);
        }

        #[test]
        fn currency_refuses_lower_case(code in "[A-Z]{0,2}[a-z][A-Za-z]{0,2}") {
            prop_assert!(Currency::parse(&code).is_err());
        }

        #[test]
        fn currency_refuses_other_lengths(code in "[A-Z]{0,2}|[A-Z]{4,10}") {
            prop_assert!(Currency::parse(&code).is_err());
        }

        #[test]
        fn add_matches_exact_sum_or_overflows(a in any::<i64>(), b in any::<i64>()) {
            let exact = i128::from(a) + i128::from(b);
            match zar(a).checked_add(&zar(b)) {
                Ok(sum) => prop_assert_eq!(i128::from(sum.amount_minor()), exact),
                Err(e) => {
                    prop_assert_eq!(e, MoneyError::Overflow);
                    prop_assert!(i64::try_from(exact).is_err());
                }
            }
            prop_assert_eq!(zar(a).checked_add(&zar(b)), zar(b).checked_add(&zar(a)));
        }

        #[test]
        fn sub_undoes_add(a in any_amount(), b in any_amount()) {
            if let Ok(sum) = a.checked_add(&b) {
                prop_assert_eq!(sum.checked_sub(&b), Ok(a.clone()));
            }
            if let Ok(difference) = a.checked_sub(&b) {
                prop_assert_eq!(difference.checked_add(&b), Ok(a));
            }
        }

        #[test]
        fn negate_is_an_involution(a in (i64::MIN + 1..=i64::MAX).prop_map(zar)) {
            let negated = a.negate().unwrap();
            prop_assert_eq!(negated.negate(), Ok(a.clone()));
            prop_assert!(a.checked_add(&negated).unwrap().is_zero());
            prop_assert_eq!(negated.is_negative(), a.amount_minor() > 0);
        }

        #[test]
        fn mul_qty_is_repeated_addition(a in any_amount(), qty in 0u32..64) {
            // Partial sums of equal-signed terms lie between 0 and the total, so the repeated
            // sum overflows exactly when the product does.
            let repeated = (0..qty).try_fold(Amount::zero(cur("ZAR")), |acc, _| acc.checked_add(&a));
            prop_assert_eq!(a.checked_mul_qty(qty), repeated);
        }

        #[test]
        fn mul_qty_matches_exact_product(a in any::<i64>(), qty in any::<u32>()) {
            let exact = i128::from(a) * i128::from(qty);
            match zar(a).checked_mul_qty(qty) {
                Ok(p) => prop_assert_eq!(i128::from(p.amount_minor()), exact),
                Err(e) => {
                    prop_assert_eq!(e, MoneyError::Overflow);
                    prop_assert!(exact > i128::from(i64::MAX) || exact < i128::from(i64::MIN));
                }
            }
        }

        #[test]
        fn percentage_of_the_whole_is_identity(a in any_amount()) {
            prop_assert_eq!(a.percentage(10_000), Ok(a));
        }

        #[test]
        fn percentage_is_sign_symmetric(a in (i64::MIN + 1..=i64::MAX).prop_map(zar), bp in any::<u32>()) {
            let of_negated = a.negate().and_then(|n| n.percentage(bp));
            let negated_of = a.percentage(bp).and_then(|p| p.negate());
            prop_assert_eq!(of_negated, negated_of);
        }

        #[test]
        fn percentage_rounds_to_nearest_half_away_from_zero(a in any::<i64>(), bp in any::<u32>()) {
            let exact_times_10k = i128::from(a) * i128::from(bp);
            let fits = exact_times_10k.abs() <= i128::from(i64::MAX) * 10_000;
            match zar(a).percentage(bp) {
                Ok(p) => {
                    let scaled = i128::from(p.amount_minor()) * 10_000;
                    let error = scaled - exact_times_10k;
                    prop_assert!(error.abs() <= 5_000, "{} off by {}/10000", p.amount_minor(), error);
                    if error.abs() == 5_000 {
                        // A tie: the result lies further from zero than the exact value.
                        prop_assert!(scaled.abs() > exact_times_10k.abs());
                        prop_assert_eq!(scaled.signum(), exact_times_10k.signum());
                    }
                }
                Err(e) => {
                    prop_assert_eq!(e, MoneyError::Overflow);
                    prop_assert!(!fits);
                }
            }
        }

        #[test]
        fn half_of_an_odd_amount_goes_away_from_zero(k in -1_000_000_000i64..1_000_000_000) {
            let odd = 2 * k + 1;
            let expected = if odd > 0 { (odd + 1) / 2 } else { (odd - 1) / 2 };
            prop_assert_eq!(zar(odd).percentage(5_000), Ok(zar(expected)));
        }

        #[test]
        fn allocation_sums_to_the_whole_within_one_unit_each(
            a in any::<i64>(),
            weights in proptest::collection::vec(0u64..=u64::from(u32::MAX), 1..12),
        ) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let parts = zar(a).allocate(&weights).unwrap();
            prop_assert_eq!(parts.len(), weights.len());
            let total: i128 = parts.iter().map(|p| i128::from(p.amount_minor())).sum();
            prop_assert_eq!(total, i128::from(a));
            let total_weight: i128 = weights.iter().map(|w| i128::from(*w)).sum();
            for (part, weight) in parts.iter().zip(&weights) {
                // |part - a·w/W| < 1  ⇔  |part·W - a·w| < W
                let gap = i128::from(part.amount_minor()) * total_weight
                    - i128::from(a) * i128::from(*weight);
                prop_assert!(gap.abs() < total_weight, "{part:?} for weight {weight}");
                prop_assert!(part.amount_minor() == 0 || (part.is_negative() == (a < 0)));
                if *weight == 0 {
                    prop_assert!(part.is_zero());
                }
                prop_assert_eq!(part.currency().as_str(), "ZAR");
            }
        }

        #[test]
        fn allocation_favours_larger_weights_then_earlier_parts(
            a in any::<i64>(),
            weights in proptest::collection::vec(0u64..20, 1..12),
        ) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let parts = minors(&zar(a).allocate(&weights).unwrap());
            for i in 0..weights.len() {
                for j in 0..weights.len() {
                    let (pi, pj) = (parts[i].unsigned_abs(), parts[j].unsigned_abs());
                    if weights[i] > weights[j] {
                        prop_assert!(pi >= pj, "{weights:?} -> {parts:?}");
                    }
                    if weights[i] == weights[j] && i < j {
                        prop_assert!(pi == pj || pi == pj + 1, "{weights:?} -> {parts:?}");
                    }
                }
            }
        }

        #[test]
        fn allocation_is_sign_symmetric(
            a in (i64::MIN + 1..=i64::MAX).prop_map(zar),
            weights in proptest::collection::vec(any::<u64>(), 1..8),
        ) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let negated_parts: Vec<Amount> = a
                .allocate(&weights)
                .unwrap()
                .iter()
                .map(|p| p.negate().unwrap())
                .collect();
            prop_assert_eq!(a.negate().unwrap().allocate(&weights).unwrap(), negated_parts);
        }

        #[test]
        fn allocation_with_any_weights_sums_exactly(
            a in any::<i64>(),
            weights in proptest::collection::vec(any::<u64>(), 0..8),
        ) {
            match zar(a).allocate(&weights) {
                Ok(parts) => {
                    let total: i128 = parts.iter().map(|p| i128::from(p.amount_minor())).sum();
                    prop_assert_eq!(total, i128::from(a));
                }
                Err(e) => {
                    prop_assert_eq!(e, MoneyError::NoWeights);
                    prop_assert!(weights.iter().all(|w| *w == 0));
                }
            }
        }

        #[test]
        fn currency_mismatch_always_errors(
            left in "[A-Z]{3}",
            right in "[A-Z]{3}",
            a in any::<i64>(),
            b in any::<i64>(),
        ) {
            prop_assume!(left != right);
            let (x, y) = (Amount::new(a, cur(&left)), Amount::new(b, cur(&right)));
            let expected = MoneyError::CurrencyMismatch { left: cur(&left), right: cur(&right) };
            prop_assert_eq!(x.checked_add(&y), Err(expected.clone()));
            prop_assert_eq!(x.checked_sub(&y), Err(expected));
        }

        #[test]
        fn results_keep_the_currency(
            code in "[A-Z]{3}",
            a in any::<i64>(),
            qty in any::<u32>(),
            bp in any::<u32>(),
        ) {
            let x = Amount::new(a, cur(&code));
            for result in [
                x.checked_add(&x),
                x.checked_sub(&x),
                x.checked_mul_qty(qty),
                x.percentage(bp),
                x.negate(),
            ] {
                match result {
                    Ok(r) => prop_assert_eq!(r.currency(), x.currency()),
                    Err(e) => prop_assert_eq!(e, MoneyError::Overflow),
                }
            }
        }

        #[test]
        fn money_and_amount_round_trip(a in any::<i64>()) {
            let amount = zar(a);
            match Money::try_from(amount.clone()) {
                Ok(money) => {
                    prop_assert!(a >= 0);
                    prop_assert_eq!(Amount::from(money), amount);
                }
                Err(e) => {
                    prop_assert!(a < 0);
                    prop_assert_eq!(e, MoneyError::NegativeAmount(a));
                }
            }
        }
    }
}
