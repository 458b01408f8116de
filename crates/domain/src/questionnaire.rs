//! Medical questionnaires: how a form is defined, which questions a patient sees, how answers
//! are checked and normalised, and how answers raise clinical flags.
//!
//! A [`Definition`] is an ordered list of questions. A question may be shown only when an
//! *earlier* question has a given answer ([`Condition`]); conditions chain, so a question
//! whose condition refers to a hidden question is hidden too. Answers to hidden questions are
//! ignored and dropped: a patient who changes an earlier answer is never blocked by a stale
//! one.
//!
//! Flags are short codes (`smoker_over_35`) that the eligibility rules act on. A
//! [`FlagMapping`] raises its flag when every one of its clauses holds; several mappings may
//! name the same flag, and the flag is raised when any of them holds (an OR of ANDs). A
//! doctor may override a flag either way ([`FlagOverride`]).
//!
//! Visibility, validation and flags all depend only on their arguments: "today" is a
//! parameter.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest question key and flag code, in characters.
pub const MAX_KEY_CHARS: usize = 64;
/// Largest `max_len` a free-text question may have.
pub const MAX_FREE_TEXT_CHARS: u32 = 5000;

/// One option of a choice question: `value` is what is stored and matched, `label` what the
/// patient reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum QuestionKind {
    /// Yes or no.
    Boolean,
    /// Exactly one of the options.
    SingleChoice { options: Vec<ChoiceOption> },
    /// Any number of the options, each at most once. No choice at all counts as unanswered,
    /// so a required question of this kind needs a "none of these" option.
    MultipleChoice { options: Vec<ChoiceOption> },
    /// A finite number, optionally bounded (bounds inclusive) and with a unit for display.
    Number {
        unit: Option<String>,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// A calendar date that is not in the future (such as a date of birth).
    Date,
    /// Text of at most `max_len` characters after trimming.
    FreeText { max_len: u32 },
}

impl QuestionKind {
    /// The kind's name as it appears in JSON (`single_choice`), for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Boolean => "boolean",
            Self::SingleChoice { .. } => "single_choice",
            Self::MultipleChoice { .. } => "multiple_choice",
            Self::Number { .. } => "number",
            Self::Date => "date",
            Self::FreeText { .. } => "free_text",
        }
    }

    /// The options of a choice question.
    pub fn options(&self) -> Option<&[ChoiceOption]> {
        match self {
            Self::SingleChoice { options } | Self::MultipleChoice { options } => Some(options),
            _ => None,
        }
    }

    fn has_option(&self, value: &str) -> bool {
        self.options()
            .is_some_and(|options| options.iter().any(|o| o.value == value))
    }
}

/// Show a question only when the earlier question `question` has the answer `equals`. For a
/// multiple-choice question, `equals` is a [`AnswerValue::Choice`] and holds when the answer
/// contains it. Text is compared after trimming.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Condition {
    pub question: String,
    pub equals: AnswerValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Question {
    /// Stable identifier, `[a-z0-9_]{1,64}`: answers and flag mappings refer to it.
    pub key: String,
    pub label: String,
    pub help: Option<String>,
    pub kind: QuestionKind,
    /// Must be answered before the questionnaire is complete, when visible.
    pub required: bool,
    pub show_if: Option<Condition>,
}

/// A questionnaire as a clinic defines it. Check it with [`Definition::validate`] before
/// storing it: the other functions of this module assume a valid definition (they never
/// panic on an invalid one, but a condition that does not refer to an earlier question hides
/// its question).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Definition {
    pub questions: Vec<Question>,
}

/// A problem with a definition, for the clinic admin editing it. `question` is `None` for
/// problems with the definition as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefinitionError {
    pub question: Option<String>,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.question {
            Some(key) => write!(f, "question `{key}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DefinitionError {}

/// A patient's answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    Bool(bool),
    Choice(String),
    Choices(Vec<String>),
    Number(f64),
    Date(NaiveDate),
    Text(String),
}

impl AnswerValue {
    /// Empty text and an empty list of choices count as no answer.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Text(text) => text.trim().is_empty(),
            Self::Choices(choices) => choices.is_empty(),
            _ => false,
        }
    }
}

/// Answers by question key.
pub type Answers = BTreeMap<String, AnswerValue>;

/// A problem with one answer. `code` is stable (`required`, `wrong_type`, `invalid_option`,
/// `out_of_range`, `future_date`, `too_long`, `unknown_question`); `message` is plain English
/// for the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerError {
    pub question: String,
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.question, self.code, self.message)
    }
}

impl std::error::Error for AnswerError {}

/// `[a-z0-9_]{1,64}`.
fn valid_question_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_CHARS
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A flag code: `[a-z][a-z0-9_]{0,63}`.
pub fn valid_flag_code(code: &str) -> bool {
    code.len() <= MAX_KEY_CHARS
        && code.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Definition {
    /// The first question with this key.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// Every problem found, in question order: keys unique and `[a-z0-9_]{1,64}`, labels not
    /// empty, choice options present with unique non-empty values, `min <= max`, `max_len` in
    /// `1..=5000`, and `show_if` referring to an earlier question with a value that question
    /// could have.
    pub fn validate(&self) -> Result<(), Vec<DefinitionError>> {
        let mut errors = Vec::new();
        if self.questions.is_empty() {
            errors.push(DefinitionError {
                question: None,
                message: "A questionnaire needs at least one question.".to_owned(),
            });
        }
        let mut earlier: HashMap<&str, &Question> = HashMap::new();
        for q in &self.questions {
            let mut push = |message: String| {
                errors.push(DefinitionError {
                    question: Some(q.key.clone()),
                    message,
                });
            };
            if !valid_question_key(&q.key) {
                push(format!(
                    "The key must be 1 to {MAX_KEY_CHARS} lower-case letters, digits or `_`."
                ));
            } else if earlier.contains_key(q.key.as_str()) {
                push("Another question already uses this key.".to_owned());
            }
            if q.label.trim().is_empty() {
                push("The label is empty.".to_owned());
            }
            for message in kind_problems(&q.kind) {
                push(message);
            }
            if let Some(condition) = &q.show_if {
                match earlier.get(condition.question.as_str()) {
                    Some(target) => {
                        if let Err(message) = check_condition_value(target, &condition.equals) {
                            push(message);
                        }
                    }
                    None if self.question(&condition.question).is_some() => push(format!(
                        "The condition must refer to an earlier question, and `{}` is not \
                         earlier.",
                        condition.question
                    )),
                    None => push(format!(
                        "The condition refers to `{}`, which is not a question of this form.",
                        condition.question
                    )),
                }
            }
            earlier.entry(q.key.as_str()).or_insert(q);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

fn kind_problems(kind: &QuestionKind) -> Vec<String> {
    let mut problems = Vec::new();
    match kind {
        QuestionKind::Boolean | QuestionKind::Date => {}
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options } => {
            if options.is_empty() {
                problems.push("A choice question needs at least one option.".to_owned());
            }
            let mut seen = HashSet::new();
            for option in options {
                if option.value.trim().is_empty() || option.value.trim() != option.value {
                    problems.push(format!(
                        "The option value `{}` is empty or starts or ends with spaces.",
                        option.value
                    ));
                } else if !seen.insert(option.value.as_str()) {
                    problems.push(format!(
                        "The option value `{}` is used more than once.",
                        option.value
                    ));
                }
                if option.label.trim().is_empty() {
                    problems.push(format!("The option `{}` has an empty label.", option.value));
                }
            }
        }
        QuestionKind::Number { unit, min, max } => {
            if unit.as_deref().is_some_and(|u| u.trim().is_empty()) {
                problems.push("The unit is empty: leave it out instead.".to_owned());
            }
            if min.is_some_and(|m| !m.is_finite()) || max.is_some_and(|m| !m.is_finite()) {
                problems.push("The minimum and maximum must be finite numbers.".to_owned());
            }
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                problems.push(format!(
                    "The minimum ({min}) is greater than the maximum ({max})."
                ));
            }
        }
        QuestionKind::FreeText { max_len } => {
            if !(1..=MAX_FREE_TEXT_CHARS).contains(max_len) {
                problems.push(format!(
                    "The maximum length must be between 1 and {MAX_FREE_TEXT_CHARS} characters."
                ));
            }
        }
    }
    problems
}

/// Whether `equals` is an answer `target` could have.
fn check_condition_value(target: &Question, equals: &AnswerValue) -> Result<(), String> {
    let fits = match (&target.kind, equals) {
        (QuestionKind::Boolean, AnswerValue::Bool(_))
        | (QuestionKind::Date, AnswerValue::Date(_)) => true,
        (
            QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. },
            AnswerValue::Choice(value),
        ) => {
            if !target.kind.has_option(value) {
                return Err(format!(
                    "The condition's value `{value}` is not an option of `{}`.",
                    target.key
                ));
            }
            true
        }
        (QuestionKind::Number { min, max, .. }, AnswerValue::Number(n)) => {
            if !n.is_finite() || min.is_some_and(|m| *n < m) || max.is_some_and(|m| *n > m) {
                return Err(format!(
                    "The condition's value {n} is outside the range of `{}`.",
                    target.key
                ));
            }
            true
        }
        (QuestionKind::FreeText { max_len }, AnswerValue::Text(text)) => {
            let trimmed = text.trim();
            if trimmed.is_empty() || char_count_exceeds(trimmed, *max_len) {
                return Err(format!(
                    "The condition's text is empty or longer than `{}` allows.",
                    target.key
                ));
            }
            true
        }
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(format!(
            "The condition's value does not fit `{}`, a {} question.",
            target.key,
            target.kind.name()
        ))
    }
}

fn char_count_exceeds(text: &str, max_len: u32) -> bool {
    let max = usize::try_from(max_len).unwrap_or(usize::MAX);
    text.chars().nth(max).is_some()
}

/// Whether an answer satisfies a condition's `equals`.
fn condition_holds(equals: &AnswerValue, answer: &AnswerValue) -> bool {
    if answer.is_empty() {
        return false;
    }
    match (equals, answer) {
        (AnswerValue::Choice(wanted), AnswerValue::Choices(chosen)) => chosen.contains(wanted),
        (AnswerValue::Text(wanted), AnswerValue::Text(given)) => wanted.trim() == given.trim(),
        (wanted, given) => wanted == given,
    }
}

/// Which questions are visible, by position in `def.questions`, plus the position of each
/// key's first question. One forward pass: a condition can only see questions before it,
/// which also makes cycles impossible.
struct Visibility<'a> {
    shown: Vec<bool>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Visibility<'a> {
    fn of(def: &'a Definition, answers: &Answers) -> Self {
        let mut shown = Vec::with_capacity(def.questions.len());
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (position, q) in def.questions.iter().enumerate() {
            let visible = match &q.show_if {
                None => true,
                Some(condition) => {
                    index
                        .get(condition.question.as_str())
                        .is_some_and(|&j| shown.get(j).copied().unwrap_or(false))
                        && answers
                            .get(&condition.question)
                            .is_some_and(|a| condition_holds(&condition.equals, a))
                }
            };
            index.entry(q.key.as_str()).or_insert(position);
            shown.push(visible);
        }
        Self { shown, index }
    }

    /// The visible questions, each key once (the first question with that key).
    fn visible_questions<'d>(
        &'d self,
        def: &'d Definition,
    ) -> impl Iterator<Item = &'d Question> + 'd {
        def.questions
            .iter()
            .enumerate()
            .filter(move |(position, q)| {
                self.shown.get(*position).copied().unwrap_or(false)
                    && self.index.get(q.key.as_str()) == Some(position)
            })
            .map(|(_, q)| q)
    }

    fn is_visible(&self, key: &str) -> bool {
        self.index
            .get(key)
            .is_some_and(|&i| self.shown.get(i).copied().unwrap_or(false))
    }
}

