//! Passkeys and the server half of WebAuthn ceremonies. The credential and ceremony state are
//! webauthn-rs values stored as JSON; this module does not interpret them.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

#[derive(Debug, Clone)]
pub struct PasskeyRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub passkey: Value,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The user's passkeys, oldest first (a user has a handful: the handler caps them).
pub async fn list_for_user(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<PasskeyRow>, RepoError> {
    let rows = sqlx::query_as!(
        PasskeyRow,
        r#"SELECT id, user_id, name, passkey, created_at, last_used_at
             FROM passkeys WHERE user_id = $1 ORDER BY created_at, id"#,
        user_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// The passkey with this credential id, locked for the counter update.
pub async fn find_by_credential(
    conn: &mut PgConnection,
    credential_id: &[u8],
) -> Result<Option<PasskeyRow>, RepoError> {
    let row = sqlx::query_as!(
        PasskeyRow,
        r#"SELECT id, user_id, name, passkey, created_at, last_used_at
             FROM passkeys WHERE credential_id = $1 FOR UPDATE"#,
        credential_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

pub async fn count_for_user(conn: &mut PgConnection, user_id: Uuid) -> Result<i64, RepoError> {
    let n = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM passkeys WHERE user_id = $1"#,
        user_id
    )
    .fetch_one(conn)
    .await?;
    Ok(n)
}

pub async fn insert(
    conn: &mut PgConnection,
    user_id: Uuid,
    credential_id: &[u8],
    name: &str,
    passkey: &Value,
) -> Result<PasskeyRow, RepoError> {
    let row = sqlx::query_as!(
        PasskeyRow,
        r#"INSERT INTO passkeys (id, user_id, credential_id, name, passkey)
           VALUES ($1, $2, $3, $4, $5)
           RETURNING id, user_id, name, passkey, created_at, last_used_at"#,
        Uuid::now_v7(),
        user_id,
        credential_id,
        name,
        passkey,
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}

/// Records a successful use: the updated credential (counter, backup state) and when.
pub async fn record_use(
    conn: &mut PgConnection,
    id: Uuid,
    passkey: Option<&Value>,
) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE passkeys SET last_used_at = now(), passkey = COALESCE($2, passkey) WHERE id = $1",
        id,
        passkey,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes one of the user's passkeys; false when there is no such passkey of theirs.
pub async fn delete(conn: &mut PgConnection, user_id: Uuid, id: Uuid) -> Result<bool, RepoError> {
    let n = sqlx::query!(
        "DELETE FROM passkeys WHERE id = $1 AND user_id = $2",
        id,
        user_id
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Stores a ceremony's server state until `expires_at`, clearing expired ones on the way.
pub async fn start_ceremony(
    conn: &mut PgConnection,
    user_id: Option<Uuid>,
    session_id: Option<Uuid>,
    purpose: &str,
    state: &Value,
    expires_at: DateTime<Utc>,
) -> Result<Uuid, RepoError> {
    sqlx::query!("DELETE FROM webauthn_ceremonies WHERE expires_at < now()")
        .execute(&mut *conn)
        .await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO webauthn_ceremonies (id, user_id, session_id, purpose, state, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)"#,
        id,
        user_id,
        session_id,
        purpose,
        state,
        expires_at,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Takes a ceremony's state exactly once: it is deleted whether or not it is still valid, and
/// only returned when unexpired and started for this purpose, user and session.
pub async fn take_ceremony(
    conn: &mut PgConnection,
    id: Uuid,
    purpose: &str,
    user_id: Option<Uuid>,
    session_id: Option<Uuid>,
) -> Result<Option<Value>, RepoError> {
    let row = sqlx::query!(
        r#"DELETE FROM webauthn_ceremonies WHERE id = $1
           RETURNING purpose, user_id, session_id, state, expires_at > now() AS "live!""#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| {
        (r.live && r.purpose == purpose && r.user_id == user_id && r.session_id == session_id)
            .then_some(r.state)
    }))
}
