//! What can be sold and at what price: SKUs, the South African medicine schedules and the rules
//! a catalogue product must obey (SPEC C7: per-clinic and per-doctor pricing). Prices are
//! [`Money`], which lives in [`crate::money`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

// Re-exported because the API, persistence and seed name them `catalogue::{Currency, Money}`.
pub use crate::money::{Currency, Money};

/// Why a catalogue value or product is refused. [`CatalogueError::code`] gives the stable code
/// clients see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("`{0}` is not an ISO 4217 currency code (three capital letters, such as ZAR)")]
    InvalidCurrency(String),
    #[error("an amount of money cannot be negative (got {0} minor units)")]
    NegativeAmount(i64),
    #[error("a SKU cannot be empty")]
    EmptySku,
    #[error("a SKU is at most {MAX_SKU_CHARS} characters (got {0})")]
    SkuTooLong(usize),
    #[error("a SKU may only contain letters, digits, `-`, `_` and `.` (found `{0}`)")]
    SkuInvalidCharacter(char),
    #[error("`{0}` is not a medicine schedule (S0 to S8)")]
    UnknownSchedule(String),
    #[error(
        "a Schedule {} product needs a prescription by law, so it must require one",
        .0.number()
    )]
    PrescriptionRequiredBySchedule(Schedule),
    #[error("a price override must be in {expected}, the product's currency (got {found})")]
    CurrencyMismatch { expected: Currency, found: Currency },
    #[error(
        "clinics or doctors price this variant in {0}: their prices must go before the list \
         price changes currency"
    )]
    OverridesInCurrency(Currency),
}

impl CatalogueError {
    /// The stable code the API puts in problem responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidCurrency(_) => "INVALID_CURRENCY",
            Self::NegativeAmount(_) => "NEGATIVE_AMOUNT",
            Self::EmptySku | Self::SkuTooLong(_) | Self::SkuInvalidCharacter(_) => "INVALID_SKU",
            Self::UnknownSchedule(_) => "UNKNOWN_SCHEDULE",
            Self::PrescriptionRequiredBySchedule(_) => "PRESCRIPTION_REQUIRED_BY_SCHEDULE",
            Self::CurrencyMismatch { .. } => "CURRENCY_MISMATCH",
            Self::OverridesInCurrency(_) => "OVERRIDES_IN_CURRENCY",
        }
    }
}

/// Longest SKU accepted, in characters.
pub const MAX_SKU_CHARS: usize = 64;

/// A stock-keeping unit: 1 to 64 of `A-Z a-z 0-9 - _ .`, surrounding whitespace trimmed and
/// stored in capitals so `abc-1` and `ABC-1` are the same product code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sku(String);

