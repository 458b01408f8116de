//! The one place the questionnaire's wire types ([`crate::health`]) become
//! `rxgate_domain::questionnaire`'s types and back, for the server and the SPA alike.
//!
//! Every conversion is written out field by field: each source value is destructured without
//! `..` and each target built without `..`, and enums are matched exhaustively, so a field or
//! variant added on either side stops this file compiling until it is mapped. The two sides
//! hold the same values (the same strings, `f64`, `u32` and `NaiveDate`), so no conversion can
//! fail and all of them are `From`; the rules (valid keys, bounds, options) are the domain's
//! `validate` functions, applied after converting.
//!
//! Answer maps are `BTreeMap<String, AnswerValue>` on both sides; the orphan rule allows no
//! `From` between two maps, so [`answers_to_domain`] and [`answers_to_api`] convert them.

use std::collections::BTreeMap;

use rxgate_domain::questionnaire as domain;

use crate::health as api;

impl From<&api::ChoiceOption> for domain::ChoiceOption {
    fn from(option: &api::ChoiceOption) -> Self {
        let api::ChoiceOption { value, label } = option;
        Self {
            value: value.clone(),
            label: label.clone(),
        }
    }
}

impl From<&domain::ChoiceOption> for api::ChoiceOption {
    fn from(option: &domain::ChoiceOption) -> Self {
        let domain::ChoiceOption { value, label } = option;
        Self {
            value: value.clone(),
            label: label.clone(),
        }
    }
}

impl From<&api::QuestionKind> for domain::QuestionKind {
    fn from(kind: &api::QuestionKind) -> Self {
        match kind {
            api::QuestionKind::Boolean => Self::Boolean,
            api::QuestionKind::SingleChoice { options } => Self::SingleChoice {
                options: options.iter().map(domain::ChoiceOption::from).collect(),
            },
            api::QuestionKind::MultipleChoice { options } => Self::MultipleChoice {
                options: options.iter().map(domain::ChoiceOption::from).collect(),
            },
            api::QuestionKind::Number { unit, min, max } => Self::Number {
                unit: unit.clone(),
                min: *min,
                max: *max,
            },
            api::QuestionKind::Date => Self::Date,
            api::QuestionKind::FreeText { max_len } => Self::FreeText { max_len: *max_len },
        }
    }
}

impl From<&domain::QuestionKind> for api::QuestionKind {
    fn from(kind: &domain::QuestionKind) -> Self {
        match kind {
            domain::QuestionKind::Boolean => Self::Boolean,
            domain::QuestionKind::SingleChoice { options } => Self::SingleChoice {
                options: options.iter().map(api::ChoiceOption::from).collect(),
            },
            domain::QuestionKind::MultipleChoice { options } => Self::MultipleChoice {
                options: options.iter().map(api::ChoiceOption::from).collect(),
            },
            domain::QuestionKind::Number { unit, min, max } => Self::Number {
                unit: unit.clone(),
                min: *min,
                max: *max,
            },
            domain::QuestionKind::Date => Self::Date,
            domain::QuestionKind::FreeText { max_len } => Self::FreeText { max_len: *max_len },
        }
    }
}

impl From<&api::AnswerValue> for domain::AnswerValue {
    fn from(answer: &api::AnswerValue) -> Self {
        match answer {
            api::AnswerValue::Bool(b) => Self::Bool(*b),
            api::AnswerValue::Choice(value) => Self::Choice(value.clone()),
            api::AnswerValue::Choices(values) => Self::Choices(values.clone()),
            api::AnswerValue::Number(n) => Self::Number(*n),
            api::AnswerValue::Date(d) => Self::Date(*d),
            api::AnswerValue::Text(text) => Self::Text(text.clone()),
        }
    }
}

