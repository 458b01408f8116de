//! The stored first answers of POSTs sent with an `Idempotency-Key`, per caller, route and
//! key. A row without a status is a first request still running.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

/// How long an answer is replayed.
pub const RETENTION_HOURS: i32 = 24;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    pub request_hash: Vec<u8>,
    pub status_code: Option<i16>,
    pub content_type: Option<String>,
    pub response_body: Option<Vec<u8>>,
}

/// Takes the key for a first request: true when this call took it, false when the key is
/// held (by an earlier request, finished or running). A holder older than the retention is
/// dropped first, so its key can be used afresh.
pub async fn claim(
    conn: &mut PgConnection,
    user_id: Uuid,
    route: &str,
    key: &str,
    request_hash: &[u8],
) -> Result<bool, RepoError> {
    sqlx::query!(
        r#"DELETE FROM idempotency_keys
            WHERE user_id = $1 AND route = $2 AND key = $3
              AND created_at < now() - make_interval(hours => $4)"#,
        user_id,
        route,
        key,
        RETENTION_HOURS,
    )
    .execute(&mut *conn)
    .await?;
    let took = sqlx::query_scalar!(
        r#"INSERT INTO idempotency_keys (user_id, route, key, request_hash)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id, route, key) DO NOTHING
           RETURNING true AS "took!""#,
        user_id,
        route,
        key,
        request_hash,
    )
    .fetch_optional(conn)
    .await?;
    Ok(took.is_some())
}

pub async fn find(
    conn: &mut PgConnection,
    user_id: Uuid,
    route: &str,
    key: &str,
) -> Result<Option<StoredKey>, RepoError> {
    let row = sqlx::query_as!(
        StoredKey,
        r#"SELECT request_hash, status_code, content_type, response_body
             FROM idempotency_keys WHERE user_id = $1 AND route = $2 AND key = $3"#,
        user_id,
        route,
        key,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// Stores the first request's answer.
pub async fn complete(
    conn: &mut PgConnection,
    user_id: Uuid,
    route: &str,
    key: &str,
    status_code: i16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"UPDATE idempotency_keys
              SET status_code = $4, content_type = $5, response_body = $6, completed_at = now()
            WHERE user_id = $1 AND route = $2 AND key = $3"#,
        user_id,
        route,
        key,
        status_code,
        content_type,
        body,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Lets the key go (the first request failed on the server's side: a retry may run it again).
pub async fn release(
    conn: &mut PgConnection,
    user_id: Uuid,
    route: &str,
    key: &str,
) -> Result<(), RepoError> {
    sqlx::query!(
        "DELETE FROM idempotency_keys WHERE user_id = $1 AND route = $2 AND key = $3",
        user_id,
        route,
        key,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes every stored answer older than the retention; returns how many.
pub async fn purge_expired(conn: &mut PgConnection) -> Result<u64, RepoError> {
    let done = sqlx::query!(
        "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)",
        RETENTION_HOURS,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
