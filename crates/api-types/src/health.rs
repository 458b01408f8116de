//! The medical questionnaire, a patient's answers and flags (their health profile), doctors'
//! flag overrides, and questionnaire administration. The JSON shapes of definitions, answers
//! and mappings are those the domain stores.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::vocab::{AnswerState, QuestionnaireStatus};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    Boolean,
    SingleChoice {
        options: Vec<ChoiceOption>,
    },
    MultipleChoice {
        options: Vec<ChoiceOption>,
    },
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    Date,
    FreeText {
        max_len: u32,
    },
}

/// One answer. `{"type": "bool", "value": true}`, `{"type": "choice", "value": "yes"}`,
/// `{"type": "choices", "value": ["a"]}`, `{"type": "number", "value": 72.5}`,
/// `{"type": "date", "value": "1980-02-29"}` or `{"type": "text", "value": "…"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    Bool(bool),
    Choice(String),
    Choices(Vec<String>),
    Number(f64),
    Date(NaiveDate),
    Text(String),
}

/// Show a question only when an earlier question's answer equals `equals` (for multiple
/// choice: contains it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Condition {
    pub question: String,
    pub equals: AnswerValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Question {
    /// Stable key, `[a-z0-9_]{1,64}`.
    pub key: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub kind: QuestionKind,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Definition {
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MappingTest {
    IsTrue,
    IsFalse,
    Chosen {
        value: String,
    },
    NumberAbove {
        threshold: f64,
    },
    NumberBelow {
        threshold: f64,
    },
    /// For a date answer such as the date of birth: at least this many full years ago.
    YearsSinceAtLeast {
        years: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MappingClause {
    pub question: String,
    pub test: MappingTest,
}

/// Raises `flag` when every clause holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FlagMapping {
    pub flag: String,
    pub all: Vec<MappingClause>,
}

/// The questionnaire a patient answers, with their saved progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuestionnaireForPatient {
    pub version_id: Uuid,
    pub name: String,
    pub version: i32,
    pub definition: Definition,
    /// Saved answers in progress, else the last submitted ones to start from.
    pub answers: BTreeMap<String, AnswerValue>,
    pub progress: Progress,
    pub state: AnswerState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Progress {
    pub answered: i32,
    pub visible: i32,
}

/// Answers to save (`PUT`, partial is fine) or submit (`POST …/submit`, complete).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AnswersInput {
    /// The version being answered; a retired version is refused (`VERSION_RETIRED`).
    pub version_id: Uuid,
    pub answers: BTreeMap<String, AnswerValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PatientFlagView {
    pub code: String,
    pub label: String,
    pub description: String,
    /// Raised by the latest answers.
    pub from_answers: bool,
    /// Counts for eligibility now (after doctors' overrides).
    pub effective: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FlagOverrideView {
    pub id: Uuid,
    pub flag: String,
    /// True: the flag is raised whatever the answers; false: cleared.
    pub raised: bool,
    pub reason: String,
    pub doctor_id: Uuid,
    pub doctor_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One answered question, as the person answering saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AnsweredQuestion {
    pub key: String,
    pub label: String,
    pub answer: AnswerValue,
    /// The answer in words, e.g. "Yes", "Option label", "72.5 kg".
    pub display: String,
}

/// A patient's answers and flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HealthProfile {
    pub patient_id: Uuid,
    pub patient_name: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub questionnaire: Option<String>,
    pub version: Option<i32>,
    pub answers: Vec<AnsweredQuestion>,
    pub flags: Vec<PatientFlagView>,
    pub overrides: Vec<FlagOverrideView>,
    /// How many times the questionnaire was submitted (history is kept).
    pub submissions: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct FlagOverrideInput {
    pub flag: String,
    pub raised: bool,
    /// The clinical reason (stored encrypted; shown to the patient's clinicians).
    #[cfg_attr(feature = "server", validate(length(min = 3, max = 2000)))]
    #[cfg_attr(feature = "server", schema(min_length = 3, max_length = 2000))]
    pub reason: String,
}

/// A patient of the doctor whose flags trigger `review` rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub patient_id: Uuid,
    pub patient_name: String,
    /// The flags that trigger review rules.
    pub flags: Vec<String>,
    /// How many active review rules they trigger.
    pub rules: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuestionnaireVersionView {
    pub id: Uuid,
    pub questionnaire_id: Uuid,
    pub name: String,
    pub clinic_id: Option<Uuid>,
    pub version: i32,
    pub status: QuestionnaireStatus,
    pub definition: Definition,
    pub mappings: Vec<FlagMapping>,
    pub published_at: Option<DateTime<Utc>>,
}

/// A questionnaire version's content, for a new draft or to replace a draft's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DraftInput {
    pub definition: Definition,
    pub mappings: Vec<FlagMapping>,
}

/// One of the doctor's patients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DoctorPatient {
    pub patient_id: Uuid,
    pub name: String,
    pub email: String,
    /// Flags that count now.
    pub flags: Vec<String>,
    /// When they last submitted the questionnaire.
    pub questionnaire_submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct DoctorPatientQuery {
    /// Part of the name or email.
    pub q: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::pagination::limit")]
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
}

/// A new questionnaire, platform-wide or for one clinic, with its first draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewQuestionnaire {
    pub name: String,
    /// Omit for a platform-wide questionnaire; a clinic's own one replaces it for its patients.
    pub clinic_id: Option<Uuid>,
    pub definition: Definition,
    pub mappings: Vec<FlagMapping>,
}
