//! The developer mailbox, where the local email transport delivers.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;
use crate::pagination::TimeCursor;

#[derive(Debug, Clone)]
pub struct StoredEmail {
    pub id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Stores a delivered message once per job: a retried delivery is a no-op.
pub async fn deliver(
    conn: &mut PgConnection,
    job_id: Uuid,
    to: &str,
    subject: &str,
    body_text: &str,
    body_html: Option<&str>,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO dev_mailbox (id, job_id, to_address, subject, body_text, body_html)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (job_id) DO NOTHING"#,
        Uuid::now_v7(),
        job_id,
        to,
        subject,
        body_text,
        body_html,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Newest first, one page after `cursor`. Returns the rows and the cursor of the next page.
pub async fn list(
    conn: &mut PgConnection,
    cursor: Option<TimeCursor>,
    limit: i64,
) -> Result<(Vec<StoredEmail>, Option<TimeCursor>), RepoError> {
    let (after_at, after_id) = match cursor {
        Some(c) => (Some(c.at), Some(c.id)),
        None => (None, None),
    };
    let mut rows = sqlx::query_as!(
        StoredEmail,
        r#"SELECT id, to_address, subject, body_text, body_html, created_at
             FROM dev_mailbox
            WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1, $2::uuid)
            ORDER BY created_at DESC, id DESC
            LIMIT $3"#,
        after_at,
        after_id,
        limit + 1,
    )
    .fetch_all(conn)
    .await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        rows.last().map(|r| TimeCursor {
            at: r.created_at,
            id: r.id,
        })
    } else {
        None
    };
    Ok((rows, next))
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<StoredEmail, RepoError> {
    let row = sqlx::query_as!(
        StoredEmail,
        r#"SELECT id, to_address, subject, body_text, body_html, created_at
             FROM dev_mailbox WHERE id = $1"#,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}