impl Sku {
    pub fn parse(raw: &str) -> Result<Self, CatalogueError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(CatalogueError::EmptySku);
        }
        if let Some(bad) = trimmed
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            return Err(CatalogueError::SkuInvalidCharacter(bad));
        }
        // Only ASCII is left, so bytes are characters.
        if trimmed.len() > MAX_SKU_CHARS {
            return Err(CatalogueError::SkuTooLong(trimmed.len()));
        }
        Ok(Self(trimmed.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Sku {
    type Err = CatalogueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Sku {
    type Error = CatalogueError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Sku> for String {
    fn from(value: Sku) -> Self {
        value.0
    }
}

/// A South African medicine schedule (Medicines and Related Substances Act 101 of 1965).
/// Stored and shown as `S0` … `S8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Schedule {
    #[serde(rename = "S0")]
    S0,
    #[serde(rename = "S1")]
    S1,
    #[serde(rename = "S2")]
    S2,
    #[serde(rename = "S3")]
    S3,
    #[serde(rename = "S4")]
    S4,
    #[serde(rename = "S5")]
    S5,
    #[serde(rename = "S6")]
    S6,
    #[serde(rename = "S7")]
    S7,
    #[serde(rename = "S8")]
    S8,
}

impl Schedule {
    pub const ALL: [Schedule; 9] = [
        Self::S0,
        Self::S1,
        Self::S2,
        Self::S3,
        Self::S4,
        Self::S5,
        Self::S6,
        Self::S7,
        Self::S8,
    ];

    /// Accepts `S4` or `s4`, surrounding whitespace ignored.
    pub fn parse(raw: &str) -> Result<Self, CatalogueError> {
        let wanted = raw.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| CatalogueError::UnknownSchedule(raw.to_owned()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::S0 => "S0",
            Self::S1 => "S1",
            Self::S2 => "S2",
            Self::S3 => "S3",
            Self::S4 => "S4",
            Self::S5 => "S5",
            Self::S6 => "S6",
            Self::S7 => "S7",
            Self::S8 => "S8",
        }
    }

    /// The schedule's number, 0 to 8.
    pub fn number(self) -> u8 {
        match self {
            Self::S0 => 0,
            Self::S1 => 1,
            Self::S2 => 2,
            Self::S3 => 3,
            Self::S4 => 4,
            Self::S5 => 5,
            Self::S6 => 6,
            Self::S7 => 7,
            Self::S8 => 8,
        }
    }

    /// Schedule 3 and above may only be supplied on a prescription; S0 is sold off the shelf
    /// and S1–S2 by a pharmacist without one.
    pub fn prescription_required_by_law(self) -> bool {
        self >= Self::S3
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Schedule {
    type Err = CatalogueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A product whose schedule needs a prescription by law must be marked as requiring one.
/// The reverse is allowed: a clinic may choose to gate an S0–S2 product behind a prescription.
pub fn check_product_rules(
    schedule: Schedule,
    requires_prescription: bool,
) -> Result<(), CatalogueError> {
    if schedule.prescription_required_by_law() && !requires_prescription {
        Err(CatalogueError::PrescriptionRequiredBySchedule(schedule))
    } else {
        Ok(())
    }
}

/// A price override must be in the product's own currency; checked when an override is set so
/// that [`effective_price`] never has to choose between currencies.
pub fn check_price_override(base: &Money, over: &Money) -> Result<(), CatalogueError> {
    if base.currency() == over.currency() {
        Ok(())
    } else {
        Err(CatalogueError::CurrencyMismatch {
            expected: base.currency().clone(),
            found: over.currency().clone(),
        })
    }
}

/// A variant's list price may change currency only while no clinic or doctor prices it (every
/// override is in the list price's currency, see [`check_price_override`]).
pub fn check_list_price_change(
    old: &Currency,
    new: &Currency,
    has_overrides: bool,
) -> Result<(), CatalogueError> {
    if old == new || !has_overrides {
        Ok(())
    } else {
        Err(CatalogueError::OverridesInCurrency(old.clone()))
    }
}

/// The price a patient pays: the prescribing doctor's override beats the clinic's override,
/// which beats the catalogue's base price (SPEC C7).
pub fn effective_price(
    base: &Money,
    clinic_override: Option<&Money>,
    doctor_override: Option<&Money>,
) -> Money {
    doctor_override.or(clinic_override).unwrap_or(base).clone()
}

/// A product's address part from its name: `Semaglutide 0.25 mg pen` →
/// `semaglutide-0-25-mg-pen` (lower-case ASCII letters and digits, one `-` between runs, at most
/// 120 characters).
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(120).collect()
}

/// Longest ingredient name accepted, in bytes.
pub const MAX_INGREDIENT_NAME: usize = 120;

/// A problem with one field of a product as an admin entered it. `field` names it the way the
/// input does (`schedule`, `requires_prescription`, `consult_fee`, `name`, `ingredients`,
/// `variants[<i>].sku`, `variants[<i>].price`); `code` is stable and lower-case; `message` is
/// for the admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductProblem {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl ProductProblem {
    fn of(field: impl Into<String>, error: &CatalogueError) -> Self {
        Self {
            field: field.into(),
            code: error.code().to_lowercase(),
            message: error.to_string(),
        }
    }
}

impl fmt::Display for ProductProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.field, self.code, self.message)
    }
}

impl std::error::Error for ProductProblem {}

/// An amount as entered: minor units and a currency code, not yet [`Money`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceDraft<'a> {
    pub amount_minor: i64,
    pub currency: &'a str,
}