/// Whether the question `key` is shown given these answers: it has no condition, or its
/// condition's question is visible and answered with the condition's value. Unknown keys are
/// not visible.
pub fn visible(def: &Definition, answers: &Answers, key: &str) -> bool {
    Visibility::of(def, answers).is_visible(key)
}

fn error(question: &Question, code: &'static str, message: String) -> AnswerError {
    AnswerError {
        question: question.key.clone(),
        code,
        message,
    }
}

fn wrong_type_message(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Boolean => "Please answer yes or no.",
        QuestionKind::SingleChoice { .. } => "Please choose one of the options.",
        QuestionKind::MultipleChoice { .. } => "Please choose from the options given.",
        QuestionKind::Number { .. } => "Please enter a number.",
        QuestionKind::Date => "Please enter a date.",
        QuestionKind::FreeText { .. } => "Please type your answer.",
    }
}

fn range_message(unit: Option<&str>, min: Option<f64>, max: Option<f64>) -> String {
    let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
    match (min, max) {
        (Some(min), Some(max)) => {
            format!("Please enter a number between {min}{unit} and {max}{unit}.")
        }
        (Some(min), None) => format!("Please enter a number of at least {min}{unit}."),
        (None, Some(max)) => format!("Please enter a number of at most {max}{unit}."),
        (None, None) => "Please enter a valid number.".to_owned(),
    }
}

/// Checks one visible answer; `Ok(None)` when it counts as unanswered.
fn check_answer(
    question: &Question,
    answer: &AnswerValue,
    today: NaiveDate,
) -> Result<Option<AnswerValue>, AnswerError> {
    let invalid_option = || {
        error(
            question,
            "invalid_option",
            "Please choose one of the options given.".to_owned(),
        )
    };
    match (&question.kind, answer) {
        (QuestionKind::Boolean, AnswerValue::Bool(b)) => Ok(Some(AnswerValue::Bool(*b))),
        (QuestionKind::SingleChoice { .. }, AnswerValue::Choice(value)) => {
            if question.kind.has_option(value) {
                Ok(Some(answer.clone()))
            } else {
                Err(invalid_option())
            }
        }
        (QuestionKind::MultipleChoice { .. }, AnswerValue::Choices(values)) => {
            if values.is_empty() {
                return Ok(None);
            }
            if !values.iter().all(|v| question.kind.has_option(v)) {
                return Err(invalid_option());
            }
            let distinct: HashSet<&String> = values.iter().collect();
            if distinct.len() != values.len() {
                return Err(error(
                    question,
                    "invalid_option",
                    "Please choose each option only once.".to_owned(),
                ));
            }
            Ok(Some(answer.clone()))
        }
        (QuestionKind::Number { unit, min, max }, AnswerValue::Number(n)) => {
            let in_range =
                n.is_finite() && min.is_none_or(|m| *n >= m) && max.is_none_or(|m| *n <= m);
            if in_range {
                Ok(Some(AnswerValue::Number(*n)))
            } else {
                Err(error(
                    question,
                    "out_of_range",
                    range_message(unit.as_deref(), *min, *max),
                ))
            }
        }
        (QuestionKind::Date, AnswerValue::Date(date)) => {
            if *date > today {
                Err(error(
                    question,
                    "future_date",
                    "This date cannot be in the future.".to_owned(),
                ))
            } else {
                Ok(Some(AnswerValue::Date(*date)))
            }
        }
        (QuestionKind::FreeText { max_len }, AnswerValue::Text(text)) => {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                Ok(None)
            } else if char_count_exceeds(trimmed, *max_len) {
                Err(error(
                    question,
                    "too_long",
                    format!("Please keep your answer to {max_len} characters or fewer."),
                ))
            } else {
                Ok(Some(AnswerValue::Text(trimmed.to_owned())))
            }
        }
        (kind, _) => Err(error(
            question,
            "wrong_type",
            wrong_type_message(kind).to_owned(),
        )),
    }
}

