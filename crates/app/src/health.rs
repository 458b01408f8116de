//! The medical questionnaire and what follows from it: a patient answers (saving progress,
//! then submitting, which replaces their flags), patients and their doctors read the health
//! profile (answers, flags, overrides), doctors override flags and work through their patient
//! list and review queue. Answers and override reasons are sealed with the data keys, bound to
//! the patient's id; every read and write of them is audited.

use chrono::NaiveDate;
use rxgate_api_types::FieldError;
use rxgate_api_types::health::{
    AnswerValue as AnswerDto, AnsweredQuestion, FlagOverrideView, HealthProfile, PatientFlagView,
    Progress,
};
use rxgate_domain::identity::Role;
use rxgate_domain::questionnaire::{
    AnswerError, AnswerValue, Answers, Definition, FlagMapping, QuestionKind, derive_flags,
    progress, validate_answers,
};
use rxgate_persistence::pagination::{NameCursor, finish_page};
use rxgate_persistence::questionnaires::{self, DoctorPatientRow, ReviewRow, VersionRow};
use rxgate_persistence::{Db, users};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};
use crate::crypto::DataKeys;

/// Where the patient's answers stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerState {
    /// Nothing answered yet.
    New,
    /// A saved draft of the current version.
    InProgress,
    /// No draft: the last submitted answers, to start from.
    Submitted,
}

impl AnswerState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::Submitted => "submitted",
        }
    }
}

/// The published questionnaire of the patient's clinic with the answers to show in it.
#[derive(Debug, Clone)]
pub struct PatientQuestionnaire {
    pub version: VersionRow,
    pub definition: Definition,
    pub answers: Answers,
    pub progress: Progress,
    pub state: AnswerState,
}

/// Answers to one questionnaire version (saved in progress, or submitted).
#[derive(Debug, Clone)]
pub struct Answering {
    pub version_id: Uuid,
    pub answers: Answers,
}

/// A doctor's override of one of their patient's flags.
#[derive(Debug, Clone)]
pub struct FlagOverride {
    pub flag: String,
    pub raised: bool,
    /// The clinical reason (trimmed, then sealed).
    pub reason: String,
}

/// Whose health profile is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileOf {
    /// The patient's own.
    Me,
    /// One of the acting doctor's patients (anyone else's is 404).
    Patient(Uuid),
}

/// One page of a doctor's list, by name.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next_cursor: Option<String>,
}

/// What a page of the doctor's patient list asks for.
#[derive(Debug, Clone)]
pub struct PatientSearch {
    /// Name or email; blank is no search.
    pub search: Option<String>,
    /// The opaque cursor of the previous page.
    pub cursor: Option<String>,
    pub limit: i64,
}

/// The questionnaire the patient answers, with their saved answers (or, to start from, their
/// last submitted ones, kept only for questions that still exist). 404 when none is published.
pub async fn questionnaire_for_patient(
    db: &Db,
    keys: &DataKeys,
    actor: &Actor,
    facts: &RequestFacts,
) -> Result<PatientQuestionnaire, AppError> {
    actor.require(Role::Patient)?;
    let clinic = actor.acting_clinic(Role::Patient, None)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let version = current_version(&mut tx, clinic).await?;
    let definition = definition_of(&version)?;
    let (answers, state) =
        match questionnaires::open_response(&mut tx, actor.user_id, version.id).await? {
            Some(r) => (
                open_answers(keys, actor.user_id, &r.key_id, &r.answers_enc)?,
                AnswerState::InProgress,
            ),
            None => match questionnaires::latest_submitted(&mut tx, actor.user_id).await? {
                Some(r) => {
                    let mut answers = open_answers(keys, actor.user_id, &r.key_id, &r.answers_enc)?;
                    // Start from the last answers to questions that still exist.
                    answers.retain(|k, _| definition.question(k).is_some());
                    (answers, AnswerState::Submitted)
                }
                None => (Answers::new(), AnswerState::New),
            },
        };
    let progress = progress_of(&definition, &answers);
    tx.record(Event::new("read", "questionnaire_response", actor.user_id))
        .await?;
    tx.commit().await?;
    Ok(PatientQuestionnaire {
        version,
        definition,
        answers,
        progress,
        state,
    })
}

/// Saves answers in progress (unanswered questions are fine) so the patient can resume later.
/// `today` is the patient's date (answers dated after it are refused).
pub async fn save_answers(
    db: &Db,
    keys: &DataKeys,
    actor: &Actor,
    facts: &RequestFacts,
    answering: Answering,
    today: NaiveDate,
) -> Result<Progress, AppError> {
    actor.require(Role::Patient)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let clinic = actor.acting_clinic(Role::Patient, None)?;
    let saved = save_in(
        &mut tx,
        keys,
        actor.user_id,
        clinic,
        answering,
        false,
        today,
    )
    .await?;
    tx.record(Event::new(
        "update",
        "questionnaire_response",
        saved.response_id,
    ))
    .await?;
    tx.commit().await?;
    Ok(saved.progress)
}

