//! The eligibility engine: may this patient, with these clinical flags, have this product?
//!
//! Clinics write [`Rule`]s: "when flag `smoker_over_35` is held, block products containing
//! ethinylestradiol". [`evaluate`] applies them to one product:
//!
//! - A rule **matches** when it is active, its flag is among the patient's flags, and its
//!   target is the product itself or one of the product's ingredients.
//! - Any matching [`RuleAction::Block`] gives [`Verdict::Blocked`], with the reasons of every
//!   matching block rule. A block always wins: no prescription, review or anything else
//!   changes it.
//! - Otherwise any matching [`RuleAction::Review`] gives [`Verdict::NeedsReview`], with the
//!   reasons of every matching review rule. A valid prescription does not skip review: the
//!   flags may have changed since it was written.
//! - Otherwise a product that requires a prescription or a consultation gives
//!   [`Verdict::ConsultRequired`] (with the product's consultation fee) unless the patient
//!   holds a valid prescription for it.
//! - Otherwise the verdict is [`Verdict::Eligible`].
//! - [`RuleAction::Warn`] never changes the verdict: the reasons of every matching warn rule
//!   are returned as `warnings` alongside any verdict.
//!
//! Every list of reasons is sorted by rule id (byte order of the UUID, which is also
//! PostgreSQL's `uuid` order) with each rule at most once, so the result is deterministic and
//! can be compared with the SQL implementation.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::Money;

/// What a matching rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleAction {
    /// The patient may not have the product.
    Block,
    /// A clinician must look at the request before it proceeds.
    Review,
    /// The patient may proceed; the messages are shown to patient and clinician.
    Warn,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule action `{0}`")]
pub struct UnknownRuleAction(pub String);

impl RuleAction {
    pub const ALL: [RuleAction; 3] = [Self::Block, Self::Review, Self::Warn];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Block => "block",
            Self::Review => "review",
            Self::Warn => "warn",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, UnknownRuleAction> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == raw)
            .ok_or_else(|| UnknownRuleAction(raw.to_owned()))
    }
}

impl fmt::Display for RuleAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleAction {
    type Err = UnknownRuleAction;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// What a rule is about: one product, or every product containing an ingredient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum RuleTarget {
    Product(Uuid),
    Ingredient(Uuid),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Rule {
    pub id: Uuid,
    pub target: RuleTarget,
    /// A flag code (see [`crate::questionnaire::valid_flag_code`]).
    pub flag: String,
    pub action: RuleAction,
    pub patient_message: String,
    pub clinician_message: String,
    pub active: bool,
}

impl Rule {
    /// Whether this rule applies to `product` for a patient holding `flags`.
    pub fn matches(&self, product: &ProductFacts, flags: &BTreeSet<String>) -> bool {
        self.active
            && flags.contains(&self.flag)
            && match self.target {
                RuleTarget::Product(id) => id == product.id,
                RuleTarget::Ingredient(id) => product.ingredient_ids.contains(&id),
            }
    }

    fn reason(&self) -> Reason {
        Reason {
            rule_id: self.id,
            flag: self.flag.clone(),
            patient_message: self.patient_message.clone(),
            clinician_message: self.clinician_message.clone(),
        }
    }
}

/// What the engine needs to know about a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ProductFacts {
    pub id: Uuid,
    pub ingredient_ids: Vec<Uuid>,
    pub requires_prescription: bool,
    pub requires_consult: bool,
    pub consult_fee: Option<Money>,
}

/// Why a rule fired, with its messages for the patient and for the clinician.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Reason {
    pub rule_id: Uuid,
    pub flag: String,
    pub patient_message: String,
    pub clinician_message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Verdict {
    /// The patient may order the product.
    Eligible,
    /// The patient must see a doctor first; `fee` is the product's consultation fee.
    ConsultRequired { fee: Option<Money> },
    /// The patient may not have the product.
    Blocked { reasons: Vec<Reason> },
    /// A clinician must review the request first.
    NeedsReview { reasons: Vec<Reason> },
}

impl Verdict {
    /// The stable code of the verdict, as stored and sent to clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Eligible => "eligible",
            Self::ConsultRequired { .. } => "consult_required",
            Self::Blocked { .. } => "blocked",
            Self::NeedsReview { .. } => "needs_review",
        }
    }
}