/// Checks a patient's answers and returns them normalised: answers to hidden questions
/// dropped, text trimmed, empty text and empty choice lists dropped (they count as
/// unanswered). With `complete`, every visible required question must be answered: use it on
/// submission, not while the patient is still filling in the form. `today` is the patient's
/// local date (dates after it are refused).
///
/// Errors come one per question at most: unknown keys first (in key order), then the
/// questions in form order. Answers to hidden questions are not checked.
pub fn validate_answers(
    def: &Definition,
    answers: &Answers,
    complete: bool,
    today: NaiveDate,
) -> Result<Answers, Vec<AnswerError>> {
    let visibility = Visibility::of(def, answers);
    let mut errors: Vec<AnswerError> = answers
        .keys()
        .filter(|key| !visibility.index.contains_key(key.as_str()))
        .map(|key| AnswerError {
            question: key.clone(),
            code: "unknown_question",
            message: "This question is not part of the form.".to_owned(),
        })
        .collect();
    let mut normalised = Answers::new();
    for question in visibility.visible_questions(def) {
        let checked = match answers.get(&question.key) {
            Some(answer) => check_answer(question, answer, today),
            None => Ok(None),
        };
        match checked {
            Ok(Some(value)) => {
                normalised.insert(question.key.clone(), value);
            }
            Ok(None) if complete && question.required => errors.push(error(
                question,
                "required",
                "Please answer this question.".to_owned(),
            )),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(normalised)
    } else {
        Err(errors)
    }
}

/// `(answered, visible)`: how many visible questions have a non-empty answer, and how many
/// questions are visible. Answers are counted whether or not they are valid.
pub fn progress(def: &Definition, answers: &Answers) -> (usize, usize) {
    let visibility = Visibility::of(def, answers);
    visibility
        .visible_questions(def)
        .fold((0, 0), |(answered, shown), q| {
            let has_answer = answers.get(&q.key).is_some_and(|a| !a.is_empty());
            (answered + usize::from(has_answer), shown + 1)
        })
}

/// A test on one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum MappingTest {
    /// A boolean answer is yes.
    IsTrue,
    /// A boolean answer is no.
    IsFalse,
    /// A single-choice answer is `value`, or a multiple-choice answer contains it.
    Chosen { value: String },
    /// A number answer is strictly greater than `threshold`.
    NumberAbove { threshold: f64 },
    /// A number answer is strictly less than `threshold`.
    NumberBelow { threshold: f64 },
    /// At least `years` full years lie between a date answer (such as a date of birth) and
    /// today. Someone born on 29 February completes a year on 1 March in common years.
    YearsSinceAtLeast { years: u32 },
}

impl MappingTest {
    fn name(&self) -> &'static str {
        match self {
            Self::IsTrue => "is_true",
            Self::IsFalse => "is_false",
            Self::Chosen { .. } => "chosen",
            Self::NumberAbove { .. } => "number_above",
            Self::NumberBelow { .. } => "number_below",
            Self::YearsSinceAtLeast { .. } => "years_since_at_least",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct MappingClause {
    pub question: String,
    pub test: MappingTest,
}

/// Raise `flag` when every clause of `all` holds. A clause on a hidden or unanswered question
/// does not hold; a mapping without clauses never raises its flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct FlagMapping {
    pub flag: String,
    pub all: Vec<MappingClause>,
}

/// Checks a mapping against the definition it belongs to: a valid flag code, at least one
/// clause, every clause on an existing question with a test that fits its kind. The message
/// is for the clinic admin.
pub fn validate_mapping(def: &Definition, mapping: &FlagMapping) -> Result<(), String> {
    if !valid_flag_code(&mapping.flag) {
        return Err(format!(
            "`{}` is not a valid flag code: use a lower-case letter followed by up to 63 \
             lower-case letters, digits or `_`.",
            mapping.flag
        ));
    }
    if mapping.all.is_empty() {
        return Err(format!(
            "The mapping for `{}` needs at least one condition.",
            mapping.flag
        ));
    }
    for clause in &mapping.all {
        let Some(question) = def.question(&clause.question) else {
            return Err(format!(
                "`{}` is not a question of this form.",
                clause.question
            ));
        };
        let fits = match (&clause.test, &question.kind) {
            (MappingTest::IsTrue | MappingTest::IsFalse, QuestionKind::Boolean)
            | (MappingTest::YearsSinceAtLeast { .. }, QuestionKind::Date) => true,
            (
                MappingTest::Chosen { value },
                QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. },
            ) => {
                if !question.kind.has_option(value) {
                    return Err(format!("`{value}` is not an option of `{}`.", question.key));
                }
                true
            }
            (
                MappingTest::NumberAbove { threshold } | MappingTest::NumberBelow { threshold },
                QuestionKind::Number { .. },
            ) => {
                if !threshold.is_finite() {
                    return Err("The threshold must be a finite number.".to_owned());
                }
                true
            }
            _ => false,
        };
        if !fits {
            return Err(format!(
                "A `{}` test does not fit `{}`, a {} question.",
                clause.test.name(),
                question.key,
                question.kind.name()
            ));
        }
    }
    Ok(())
}

fn clause_holds(
    visibility: &Visibility<'_>,
    answers: &Answers,
    clause: &MappingClause,
    today: NaiveDate,
) -> bool {
    if !visibility.is_visible(&clause.question) {
        return false;
    }
    let Some(answer) = answers.get(&clause.question) else {
        return false;
    };
    match (&clause.test, answer) {
        (MappingTest::IsTrue, AnswerValue::Bool(b)) => *b,
        (MappingTest::IsFalse, AnswerValue::Bool(b)) => !*b,
        (MappingTest::Chosen { value }, AnswerValue::Choice(chosen)) => chosen == value,
        (MappingTest::Chosen { value }, AnswerValue::Choices(chosen)) => chosen.contains(value),
        (MappingTest::NumberAbove { threshold }, AnswerValue::Number(n)) => n > threshold,
        (MappingTest::NumberBelow { threshold }, AnswerValue::Number(n)) => n < threshold,
        (MappingTest::YearsSinceAtLeast { years }, AnswerValue::Date(date)) => {
            today.years_since(*date).is_some_and(|y| y >= *years)
        }
        _ => false,
    }
}

/// The flags the answers raise. Pass answers returned by [`validate_answers`]; `today` is the
/// same date used there.
pub fn derive_flags(
    def: &Definition,
    answers: &Answers,
    mappings: &[FlagMapping],
    today: NaiveDate,
) -> BTreeSet<String> {
    let visibility = Visibility::of(def, answers);
    mappings
        .iter()
        .filter(|m| {
            !m.all.is_empty()
                && m.all
                    .iter()
                    .all(|clause| clause_holds(&visibility, answers, clause, today))
        })
        .map(|m| m.flag.clone())
        .collect()
}

/// A doctor's decision that a flag is (`raised`) or is not held, whatever the form says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct FlagOverride {
    pub flag: String,
    pub raised: bool,
}

