//! The medical questionnaire, patients' health profiles (answers and flags), doctors' flag
//! overrides and review queue. Answers and override reasons are encrypted at rest.

pub mod add_flag_override;
pub mod get_questionnaire;
pub mod list_patients;
pub mod my_health_profile;
pub mod patient_health_profile;
pub mod review_queue;
pub mod save_answers;
pub mod submit_answers;

use rxgate_api_types::FieldError;
use rxgate_api_types::health::{
    AnswerValue as AnswerDto, AnsweredQuestion, FlagOverrideView, HealthProfile, PatientFlagView,
};
use rxgate_domain::questionnaire::{AnswerError, AnswerValue, Answers, Definition, QuestionKind};
use rxgate_persistence::questionnaires::{self, VersionRow};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// Converts between the wire and domain forms, which share one JSON shape.
pub(crate) fn convert<A: serde::Serialize, B: serde::de::DeserializeOwned>(
    value: &A,
) -> Result<B, ApiError> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|e| ApiError::InvalidBody(e.to_string()))
}

pub(crate) fn definition_of(version: &VersionRow) -> Result<Definition, ApiError> {
    serde_json::from_value(version.definition.clone()).map_err(ApiError::internal)
}

pub(crate) fn answer_errors(errors: Vec<AnswerError>) -> ApiError {
    ApiError::Validation(
        errors
            .into_iter()
            .map(|e| FieldError {
                field: format!("answers.{}", e.question),
                code: e.code.into(),
                message: e.message,
            })
            .collect(),
    )
}

fn seal_answers(
    state: &AppState,
    patient_id: Uuid,
    answers: &Answers,
) -> Result<Vec<u8>, ApiError> {
    let plain = serde_json::to_vec(answers).map_err(ApiError::internal)?;
    state
        .data_keys
        .seal(&plain, patient_id.as_bytes())
        .map_err(ApiError::internal)
}

pub(crate) fn open_answers(
    state: &AppState,
    patient_id: Uuid,
    key_id: &str,
    sealed: &[u8],
) -> Result<Answers, ApiError> {
    let plain = state
        .data_keys
        .open(key_id, sealed, patient_id.as_bytes())
        .map_err(ApiError::internal)?;
    serde_json::from_slice(&plain).map_err(ApiError::internal)
}

/// An answer in words, as the question showed it.
fn display(kind: &QuestionKind, answer: &AnswerValue) -> String {
    let label = |value: &str| {
        kind.options()
            .and_then(|opts| opts.iter().find(|o| o.value == value))
            .map_or_else(|| value.to_owned(), |o| o.label.clone())
    };
    match answer {
        AnswerValue::Bool(true) => "Yes".into(),
        AnswerValue::Bool(false) => "No".into(),
        AnswerValue::Choice(v) => label(v),
        AnswerValue::Choices(vs) => vs.iter().map(|v| label(v)).collect::<Vec<_>>().join(", "),
        AnswerValue::Number(n) => match kind {
            QuestionKind::Number { unit: Some(u), .. } => format!("{n} {u}"),
            _ => n.to_string(),
        },
        AnswerValue::Date(d) => d.format("%-d %B %Y").to_string(),
        AnswerValue::Text(t) => t.clone(),
    }
}

