//! Consultations: one per confirmed booking (same id), their events, the doctor's sealed notes,
//! single-use room tickets and recording consents. Every status change is a compare-and-set
//! (`WHERE status = ANY(sources)`) that writes its `consultation_events` row in the same
//! statement.

use chrono::{DateTime, Utc};
use rxgate_domain::booking::ConsultMode;
use rxgate_domain::consultation::ConsultationStatus;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

#[derive(Debug, Clone)]
pub struct ConsultationRow {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub doctor_id: Uuid,
    pub patient_id: Uuid,
    pub status: ConsultationStatus,
    pub mode: ConsultMode,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub doctor_name: String,
}

/// Opens the consultation of booking `booking` (as the system), if the booking is confirmed or
/// completed and has none yet. Returns whether one was opened.
pub async fn open(conn: &mut PgConnection, booking: Uuid) -> Result<bool, RepoError> {
    let opened = sqlx::query_scalar!(
        r#"WITH opened AS (
               INSERT INTO consultations (id, clinic_id, doctor_id, patient_id)
               SELECT id, clinic_id, doctor_id, patient_id FROM bookings
                WHERE id = $1 AND status IN ('confirmed', 'completed')
               ON CONFLICT (id) DO NOTHING
               RETURNING id),
           event AS (
               INSERT INTO consultation_events (consultation_id, from_status, to_status)
               SELECT id, NULL, 'scheduled' FROM opened)
           SELECT id AS "id!" FROM opened"#,
        booking
    )
    .fetch_optional(conn)
    .await?;
    Ok(opened.is_some())
}

/// Consultation `id`, if the caller may see it.
pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<ConsultationRow>, RepoError> {
    Ok(sqlx::query_as!(
        ConsultationRow,
        r#"SELECT c.id, c.clinic_id, c.doctor_id, c.patient_id,
                  c.status AS "status: ConsultationStatus", b.mode AS "mode: ConsultMode",
                  b.starts_at, b.ends_at, c.started_at, c.ended_at,
                  COALESCE((SELECT d.display_name FROM clinic_doctors d
                             WHERE d.clinic_id = c.clinic_id AND d.doctor_id = c.doctor_id), '') AS "doctor_name!"
             FROM consultations c JOIN bookings b ON b.id = c.id
            WHERE c.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?)
}

/// Moves consultation `id` from one of `sources` to `to` (compare-and-set), recording the event
/// and when it started or ended. `None` when it is not in one of `sources` (or not visible).
pub async fn transition(
    conn: &mut PgConnection,
    id: Uuid,
    sources: &[ConsultationStatus],
    to: ConsultationStatus,
    actor: Option<Uuid>,
) -> Result<Option<ConsultationStatus>, RepoError> {
    let moved = sqlx::query_scalar!(
        r#"WITH moved AS (
               UPDATE consultations c
                  SET status = $3,
                      started_at = CASE WHEN $3 = 'in_progress'::consultation_status THEN now()
                                        ELSE c.started_at END,
                      ended_at = CASE WHEN $3 IN ('completed'::consultation_status,
                                                  'incomplete'::consultation_status,
                                                  'no_show'::consultation_status,
                                                  'cancelled'::consultation_status)
                                      THEN now() ELSE c.ended_at END
                 FROM (SELECT id, status FROM consultations WHERE id = $1 FOR UPDATE) AS old
                WHERE c.id = old.id AND old.status = ANY ($2)
            RETURNING c.id, old.status AS before),
           event AS (
               INSERT INTO consultation_events (consultation_id, from_status, to_status, actor_id)
               SELECT id, before, $3, $4 FROM moved)
           SELECT before AS "before!: ConsultationStatus" FROM moved"#,
        id,
        sources as &[ConsultationStatus],
        to as ConsultationStatus,
        actor,
    )
    .fetch_optional(conn)
    .await?;
    Ok(moved.map(|_| to))
}