/// Submits complete answers. The flags they raise replace the patient's previous ones in the
/// same transaction, so the catalogue's eligibility changes at once; earlier submissions are
/// kept as history. Returns the patient's health profile as it now is.
pub async fn submit_answers(
    db: &Db,
    keys: &DataKeys,
    actor: &Actor,
    facts: &RequestFacts,
    answering: Answering,
    today: NaiveDate,
) -> Result<HealthProfile, AppError> {
    actor.require(Role::Patient)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let clinic = actor.acting_clinic(Role::Patient, None)?;
    let saved = save_in(&mut tx, keys, actor.user_id, clinic, answering, true, today).await?;
    let mappings: Vec<FlagMapping> =
        serde_json::from_value(saved.version.mappings.clone()).map_err(AppError::internal)?;
    questionnaires::mark_submitted(&mut tx, saved.response_id).await?;
    let flags: Vec<String> = derive_flags(&saved.definition, &saved.answers, &mappings, today)
        .into_iter()
        .collect();
    questionnaires::replace_flags(&mut tx, saved.response_id, &flags).await?;
    let profile = profile_in(&mut tx, keys, actor.user_id).await?;
    tx.record(Event::new(
        "submit",
        "questionnaire_response",
        saved.response_id,
    ))
    .await?;
    tx.commit().await?;
    Ok(profile)
}

/// A health profile: the patient's own, or one of the acting doctor's patients' (their chart
/// panel). Only the doctor's own patients: not every member a doctor who also administers the
/// clinic may see; anyone else is 404.
pub async fn health_profile(
    db: &Db,
    keys: &DataKeys,
    actor: &Actor,
    facts: &RequestFacts,
    of: ProfileOf,
) -> Result<HealthProfile, AppError> {
    let patient = match of {
        ProfileOf::Me => {
            actor.require(Role::Patient)?;
            actor.user_id
        }
        ProfileOf::Patient(patient) => {
            actor.require(Role::Doctor)?;
            patient
        }
    };
    let mut tx = Work::begin(db, actor, facts).await?;
    if matches!(of, ProfileOf::Patient(_))
        && !users::is_doctors_patient(&mut tx, actor.user_id, patient).await?
    {
        return Err(AppError::NotFound);
    }
    let profile = profile_in(&mut tx, keys, patient).await?;
    tx.record(Event::new("read", "health_profile", patient))
        .await?;
    tx.commit().await?;
    Ok(profile)
}

