//! Single-use tokens sent by email (verification, password reset), stored as SHA-256.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

/// Issues a token, retiring earlier unused ones of the same purpose (only the newest link works).
pub async fn issue(
    conn: &mut PgConnection,
    user_id: Uuid,
    purpose: &str,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"UPDATE email_tokens SET used_at = now()
            WHERE user_id = $1 AND purpose = $2::text::email_token_purpose AND used_at IS NULL"#,
        user_id,
        purpose,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"INSERT INTO email_tokens (id, user_id, purpose, token_hash, expires_at)
           VALUES ($1, $2, $3::text::email_token_purpose, $4, $5)"#,
        Uuid::now_v7(),
        user_id,
        purpose,
        token_hash,
        expires_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumed {
    Ok(Uuid),
    Invalid,
    Expired,
}

/// Uses the token once. Unknown and already-used tokens are the same to the caller.
pub async fn consume(
    conn: &mut PgConnection,
    token_hash: &[u8],
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<Consumed, RepoError> {
    let row = sqlx::query!(
        r#"SELECT id, user_id, expires_at, used_at FROM email_tokens
            WHERE token_hash = $1 AND purpose = $2::text::email_token_purpose
            FOR UPDATE"#,
        token_hash,
        purpose,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(Consumed::Invalid);
    };
    if row.used_at.is_some() {
        return Ok(Consumed::Invalid);
    }
    if row.expires_at <= now {
        return Ok(Consumed::Expired);
    }
    sqlx::query!(
        "UPDATE email_tokens SET used_at = now() WHERE id = $1",
        row.id
    )
    .execute(conn)
    .await?;
    Ok(Consumed::Ok(row.user_id))
}