impl PriceDraft<'_> {
    pub fn parse(self) -> Result<Money, CatalogueError> {
        Currency::parse(self.currency).and_then(|c| Money::new(self.amount_minor, c))
    }
}

/// A variant (pack or strength) of a product as entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariantDraft<'a> {
    pub sku: &'a str,
    pub strength: &'a str,
    pub pack_size: i32,
    pub price: PriceDraft<'a>,
}

/// A variant the rules accept: a valid SKU, a trimmed strength and a list price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidVariant {
    pub sku: Sku,
    pub strength: String,
    pub pack_size: i32,
    pub price: Money,
}

/// Checks new variants; problems are named `variants[<i>].sku` and `variants[<i>].price`.
pub fn parse_variants(
    drafts: &[VariantDraft<'_>],
) -> Result<Vec<ValidVariant>, Vec<ProductProblem>> {
    let mut problems = Vec::new();
    let mut variants = Vec::new();
    for (i, v) in drafts.iter().enumerate() {
        let sku =
            Sku::parse(v.sku).map_err(|e| ProductProblem::of(format!("variants[{i}].sku"), &e));
        let price = v
            .price
            .parse()
            .map_err(|e| ProductProblem::of(format!("variants[{i}].price"), &e));
        match (sku, price) {
            (Ok(sku), Ok(price)) => variants.push(ValidVariant {
                sku,
                strength: v.strength.trim().to_owned(),
                pack_size: v.pack_size,
                price,
            }),
            (a, b) => problems.extend(a.err().into_iter().chain(b.err())),
        }
    }
    if problems.is_empty() {
        Ok(variants)
    } else {
        Err(problems)
    }
}

/// A product's ingredient names: trimmed, without blanks or repeats (ignoring case), each at
/// most [`MAX_INGREDIENT_NAME`] bytes.
pub fn ingredient_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<String>, ProductProblem> {
    let mut out: Vec<String> = Vec::new();
    for name in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(name)) {
            out.push(name.to_owned());
        }
    }
    if out.iter().any(|i| i.len() > MAX_INGREDIENT_NAME) {
        return Err(ProductProblem {
            field: "ingredients".into(),
            code: "length".into(),
            message: format!("An ingredient name is at most {MAX_INGREDIENT_NAME} characters."),
        });
    }
    Ok(out)
}

/// A master-catalogue product as an admin entered it: a new one (with its name and variants)
/// or new details of an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductDraft<'a> {
    /// A new product's name, which its address (slug) is made from. `None` for a change: a
    /// product keeps its address.
    pub new_name: Option<&'a str>,
    pub schedule: &'a str,
    pub requires_prescription: bool,
    pub consult_fee: Option<PriceDraft<'a>>,
    pub ingredients: &'a [String],
    /// A new product's variants (none for a change).
    pub variants: &'a [VariantDraft<'a>],
}

/// A product's details as the catalogue's rules accept them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDetails {
    /// For a new product, its address.
    pub slug: Option<String>,
    pub schedule: Schedule,
    pub requires_prescription: bool,
    pub consult_fee: Option<Money>,
    pub ingredients: Vec<String>,
    pub variants: Vec<ValidVariant>,
}

