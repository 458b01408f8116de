//! Second factors: the TOTP secret (stored encrypted by the caller) and recovery codes.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

#[derive(Debug, Clone)]
pub struct TotpRow {
    pub secret_enc: Vec<u8>,
    pub key_id: String,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub last_used_step: Option<i64>,
}

pub async fn find_totp(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<TotpRow>, RepoError> {
    let row = sqlx::query_as!(
        TotpRow,
        "SELECT secret_enc, key_id, confirmed_at, last_used_step FROM mfa_totp WHERE user_id = $1 FOR UPDATE",
        user_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// Starts (or restarts) an unconfirmed enrolment. Refuses to replace a confirmed secret.
pub async fn start_totp(
    conn: &mut PgConnection,
    user_id: Uuid,
    secret_enc: &[u8],
    key_id: &str,
) -> Result<bool, RepoError> {
    let n = sqlx::query!(
        r#"INSERT INTO mfa_totp (user_id, secret_enc, key_id) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET secret_enc = EXCLUDED.secret_enc,
               key_id = EXCLUDED.key_id, created_at = now(), last_used_step = NULL
           WHERE mfa_totp.confirmed_at IS NULL"#,
        user_id,
        secret_enc,
        key_id,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Forgets a TOTP secret that was never confirmed (the person chose a passkey instead).
pub async fn discard_unconfirmed_totp(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<(), RepoError> {
    sqlx::query!(
        "DELETE FROM mfa_totp WHERE user_id = $1 AND confirmed_at IS NULL",
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn confirm_totp(
    conn: &mut PgConnection,
    user_id: Uuid,
    step: i64,
) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE mfa_totp SET confirmed_at = now(), last_used_step = $2 WHERE user_id = $1",
        user_id,
        step
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn record_totp_step(
    conn: &mut PgConnection,
    user_id: Uuid,
    step: i64,
) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE mfa_totp SET last_used_step = $2 WHERE user_id = $1",
        user_id,
        step
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces every recovery code of the user with these (hashed) ones.
pub async fn replace_recovery_codes(
    conn: &mut PgConnection,
    user_id: Uuid,
    hashes: &[Vec<u8>],
) -> Result<(), RepoError> {
    sqlx::query!("DELETE FROM mfa_recovery_codes WHERE user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    let ids: Vec<Uuid> = hashes.iter().map(|_| Uuid::now_v7()).collect();
    sqlx::query!(
        r#"INSERT INTO mfa_recovery_codes (id, user_id, code_hash)
           SELECT id, $2, hash FROM unnest($1::uuid[], $3::bytea[]) AS t(id, hash)"#,
        &ids,
        user_id,
        hashes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Uses a recovery code once. Returns whether it was valid.
pub async fn use_recovery_code(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: &[u8],
) -> Result<bool, RepoError> {
    let n = sqlx::query!(
        r#"UPDATE mfa_recovery_codes SET used_at = now()
            WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL"#,
        user_id,
        hash
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn remaining_recovery_codes(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<i64, RepoError> {
    let n = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL"#,
        user_id
    )
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// The second factors a user has set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Methods {
    pub totp: bool,
    pub passkey: bool,
}

impl Methods {
    pub fn any(self) -> bool {
        self.totp || self.passkey
    }
}

/// Which second factors the user has (one query, for the token's claim and the profile).
pub async fn methods(conn: &mut PgConnection, user_id: Uuid) -> Result<Methods, RepoError> {
    let row = sqlx::query!(
        r#"SELECT EXISTS (SELECT 1 FROM mfa_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL) AS "totp!",
                  EXISTS (SELECT 1 FROM passkeys WHERE user_id = $1) AS "passkey!""#,
        user_id
    )
    .fetch_one(conn)
    .await?;
    Ok(Methods {
        totp: row.totp,
        passkey: row.passkey,
    })
}

pub async fn mark_session_mfa(conn: &mut PgConnection, session_id: Uuid) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE sessions SET mfa_at = now() WHERE id = $1",
        session_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