/// A doctor raises or clears one of their patient's flags with a reason: clinical judgement
/// beats the form. The reason is sealed; the override is audited and shown with who and why;
/// eligibility changes at once. Returns the patient's health profile as it now is.
pub async fn add_flag_override(
    db: &Db,
    keys: &DataKeys,
    actor: &Actor,
    facts: &RequestFacts,
    patient: Uuid,
    command: FlagOverride,
) -> Result<HealthProfile, AppError> {
    actor.require(Role::Doctor)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    // Only the doctor's own patients: not every member a doctor who also administers the
    // clinic may see.
    if !users::is_doctors_patient(&mut tx, actor.user_id, patient).await? {
        return Err(AppError::NotFound);
    }
    if !questionnaires::flags(&mut tx)
        .await?
        .iter()
        .any(|f| f.code == command.flag)
    {
        return Err(AppError::Validation(vec![FieldError {
            field: "flag".into(),
            code: "unknown_flag".into(),
            message: format!("There is no flag `{}`.", command.flag),
        }]));
    }
    let reason = keys
        .seal(command.reason.trim().as_bytes(), patient.as_bytes())
        .map_err(AppError::internal)?;
    let override_id = questionnaires::insert_override(
        &mut tx,
        patient,
        &command.flag,
        command.raised,
        &reason,
        keys.current_id(),
        actor.user_id,
    )
    .await?;
    let profile = profile_in(&mut tx, keys, patient).await?;
    tx.record(
        Event::new("flag_override", "patient", patient)
            .risk("medium")
            .details(serde_json::json!({
                "override_id": override_id, "flag": command.flag, "raised": command.raised
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(profile)
}

/// The acting doctor's patients by name, with their flags (search by name or email). The
/// patients shown are audited.
pub async fn doctor_patients(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    request: PatientSearch,
) -> Result<Page<DoctorPatientRow>, AppError> {
    actor.require(Role::Doctor)?;
    let after = request
        .cursor
        .as_deref()
        .map(NameCursor::decode)
        .transpose()?;
    let search = request
        .search
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty());
    let limit = request.limit;
    let mut tx = Work::begin(db, actor, facts).await?;
    let rows =
        questionnaires::doctor_patients(&mut tx, actor.user_id, search, after, limit).await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| {
        NameCursor {
            name: r.name.clone(),
            id: r.patient_id,
        }
        .encode()
    });
    tx.record(
        Event::new("list", "patient", actor.user_id).shown(rows.iter().map(|r| r.patient_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(Page { rows, next_cursor })
}

/// The acting doctor's patients whose flags trigger `review` rules, by name, after the
/// opaque `cursor` of the previous page. The patients shown are audited.
pub async fn review_queue(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<ReviewRow>, AppError> {
    actor.require(Role::Doctor)?;
    let after = cursor.map(NameCursor::decode).transpose()?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let rows = questionnaires::review_queue(&mut tx, actor.user_id, after, limit).await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| {
        NameCursor {
            name: r.patient_name.clone(),
            id: r.patient_id,
        }
        .encode()
    });
    tx.record(
        Event::new("read", "review_queue", actor.user_id).shown(rows.iter().map(|r| r.patient_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(Page { rows, next_cursor })
}

fn definition_of(version: &VersionRow) -> Result<Definition, AppError> {
    serde_json::from_value(version.definition.clone()).map_err(AppError::internal)
}

fn answer_errors(errors: Vec<AnswerError>) -> AppError {
    AppError::Validation(
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

fn progress_of(definition: &Definition, answers: &Answers) -> Progress {
    let (answered, visible) = progress(definition, answers);
    Progress {
        answered: i32::try_from(answered).unwrap_or(i32::MAX),
        visible: i32::try_from(visible).unwrap_or(i32::MAX),
    }
}

fn seal_answers(keys: &DataKeys, patient_id: Uuid, answers: &Answers) -> Result<Vec<u8>, AppError> {
    let plain = serde_json::to_vec(answers).map_err(AppError::internal)?;
    keys.seal(&plain, patient_id.as_bytes())
        .map_err(AppError::internal)
}

fn open_answers(
    keys: &DataKeys,
    patient_id: Uuid,
    key_id: &str,
    sealed: &[u8],
) -> Result<Answers, AppError> {
    let plain = keys
        .open(key_id, sealed, patient_id.as_bytes())
        .map_err(AppError::internal)?;
    serde_json::from_slice(&plain).map_err(AppError::internal)
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

/// The patient's latest submitted answers, flags and overrides, in the caller's transaction (a
/// handful of queries whatever the number of answers or flags). A patient the caller may not
/// see is 404.
async fn profile_in(
    conn: &mut PgConnection,
    keys: &DataKeys,
    patient_id: Uuid,
) -> Result<HealthProfile, AppError> {
    let latest = questionnaires::latest_submitted(conn, patient_id).await?;
    let patient = users::find(conn, patient_id).await?;
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
            .ok_or_else(|| AppError::Internal("response without its version".into()))?;
        let definition = definition_of(&version)?;
        let answers = open_answers(keys, patient_id, &response.key_id, &response.answers_enc)?;
        profile.submitted_at = response.submitted_at;
        profile.questionnaire = Some(version.questionnaire_name.clone());
        profile.version = Some(version.version);
        for q in &definition.questions {
            if let Some(answer) = answers.get(&q.key) {
                profile.answers.push(AnsweredQuestion {
                    key: q.key.clone(),
                    label: q.label.clone(),
                    answer: AnswerDto::from(answer),
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
            let reason = keys
                .open(&o.key_id, &o.reason_enc, patient_id.as_bytes())
                .map_err(AppError::internal)?;
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
        .collect::<Result<_, AppError>>()?;
    Ok(profile)
}

/// The published questionnaire for the patient's clinic, or 404 when there is none.
async fn current_version(
    conn: &mut PgConnection,
    clinic_id: Option<Uuid>,
) -> Result<VersionRow, AppError> {
    questionnaires::current_for_clinic(conn, clinic_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The version being answered: it must exist and still be the published one.
async fn answerable_version(
    conn: &mut PgConnection,
    clinic_id: Option<Uuid>,
    version_id: Uuid,
) -> Result<VersionRow, AppError> {
    let current = current_version(conn, clinic_id).await?;
    if current.id == version_id {
        return Ok(current);
    }
    match questionnaires::version(conn, version_id).await? {
        Some(v) if v.clinic_id.is_none() || v.clinic_id == clinic_id => Err(AppError::Conflict {
            code: "VERSION_RETIRED",
            detail: "This questionnaire has been updated. Reload it to answer the current version."
                .into(),
        }),
        _ => Err(AppError::NotFound),
    }
}

/// Answers checked against the version they answer, and saved as the patient's response in
/// progress (created or updated).
struct SavedAnswers {
    version: VersionRow,
    definition: Definition,
    answers: Answers,
    response_id: Uuid,
    progress: Progress,
}

/// Checks `answering` (completely when `complete`) and saves it sealed, in the caller's
/// transaction.
async fn save_in(
    conn: &mut PgConnection,
    keys: &DataKeys,
    patient_id: Uuid,
    clinic_id: Option<Uuid>,
    answering: Answering,
    complete: bool,
    today: NaiveDate,
) -> Result<SavedAnswers, AppError> {
    let version = answerable_version(conn, clinic_id, answering.version_id).await?;
    let definition = definition_of(&version)?;
    let answers = validate_answers(&definition, &answering.answers, complete, today)
        .map_err(answer_errors)?;
    let progress = progress_of(&definition, &answers);
    let open = questionnaires::open_response(conn, patient_id, version.id).await?;
    let response_id = questionnaires::save_progress(
        conn,
        open.map(|r| r.id),
        patient_id,
        version.id,
        &seal_answers(keys, patient_id, &answers)?,
        keys.current_id(),
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