impl From<&domain::AnswerValue> for api::AnswerValue {
    fn from(answer: &domain::AnswerValue) -> Self {
        match answer {
            domain::AnswerValue::Bool(b) => Self::Bool(*b),
            domain::AnswerValue::Choice(value) => Self::Choice(value.clone()),
            domain::AnswerValue::Choices(values) => Self::Choices(values.clone()),
            domain::AnswerValue::Number(n) => Self::Number(*n),
            domain::AnswerValue::Date(d) => Self::Date(*d),
            domain::AnswerValue::Text(text) => Self::Text(text.clone()),
        }
    }
}

impl From<&api::Condition> for domain::Condition {
    fn from(condition: &api::Condition) -> Self {
        let api::Condition { question, equals } = condition;
        Self {
            question: question.clone(),
            equals: equals.into(),
        }
    }
}

impl From<&domain::Condition> for api::Condition {
    fn from(condition: &domain::Condition) -> Self {
        let domain::Condition { question, equals } = condition;
        Self {
            question: question.clone(),
            equals: equals.into(),
        }
    }
}

impl From<&api::Question> for domain::Question {
    fn from(question: &api::Question) -> Self {
        let api::Question {
            key,
            label,
            help,
            kind,
            required,
            show_if,
        } = question;
        Self {
            key: key.clone(),
            label: label.clone(),
            help: help.clone(),
            kind: kind.into(),
            required: *required,
            show_if: show_if.as_ref().map(domain::Condition::from),
        }
    }
}

impl From<&domain::Question> for api::Question {
    fn from(question: &domain::Question) -> Self {
        let domain::Question {
            key,
            label,
            help,
            kind,
            required,
            show_if,
        } = question;
        Self {
            key: key.clone(),
            label: label.clone(),
            help: help.clone(),
            kind: kind.into(),
            required: *required,
            show_if: show_if.as_ref().map(api::Condition::from),
        }
    }
}

impl From<&api::Definition> for domain::Definition {
    fn from(definition: &api::Definition) -> Self {
        let api::Definition { questions } = definition;
        Self {
            questions: questions.iter().map(domain::Question::from).collect(),
        }
    }
}

impl From<&domain::Definition> for api::Definition {
    fn from(definition: &domain::Definition) -> Self {
        let domain::Definition { questions } = definition;
        Self {
            questions: questions.iter().map(api::Question::from).collect(),
        }
    }
}

impl From<&api::MappingTest> for domain::MappingTest {
    fn from(test: &api::MappingTest) -> Self {
        match test {
            api::MappingTest::IsTrue => Self::IsTrue,
            api::MappingTest::IsFalse => Self::IsFalse,
            api::MappingTest::Chosen { value } => Self::Chosen {
                value: value.clone(),
            },
            api::MappingTest::NumberAbove { threshold } => Self::NumberAbove {
                threshold: *threshold,
            },
            api::MappingTest::NumberBelow { threshold } => Self::NumberBelow {
                threshold: *threshold,
            },
            api::MappingTest::YearsSinceAtLeast { years } => {
                Self::YearsSinceAtLeast { years: *years }
            }
        }
    }
}

impl From<&domain::MappingTest> for api::MappingTest {
    fn from(test: &domain::MappingTest) -> Self {
        match test {
            domain::MappingTest::IsTrue => Self::IsTrue,
            domain::MappingTest::IsFalse => Self::IsFalse,
            domain::MappingTest::Chosen { value } => Self::Chosen {
                value: value.clone(),
            },
            domain::MappingTest::NumberAbove { threshold } => Self::NumberAbove {
                threshold: *threshold,
            },
            domain::MappingTest::NumberBelow { threshold } => Self::NumberBelow {
                threshold: *threshold,
            },
            domain::MappingTest::YearsSinceAtLeast { years } => {
                Self::YearsSinceAtLeast { years: *years }
            }
        }
    }
}

impl From<&api::MappingClause> for domain::MappingClause {
    fn from(clause: &api::MappingClause) -> Self {
        let api::MappingClause { question, test } = clause;
        Self {
            question: question.clone(),
            test: test.into(),
        }
    }
}

