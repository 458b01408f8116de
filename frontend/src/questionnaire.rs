//! The questionnaire rules the SPA shares with the server: pages turn the API's definitions
//! and answers (`rxgate_api_types::health`) into `rxgate_domain::questionnaire`'s types with
//! the conversions of `rxgate_api_types::convert` (the server's too) and ask the domain which
//! questions are shown instead of keeping a copy of the rule.

use std::collections::BTreeSet;

pub use rxgate_api_types::convert::answers_to_domain;
pub use rxgate_domain::questionnaire::{Answers, Definition, progress, visible};

/// The keys of the questions [`visible`] shows with these answers.
pub fn visible_keys(definition: &Definition, answers: &Answers) -> BTreeSet<String> {
    definition
        .questions
        .iter()
        .filter(|q| visible(definition, answers, &q.key))
        .map(|q| q.key.clone())
        .collect()
}