/// The patient's latest submitted answers, flags and overrides (a handful of queries whatever
/// the number of answers or flags). A patient the caller may not see is 404.
pub(crate) async fn health_profile(
    conn: &mut PgConnection,
    state: &AppState,
    patient_id: Uuid,
) -> Result<HealthProfile, ApiError> {
    let latest = questionnaires::latest_submitted(conn, patient_id).await?;
    let patient = rxgate_persistence::users::find(conn, patient_id).await?;
    let mut profile = HealthProfile {
        patient_id,
        patient_name: patient.display_name,
        submitted_at: None,
        questionnaire: None,
        version: None,
        answers: Vec::new(),
        flags: Vec::new(),
        overrides: Vec::new(),
        submissions: questionnaires::submitted_count(conn, patient_id).await?,
    };
    if let Some(response) = latest {
        let version = questionnaires::version(conn, response.version_id)
            .await?
            .ok_or_else(|| ApiError::Internal("response without its version".into()))?;
        let definition = definition_of(&version)?;
        let answers = open_answers(state, patient_id, &response.key_id, &response.answers_enc)?;
        profile.submitted_at = response.submitted_at;
        profile.questionnaire = Some(version.questionnaire_name.clone());
        profile.version = Some(version.version);
        for q in &definition.questions {
            if let Some(answer) = answers.get(&q.key) {
                profile.answers.push(AnsweredQuestion {
                    key: q.key.clone(),
                    label: q.label.clone(),
                    answer: convert::<AnswerValue, AnswerDto>(answer)?,
                    display: display(&q.kind, answer),
                });
            }
        }
    }
    profile.flags = questionnaires::patient_flags(conn, patient_id)
        .await?
        .into_iter()
        .map(|f| PatientFlagView {
            code: f.code,
            label: f.label,
            description: f.description,
            from_answers: f.derived,
            effective: f.effective,
        })
        .collect();
    profile.overrides = questionnaires::overrides(conn, patient_id)
        .await?
        .into_iter()
        .map(|o| {
            let reason = state
                .data_keys
                .open(&o.key_id, &o.reason_enc, patient_id.as_bytes())
                .map_err(ApiError::internal)?;
            Ok(FlagOverrideView {
                id: o.id,
                flag: o.flag_code,
                raised: o.raised,
                reason: String::from_utf8_lossy(&reason).into_owned(),
                doctor_id: o.doctor_id,
                doctor_name: o.doctor_name,
                created_at: o.created_at,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(profile)
}

/// The published questionnaire for the patient's clinic, or 404 when there is none.
pub(crate) async fn current_version(
    conn: &mut PgConnection,
    clinic_id: Option<Uuid>,
) -> Result<VersionRow, ApiError> {
    questionnaires::current_for_clinic(conn, clinic_id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The version being answered: it must exist and still be the published one.
pub(crate) async fn answerable_version(
    conn: &mut PgConnection,
    clinic_id: Option<Uuid>,
    version_id: Uuid,
) -> Result<VersionRow, ApiError> {
    let current = current_version(conn, clinic_id).await?;
    if current.id == version_id {
        return Ok(current);
    }
    match questionnaires::version(conn, version_id).await? {
        Some(v) if v.clinic_id.is_none() || v.clinic_id == clinic_id => Err(ApiError::Conflict {
            code: "VERSION_RETIRED",
            detail: "This questionnaire has been updated. Reload it to answer the current version."
                .into(),
        }),
        _ => Err(ApiError::NotFound),
    }
}

/// Answers checked against the version they answer, and saved as the patient's response in
/// progress (created or updated).
pub(crate) struct SavedAnswers {
    pub version: VersionRow,
    pub definition: Definition,
    pub answers: Answers,
    pub response_id: Uuid,
    pub progress: rxgate_api_types::health::Progress,
}

/// Checks `input` (completely when `complete`) and saves it encrypted, in the caller's
/// transaction.
pub(crate) async fn save_answers_in(
    conn: &mut PgConnection,
    state: &AppState,
    patient_id: Uuid,
    clinic_id: Option<Uuid>,
    input: &rxgate_api_types::health::AnswersInput,
    complete: bool,
    today: chrono::NaiveDate,
) -> Result<SavedAnswers, ApiError> {
    let answers: Answers = convert(&input.answers)?;
    let version = answerable_version(conn, clinic_id, input.version_id).await?;
    let definition = definition_of(&version)?;
    let answers =
        rxgate_domain::questionnaire::validate_answers(&definition, &answers, complete, today)
            .map_err(answer_errors)?;
    let (answered, visible) = rxgate_domain::questionnaire::progress(&definition, &answers);
    let progress = rxgate_api_types::health::Progress {
        answered: i32::try_from(answered).unwrap_or(i32::MAX),
        visible: i32::try_from(visible).unwrap_or(i32::MAX),
    };
    let open = questionnaires::open_response(conn, patient_id, version.id).await?;
    let response_id = questionnaires::save_progress(
        conn,
        open.map(|r| r.id),
        patient_id,
        version.id,
        &seal_answers(state, patient_id, &answers)?,
        state.data_keys.current_id(),
        progress.answered,
        progress.visible,
    )
    .await?;
    Ok(SavedAnswers {
        version,
        definition,
        answers,
        response_id,
        progress,
    })
}