impl From<&domain::MappingClause> for api::MappingClause {
    fn from(clause: &domain::MappingClause) -> Self {
        let domain::MappingClause { question, test } = clause;
        Self {
            question: question.clone(),
            test: test.into(),
        }
    }
}

impl From<&api::FlagMapping> for domain::FlagMapping {
    fn from(mapping: &api::FlagMapping) -> Self {
        let api::FlagMapping { flag, all } = mapping;
        Self {
            flag: flag.clone(),
            all: all.iter().map(domain::MappingClause::from).collect(),
        }
    }
}

impl From<&domain::FlagMapping> for api::FlagMapping {
    fn from(mapping: &domain::FlagMapping) -> Self {
        let domain::FlagMapping { flag, all } = mapping;
        Self {
            flag: flag.clone(),
            all: all.iter().map(api::MappingClause::from).collect(),
        }
    }
}

/// Answers by question key, as the domain takes them.
pub fn answers_to_domain(answers: &BTreeMap<String, api::AnswerValue>) -> domain::Answers {
    answers
        .iter()
        .map(|(key, answer)| (key.clone(), answer.into()))
        .collect()
}

/// Answers by question key, as the API sends them.
pub fn answers_to_api(answers: &domain::Answers) -> BTreeMap<String, api::AnswerValue> {
    answers
        .iter()
        .map(|(key, answer)| (key.clone(), answer.into()))
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde_json::Value;

    use super::*;

    fn options(values: &[&str]) -> Vec<api::ChoiceOption> {
        values
            .iter()
            .map(|v| api::ChoiceOption {
                value: (*v).to_owned(),
                label: format!("Label of {v}"),
            })
            .collect()
    }

    fn question(key: &str, kind: api::QuestionKind) -> api::Question {
        api::Question {
            key: key.to_owned(),
            label: format!("Label of {key}"),
            help: Some(format!("Help for {key}")),
            kind,
            required: true,
            show_if: None,
        }
    }

    /// Every question kind (a number with and without its optional fields), a condition, and
    /// an optional help left out.
    fn definition() -> api::Definition {
        api::Definition {
            questions: vec![
                question("smoker", api::QuestionKind::Boolean),
                api::Question {
                    show_if: Some(api::Condition {
                        question: "smoker".to_owned(),
                        equals: api::AnswerValue::Bool(true),
                    }),
                    ..question(
                        "per_day",
                        api::QuestionKind::Number {
                            unit: Some("cigarettes".to_owned()),
                            min: Some(0.0),
                            max: Some(200.5),
                        },
                    )
                },
                api::Question {
                    help: None,
                    required: false,
                    ..question(
                        "weight",
                        api::QuestionKind::Number {
                            unit: None,
                            min: None,
                            max: None,
                        },
                    )
                },
                question(
                    "sex",
                    api::QuestionKind::SingleChoice {
                        options: options(&["female", "male"]),
                    },
                ),
                question(
                    "conditions",
                    api::QuestionKind::MultipleChoice {
                        options: options(&["migraine", "none"]),
                    },
                ),
                question("date_of_birth", api::QuestionKind::Date),
                question("notes", api::QuestionKind::FreeText { max_len: 500 }),
            ],
        }
    }

    fn clause(question: &str, test: api::MappingTest) -> api::MappingClause {
        api::MappingClause {
            question: question.to_owned(),
            test,
        }
    }

    /// Every mapping test.
    fn mappings() -> Vec<api::FlagMapping> {
        vec![
            api::FlagMapping {
                flag: "smoker_over_35".to_owned(),
                all: vec![
                    clause("smoker", api::MappingTest::IsTrue),
                    clause(
                        "date_of_birth",
                        api::MappingTest::YearsSinceAtLeast { years: 35 },
                    ),
                ],
            },
            api::FlagMapping {
                flag: "odd".to_owned(),
                all: vec![
                    clause("smoker", api::MappingTest::IsFalse),
                    clause(
                        "conditions",
                        api::MappingTest::Chosen {
                            value: "migraine".to_owned(),
                        },
                    ),
                    clause("per_day", api::MappingTest::NumberAbove { threshold: 10.5 }),
                    clause("weight", api::MappingTest::NumberBelow { threshold: 40.0 }),
                ],
            },
        ]
    }

    /// One answer of every kind.
    fn answers() -> BTreeMap<String, api::AnswerValue> {
        [
            ("smoker", api::AnswerValue::Bool(true)),
            ("per_day", api::AnswerValue::Number(12.5)),
            ("sex", api::AnswerValue::Choice("female".to_owned())),
            (
                "conditions",
                api::AnswerValue::Choices(vec!["migraine".to_owned(), "none".to_owned()]),
            ),
            (
                "date_of_birth",
                api::AnswerValue::Date(NaiveDate::from_ymd_opt(1980, 2, 29).unwrap()),
            ),
            ("notes", api::AnswerValue::Text("Nothing else".to_owned())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// The JSON with `null` members left out: the wire types skip an absent optional field
    /// where the domain writes `null`, and both read either form the same.
    fn without_nulls(value: Value) -> Value {
        match value {
            Value::Object(members) => Value::Object(
                members
                    .into_iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k, without_nulls(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
            other => other,
        }
    }

    /// The two sides agree on JSON as well: they write the same (up to `null`s), and each
    /// reads the other's JSON as the value converting gives.
    fn same_json<A, D>(api_value: &A, domain_value: &D)
    where
        A: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
        D: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let api_json = serde_json::to_value(api_value).unwrap();
        let domain_json = serde_json::to_value(domain_value).unwrap();
        assert_eq!(without_nulls(domain_json.clone()), api_json);
        assert_eq!(
            &serde_json::from_value::<D>(api_json).unwrap(),
            domain_value
        );
        assert_eq!(
            &serde_json::from_value::<A>(domain_json).unwrap(),
            api_value
        );
    }

    #[test]
    fn definitions_convert_both_ways_unchanged_with_the_same_json() {
        let api_def = definition();
        let domain_def = domain::Definition::from(&api_def);
        assert_eq!(api::Definition::from(&domain_def), api_def);
        same_json(&api_def, &domain_def);
        // A definition the domain accepts: the conversion keeps what its rules read.
        assert_eq!(domain_def.validate(), Ok(()));

        // Field by field as well, so a mistake the JSON hides (a swapped min and max) shows.
        let question = |key: &str| domain_def.question(key).unwrap();
        assert_eq!(
            question("per_day").kind,
            domain::QuestionKind::Number {
                unit: Some("cigarettes".to_owned()),
                min: Some(0.0),
                max: Some(200.5),
            }
        );
        assert_eq!(
            question("per_day").show_if,
            Some(domain::Condition {
                question: "smoker".to_owned(),
                equals: domain::AnswerValue::Bool(true),
            })
        );
        assert_eq!(question("weight").help, None);
        assert!(!question("weight").required);
    }

    #[test]
    fn mappings_convert_both_ways_unchanged_with_the_same_json() {
        let api_mappings = mappings();
        let domain_mappings: Vec<domain::FlagMapping> =
            api_mappings.iter().map(domain::FlagMapping::from).collect();
        let back: Vec<api::FlagMapping> =
            domain_mappings.iter().map(api::FlagMapping::from).collect();
        assert_eq!(back, api_mappings);
        same_json(&api_mappings, &domain_mappings);
        let domain_def = domain::Definition::from(&definition());
        for mapping in &domain_mappings {
            assert_eq!(domain::validate_mapping(&domain_def, mapping), Ok(()));
        }
    }

    #[test]
    fn answers_convert_both_ways_unchanged_with_the_same_json() {
        let api_answers = answers();
        let domain_answers = answers_to_domain(&api_answers);
        assert_eq!(answers_to_api(&domain_answers), api_answers);
        same_json(&api_answers, &domain_answers);
        assert_eq!(
            domain_answers.get("per_day"),
            Some(&domain::AnswerValue::Number(12.5))
        );
    }
}
