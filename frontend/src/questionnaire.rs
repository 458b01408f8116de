//! The questionnaire rules the SPA shares with the server: the API's definitions and answers
//! (`rxgate_api_types::health`) as `rxgate_domain::questionnaire`'s types, so pages ask the
//! domain which questions are shown instead of keeping a copy of the rule. The JSON shapes of
//! the two are the same; converting field by field (rather than through JSON, as the server
//! does) cannot fail, and a field or kind added on either side stops this file compiling.

use std::collections::{BTreeMap, BTreeSet};

use rxgate_api_types::health as api;
use rxgate_domain::questionnaire as domain;

pub use rxgate_domain::questionnaire::{Answers, Definition, progress, visible};

pub fn definition(definition: &api::Definition) -> Definition {
    Definition {
        questions: definition.questions.iter().map(question).collect(),
    }
}

fn question(q: &api::Question) -> domain::Question {
    domain::Question {
        key: q.key.clone(),
        label: q.label.clone(),
        help: q.help.clone(),
        kind: kind(&q.kind),
        required: q.required,
        show_if: q.show_if.as_ref().map(|c| domain::Condition {
            question: c.question.clone(),
            equals: answer(&c.equals),
        }),
    }
}

fn kind(kind: &api::QuestionKind) -> domain::QuestionKind {
    let options = |options: &[api::ChoiceOption]| {
        options
            .iter()
            .map(|o| domain::ChoiceOption {
                value: o.value.clone(),
                label: o.label.clone(),
            })
            .collect()
    };
    match kind {
        api::QuestionKind::Boolean => domain::QuestionKind::Boolean,
        api::QuestionKind::SingleChoice { options: o } => domain::QuestionKind::SingleChoice {
            options: options(o),
        },
        api::QuestionKind::MultipleChoice { options: o } => domain::QuestionKind::MultipleChoice {
            options: options(o),
        },
        api::QuestionKind::Number { unit, min, max } => domain::QuestionKind::Number {
            unit: unit.clone(),
            min: *min,
            max: *max,
        },
        api::QuestionKind::Date => domain::QuestionKind::Date,
        api::QuestionKind::FreeText { max_len } => {
            domain::QuestionKind::FreeText { max_len: *max_len }
        }
    }
}

pub fn answer(answer: &api::AnswerValue) -> domain::AnswerValue {
    match answer {
        api::AnswerValue::Bool(b) => domain::AnswerValue::Bool(*b),
        api::AnswerValue::Choice(v) => domain::AnswerValue::Choice(v.clone()),
        api::AnswerValue::Choices(vs) => domain::AnswerValue::Choices(vs.clone()),
        api::AnswerValue::Number(n) => domain::AnswerValue::Number(*n),
        api::AnswerValue::Date(d) => domain::AnswerValue::Date(*d),
        api::AnswerValue::Text(t) => domain::AnswerValue::Text(t.clone()),
    }
}

pub fn answers(answers: &BTreeMap<String, api::AnswerValue>) -> Answers {
    answers
        .iter()
        .map(|(key, value)| (key.clone(), answer(value)))
        .collect()
}

/// The keys of the questions [`visible`] shows with these answers.
pub fn visible_keys(definition: &Definition, answers: &Answers) -> BTreeSet<String> {
    definition
        .questions
        .iter()
        .filter(|q| visible(definition, answers, &q.key))
        .map(|q| q.key.clone())
        .collect()
}
