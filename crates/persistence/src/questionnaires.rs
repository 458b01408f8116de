//! Questionnaires (versioned definitions with their flag mappings), patients' responses
//! (answers encrypted by the caller) and the flags derived from them, and doctors' overrides.

use chrono::{DateTime, Utc};
use rxgate_domain::questionnaire::{ResponseStatus, VersionStatus};
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

#[derive(Debug, Clone)]
pub struct VersionRow {
    pub id: Uuid,
    pub questionnaire_id: Uuid,
    pub questionnaire_name: String,
    pub clinic_id: Option<Uuid>,
    pub version: i32,
    pub status: VersionStatus,
    pub definition: Value,
    pub mappings: Value,
    pub published_at: Option<DateTime<Utc>>,
}

/// The questionnaire a patient of `clinic_id` answers: the clinic's own published version if it
/// has one, else the platform-wide one.
pub async fn current_for_clinic(
    conn: &mut PgConnection,
    clinic_id: Option<Uuid>,
) -> Result<Option<VersionRow>, RepoError> {
    let row = sqlx::query_as!(
        VersionRow,
        r#"SELECT v.id, v.questionnaire_id, q.name AS questionnaire_name, q.clinic_id, v.version,
                  v.status AS "status!: VersionStatus", v.definition, v.mappings, v.published_at
             FROM questionnaire_versions v JOIN questionnaires q ON q.id = v.questionnaire_id
            WHERE v.status = 'published' AND (q.clinic_id = $1 OR q.clinic_id IS NULL)
            ORDER BY q.clinic_id NULLS LAST, v.published_at DESC
            LIMIT 1"#,
        clinic_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

pub async fn version(conn: &mut PgConnection, id: Uuid) -> Result<Option<VersionRow>, RepoError> {
    let row = sqlx::query_as!(
        VersionRow,
        r#"SELECT v.id, v.questionnaire_id, q.name AS questionnaire_name, q.clinic_id, v.version,
                  v.status AS "status!: VersionStatus", v.definition, v.mappings, v.published_at
             FROM questionnaire_versions v JOIN questionnaires q ON q.id = v.questionnaire_id
            WHERE v.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// Every version of every questionnaire the caller may see, newest first per questionnaire.
pub async fn versions(conn: &mut PgConnection) -> Result<Vec<VersionRow>, RepoError> {
    let rows = sqlx::query_as!(
        VersionRow,
        r#"SELECT v.id, v.questionnaire_id, q.name AS questionnaire_name, q.clinic_id, v.version,
                  v.status AS "status!: VersionStatus", v.definition, v.mappings, v.published_at
             FROM questionnaire_versions v JOIN questionnaires q ON q.id = v.questionnaire_id
            ORDER BY q.name, q.id, v.version DESC
            LIMIT 500"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn create_questionnaire(
    conn: &mut PgConnection,
    clinic_id: Option<Uuid>,
    name: &str,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO questionnaires (id, clinic_id, name) VALUES ($1, $2, $3)",
        id,
        clinic_id,
        name
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// A new draft version numbered after the newest one.
pub async fn create_draft(
    conn: &mut PgConnection,
    questionnaire_id: Uuid,
    definition: &Value,
    mappings: &Value,
    by: Option<Uuid>,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO questionnaire_versions (id, questionnaire_id, version, definition, mappings, created_by)
           SELECT $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5
             FROM questionnaire_versions WHERE questionnaire_id = $2"#,
        id,
        questionnaire_id,
        definition,
        mappings,
        by,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Replaces a draft's content; false when the version is not a draft.
pub async fn update_draft(
    conn: &mut PgConnection,
    id: Uuid,
    definition: &Value,
    mappings: &Value,
) -> Result<bool, RepoError> {
    let n = sqlx::query!(
        "UPDATE questionnaire_versions SET definition = $2, mappings = $3 WHERE id = $1 AND status = 'draft'",
        id,
        definition,
        mappings
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Publishes a draft, retiring the version published before it. False when not a draft.
pub async fn publish(conn: &mut PgConnection, id: Uuid) -> Result<bool, RepoError> {
    sqlx::query!(
        r#"UPDATE questionnaire_versions SET status = 'retired'
            WHERE status = 'published'
              AND questionnaire_id = (SELECT questionnaire_id FROM questionnaire_versions
                                       WHERE id = $1 AND status = 'draft')"#,
        id
    )
    .execute(&mut *conn)
    .await?;
    let n = sqlx::query!(
        "UPDATE questionnaire_versions SET status = 'published', published_at = now() WHERE id = $1 AND status = 'draft'",
        id
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

#[derive(Debug, Clone)]
pub struct ResponseRow {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub version_id: Uuid,
    pub status: ResponseStatus,
    pub answers_enc: Vec<u8>,
    pub key_id: String,
    pub answered: i32,
    pub visible: i32,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The patient's response in progress for this version, if any.
pub async fn open_response(
    conn: &mut PgConnection,
    patient_id: Uuid,
    version_id: Uuid,
) -> Result<Option<ResponseRow>, RepoError> {
    let row = sqlx::query_as!(
        ResponseRow,
        r#"SELECT id, patient_id, version_id, status AS "status!: ResponseStatus", answers_enc, key_id,
                  answered, visible, updated_at, submitted_at
             FROM questionnaire_responses
            WHERE patient_id = $1 AND version_id = $2 AND status = 'in_progress'
            FOR UPDATE"#,
        patient_id,
        version_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// The patient's newest submitted response.
pub async fn latest_submitted(
    conn: &mut PgConnection,
    patient_id: Uuid,
) -> Result<Option<ResponseRow>, RepoError> {
    let row = sqlx::query_as!(
        ResponseRow,
        r#"SELECT id, patient_id, version_id, status AS "status!: ResponseStatus", answers_enc, key_id,
                  answered, visible, updated_at, submitted_at
             FROM questionnaire_responses
            WHERE patient_id = $1 AND status = 'submitted'
            ORDER BY submitted_at DESC, id DESC LIMIT 1"#,
        patient_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// How many responses the patient has submitted (their history's length).
pub async fn submitted_count(conn: &mut PgConnection, patient_id: Uuid) -> Result<i64, RepoError> {
    let n = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM questionnaire_responses WHERE patient_id = $1 AND status = 'submitted'"#,
        patient_id
    )
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// Saves progress: updates the open response or starts one. Returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn save_progress(
    conn: &mut PgConnection,
    existing: Option<Uuid>,
    patient_id: Uuid,
    version_id: Uuid,
    answers_enc: &[u8],
    key_id: &str,
    answered: i32,
    visible: i32,
) -> Result<Uuid, RepoError> {
    if let Some(id) = existing {
        sqlx::query!(
            r#"UPDATE questionnaire_responses SET answers_enc = $2, key_id = $3, answered = $4, visible = $5
                WHERE id = $1 AND status = 'in_progress'"#,
            id,
            answers_enc,
            key_id,
            answered,
            visible
        )
        .execute(conn)
        .await?;
        return Ok(id);
    }
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO questionnaire_responses (id, patient_id, version_id, answers_enc, key_id, answered, visible)
           VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
        id,
        patient_id,
        version_id,
        answers_enc,
        key_id,
        answered,
        visible
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn mark_submitted(conn: &mut PgConnection, id: Uuid) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE questionnaire_responses SET status = 'submitted', submitted_at = now() WHERE id = $1 AND status = 'in_progress'",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the patient's derived flags with `flags` from `response_id`, which must have
/// been submitted in this transaction: the database function checks it (patients cannot
/// write or delete flags any other way).
pub async fn replace_flags(
    conn: &mut PgConnection,
    response_id: Uuid,
    flags: &[String],
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"SELECT app_replace_patient_flags($1, $2::text[]) AS "done""#,
        response_id,
        flags
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct PatientFlagRow {
    pub code: String,
    pub label: String,
    pub description: String,
    /// Raised by the latest questionnaire answers.
    pub derived: bool,
    /// Counts now, after doctors' overrides.
    pub effective: bool,
}

/// Every flag that is derived or overridden for the patient, with whether it counts.
pub async fn patient_flags(
    conn: &mut PgConnection,
    patient_id: Uuid,
) -> Result<Vec<PatientFlagRow>, RepoError> {
    let rows = sqlx::query_as!(
        PatientFlagRow,
        r#"SELECT f.code, f.label, f.description,
                  EXISTS (SELECT 1 FROM patient_flags pf WHERE pf.patient_id = $1 AND pf.flag_code = f.code) AS "derived!",
                  EXISTS (SELECT 1 FROM patient_effective_flags e WHERE e.patient_id = $1 AND e.flag_code = f.code) AS "effective!"
             FROM flags f
            WHERE EXISTS (SELECT 1 FROM patient_flags pf WHERE pf.patient_id = $1 AND pf.flag_code = f.code)
               OR EXISTS (SELECT 1 FROM flag_overrides o WHERE o.patient_id = $1 AND o.flag_code = f.code)
            ORDER BY f.code"#,
        patient_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

#[derive(Debug, Clone)]
pub struct OverrideRow {
    pub id: Uuid,
    pub flag_code: String,
    pub raised: bool,
    pub reason_enc: Vec<u8>,
    pub key_id: String,
    pub doctor_id: Uuid,
    pub doctor_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The patient's flag overrides, newest first (at most 200).
pub async fn overrides(
    conn: &mut PgConnection,
    patient_id: Uuid,
) -> Result<Vec<OverrideRow>, RepoError> {
    let rows = sqlx::query_as!(
        OverrideRow,
        r#"SELECT o.id, o.flag_code, o.raised, o.reason_enc, o.key_id, o.doctor_id,
                  o.doctor_name AS "doctor_name?", o.created_at
             FROM flag_overrides o
            WHERE o.patient_id = $1
            ORDER BY o.created_at DESC, o.id DESC LIMIT 200"#,
        patient_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// Records a doctor's override of a patient's flag, with the doctor's name as it is now.
pub async fn insert_override(
    conn: &mut PgConnection,
    patient_id: Uuid,
    flag_code: &str,
    raised: bool,
    reason_enc: &[u8],
    key_id: &str,
    doctor_id: Uuid,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO flag_overrides (id, patient_id, flag_code, raised, reason_enc, key_id, doctor_id, doctor_name)
           SELECT $1, $2, $3, $4, $5, $6, $7, display_name FROM users WHERE id = $7
           RETURNING id"#,
        id,
        patient_id,
        flag_code,
        raised,
        reason_enc,
        key_id,
        doctor_id
    )
    // No row: the doctor is not a user the caller may see, and nothing was written.
    .fetch_optional(conn)
    .await?
    .ok_or(RepoError::NotFound)?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct FlagRow {
    pub code: String,
    pub label: String,
    pub description: String,
}

pub async fn flags(conn: &mut PgConnection) -> Result<Vec<FlagRow>, RepoError> {
    let rows = sqlx::query_as!(
        FlagRow,
        "SELECT code, label, description FROM flags ORDER BY code"
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn insert_flag(
    conn: &mut PgConnection,
    code: &str,
    label: &str,
    description: &str,
) -> Result<(), RepoError> {
    sqlx::query!(
        "INSERT INTO flags (code, label, description) VALUES ($1, $2, $3)",
        code,
        label,
        description
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub patient_id: Uuid,
    pub patient_name: String,
    pub flags: Vec<String>,
    pub rules: i64,
}

/// The doctor's patients whose flags trigger active `review` rules, by name (keyset after
/// `(name, id)`; `limit + 1` rows).
pub async fn review_queue(
    conn: &mut PgConnection,
    doctor_id: Uuid,
    after: Option<(String, Uuid)>,
    limit: i64,
) -> Result<Vec<ReviewRow>, RepoError> {
    let (after_name, after_id) = after.unzip();
    let rows = sqlx::query_as!(
        ReviewRow,
        r#"SELECT u.id AS "patient_id!", u.display_name AS "patient_name!",
                  array_agg(DISTINCT e.flag_code ORDER BY e.flag_code) AS "flags!",
                  count(DISTINCT r.id) AS "rules!"
             FROM (SELECT DISTINCT patient_id FROM doctor_patient_links WHERE doctor_id = $1) l
             JOIN users u ON u.id = l.patient_id
             JOIN patient_effective_flags e ON e.patient_id = l.patient_id
             JOIN contraindication_rules r
               ON r.flag_code = e.flag_code AND r.active AND r.action = 'review'
            WHERE $2::text IS NULL OR (u.display_name, u.id) > ($2, $3)
            GROUP BY u.id, u.display_name
            ORDER BY u.display_name, u.id
            LIMIT $4"#,
        doctor_id,
        after_name,
        after_id,
        limit + 1,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

#[derive(Debug, Clone)]
pub struct DoctorPatientRow {
    pub patient_id: Uuid,
    pub name: String,
    pub email: String,
    pub flags: Vec<String>,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The doctor's patients by name, with their effective flags and when they last answered the
/// questionnaire (keyset after `(name, id)`; `limit + 1` rows).
pub async fn doctor_patients(
    conn: &mut PgConnection,
    doctor_id: Uuid,
    search: Option<&str>,
    after: Option<(String, Uuid)>,
    limit: i64,
) -> Result<Vec<DoctorPatientRow>, RepoError> {
    let (after_name, after_id) = after.unzip();
    let rows = sqlx::query_as!(
        DoctorPatientRow,
        r#"SELECT u.id AS "patient_id!", u.display_name AS "name!", u.email::text AS "email!",
                  coalesce((SELECT array_agg(e.flag_code ORDER BY e.flag_code)
                              FROM patient_effective_flags e WHERE e.patient_id = u.id), '{}') AS "flags!",
                  (SELECT max(r.submitted_at) FROM questionnaire_responses r
                    WHERE r.patient_id = u.id AND r.status = 'submitted') AS submitted_at
             FROM (SELECT DISTINCT patient_id FROM doctor_patient_links WHERE doctor_id = $1) l
             JOIN users u ON u.id = l.patient_id
            WHERE ($2::text IS NULL
                   OR lower(u.email::text || ' ' || u.display_name) LIKE '%' || like_escape(lower($2)) || '%')
              AND ($3::text IS NULL OR (u.display_name, u.id) > ($3, $4))
            ORDER BY u.display_name, u.id
            LIMIT $5"#,
        doctor_id,
        search,
        after_name,
        after_id,
        limit + 1,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}