impl ProductDetails {
    /// Checks every rule a product obeys and reports every problem, in this order: the
    /// schedule (or the prescription it needs by law, see [`check_product_rules`]), the
    /// consult fee, each variant, the name (it needs a letter or digit for its address) and
    /// the ingredients.
    pub fn parse(draft: &ProductDraft<'_>) -> Result<Self, Vec<ProductProblem>> {
        let mut problems = Vec::new();
        let schedule = match Schedule::parse(draft.schedule) {
            Ok(s) => {
                if let Err(e) = check_product_rules(s, draft.requires_prescription) {
                    problems.push(ProductProblem::of("requires_prescription", &e));
                }
                Some(s)
            }
            Err(e) => {
                problems.push(ProductProblem::of("schedule", &e));
                None
            }
        };
        let consult_fee = draft
            .consult_fee
            .map(PriceDraft::parse)
            .transpose()
            .unwrap_or_else(|e| {
                problems.push(ProductProblem::of("consult_fee", &e));
                None
            });
        let variants = parse_variants(draft.variants).unwrap_or_else(|mut p| {
            problems.append(&mut p);
            Vec::new()
        });
        let slug = draft.new_name.map(slugify);
        if slug.as_deref() == Some("") {
            problems.push(ProductProblem {
                field: "name".into(),
                code: "name".into(),
                message: "The name needs at least one letter or digit.".into(),
            });
        }
        let ingredients = ingredient_names(draft.ingredients.iter().map(String::as_str))
            .unwrap_or_else(|p| {
                problems.push(p);
                Vec::new()
            });
        match schedule {
            Some(schedule) if problems.is_empty() => Ok(Self {
                slug,
                schedule,
                requires_prescription: draft.requires_prescription,
                consult_fee,
                ingredients,
                variants,
            }),
            _ => Err(problems),
        }
    }
}

/// A doctor's own price for a variant, with when the patient was (last) linked to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctorPrice {
    pub doctor_id: uuid::Uuid,
    pub linked_at: chrono::DateTime<chrono::Utc>,
    pub price: Money,
}