/// The derived flags with the overrides applied in order, so the last override of a flag
/// wins.
pub fn effective_flags(derived: &BTreeSet<String>, overrides: &[FlagOverride]) -> BTreeSet<String> {
    let mut flags = derived.clone();
    for o in overrides {
        if o.raised {
            flags.insert(o.flag.clone());
        } else {
            flags.remove(&o.flag);
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        date(2025, 6, 15)
    }

    fn options(values: &[&str]) -> Vec<ChoiceOption> {
        values
            .iter()
            .map(|v| ChoiceOption {
                value: (*v).to_owned(),
                label: v.to_uppercase(),
            })
            .collect()
    }

    fn q(key: &str, kind: QuestionKind) -> Question {
        Question {
            key: key.to_owned(),
            label: format!("Label of {key}"),
            help: None,
            kind,
            required: true,
            show_if: None,
        }
    }

    fn shown_if(mut question: Question, on: &str, equals: AnswerValue) -> Question {
        question.show_if = Some(Condition {
            question: on.to_owned(),
            equals,
        });
        question
    }

    fn optional(mut question: Question) -> Question {
        question.required = false;
        question
    }

    fn text(s: &str) -> AnswerValue {
        AnswerValue::Text(s.to_owned())
    }

    fn choice(s: &str) -> AnswerValue {
        AnswerValue::Choice(s.to_owned())
    }

    fn choices(values: &[&str]) -> AnswerValue {
        AnswerValue::Choices(values.iter().map(|v| (*v).to_owned()).collect())
    }

    /// A contraception questionnaire: smoking, age, blood pressure, migraines.
    fn form() -> Definition {
        Definition {
            questions: vec![
                q("date_of_birth", QuestionKind::Date),
                q("smoker", QuestionKind::Boolean),
                shown_if(
                    q(
                        "cigarettes_per_day",
                        QuestionKind::Number {
                            unit: Some("cigarettes".to_owned()),
                            min: Some(1.0),
                            max: Some(100.0),
                        },
                    ),
                    "smoker",
                    AnswerValue::Bool(true),
                ),
                q(
                    "conditions",
                    QuestionKind::MultipleChoice {
                        options: options(&["migraine", "hypertension", "none"]),
                    },
                ),
                shown_if(
                    q(
                        "migraine_aura",
                        QuestionKind::SingleChoice {
                            options: options(&["yes", "no", "unsure"]),
                        },
                    ),
                    "conditions",
                    choice("migraine"),
                ),
                shown_if(
                    optional(q("aura_details", QuestionKind::FreeText { max_len: 20 })),
                    "migraine_aura",
                    choice("yes"),
                ),
                optional(q(
                    "weight",
                    QuestionKind::Number {
                        unit: Some("kg".to_owned()),
                        min: Some(20.0),
                        max: None,
                    },
                )),
                optional(q("notes", QuestionKind::FreeText { max_len: 500 })),
            ],
        }
    }

    fn answers(pairs: &[(&str, AnswerValue)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn full_answers() -> Answers {
        answers(&[
            ("date_of_birth", AnswerValue::Date(date(1985, 3, 1))),
            ("smoker", AnswerValue::Bool(true)),
            ("cigarettes_per_day", AnswerValue::Number(10.0)),
            ("conditions", choices(&["migraine"])),
            ("migraine_aura", choice("yes")),
            ("aura_details", text("  flashing lights ")),
        ])
    }

    #[test]
    fn the_sample_form_is_valid() {
        assert_eq!(form().validate(), Ok(()));
    }

    fn definition_errors(def: &Definition) -> Vec<(Option<String>, String)> {
        def.validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.question, e.message))
            .collect()
    }

    #[test]
    fn definition_error_table() {
        let single = |opts: Vec<ChoiceOption>| QuestionKind::SingleChoice { options: opts };
        let number = |min, max| QuestionKind::Number {
            unit: None,
            min,
            max,
        };
        let with_label = |mut question: Question, label: &str| {
            question.label = label.to_owned();
            question
        };
        let cases: Vec<(&str, Vec<Question>, &str)> = vec![
            ("empty key", vec![q("", QuestionKind::Boolean)], "The key"),
            (
                "upper-case key",
                vec![q("Age", QuestionKind::Boolean)],
                "The key",
            ),
            (
                "dash in key",
                vec![q("a-b", QuestionKind::Boolean)],
                "The key",
            ),
            (
                "long key",
                vec![q(&"k".repeat(65), QuestionKind::Boolean)],
                "The key",
            ),
            (
                "duplicate key",
                vec![q("a", QuestionKind::Boolean), q("a", QuestionKind::Date)],
                "already uses this key",
            ),
            (
                "blank label",
                vec![with_label(q("a", QuestionKind::Boolean), "  ")],
                "label is empty",
            ),
            (
                "no options",
                vec![q("a", single(vec![]))],
                "at least one option",
            ),
            (
                "no options (multiple)",
                vec![q("a", QuestionKind::MultipleChoice { options: vec![] })],
                "at least one option",
            ),
            (
                "duplicate option",
                vec![q("a", single(options(&["x", "x"])))],
                "more than once",
            ),
            (
                "blank option value",
                vec![q(
                    "a",
                    single(vec![ChoiceOption {
                        value: " ".to_owned(),
                        label: "Blank".to_owned(),
                    }]),
                )],
                "empty or starts or ends with spaces",
            ),
            (
                "padded option value",
                vec![q("a", single(options(&[" x"])))],
                "empty or starts or ends with spaces",
            ),
            (
                "blank option label",
                vec![q(
                    "a",
                    single(vec![ChoiceOption {
                        value: "x".to_owned(),
                        label: String::new(),
                    }]),
                )],
                "empty label",
            ),
            (
                "min above max",
                vec![q("a", number(Some(5.0), Some(1.0)))],
                "greater than the maximum",
            ),
            (
                "infinite bound",
                vec![q("a", number(Some(f64::NEG_INFINITY), None))],
                "finite",
            ),
            (
                "blank unit",
                vec![q(
                    "a",
                    QuestionKind::Number {
                        unit: Some(" ".to_owned()),
                        min: None,
                        max: None,
                    },
                )],
                "unit is empty",
            ),
            (
                "max_len zero",
                vec![q("a", QuestionKind::FreeText { max_len: 0 })],
                "maximum length",
            ),
            (
                "max_len too big",
                vec![q("a", QuestionKind::FreeText { max_len: 5001 })],
                "maximum length",
            ),
            (
                "condition on a later question",
                vec![
                    shown_if(q("a", QuestionKind::Boolean), "b", AnswerValue::Bool(true)),
                    q("b", QuestionKind::Boolean),
                ],
                "must refer to an earlier question",
            ),
            (
                "condition on itself",
                vec![shown_if(
                    q("a", QuestionKind::Boolean),
                    "a",
                    AnswerValue::Bool(true),
                )],
                "must refer to an earlier question",
            ),
            (
                "condition on an unknown question",
                vec![shown_if(
                    q("a", QuestionKind::Boolean),
                    "zzz",
                    AnswerValue::Bool(true),
                )],
                "not a question of this form",
            ),
            (
                "condition value of the wrong type",
                vec![
                    q("a", QuestionKind::Boolean),
                    shown_if(q("b", QuestionKind::Date), "a", choice("yes")),
                ],
                "does not fit `a`, a boolean question",
            ),
            (
                "condition value not an option",
                vec![
                    q("a", single(options(&["x", "y"]))),
                    shown_if(q("b", QuestionKind::Date), "a", choice("z")),
                ],
                "not an option of `a`",
            ),
            (
                "condition number out of range",
                vec![
                    q("a", number(Some(0.0), Some(10.0))),
                    shown_if(q("b", QuestionKind::Date), "a", AnswerValue::Number(11.0)),
                ],
                "outside the range",
            ),
            (
                "condition with empty text",
                vec![
                    q("a", QuestionKind::FreeText { max_len: 10 }),
                    shown_if(q("b", QuestionKind::Date), "a", text("  ")),
                ],
                "empty or longer",
            ),
            (
                "condition with choices instead of a choice",
                vec![
                    q(
                        "a",
                        QuestionKind::MultipleChoice {
                            options: options(&["x"]),
                        },
                    ),
                    shown_if(q("b", QuestionKind::Date), "a", choices(&["x"])),
                ],
                "does not fit `a`, a multiple_choice question",
            ),
        ];
        for (name, questions, expected) in cases {
            let errors = definition_errors(&Definition { questions });
            assert_eq!(errors.len(), 1, "{name}: {errors:?}");
            assert!(errors[0].1.contains(expected), "{name}: {errors:?}");
            assert!(errors[0].0.is_some(), "{name}");
        }
        assert_eq!(
            definition_errors(&Definition { questions: vec![] }),
            vec![(
                None,
                "A questionnaire needs at least one question.".to_owned()
            )]
        );
    }

    #[test]
    fn definition_reports_every_problem() {
        let def = Definition {
            questions: vec![
                q("A", QuestionKind::FreeText { max_len: 0 }),
                q("b", QuestionKind::SingleChoice { options: vec![] }),
            ],
        };
        let errors = def.validate().unwrap_err();
        let keys: Vec<_> = errors.iter().map(|e| e.question.as_deref()).collect();
        assert_eq!(keys, [Some("A"), Some("A"), Some("b")]);
        assert_eq!(
            errors[2].to_string(),
            "question `b`: A choice question needs at least one option."
        );
    }

    #[test]
    fn serde_shapes_are_stable() {
        let question = shown_if(
            q(
                "weight",
                QuestionKind::Number {
                    unit: Some("kg".to_owned()),
                    min: Some(20.0),
                    max: None,
                },
            ),
            "smoker",
            AnswerValue::Bool(true),
        );
        let value = serde_json::to_value(&question).unwrap();
        assert_eq!(
            value,
            json!({
                "key": "weight",
                "label": "Label of weight",
                "help": null,
                "kind": { "type": "number", "unit": "kg", "min": 20.0, "max": null },
                "required": true,
                "show_if": { "question": "smoker", "equals": { "type": "bool", "value": true } }
            })
        );
        assert_eq!(serde_json::from_value::<Question>(value).unwrap(), question);

        // Optional fields may be left out.
        let minimal: Question = serde_json::from_value(json!({
            "key": "k", "label": "L", "required": false,
            "kind": { "type": "number" }
        }))
        .unwrap();
        assert_eq!(
            minimal.kind,
            QuestionKind::Number {
                unit: None,
                min: None,
                max: None
            }
        );
        assert_eq!(minimal.show_if, None);

        // Typos are refused rather than silently ignored.
        assert!(
            serde_json::from_value::<Question>(json!({
                "key": "k", "label": "L", "required": false,
                "kind": { "type": "boolean" }, "show_iff": null
            }))
            .is_err()
        );
        assert!(
            serde_json::from_value::<QuestionKind>(json!({ "type": "free_text", "maxlen": 3 }))
                .is_err()
        );

        let all = answers(&[
            ("a", AnswerValue::Bool(false)),
            ("b", choice("x")),
            ("c", choices(&["x", "y"])),
            ("d", AnswerValue::Number(1.5)),
            ("e", AnswerValue::Date(date(2000, 2, 29))),
            ("f", text("hi")),
        ]);
        let value = serde_json::to_value(&all).unwrap();
        assert_eq!(
            value,
            json!({
                "a": { "type": "bool", "value": false },
                "b": { "type": "choice", "value": "x" },
                "c": { "type": "choices", "value": ["x", "y"] },
                "d": { "type": "number", "value": 1.5 },
                "e": { "type": "date", "value": "2000-02-29" },
                "f": { "type": "text", "value": "hi" }
            })
        );
        assert_eq!(serde_json::from_value::<Answers>(value).unwrap(), all);

        let mapping = FlagMapping {
            flag: "over_35".to_owned(),
            all: vec![MappingClause {
                question: "date_of_birth".to_owned(),
                test: MappingTest::YearsSinceAtLeast { years: 35 },
            }],
        };
        let value = serde_json::to_value(&mapping).unwrap();
        assert_eq!(
            value,
            json!({
                "flag": "over_35",
                "all": [{ "question": "date_of_birth",
                          "test": { "type": "years_since_at_least", "years": 35 } }]
            })
        );
        assert_eq!(
            serde_json::from_value::<FlagMapping>(value).unwrap(),
            mapping
        );
    }

    #[test]
    fn valid_answers_are_normalised() {
        let out = validate_answers(&form(), &full_answers(), true, today()).unwrap();
        assert_eq!(out.get("aura_details"), Some(&text("flashing lights")));
        assert_eq!(out.len(), 6);
    }

    #[test]
    fn hidden_answers_are_dropped_without_being_checked() {
        let mut given = full_answers();
        given.insert("smoker".to_owned(), AnswerValue::Bool(false));
        // Out of range, but hidden now that the patient does not smoke.
        given.insert("cigarettes_per_day".to_owned(), AnswerValue::Number(-4.0));
        let out = validate_answers(&form(), &given, true, today()).unwrap();
        assert!(!out.contains_key("cigarettes_per_day"));
        assert_eq!(out.get("smoker"), Some(&AnswerValue::Bool(false)));
    }

    fn codes(def: &Definition, given: &Answers, complete: bool) -> Vec<(String, &'static str)> {
        validate_answers(def, given, complete, today())
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.question, e.code))
            .collect()
    }

    #[test]
    fn answer_error_table() {
        let with = |key: &str, value: AnswerValue| {
            let mut given = full_answers();
            given.insert(key.to_owned(), value);
            given
        };
        let cases: Vec<(&str, Answers, &str, &str)> = vec![
            (
                "unknown key",
                with("shoe_size", AnswerValue::Number(9.0)),
                "shoe_size",
                "unknown_question",
            ),
            (
                "bool as text",
                with("smoker", text("yes")),
                "smoker",
                "wrong_type",
            ),
            (
                "choice for multiple",
                with("conditions", choice("migraine")),
                "conditions",
                "wrong_type",
            ),
            (
                "choices for single",
                with("migraine_aura", choices(&["yes"])),
                "migraine_aura",
                "wrong_type",
            ),
            (
                "number as text",
                with("weight", text("70")),
                "weight",
                "wrong_type",
            ),
            (
                "date as text",
                with("date_of_birth", text("1990-01-01")),
                "date_of_birth",
                "wrong_type",
            ),
            (
                "text as number",
                with("notes", AnswerValue::Number(1.0)),
                "notes",
                "wrong_type",
            ),
            (
                "unknown option",
                with("migraine_aura", choice("maybe")),
                "migraine_aura",
                "invalid_option",
            ),
            (
                "unknown options",
                with("conditions", choices(&["migraine", "gout"])),
                "conditions",
                "invalid_option",
            ),
            (
                "repeated option",
                with("conditions", choices(&["migraine", "migraine"])),
                "conditions",
                "invalid_option",
            ),
            (
                "below min",
                with("cigarettes_per_day", AnswerValue::Number(0.5)),
                "cigarettes_per_day",
                "out_of_range",
            ),
            (
                "above max",
                with("cigarettes_per_day", AnswerValue::Number(101.0)),
                "cigarettes_per_day",
                "out_of_range",
            ),
            (
                "not a number",
                with("weight", AnswerValue::Number(f64::NAN)),
                "weight",
                "out_of_range",
            ),
            (
                "infinite",
                with("weight", AnswerValue::Number(f64::INFINITY)),
                "weight",
                "out_of_range",
            ),
            (
                "tomorrow",
                with("date_of_birth", AnswerValue::Date(date(2025, 6, 16))),
                "date_of_birth",
                "future_date",
            ),
            (
                "too long",
                with("aura_details", text(&"x".repeat(21))),
                "aura_details",
                "too_long",
            ),
        ];
        for (name, given, question, code) in cases {
            assert_eq!(
                codes(&form(), &given, false),
                vec![(question.to_owned(), code)],
                "{name}"
            );
        }
        // Boundaries are accepted.
        for (key, value) in [
            ("cigarettes_per_day", AnswerValue::Number(1.0)),
            ("cigarettes_per_day", AnswerValue::Number(100.0)),
            ("date_of_birth", AnswerValue::Date(today())),
            ("aura_details", text(&format!("  {}  ", "é".repeat(20)))),
        ] {
            assert_eq!(codes(&form(), &with(key, value), true), vec![], "{key}");
        }
    }

    #[test]
    fn range_messages_name_bounds_and_unit() {
        let message = |def: &Definition, key: &str, n: f64| {
            validate_answers(
                def,
                &answers(&[(key, AnswerValue::Number(n))]),
                false,
                today(),
            )
            .unwrap_err()[0]
                .message
                .clone()
        };
        let def = form();
        assert_eq!(
            message(&def, "weight", 3.0),
            "Please enter a number of at least 20 kg."
        );
        let smoking = answers(&[
            ("smoker", AnswerValue::Bool(true)),
            ("cigarettes_per_day", AnswerValue::Number(500.0)),
        ]);
        assert_eq!(
            validate_answers(&def, &smoking, false, today()).unwrap_err()[0].message,
            "Please enter a number between 1 cigarettes and 100 cigarettes."
        );
        let bare = |min, max| Definition {
            questions: vec![q(
                "n",
                QuestionKind::Number {
                    unit: None,
                    min,
                    max,
                },
            )],
        };
        assert_eq!(
            message(&bare(None, Some(2.5)), "n", 3.0),
            "Please enter a number of at most 2.5."
        );
        assert_eq!(
            message(&bare(None, None), "n", f64::NAN),
            "Please enter a valid number."
        );
    }

    #[test]
    fn required_only_when_complete_and_visible() {
        let partial = answers(&[("smoker", AnswerValue::Bool(true))]);
        assert!(validate_answers(&form(), &partial, false, today()).is_ok());
        let missing: Vec<_> = codes(&form(), &partial, true)
            .into_iter()
            .map(|(q, code)| {
                assert_eq!(code, "required");
                q
            })
            .collect();
        // migraine_aura is hidden (no conditions chosen), weight and notes are optional.
        assert_eq!(
            missing,
            ["date_of_birth", "cigarettes_per_day", "conditions"]
        );
    }

    #[test]
    fn empty_text_and_empty_choices_count_as_unanswered() {
        let def = Definition {
            questions: vec![
                q("why", QuestionKind::FreeText { max_len: 10 }),
                q(
                    "which",
                    QuestionKind::MultipleChoice {
                        options: options(&["a", "none"]),
                    },
                ),
            ],
        };
        let given = answers(&[("why", text("   ")), ("which", choices(&[]))]);
        assert_eq!(
            validate_answers(&def, &given, false, today()),
            Ok(Answers::new())
        );
        assert_eq!(
            codes(&def, &given, true),
            [
                ("why".to_owned(), "required"),
                ("which".to_owned(), "required")
            ]
        );
        assert_eq!(progress(&def, &given), (0, 2));
    }

    #[test]
    fn show_if_chains() {
        let def = form();
        let key = "aura_details";
        let cases = [
            (full_answers(), true),
            (
                answers(&[
                    ("conditions", choices(&["hypertension", "migraine"])),
                    ("migraine_aura", choice("yes")),
                ]),
                true,
            ),
            (
                answers(&[
                    ("conditions", choices(&["migraine"])),
                    ("migraine_aura", choice("no")),
                ]),
                false,
            ),
            // The aura answer is still there, but its own question is hidden now.
            (
                answers(&[
                    ("conditions", choices(&["hypertension"])),
                    ("migraine_aura", choice("yes")),
                ]),
                false,
            ),
            (answers(&[("migraine_aura", choice("yes"))]), false),
            (Answers::new(), false),
        ];
        for (given, expected) in cases {
            assert_eq!(visible(&def, &given, key), expected, "{given:?}");
        }
        assert!(visible(&def, &Answers::new(), "smoker"));
        assert!(!visible(&def, &Answers::new(), "no_such_question"));

        // A stale answer down a hidden chain is dropped.
        let stale = answers(&[
            ("conditions", choices(&["none"])),
            ("migraine_aura", choice("yes")),
            ("aura_details", text("zigzags")),
        ]);
        let out = validate_answers(&def, &stale, false, today()).unwrap();
        assert_eq!(out, answers(&[("conditions", choices(&["none"]))]));
    }

    #[test]
    fn text_conditions_compare_trimmed() {
        let def = Definition {
            questions: vec![
                q("word", QuestionKind::FreeText { max_len: 10 }),
                shown_if(q("next", QuestionKind::Boolean), "word", text("yes")),
            ],
        };
        assert!(visible(&def, &answers(&[("word", text(" yes "))]), "next"));
        assert!(!visible(&def, &answers(&[("word", text("Yes"))]), "next"));
    }

    #[test]
    fn conditions_that_do_not_refer_back_hide_their_question() {
        let def = Definition {
            questions: vec![
                shown_if(q("a", QuestionKind::Boolean), "b", AnswerValue::Bool(true)),
                shown_if(q("b", QuestionKind::Boolean), "a", AnswerValue::Bool(true)),
            ],
        };
        let given = answers(&[
            ("a", AnswerValue::Bool(true)),
            ("b", AnswerValue::Bool(true)),
        ]);
        assert!(!visible(&def, &given, "a"));
        assert!(!visible(&def, &given, "b"));
    }

    #[test]
    fn progress_counts_visible_questions() {
        let def = form();
        // date_of_birth, smoker, conditions, weight, notes.
        assert_eq!(progress(&def, &Answers::new()), (0, 5));
        let given = answers(&[
            ("smoker", AnswerValue::Bool(true)),
            ("cigarettes_per_day", AnswerValue::Number(3.0)),
            ("notes", text(" ")),
        ]);
        assert_eq!(progress(&def, &given), (2, 6));
        assert_eq!(progress(&def, &full_answers()), (6, 8));
    }

    fn smoker_over_35() -> FlagMapping {
        FlagMapping {
            flag: "smoker_over_35".to_owned(),
            all: vec![
                MappingClause {
                    question: "smoker".to_owned(),
                    test: MappingTest::IsTrue,
                },
                MappingClause {
                    question: "date_of_birth".to_owned(),
                    test: MappingTest::YearsSinceAtLeast { years: 35 },
                },
            ],
        }
    }

    #[test]
    fn years_since_counts_full_years() {
        let mapping = |years| FlagMapping {
            flag: "old_enough".to_owned(),
            all: vec![MappingClause {
                question: "date_of_birth".to_owned(),
                test: MappingTest::YearsSinceAtLeast { years },
            }],
        };
        let holds = |born: NaiveDate, today: NaiveDate, years: u32| {
            let given = answers(&[("date_of_birth", AnswerValue::Date(born))]);
            !derive_flags(&form(), &given, &[mapping(years)], today).is_empty()
        };
        let cases = [
            // (born, today, years, holds)
            (date(1990, 6, 15), date(2025, 6, 15), 35, true),
            (date(1990, 6, 16), date(2025, 6, 15), 35, false),
            (date(1990, 6, 14), date(2025, 6, 15), 35, true),
            (date(1990, 12, 31), date(2025, 12, 30), 35, false),
            (date(1990, 12, 31), date(2025, 12, 31), 35, true),
            (date(1990, 1, 1), date(2025, 12, 31), 35, true),
            (date(1990, 1, 1), date(2025, 12, 31), 36, false),
            // Leap-day births complete a year on 1 March in common years.
            (date(2000, 2, 29), date(2035, 2, 28), 35, false),
            (date(2000, 2, 29), date(2035, 3, 1), 35, true),
            (date(2000, 2, 29), date(2036, 2, 29), 36, true),
            (date(2000, 2, 29), date(2036, 2, 28), 36, false),
            // Someone born on 28 February in a leap year has their birthday as usual.
            (date(2000, 2, 28), date(2001, 2, 28), 1, true),
            // Zero years: any date up to today.
            (date(2025, 6, 15), date(2025, 6, 15), 0, true),
            // A date in the future never holds.
            (date(2025, 6, 16), date(2025, 6, 15), 0, false),
        ];
        for (born, on, years, expected) in cases {
            assert_eq!(holds(born, on, years), expected, "{born} {on} {years}");
        }
    }

    #[test]
    fn flags_are_derived_from_every_clause() {
        let def = form();
        let over_35 = AnswerValue::Date(date(1985, 1, 1));
        let under_35 = AnswerValue::Date(date(1995, 1, 1));
        let mappings = [
            smoker_over_35(),
            FlagMapping {
                flag: "migraine_with_aura".to_owned(),
                all: vec![
                    MappingClause {
                        question: "conditions".to_owned(),
                        test: MappingTest::Chosen {
                            value: "migraine".to_owned(),
                        },
                    },
                    MappingClause {
                        question: "migraine_aura".to_owned(),
                        test: MappingTest::Chosen {
                            value: "yes".to_owned(),
                        },
                    },
                ],
            },
            FlagMapping {
                flag: "heavy_smoker".to_owned(),
                all: vec![MappingClause {
                    question: "cigarettes_per_day".to_owned(),
                    test: MappingTest::NumberAbove { threshold: 15.0 },
                }],
            },
            FlagMapping {
                flag: "underweight".to_owned(),
                all: vec![MappingClause {
                    question: "weight".to_owned(),
                    test: MappingTest::NumberBelow { threshold: 45.0 },
                }],
            },
            FlagMapping {
                flag: "non_smoker".to_owned(),
                all: vec![MappingClause {
                    question: "smoker".to_owned(),
                    test: MappingTest::IsFalse,
                }],
            },
            FlagMapping {
                flag: "never".to_owned(),
                all: vec![],
            },
        ];
        for m in &mappings[..5] {
            assert_eq!(validate_mapping(&def, m), Ok(()), "{}", m.flag);
        }
        let flags = |pairs: &[(&str, AnswerValue)]| -> Vec<String> {
            derive_flags(&def, &answers(pairs), &mappings, today())
                .into_iter()
                .collect()
        };
        type Given<'a> = Vec<(&'a str, AnswerValue)>;
        let cases: Vec<(Given, Vec<&str>)> = vec![
            (vec![], vec![]),
            (
                vec![
                    ("smoker", AnswerValue::Bool(true)),
                    ("date_of_birth", over_35.clone()),
                ],
                vec!["smoker_over_35"],
            ),
            (
                vec![
                    ("smoker", AnswerValue::Bool(true)),
                    ("date_of_birth", under_35),
                ],
                vec![],
            ),
            (
                vec![
                    ("smoker", AnswerValue::Bool(false)),
                    ("date_of_birth", over_35.clone()),
                ],
                vec!["non_smoker"],
            ),
            (vec![("date_of_birth", over_35)], vec![]),
            (
                vec![
                    ("smoker", AnswerValue::Bool(true)),
                    ("cigarettes_per_day", AnswerValue::Number(15.0)),
                ],
                vec![],
            ),
            (
                vec![
                    ("smoker", AnswerValue::Bool(true)),
                    ("cigarettes_per_day", AnswerValue::Number(15.5)),
                ],
                vec!["heavy_smoker"],
            ),
            // The count is hidden for a non-smoker, so it raises nothing.
            (
                vec![
                    ("smoker", AnswerValue::Bool(false)),
                    ("cigarettes_per_day", AnswerValue::Number(40.0)),
                ],
                vec!["non_smoker"],
            ),
            (
                vec![("weight", AnswerValue::Number(44.9))],
                vec!["underweight"],
            ),
            (vec![("weight", AnswerValue::Number(45.0))], vec![]),
            (
                vec![
                    ("conditions", choices(&["hypertension", "migraine"])),
                    ("migraine_aura", choice("yes")),
                ],
                vec!["migraine_with_aura"],
            ),
            (
                vec![
                    ("conditions", choices(&["hypertension"])),
                    ("migraine_aura", choice("yes")),
                ],
                vec![],
            ),
            // A clause on an answer of the wrong type does not hold.
            (vec![("smoker", text("yes"))], vec![]),
        ];
        for (given, expected) in cases {
            assert_eq!(flags(&given), expected, "{given:?}");
        }
    }

    #[test]
    fn mappings_naming_the_same_flag_are_alternatives() {
        let def = form();
        let by = |question: &str, test: MappingTest| FlagMapping {
            flag: "risk".to_owned(),
            all: vec![MappingClause {
                question: question.to_owned(),
                test,
            }],
        };
        let mappings = [
            by("smoker", MappingTest::IsTrue),
            by("weight", MappingTest::NumberAbove { threshold: 120.0 }),
        ];
        let raised = |pairs: &[(&str, AnswerValue)]| {
            derive_flags(&def, &answers(pairs), &mappings, today()).contains("risk")
        };
        assert!(raised(&[("smoker", AnswerValue::Bool(true))]));
        assert!(raised(&[("weight", AnswerValue::Number(130.0))]));
        assert!(!raised(&[("weight", AnswerValue::Number(80.0))]));
    }

    #[test]
    fn mapping_validation_table() {
        let def = form();
        let one = |flag: &str, question: &str, test: MappingTest| FlagMapping {
            flag: flag.to_owned(),
            all: vec![MappingClause {
                question: question.to_owned(),
                test,
            }],
        };
        let chosen = |v: &str| MappingTest::Chosen {
            value: v.to_owned(),
        };
        let ok = [
            one("a", "smoker", MappingTest::IsFalse),
            one("a", "conditions", chosen("none")),
            one("a", "migraine_aura", chosen("unsure")),
            one("a", "weight", MappingTest::NumberBelow { threshold: 40.0 }),
            one(
                "a",
                "date_of_birth",
                MappingTest::YearsSinceAtLeast { years: 18 },
            ),
        ];
        for m in ok {
            assert_eq!(validate_mapping(&def, &m), Ok(()), "{m:?}");
        }
        let bad = [
            (
                one("Bad", "smoker", MappingTest::IsTrue),
                "not a valid flag code",
            ),
            (
                FlagMapping {
                    flag: "a".to_owned(),
                    all: vec![],
                },
                "at least one condition",
            ),
            (one("a", "height", MappingTest::IsTrue), "not a question"),
            (
                one("a", "weight", MappingTest::IsTrue),
                "does not fit `weight`",
            ),
            (one("a", "smoker", chosen("yes")), "does not fit `smoker`"),
            (one("a", "conditions", chosen("gout")), "not an option"),
            (
                one("a", "smoker", MappingTest::NumberAbove { threshold: 1.0 }),
                "does not fit",
            ),
            (
                one(
                    "a",
                    "weight",
                    MappingTest::NumberAbove {
                        threshold: f64::NAN,
                    },
                ),
                "finite",
            ),
            (
                one("a", "weight", MappingTest::YearsSinceAtLeast { years: 1 }),
                "a number question",
            ),
            (one("a", "notes", chosen("x")), "a free_text question"),
        ];
        for (m, expected) in bad {
            let err = validate_mapping(&def, &m).unwrap_err();
            assert!(err.contains(expected), "{m:?}: {err}");
        }
    }

    #[test]
    fn overrides_apply_in_order() {
        let derived: BTreeSet<String> = ["a", "b"].iter().map(|s| (*s).to_owned()).collect();
        let o = |flag: &str, raised| FlagOverride {
            flag: flag.to_owned(),
            raised,
        };
        let cases: Vec<(Vec<FlagOverride>, Vec<&str>)> = vec![
            (vec![], vec!["a", "b"]),
            (vec![o("a", false)], vec!["b"]),
            (vec![o("c", true)], vec!["a", "b", "c"]),
            (vec![o("a", false), o("a", true)], vec!["a", "b"]),
            (vec![o("c", true), o("c", false)], vec!["a", "b"]),
            (vec![o("z", false)], vec!["a", "b"]),
        ];
        for (overrides, expected) in cases {
            let got: Vec<String> = effective_flags(&derived, &overrides).into_iter().collect();
            assert_eq!(got, expected, "{overrides:?}");
        }
    }

    #[test]
    fn flag_code_table() {
        for good in ["a", "smoker_over_35", "x1", &format!("a{}", "b".repeat(63))] {
            assert!(valid_flag_code(good), "{good}");
        }
        for bad in [
            "",
            "1abc",
            "_a",
            "Smoker",
            "a-b",
            "a b",
            "é",
            &format!("a{}", "b".repeat(64)),
        ] {
            assert!(!valid_flag_code(bad), "{bad}");
        }
    }

    // ---- property tests ----

    const FLAG_POOL: [&str; 4] = ["f_a", "f_b", "f_c", "f_d"];

    /// Seeds for one generated question: kind, number of options, required, and an optional
    /// condition (which earlier question, which value).
    type QuestionSeed = (u8, usize, bool, Option<(usize, u8)>);
    /// Seeds for one generated answer: present, a flag, a choice bitmask, a number, days
    /// before today (negative: after), padding and text.
    type AnswerSeed = (bool, bool, u8, f64, i64, String);

    fn kind_from(selector: u8, option_count: usize) -> QuestionKind {
        let opts: Vec<String> = (0..option_count).map(|i| format!("o{i}")).collect();
        let opts: Vec<&str> = opts.iter().map(String::as_str).collect();
        match selector % 6 {
            0 => QuestionKind::Boolean,
            1 => QuestionKind::SingleChoice {
                options: options(&opts),
            },
            2 => QuestionKind::MultipleChoice {
                options: options(&opts),
            },
            3 => QuestionKind::Number {
                unit: Some("kg".to_owned()),
                min: Some(0.0),
                max: Some(100.0),
            },
            4 => QuestionKind::Date,
            _ => QuestionKind::FreeText { max_len: 8 },
        }
    }

    /// A value the question could have, chosen by `seed`; used for conditions and answers.
    fn answer_for(kind: &QuestionKind, seed: &AnswerSeed) -> AnswerValue {
        let (_, flag, bits, number, days, padded) = seed;
        match kind {
            QuestionKind::Boolean => AnswerValue::Bool(*flag),
            QuestionKind::SingleChoice { options } => {
                let i = usize::from(*bits) % options.len().max(1);
                choice(options.get(i).map_or("o0", |o| o.value.as_str()))
            }
            QuestionKind::MultipleChoice { options } => AnswerValue::Choices(
                options
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| bits & (1 << i) != 0)
                    .map(|(_, o)| o.value.clone())
                    .collect(),
            ),
            QuestionKind::Number { .. } => AnswerValue::Number(*number),
            QuestionKind::Date => AnswerValue::Date(today() - chrono::TimeDelta::days(*days)),
            QuestionKind::FreeText { .. } => text(padded),
        }
    }

    fn definition_from(seeds: &[QuestionSeed]) -> Definition {
        let mut questions: Vec<Question> = Vec::new();
        for (i, (selector, option_count, required, condition)) in seeds.iter().enumerate() {
            let mut question = q(&format!("q{i}"), kind_from(*selector, *option_count));
            question.required = *required;
            if let (Some((target, value_seed)), false) = (condition, questions.is_empty()) {
                let target = &questions[target % questions.len()];
                let seed = (
                    true,
                    value_seed % 2 == 0,
                    *value_seed,
                    50.0,
                    9000,
                    "yes".to_owned(),
                );
                let mut equals = answer_for(&target.kind, &seed);
                if let AnswerValue::Choices(_) = equals {
                    let count = target.kind.options().map_or(1, <[ChoiceOption]>::len);
                    equals = choice(&format!("o{}", usize::from(*value_seed) % count.max(1)));
                }
                question.show_if = Some(Condition {
                    question: target.key.clone(),
                    equals,
                });
            }
            questions.push(question);
        }
        Definition { questions }
    }

    fn answers_from(def: &Definition, seeds: &[AnswerSeed]) -> Answers {
        def.questions
            .iter()
            .zip(seeds)
            .filter(|(_, seed)| seed.0)
            .map(|(question, seed)| (question.key.clone(), answer_for(&question.kind, seed)))
            .collect()
    }

    fn question_seeds() -> impl Strategy<Value = Vec<QuestionSeed>> {
        prop::collection::vec(
            (
                0u8..6,
                1usize..4,
                any::<bool>(),
                proptest::option::of((0usize..8, any::<u8>())),
            ),
            1..8,
        )
    }

    fn answer_seeds() -> impl Strategy<Value = Vec<AnswerSeed>> {
        prop::collection::vec(
            (
                prop::bool::weighted(0.8),
                any::<bool>(),
                any::<u8>(),
                prop_oneof![4 => 0.0f64..=100.0, 1 => -10.0f64..200.0],
                prop_oneof![4 => 0i64..40_000, 1 => -10i64..0],
                prop_oneof![Just("yes".to_owned()), "[ a-z]{0,10}"],
            ),
            8,
        )
    }

    /// Seeds for one clause: which question, which test, a threshold and a number of years.
    type ClauseSeed = (usize, u8, f64, u32);

    fn mapping_seeds() -> impl Strategy<Value = Vec<(&'static str, Vec<ClauseSeed>)>> {
        let clause = (0usize..9, any::<u8>(), 0.0f64..100.0, 0u32..120);
        prop::collection::vec(
            (
                prop::sample::select(FLAG_POOL.to_vec()),
                prop::collection::vec(clause, 0..4),
            ),
            0..6,
        )
    }

    /// Mostly tests that fit the question's kind (so flags are often raised), sometimes a
    /// test of another kind or a clause on a question that does not exist.
    fn mappings_from(def: &Definition, seeds: &[(&str, Vec<ClauseSeed>)]) -> Vec<FlagMapping> {
        let clause = |&(i, selector, threshold, years): &ClauseSeed| {
            // One clause in eight keeps its raw index, which may name no question, and gets a
            // test picked without looking at the kind.
            let i = if selector % 8 == 0 {
                i
            } else {
                i % def.questions.len().max(1)
            };
            let kind = def.questions.get(i).map(|q| &q.kind);
            let kind = if selector % 8 == 0 { None } else { kind };
            let test = match kind {
                Some(QuestionKind::Boolean) if selector % 2 == 0 => MappingTest::IsTrue,
                Some(QuestionKind::Boolean) => MappingTest::IsFalse,
                Some(
                    QuestionKind::SingleChoice { options }
                    | QuestionKind::MultipleChoice { options },
                ) => MappingTest::Chosen {
                    value: format!("o{}", usize::from(selector) % options.len().max(1)),
                },
                Some(QuestionKind::Number { .. }) if selector % 2 == 0 => {
                    MappingTest::NumberAbove { threshold }
                }
                Some(QuestionKind::Number { .. }) => MappingTest::NumberBelow { threshold },
                Some(QuestionKind::Date) => MappingTest::YearsSinceAtLeast { years },
                Some(QuestionKind::FreeText { .. }) | None => match selector % 4 {
                    0 => MappingTest::IsTrue,
                    1 => MappingTest::Chosen {
                        value: "o0".to_owned(),
                    },
                    2 => MappingTest::NumberBelow { threshold },
                    _ => MappingTest::YearsSinceAtLeast { years },
                },
            };
            MappingClause {
                question: format!("q{i}"),
                test,
            }
        };
        seeds
            .iter()
            .map(|(flag, clauses)| FlagMapping {
                flag: (*flag).to_owned(),
                all: clauses.iter().map(clause).collect(),
            })
            .collect()
    }

    proptest! {
        #[test]
        fn generated_definitions_are_valid(seeds in question_seeds()) {
            prop_assert_eq!(definition_from(&seeds).validate(), Ok(()));
        }

        #[test]
        fn validate_answers_is_idempotent(
            question_seeds in question_seeds(),
            answer_seeds in answer_seeds(),
            complete in any::<bool>(),
        ) {
            let def = definition_from(&question_seeds);
            let given = answers_from(&def, &answer_seeds);
            if let Ok(out) = validate_answers(&def, &given, complete, today()) {
                prop_assert_eq!(validate_answers(&def, &out, complete, today()), Ok(out.clone()));
                for (key, value) in &out {
                    prop_assert!(visible(&def, &out, key));
                    prop_assert!(!value.is_empty());
                }
                let (answered, shown) = progress(&def, &out);
                prop_assert_eq!(answered, out.len());
                prop_assert!(answered <= shown);
            }
        }

        #[test]
        fn derive_flags_only_raises_mapped_flags(
            question_seeds in question_seeds(),
            answer_seeds in answer_seeds(),
            mapping_seeds in mapping_seeds(),
        ) {
            let def = definition_from(&question_seeds);
            let given = answers_from(&def, &answer_seeds);
            let mappings = mappings_from(&def, &mapping_seeds);
            let flags = derive_flags(&def, &given, &mappings, today());
            for flag in &flags {
                // Some mapping of that name has clauses, all on visible, answered questions.
                prop_assert!(
                    mappings.iter().any(|m| &m.flag == flag
                        && !m.all.is_empty()
                        && m.all.iter().all(|c| visible(&def, &given, &c.question)
                            && given.contains_key(&c.question))),
                    "{} raised by no mapping", flag
                );
            }
            // Hidden answers make no difference to the flags.
            if let Ok(out) = validate_answers(&def, &given, false, today()) {
                prop_assert_eq!(derive_flags(&def, &out, &mappings, today()), flags);
            }
        }

        #[test]
        fn the_last_override_wins(
            derived in prop::collection::btree_set(prop::sample::select(FLAG_POOL.to_vec()), 0..4),
            overrides in prop::collection::vec(
                (prop::sample::select(FLAG_POOL.to_vec()), any::<bool>()), 0..8),
        ) {
            let derived: BTreeSet<String> = derived.into_iter().map(str::to_owned).collect();
            let overrides: Vec<FlagOverride> = overrides
                .into_iter()
                .map(|(flag, raised)| FlagOverride { flag: flag.to_owned(), raised })
                .collect();
            let flags = effective_flags(&derived, &overrides);
            for flag in FLAG_POOL {
                let expected = overrides
                    .iter()
                    .rev()
                    .find(|o| o.flag == flag)
                    .map_or(derived.contains(flag), |o| o.raised);
                prop_assert_eq!(flags.contains(flag), expected, "{}", flag);
            }
        }
    }
}

/// Where a questionnaire version stands: drafts change, a published version never does, and a
/// retired one (replaced by a newer publication) is kept for the answers given to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "questionnaire_status", rename_all = "snake_case")
)]
pub enum VersionStatus {
    Draft,
    Published,
    Retired,
}

impl VersionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Retired => "retired",
        }
    }
}

/// Where a patient's answers to one version stand: a draft they may change, or submitted
/// (frozen; the flags derived from it count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "response_status", rename_all = "snake_case")
)]
pub enum ResponseStatus {
    InProgress,
    Submitted,
}
