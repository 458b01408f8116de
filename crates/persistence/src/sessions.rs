//! Sign-in sessions and their rotating refresh tokens.

use chrono::{DateTime, Utc};
use rxgate_domain::ids::{SessionId, UserId};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

pub async fn create(
    conn: &mut PgConnection,
    user_id: Uuid,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO sessions (id, user_id, ip, user_agent)
           VALUES ($1, $2, $3::text::inet, left($4, 400))"#,
        id,
        user_id,
        ip,
        user_agent,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn insert_refresh_token(
    conn: &mut PgConnection,
    session_id: Uuid,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO refresh_tokens (id, session_id, token_hash, expires_at)
           VALUES ($1, $2, $3, $4)"#,
        Uuid::now_v7(),
        session_id,
        token_hash,
        expires_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct PresentedToken {
    pub token_id: Uuid,
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub used_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub session_revoked_at: Option<DateTime<Utc>>,
    pub last_seen_at: DateTime<Utc>,
    pub mfa_at: Option<DateTime<Utc>>,
}

/// The token with this hash and its session, locked for the rotation that follows.
pub async fn find_refresh_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> Result<Option<PresentedToken>, RepoError> {
    let row = sqlx::query_as!(
        PresentedToken,
        r#"SELECT t.id AS token_id, t.session_id, s.user_id, t.used_at, t.expires_at,
                  s.revoked_at AS session_revoked_at, s.last_seen_at, s.mfa_at
             FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
            WHERE t.token_hash = $1
            FOR UPDATE OF t, s"#,
        token_hash
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

pub async fn mark_refresh_token_used(
    conn: &mut PgConnection,
    token_id: Uuid,
) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE refresh_tokens SET used_at = coalesce(used_at, now()) WHERE id = $1",
        token_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn touch(conn: &mut PgConnection, session_id: Uuid) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE sessions SET last_seen_at = now() WHERE id = $1",
        session_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Revokes one session of `user_id`. Returns false when there is no such live session.
/// (Typed ids: a session id cannot be passed as the user's, the mistake two `Uuid`s invite.)
pub async fn revoke(
    conn: &mut PgConnection,
    user_id: UserId,
    session_id: SessionId,
    reason: &str,
) -> Result<bool, RepoError> {
    let n = sqlx::query!(
        r#"UPDATE sessions SET revoked_at = now(), revoked_reason = $3
            WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL"#,
        session_id as SessionId,
        user_id as UserId,
        reason,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn revoke_all(
    conn: &mut PgConnection,
    user_id: Uuid,
    reason: &str,
) -> Result<u64, RepoError> {
    let n = sqlx::query!(
        r#"UPDATE sessions SET revoked_at = now(), revoked_reason = $2
            WHERE user_id = $1 AND revoked_at IS NULL"#,
        user_id,
        reason,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n)
}

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

pub async fn list_live(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<SessionRow>, RepoError> {
    let rows = sqlx::query_as!(
        SessionRow,
        r#"SELECT id, created_at, last_seen_at, user_agent, host(ip) AS ip
             FROM sessions WHERE user_id = $1 AND revoked_at IS NULL
            ORDER BY last_seen_at DESC LIMIT 100"#,
        user_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}