/// The price a patient pays for a variant in a clinic: among their doctors who set a price
/// there, the one linked most recently (ties: the smallest doctor id), then the clinic's
/// price, then the list price. The SQL function `variant_prices` is the same rule
/// (`crates/persistence/tests/pricing.rs` holds them to the same answers).
pub fn price_for_patient(
    base: &Money,
    clinic_override: Option<&Money>,
    doctors: &[DoctorPrice],
) -> Money {
    let doctor = doctors
        .iter()
        .min_by(|a, b| {
            b.linked_at
                .cmp(&a.linked_at)
                .then_with(|| a.doctor_id.cmp(&b.doctor_id))
        })
        .map(|d| &d.price);
    effective_price(base, clinic_override, doctor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn zar(amount: i64) -> Money {
        Money::new(amount, Currency::parse("ZAR").unwrap()).unwrap()
    }

    #[test]
    fn sku_table() {
        let cases: [(&str, Result<&str, CatalogueError>); 9] = [
            ("abc-123", Ok("ABC-123")),
            ("  Tab_10.mg  ", Ok("TAB_10.MG")),
            ("X", Ok("X")),
            ("", Err(CatalogueError::EmptySku)),
            ("   ", Err(CatalogueError::EmptySku)),
            ("AB C", Err(CatalogueError::SkuInvalidCharacter(' '))),
            ("AB/C", Err(CatalogueError::SkuInvalidCharacter('/'))),
            ("ÄB", Err(CatalogueError::SkuInvalidCharacter('Ä'))),
            ("A+", Err(CatalogueError::SkuInvalidCharacter('+'))),
        ];
        for (raw, expected) in cases {
            assert_eq!(
                Sku::parse(raw).map(|s| s.as_str().to_owned()),
                expected.map(str::to_owned),
                "{raw:?}"
            );
        }
        assert!(Sku::parse(&"A".repeat(64)).is_ok());
        assert_eq!(
            Sku::parse(&"A".repeat(65)),
            Err(CatalogueError::SkuTooLong(65))
        );
        assert_eq!(
            serde_json::from_str::<Sku>("\"ab-1\"").unwrap().as_str(),
            "AB-1"
        );
        assert!(serde_json::from_str::<Sku>("\"a b\"").is_err());
    }

    #[test]
    fn schedules_parse_and_need_prescriptions_from_s3() {
        for s in Schedule::ALL {
            assert_eq!(Schedule::parse(s.as_str()), Ok(s));
            assert_eq!(Schedule::parse(&s.as_str().to_lowercase()), Ok(s));
            assert_eq!(s.prescription_required_by_law(), s.number() >= 3, "{s}");
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::json!(s.as_str())
            );
        }
        for bad in ["S9", "4", "", "S", "S-1", "Schedule 4"] {
            assert_eq!(
                Schedule::parse(bad),
                Err(CatalogueError::UnknownSchedule(bad.to_owned())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn product_rules_table() {
        for s in Schedule::ALL {
            assert_eq!(check_product_rules(s, true), Ok(()), "{s}");
            let without = check_product_rules(s, false);
            if s.prescription_required_by_law() {
                assert_eq!(
                    without,
                    Err(CatalogueError::PrescriptionRequiredBySchedule(s))
                );
            } else {
                assert_eq!(without, Ok(()), "{s}");
            }
        }
        let err = check_product_rules(Schedule::S4, false).unwrap_err();
        assert_eq!(err.code(), "PRESCRIPTION_REQUIRED_BY_SCHEDULE");
        assert_eq!(
            err.to_string(),
            "a Schedule 4 product needs a prescription by law, so it must require one"
        );
    }

    #[test]
    fn doctor_beats_clinic_beats_base() {
        let (base, clinic, doctor) = (zar(100), zar(90), zar(80));
        let cases = [
            (None, None, &base),
            (Some(&clinic), None, &clinic),
            (None, Some(&doctor), &doctor),
            (Some(&clinic), Some(&doctor), &doctor),
        ];
        for (c, d, expected) in cases {
            assert_eq!(&effective_price(&base, c, d), expected, "{c:?} {d:?}");
        }
    }

    #[test]
    fn overrides_must_share_the_base_currency() {
        let usd = Money::new(100, Currency::parse("USD").unwrap()).unwrap();
        assert_eq!(check_price_override(&zar(100), &zar(5)), Ok(()));
        let err = check_price_override(&zar(100), &usd).unwrap_err();
        assert_eq!(err.code(), "CURRENCY_MISMATCH");
    }

    #[test]
    fn a_list_price_changes_currency_only_without_overrides() {
        let (zar, usd) = (
            Currency::parse("ZAR").unwrap(),
            Currency::parse("USD").unwrap(),
        );
        let cases = [
            (&zar, &zar, false, true),
            (&zar, &zar, true, true),
            (&zar, &usd, false, true),
            (&zar, &usd, true, false),
        ];
        for (old, new, overrides, ok) in cases {
            assert_eq!(
                check_list_price_change(old, new, overrides).is_ok(),
                ok,
                "{old} -> {new}, overrides: {overrides}"
            );
        }
    }

    fn draft<'a>(ingredients: &'a [String], variants: &'a [VariantDraft<'a>]) -> ProductDraft<'a> {
        ProductDraft {
            new_name: Some("Orlistat 120 mg capsules"),
            schedule: "S4",
            requires_prescription: true,
            consult_fee: Some(PriceDraft {
                amount_minor: 30000,
                currency: "ZAR",
            }),
            ingredients,
            variants,
        }
    }

    fn variant<'a>(sku: &'a str, currency: &'a str) -> VariantDraft<'a> {
        VariantDraft {
            sku,
            strength: " 120 mg ",
            pack_size: 84,
            price: PriceDraft {
                amount_minor: 69900,
                currency,
            },
        }
    }

    fn fields(result: Result<ProductDetails, Vec<ProductProblem>>) -> Vec<(String, String)> {
        result
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect()
    }

    #[test]
    fn a_valid_product_is_parsed_with_its_address_variants_and_ingredients() {
        let names = [
            "Orlistat".to_owned(),
            " orlistat ".to_owned(),
            "  ".to_owned(),
        ];
        let variants = [variant("orl-120-84", "ZAR")];
        let details = ProductDetails::parse(&draft(&names, &variants)).unwrap();
        assert_eq!(details.slug.as_deref(), Some("orlistat-120-mg-capsules"));
        assert_eq!(details.schedule, Schedule::S4);
        assert_eq!(details.consult_fee, Some(zar(30000)));
        assert_eq!(details.ingredients, ["Orlistat"]);
        assert_eq!(details.variants[0].sku.as_str(), "ORL-120-84");
        assert_eq!(details.variants[0].strength, "120 mg");
        // A change keeps the product's address and has no variants.
        let change = ProductDraft {
            new_name: None,
            variants: &[],
            ..draft(&names, &variants)
        };
        let details = ProductDetails::parse(&change).unwrap();
        assert_eq!((details.slug, details.variants.len()), (None, 0));
    }

    #[test]
    fn every_product_problem_is_reported_in_field_order() {
        let long = ["x".repeat(MAX_INGREDIENT_NAME + 1)];
        let variants = [variant("a b", "zar"), variant("OK-1", "ZAR")];
        let bad = ProductDraft {
            new_name: Some("!!!"),
            requires_prescription: false,
            consult_fee: Some(PriceDraft {
                amount_minor: -1,
                currency: "ZAR",
            }),
            ..draft(&long, &variants)
        };
        let expected = [
            ("requires_prescription", "prescription_required_by_schedule"),
            ("consult_fee", "negative_amount"),
            ("variants[0].sku", "invalid_sku"),
            ("variants[0].price", "invalid_currency"),
            ("name", "name"),
            ("ingredients", "length"),
        ];
        let got = fields(ProductDetails::parse(&bad));
        assert_eq!(
            got,
            expected.map(|(f, c)| (f.to_owned(), c.to_owned())),
            "{got:?}"
        );
        let unknown = ProductDraft {
            schedule: "S9",
            ..draft(&[], &[])
        };
        assert_eq!(
            fields(ProductDetails::parse(&unknown)),
            [("schedule".to_owned(), "unknown_schedule".to_owned())]
        );
        assert_eq!(
            ingredient_names(["a".repeat(MAX_INGREDIENT_NAME).as_str()]).map(|v| v.len()),
            Ok(1)
        );
        assert_eq!(
            parse_variants(&[variant("", "ZAR")]).unwrap_err()[0].message,
            "a SKU cannot be empty"
        );
    }

    proptest! {
        #[test]
        fn sku_round_trips(raw in "[A-Za-z0-9._-]{1,64}", pad in "[ \t]{0,3}") {
            let sku = Sku::parse(&format!("{pad}{raw}{pad}")).unwrap();
            prop_assert_eq!(sku.as_str(), raw.to_ascii_uppercase());
            prop_assert_eq!(Sku::parse(sku.as_str()).unwrap(), sku.clone());
            let json = serde_json::to_string(&sku).unwrap();
            prop_assert_eq!(serde_json::from_str::<Sku>(&json).unwrap(), sku);
        }

        #[test]
        fn sku_refuses_other_characters(
            head in "[A-Z]{0,5}",
            bad in "[^A-Za-z0-9._\\-\\s]",
            tail in "[A-Z]{0,5}",
        ) {
            let raw = format!("{head}{bad}{tail}");
            prop_assert!(Sku::parse(&raw).is_err());
        }

        #[test]
        fn effective_price_is_one_of_the_inputs(
            base in 0i64..1_000_000,
            clinic in proptest::option::of(0i64..1_000_000),
            doctor in proptest::option::of(0i64..1_000_000),
        ) {
            let (b, c, d) = (zar(base), clinic.map(zar), doctor.map(zar));
            let price = effective_price(&b, c.as_ref(), d.as_ref());
            let expected = doctor.or(clinic).unwrap_or(base);
            prop_assert_eq!(price.amount_minor(), expected);
        }
    }
}
