//! Values sealed with a data key (TOTP secrets, questionnaire answers, override reasons), for
//! re-sealing under the current key after a rotation. Each batch is locked with
//! `FOR UPDATE SKIP LOCKED`, so two rotations at once never re-seal the same row twice.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

/// Where a sealed value lives: the table, the row, and the context it was sealed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedKind {
    TotpSecret,
    QuestionnaireAnswers,
    OverrideReason,
    ConsultationNotes,
}

impl SealedKind {
    pub const ALL: [SealedKind; 4] = [
        Self::TotpSecret,
        Self::QuestionnaireAnswers,
        Self::OverrideReason,
        Self::ConsultationNotes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::TotpSecret => "totp secrets",
            Self::QuestionnaireAnswers => "questionnaire answers",
            Self::OverrideReason => "flag override reasons",
            Self::ConsultationNotes => "consultation notes",
        }
    }
}

/// One sealed value: `row` identifies it, `context` is the authenticated data it was sealed
/// with (the owning person's id).
#[derive(Debug, Clone)]
pub struct SealedValue {
    pub row: Uuid,
    pub context: Uuid,
    pub key_id: String,
    pub sealed: Vec<u8>,
}

/// Up to `limit` values of `kind` sealed with a key other than `current`, locked for update.
pub async fn stale(
    conn: &mut PgConnection,
    kind: SealedKind,
    current: &str,
    limit: i64,
) -> Result<Vec<SealedValue>, RepoError> {
    let rows = match kind {
        SealedKind::TotpSecret => {
            sqlx::query_as!(
                SealedValue,
                r#"SELECT user_id AS "row!", user_id AS "context!", key_id, secret_enc AS sealed
                     FROM mfa_totp WHERE key_id <> $1
                    LIMIT $2 FOR UPDATE SKIP LOCKED"#,
                current,
                limit
            )
            .fetch_all(conn)
            .await?
        }
        SealedKind::QuestionnaireAnswers => {
            sqlx::query_as!(
                SealedValue,
                r#"SELECT id AS "row!", patient_id AS "context!", key_id, answers_enc AS sealed
                     FROM questionnaire_responses WHERE key_id <> $1
                    LIMIT $2 FOR UPDATE SKIP LOCKED"#,
                current,
                limit
            )
            .fetch_all(conn)
            .await?
        }
        SealedKind::OverrideReason => {
            sqlx::query_as!(
                SealedValue,
                r#"SELECT id AS "row!", patient_id AS "context!", key_id, reason_enc AS sealed
                     FROM flag_overrides WHERE key_id <> $1
                    LIMIT $2 FOR UPDATE SKIP LOCKED"#,
                current,
                limit
            )
            .fetch_all(conn)
            .await?
        }
        SealedKind::ConsultationNotes => {
            sqlx::query_as!(
                SealedValue,
                r#"SELECT consultation_id AS "row!", consultation_id AS "context!", key_id,
                          notes_enc AS sealed
                     FROM consultation_notes WHERE key_id <> $1
                    LIMIT $2 FOR UPDATE SKIP LOCKED"#,
                current,
                limit
            )
            .fetch_all(conn)
            .await?
        }
    };
    Ok(rows)
}

/// Stores `sealed` (made with `key_id`) in place of the row's old value.
pub async fn replace(
    conn: &mut PgConnection,
    kind: SealedKind,
    row: Uuid,
    key_id: &str,
    sealed: &[u8],
) -> Result<(), RepoError> {
    let done = match kind {
        SealedKind::TotpSecret => {
            sqlx::query!(
                "UPDATE mfa_totp SET secret_enc = $2, key_id = $3 WHERE user_id = $1",
                row,
                sealed,
                key_id
            )
            .execute(conn)
            .await?
        }
        SealedKind::QuestionnaireAnswers => {
            sqlx::query!(
                "UPDATE questionnaire_responses SET answers_enc = $2, key_id = $3 WHERE id = $1",
                row,
                sealed,
                key_id
            )
            .execute(conn)
            .await?
        }
        SealedKind::OverrideReason => {
            sqlx::query!(
                "UPDATE flag_overrides SET reason_enc = $2, key_id = $3 WHERE id = $1",
                row,
                sealed,
                key_id
            )
            .execute(conn)
            .await?
        }
        SealedKind::ConsultationNotes => sqlx::query!(
            "UPDATE consultation_notes SET notes_enc = $2, key_id = $3 WHERE consultation_id = $1",
            row,
            sealed,
            key_id
        )
        .execute(conn)
        .await?,
    };
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(RepoError::NotFound)
    }
}
