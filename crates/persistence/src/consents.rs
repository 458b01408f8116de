//! Consents: every grant and withdrawal is a new row; the newest per purpose is in force.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

#[derive(Debug, Clone)]
pub struct ConsentRow {
    pub id: Uuid,
    pub purpose: String,
    pub policy_version: String,
    pub granted: bool,
    pub recorded_at: DateTime<Utc>,
}

pub async fn record(
    conn: &mut PgConnection,
    user_id: Uuid,
    purpose: &str,
    policy_version: &str,
    granted: bool,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<ConsentRow, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO consents (id, user_id, purpose, policy_version, granted, ip, user_agent)
           VALUES ($1, $2, $3, $4, $5, $6::text::inet, left($7, 400))"#,
        id,
        user_id,
        purpose,
        policy_version,
        granted,
        ip,
        user_agent,
    )
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query_as!(
        ConsentRow,
        "SELECT id, purpose, policy_version, granted, recorded_at FROM consents WHERE id = $1",
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}

/// Full history, newest first.
pub async fn list(conn: &mut PgConnection, user_id: Uuid) -> Result<Vec<ConsentRow>, RepoError> {
    let rows = sqlx::query_as!(
        ConsentRow,
        r#"SELECT id, purpose, policy_version, granted, recorded_at FROM consents
            WHERE user_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 500"#,
        user_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}
