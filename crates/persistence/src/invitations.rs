//! Invitations to staff roles.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;
use crate::pagination::TimeCursor;

#[derive(Debug, Clone)]
pub struct InvitationRow {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub registration_number: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub struct NewInvitation<'a> {
    pub email: &'a str,
    pub role: &'a str,
    pub organisation_id: Uuid,
    pub registration_number: Option<&'a str>,
    pub token_hash: &'a [u8],
    pub invited_by: Uuid,
    pub expires_at: DateTime<Utc>,
}

pub async fn create(conn: &mut PgConnection, n: &NewInvitation<'_>) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO invitations (id, email, role, organisation_id, registration_number,
               token_hash, invited_by, expires_at)
           VALUES ($1, $2::text::citext, $3::text::app_role, $4, $5, $6, $7, $8)"#,
        id,
        n.email,
        n.role,
        n.organisation_id,
        n.registration_number,
        n.token_hash,
        n.invited_by,
        n.expires_at,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn list(
    conn: &mut PgConnection,
    before: Option<TimeCursor>,
    limit: i64,
) -> Result<Vec<InvitationRow>, RepoError> {
    let (at, id) = before.map(|c| (c.at, c.id)).unzip();
    let rows = sqlx::query_as!(
        InvitationRow,
        r#"SELECT i.id, i.email::text AS "email!", i.role::text AS "role!", i.organisation_id,
                  o.name AS organisation_name, i.registration_number, i.created_at, i.expires_at,
                  i.accepted_at, i.revoked_at
             FROM invitations i JOIN organisations o ON o.id = i.organisation_id
            WHERE $1::timestamptz IS NULL OR (i.created_at, i.id) < ($1, $2::uuid)
            ORDER BY i.created_at DESC, i.id DESC
            LIMIT $3"#,
        at,
        id,
        limit
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// The open invitation with this token, locked for acceptance.
pub async fn find_open_by_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> Result<Option<InvitationRow>, RepoError> {
    let row = sqlx::query_as!(
        InvitationRow,
        r#"SELECT i.id, i.email::text AS "email!", i.role::text AS "role!", i.organisation_id,
                  o.name AS organisation_name, i.registration_number, i.created_at, i.expires_at,
                  i.accepted_at, i.revoked_at
             FROM invitations i JOIN organisations o ON o.id = i.organisation_id
            WHERE i.token_hash = $1
            FOR UPDATE OF i"#,
        token_hash
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

pub async fn mark_accepted(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: Uuid,
) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE invitations SET accepted_at = now(), accepted_user_id = $2 WHERE id = $1",
        id,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<InvitationRow, RepoError> {
    let row = sqlx::query_as!(
        InvitationRow,
        r#"SELECT i.id, i.email::text AS "email!", i.role::text AS "role!", i.organisation_id,
                  o.name AS organisation_name, i.registration_number, i.created_at, i.expires_at,
                  i.accepted_at, i.revoked_at
             FROM invitations i JOIN organisations o ON o.id = i.organisation_id
            WHERE i.id = $1"#,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}