#[derive(Debug, Clone)]
pub struct ConsultationEventRow {
    pub from_status: Option<ConsultationStatus>,
    pub to_status: ConsultationStatus,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub async fn events(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Vec<ConsultationEventRow>, RepoError> {
    Ok(sqlx::query_as!(
        ConsultationEventRow,
        r#"SELECT from_status AS "from_status: ConsultationStatus",
                  to_status AS "to_status: ConsultationStatus", actor_id, created_at
             FROM consultation_events WHERE consultation_id = $1 ORDER BY id"#,
        id
    )
    .fetch_all(conn)
    .await?)
}

// Notes --------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NotesRow {
    pub author_id: Uuid,
    pub notes_enc: Vec<u8>,
    pub key_id: String,
    pub finalised_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// The notes of consultation `id`, if the caller may read them (row-level security: the doctor
/// always, the patient once final).
pub async fn notes(conn: &mut PgConnection, id: Uuid) -> Result<Option<NotesRow>, RepoError> {
    Ok(sqlx::query_as!(
        NotesRow,
        r#"SELECT author_id, notes_enc, key_id, finalised_at, updated_at
             FROM consultation_notes WHERE consultation_id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?)
}

/// Writes the notes of consultation `id` (a draft, or final when `finalise`), unless they are
/// final already. `None` when final notes exist (nothing is written).
pub async fn save_notes(
    conn: &mut PgConnection,
    id: Uuid,
    author: Uuid,
    sealed: &[u8],
    key_id: &str,
    finalise: bool,
) -> Result<Option<DateTime<Utc>>, RepoError> {
    let saved = sqlx::query_scalar!(
        r#"INSERT INTO consultation_notes (consultation_id, author_id, notes_enc, key_id, finalised_at)
           VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END)
           ON CONFLICT (consultation_id) DO UPDATE
              SET author_id = EXCLUDED.author_id, notes_enc = EXCLUDED.notes_enc,
                  key_id = EXCLUDED.key_id, finalised_at = EXCLUDED.finalised_at
            WHERE consultation_notes.finalised_at IS NULL
           RETURNING updated_at"#,
        id,
        author,
        sealed,
        key_id,
        finalise
    )
    .fetch_optional(conn)
    .await?;
    Ok(saved)
}

// Room tickets --------------------------------------------------------------------------------------

/// Stores a ticket (its hash) for `user` to consultation `id`, valid until `expires_at`.
pub async fn issue_ticket(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO consultation_room_tickets (token_hash, consultation_id, user_id, expires_at)
           VALUES ($1, $2, $3, $4)"#,
        token_hash,
        id,
        user,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Redeems a ticket to consultation `id` (as the system): marks it used and returns its user,
/// or `None` when it is unknown, for another consultation, used or expired.
pub async fn redeem_ticket(
    conn: &mut PgConnection,
    id: Uuid,
    token_hash: &[u8],
) -> Result<Option<Uuid>, RepoError> {
    Ok(sqlx::query_scalar!(
        r#"UPDATE consultation_room_tickets SET used_at = now()
            WHERE token_hash = $1 AND consultation_id = $2 AND used_at IS NULL
              AND expires_at > now()
           RETURNING user_id"#,
        token_hash,
        id
    )
    .fetch_optional(conn)
    .await?)
}

// Recording consents ------------------------------------------------------------------------------

/// Records `user`'s consent to recording consultation `id` (again is a no-op).
pub async fn consent_to_recording(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO consultation_recording_consents (consultation_id, user_id)
           VALUES ($1, $2) ON CONFLICT DO NOTHING"#,
        id,
        user
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Who consented to recording consultation `id`.
pub async fn recording_consents(conn: &mut PgConnection, id: Uuid) -> Result<Vec<Uuid>, RepoError> {
    Ok(sqlx::query_scalar!(
        "SELECT user_id FROM consultation_recording_consents WHERE consultation_id = $1",
        id
    )
    .fetch_all(conn)
    .await?)
}