/// The outcome of [`evaluate`]: the verdict and the warnings that go with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Eligibility {
    pub verdict: Verdict,
    pub warnings: Vec<Reason>,
}

/// Decides whether a patient holding `flags` may have `product`; see the module
/// documentation for the rules. `has_valid_prescription` means the patient holds an
/// unexpired, unexhausted prescription covering this product.
pub fn evaluate(
    product: &ProductFacts,
    flags: &BTreeSet<String>,
    rules: &[Rule],
    has_valid_prescription: bool,
) -> Eligibility {
    let reasons_for = |action: RuleAction| {
        let mut reasons: Vec<Reason> = rules
            .iter()
            .filter(|r| r.action == action && r.matches(product, flags))
            .map(Rule::reason)
            .collect();
        // Stable sort, so with duplicate ids the first rule given is kept.
        reasons.sort_by_key(|r| r.rule_id);
        reasons.dedup_by_key(|r| r.rule_id);
        reasons
    };
    let blocks = reasons_for(RuleAction::Block);
    let reviews = reasons_for(RuleAction::Review);
    let verdict = if !blocks.is_empty() {
        Verdict::Blocked { reasons: blocks }
    } else if !reviews.is_empty() {
        Verdict::NeedsReview { reasons: reviews }
    } else if (product.requires_prescription || product.requires_consult) && !has_valid_prescription
    {
        Verdict::ConsultRequired {
            fee: product.consult_fee.clone(),
        }
    } else {
        Verdict::Eligible
    };
    Eligibility {
        verdict,
        warnings: reasons_for(RuleAction::Warn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Currency;
    use proptest::prelude::*;
    use serde_json::json;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    const PRODUCT: u128 = 0x100;
    const INGREDIENT: u128 = 0x200;
    const OTHER_INGREDIENT: u128 = 0x201;
    const OTHER: u128 = 0x999;

    fn fee() -> Money {
        Money::new(35_000, Currency::parse("ZAR").unwrap()).unwrap()
    }

    fn product(requires_prescription: bool, requires_consult: bool) -> ProductFacts {
        ProductFacts {
            id: id(PRODUCT),
            ingredient_ids: vec![id(INGREDIENT), id(OTHER_INGREDIENT)],
            requires_prescription,
            requires_consult,
            consult_fee: Some(fee()),
        }
    }

    fn rule(n: u128, target: RuleTarget, flag: &str, action: RuleAction) -> Rule {
        Rule {
            id: id(n),
            target,
            flag: flag.to_owned(),
            action,
            patient_message: format!("patient {n}"),
            clinician_message: format!("clinician {n}"),
            active: true,
        }
    }

    fn on_product(n: u128, flag: &str, action: RuleAction) -> Rule {
        rule(n, RuleTarget::Product(id(PRODUCT)), flag, action)
    }

    fn on_ingredient(n: u128, flag: &str, action: RuleAction) -> Rule {
        rule(n, RuleTarget::Ingredient(id(INGREDIENT)), flag, action)
    }

    fn flags(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    fn ids(reasons: &[Reason]) -> Vec<u128> {
        reasons.iter().map(|r| r.rule_id.as_u128()).collect()
    }

    /// The verdict's code and rule ids, and the warnings' rule ids.
    type Summary = (&'static str, Vec<u128>, Vec<u128>);

    fn summary(e: &Eligibility) -> Summary {
        let reasons = match &e.verdict {
            Verdict::Blocked { reasons } | Verdict::NeedsReview { reasons } => ids(reasons),
            Verdict::Eligible | Verdict::ConsultRequired { .. } => vec![],
        };
        (e.verdict.code(), reasons, ids(&e.warnings))
    }

    #[test]
    fn verdict_table() {
        use RuleAction::{Block, Review, Warn};
        let smoker = flags(&["smoker"]);
        let mut inactive = on_product(9, "smoker", Block);
        inactive.active = false;
        let elsewhere = rule(8, RuleTarget::Product(id(OTHER)), "smoker", Block);
        let other_ingredient = rule(7, RuleTarget::Ingredient(id(OTHER)), "smoker", Block);
        let not_held = on_product(6, "pregnant", Block);
        #[rustfmt::skip]
        let cases: Vec<(&str, ProductFacts, Vec<Rule>, bool, Summary)> = vec![
            ("no rules, no gate", product(false, false), vec![], false, ("eligible", vec![], vec![])),
            ("prescription needed", product(true, false), vec![], false, ("consult_required", vec![], vec![])),
            ("consult needed", product(false, true), vec![], false, ("consult_required", vec![], vec![])),
            ("both needed", product(true, true), vec![], false, ("consult_required", vec![], vec![])),
            ("prescription held", product(true, true), vec![], true, ("eligible", vec![], vec![])),
            ("block on product", product(false, false), vec![on_product(1, "smoker", Block)], false, ("blocked", vec![1], vec![])),
            ("block on ingredient", product(false, false), vec![on_ingredient(1, "smoker", Block)], false, ("blocked", vec![1], vec![])),
            ("block beats prescription", product(true, false), vec![on_product(1, "smoker", Block)], true, ("blocked", vec![1], vec![])),
            ("block beats review", product(false, false), vec![on_product(2, "smoker", Review), on_ingredient(1, "smoker", Block)], false, ("blocked", vec![1], vec![])),
            ("review on product", product(false, false), vec![on_product(2, "smoker", Review)], false, ("needs_review", vec![2], vec![])),
            ("review on ingredient", product(true, false), vec![on_ingredient(2, "smoker", Review)], false, ("needs_review", vec![2], vec![])),
            ("review despite prescription", product(true, false), vec![on_ingredient(2, "smoker", Review)], true, ("needs_review", vec![2], vec![])),
            ("review beats consult", product(true, true), vec![on_product(2, "smoker", Review)], false, ("needs_review", vec![2], vec![])),
            ("inactive ignored", product(false, false), vec![inactive.clone()], false, ("eligible", vec![], vec![])),
            ("other product ignored", product(false, false), vec![elsewhere.clone()], false, ("eligible", vec![], vec![])),
            ("other ingredient ignored", product(false, false), vec![other_ingredient.clone()], false, ("eligible", vec![], vec![])),
            ("flag not held ignored", product(false, false), vec![not_held.clone()], false, ("eligible", vec![], vec![])),
            ("all non-matching", product(true, false), vec![inactive, elsewhere, other_ingredient, not_held], false, ("consult_required", vec![], vec![])),
            ("warn with eligible", product(false, false), vec![on_product(3, "smoker", Warn)], false, ("eligible", vec![], vec![3])),
            ("warn with consult", product(true, false), vec![on_ingredient(3, "smoker", Warn)], false, ("consult_required", vec![], vec![3])),
            ("warn with review", product(false, false), vec![on_product(3, "smoker", Warn), on_product(2, "smoker", Review)], false, ("needs_review", vec![2], vec![3])),
            ("warn with block", product(false, false), vec![on_product(3, "smoker", Warn), on_product(1, "smoker", Block)], true, ("blocked", vec![1], vec![3])),
        ];
        for (name, product, rules, prescription, expected) in cases {
            let result = evaluate(&product, &smoker, &rules, prescription);
            assert_eq!(summary(&result), expected, "{name}");
        }
    }

    #[test]
    fn consult_required_carries_the_fee() {
        let mut p = product(true, false);
        assert_eq!(
            evaluate(&p, &flags(&[]), &[], false).verdict,
            Verdict::ConsultRequired { fee: Some(fee()) }
        );
        p.consult_fee = None;
        assert_eq!(
            evaluate(&p, &flags(&[]), &[], false).verdict,
            Verdict::ConsultRequired { fee: None }
        );
    }

    #[test]
    fn reasons_are_sorted_deduplicated_and_complete() {
        use RuleAction::{Block, Warn};
        let rules = [
            on_ingredient(30, "smoker", Block),
            on_product(10, "migraine", Block),
            on_product(20, "smoker", Block),
            on_product(10, "migraine", Block),
            rule(
                40,
                RuleTarget::Ingredient(id(OTHER_INGREDIENT)),
                "smoker",
                Block,
            ),
            on_product(60, "smoker", Warn),
            on_ingredient(50, "migraine", Warn),
        ];
        let result = evaluate(
            &product(false, false),
            &flags(&["smoker", "migraine"]),
            &rules,
            false,
        );
        assert_eq!(
            summary(&result),
            ("blocked", vec![10, 20, 30, 40], vec![50, 60])
        );
        let Verdict::Blocked { reasons } = &result.verdict else {
            panic!("expected blocked");
        };
        assert_eq!(
            reasons[0],
            Reason {
                rule_id: id(10),
                flag: "migraine".to_owned(),
                patient_message: "patient 10".to_owned(),
                clinician_message: "clinician 10".to_owned(),
            }
        );
    }

    #[test]
    fn a_product_listing_an_ingredient_twice_gives_one_reason() {
        let mut p = product(false, false);
        p.ingredient_ids.push(id(INGREDIENT));
        let result = evaluate(
            &p,
            &flags(&["smoker"]),
            &[on_ingredient(1, "smoker", RuleAction::Review)],
            false,
        );
        assert_eq!(summary(&result), ("needs_review", vec![1], vec![]));
    }

    #[test]
    fn rule_actions_round_trip() {
        for action in RuleAction::ALL {
            assert_eq!(RuleAction::parse(action.as_str()), Ok(action));
            assert_eq!(action.to_string().parse::<RuleAction>(), Ok(action));
            assert_eq!(
                serde_json::to_value(action).unwrap(),
                json!(action.as_str())
            );
        }
        assert_eq!(
            RuleAction::parse("Block"),
            Err(UnknownRuleAction("Block".to_owned()))
        );
    }

    #[test]
    fn serde_shapes_are_stable() {
        let target = RuleTarget::Ingredient(id(1));
        assert_eq!(
            serde_json::to_value(target).unwrap(),
            json!({ "type": "ingredient", "id": "00000000-0000-0000-0000-000000000001" })
        );
        let verdicts = [
            (Verdict::Eligible, json!({ "type": "eligible" })),
            (
                Verdict::ConsultRequired { fee: Some(fee()) },
                json!({ "type": "consult_required",
                        "fee": { "amount_minor": 35000, "currency": "ZAR" } }),
            ),
            (
                Verdict::NeedsReview { reasons: vec![] },
                json!({ "type": "needs_review", "reasons": [] }),
            ),
            (
                Verdict::Blocked { reasons: vec![] },
                json!({ "type": "blocked", "reasons": [] }),
            ),
        ];
        for (verdict, expected) in verdicts {
            assert_eq!(expected["type"], json!(verdict.code()));
            assert_eq!(serde_json::to_value(&verdict).unwrap(), expected);
            assert_eq!(
                serde_json::from_value::<Verdict>(expected).unwrap(),
                verdict
            );
        }
        let r = on_product(5, "smoker", RuleAction::Warn);
        let back: Rule = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }

    // ---- property tests ----

    const FLAG_POOL: [&str; 4] = ["a", "b", "c", "d"];

    /// Ids come from small pools so that rules often hit the product.
    fn uuid_from(pool: u128) -> impl Strategy<Value = Uuid> {
        (0..pool).prop_map(Uuid::from_u128)
    }

    fn product_strategy() -> impl Strategy<Value = ProductFacts> {
        (
            uuid_from(3),
            prop::collection::vec(uuid_from(6), 0..4),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(0i64..100_000),
        )
            .prop_map(|(id, ingredient_ids, rx, consult, fee)| ProductFacts {
                id,
                ingredient_ids,
                requires_prescription: rx,
                requires_consult: consult,
                consult_fee: fee.map(|f| Money::new(f, Currency::parse("ZAR").unwrap()).unwrap()),
            })
    }

    fn flags_strategy() -> impl Strategy<Value = BTreeSet<String>> {
        prop::collection::btree_set(prop::sample::select(FLAG_POOL.to_vec()), 0..4)
            .prop_map(|set| set.into_iter().map(str::to_owned).collect())
    }

    fn rules_strategy() -> impl Strategy<Value = Vec<Rule>> {
        let target = prop_oneof![
            uuid_from(3).prop_map(RuleTarget::Product),
            uuid_from(6).prop_map(RuleTarget::Ingredient),
        ];
        let action = prop::sample::select(RuleAction::ALL.to_vec());
        prop::collection::vec(
            (
                uuid_from(1_000),
                target,
                prop::sample::select(FLAG_POOL.to_vec()),
                action,
                prop::bool::weighted(0.8),
            )
                .prop_map(|(id, target, flag, action, active)| Rule {
                    id,
                    target,
                    flag: flag.to_owned(),
                    action,
                    patient_message: format!("p {id}"),
                    clinician_message: format!("c {id}"),
                    active,
                }),
            0..10,
        )
    }

    fn all_reasons(e: &Eligibility) -> Vec<&Reason> {
        let verdict_reasons: &[Reason] = match &e.verdict {
            Verdict::Blocked { reasons } | Verdict::NeedsReview { reasons } => reasons,
            Verdict::Eligible | Verdict::ConsultRequired { .. } => &[],
        };
        verdict_reasons.iter().chain(&e.warnings).collect()
    }

    proptest! {
        #[test]
        fn a_matching_block_always_blocks(
            product in product_strategy(),
            flags in flags_strategy(),
            rules in rules_strategy(),
            prescription in any::<bool>(),
        ) {
            let any_block = rules
                .iter()
                .any(|r| r.action == RuleAction::Block && r.matches(&product, &flags));
            let verdict = evaluate(&product, &flags, &rules, prescription).verdict;
            prop_assert_eq!(matches!(verdict, Verdict::Blocked { .. }), any_block);
        }

        #[test]
        fn a_prescription_never_lifts_a_block_or_a_review(
            product in product_strategy(),
            flags in flags_strategy(),
            rules in rules_strategy(),
        ) {
            let without = evaluate(&product, &flags, &rules, false);
            let with = evaluate(&product, &flags, &rules, true);
            if matches!(without.verdict, Verdict::Blocked { .. } | Verdict::NeedsReview { .. }) {
                prop_assert_eq!(&with.verdict, &without.verdict);
            }
            // A prescription only ever turns "consult required" into "eligible".
            if with.verdict != without.verdict {
                prop_assert_eq!(without.verdict.code(), "consult_required");
                prop_assert_eq!(with.verdict, Verdict::Eligible);
            }
            prop_assert_eq!(with.warnings, without.warnings);
        }

        #[test]
        fn without_rules_a_prescription_makes_eligible(
            product in product_strategy(),
            flags in flags_strategy(),
        ) {
            let result = evaluate(&product, &flags, &[], true);
            prop_assert_eq!(result, Eligibility { verdict: Verdict::Eligible, warnings: vec![] });
        }

        #[test]
        fn reasons_are_sorted_unique_and_from_matching_rules(
            product in product_strategy(),
            flags in flags_strategy(),
            rules in rules_strategy(),
            prescription in any::<bool>(),
        ) {
            let result = evaluate(&product, &flags, &rules, prescription);
            let verdict_action = match &result.verdict {
                Verdict::Blocked { .. } => Some(RuleAction::Block),
                Verdict::NeedsReview { .. } => Some(RuleAction::Review),
                Verdict::Eligible | Verdict::ConsultRequired { .. } => None,
            };
            let verdict_reasons = all_reasons(&result).len() - result.warnings.len();
            for (list, action) in [
                (&all_reasons(&result)[..verdict_reasons], verdict_action),
                (&all_reasons(&result)[verdict_reasons..], Some(RuleAction::Warn)),
            ] {
                prop_assert!(list.windows(2).all(|w| w[0].rule_id < w[1].rule_id));
                for reason in list {
                    prop_assert!(rules.iter().any(|r| r.id == reason.rule_id
                        && Some(r.action) == action
                        && r.flag == reason.flag
                        && r.matches(&product, &flags)));
                }
            }
            // Every matching warn rule is reported.
            let warned: BTreeSet<Uuid> = rules
                .iter()
                .filter(|r| r.action == RuleAction::Warn && r.matches(&product, &flags))
                .map(|r| r.id)
                .collect();
            let reported: BTreeSet<Uuid> = result.warnings.iter().map(|r| r.rule_id).collect();
            prop_assert_eq!(reported, warned);
        }

        #[test]
        fn the_order_of_rules_does_not_matter(
            product in product_strategy(),
            flags in flags_strategy(),
            rules in rules_strategy(),
            prescription in any::<bool>(),
        ) {
            // Ids must be unique for the order not to matter (as in the database).
            let mut unique = rules;
            unique.sort_by_key(|r| r.id);
            unique.dedup_by_key(|r| r.id);
            let forward = evaluate(&product, &flags, &unique, prescription);
            unique.reverse();
            prop_assert_eq!(evaluate(&product, &flags, &unique, prescription), forward);
        }
    }
}
