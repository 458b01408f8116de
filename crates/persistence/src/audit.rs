//! The append-only, hash-chained audit log. Events are written in the same transaction as
//! the change (or read) they record; the chain is computed by the database trigger.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    pub actor_id: Option<Uuid>,
    pub acting_role: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub clinic_id: Option<Uuid>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    /// `low`, `medium`, `high`
    pub risk: &'static str,
    pub details: Option<Value>,
}

pub async fn record(conn: &mut PgConnection, e: &AuditEntry) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO audit_events (seq, id, actor_id, acting_role, action, entity_type, entity_id,
               clinic_id, ip, user_agent, request_id, risk, details, prev_hash, hash)
           VALUES (0, $1, $2, $3, $4, $5, $6, $7, $8::text::inet, left($9, 400), $10,
                   $11::text::audit_risk, coalesce($12, '{}'::jsonb), '\x', '\x')"#,
        Uuid::now_v7(),
        e.actor_id,
        e.acting_role,
        e.action,
        e.entity_type,
        e.entity_id,
        e.clinic_id,
        e.ip,
        e.user_agent,
        e.request_id,
        if e.risk.is_empty() { "low" } else { e.risk },
        e.details,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub seq: i64,
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub acting_role: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub clinic_id: Option<Uuid>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub risk: String,
    pub hash: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Events with a smaller sequence number than this (the cursor).
    pub before_seq: Option<i64>,
}

/// Newest first; one query whatever the page size.
pub async fn list(
    conn: &mut PgConnection,
    f: &AuditFilter,
    limit: i64,
) -> Result<(Vec<AuditRow>, Option<i64>), RepoError> {
    let mut rows = sqlx::query_as!(
        AuditRow,
        r#"SELECT seq, id, occurred_at, actor_id, acting_role, action, entity_type, entity_id,
                  clinic_id, host(ip) AS ip, user_agent, request_id, risk::text AS "risk!", hash
             FROM audit_events
            WHERE ($1::uuid IS NULL OR actor_id = $1)
              AND ($2::text IS NULL OR entity_type = $2)
              AND ($3::text IS NULL OR entity_id = $3)
              AND ($4::text IS NULL OR action = $4)
              AND ($5::timestamptz IS NULL OR occurred_at >= $5)
              AND ($6::timestamptz IS NULL OR occurred_at < $6)
              AND ($7::bigint IS NULL OR seq < $7)
            ORDER BY seq DESC
            LIMIT $8"#,
        f.actor_id,
        f.entity_type,
        f.entity_id,
        f.action,
        f.from,
        f.to,
        f.before_seq,
        limit + 1,
    )
    .fetch_all(conn)
    .await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    Ok((rows, next))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub checked: i64,
    pub broken_seq: Option<i64>,
    pub reason: Option<String>,
}

/// Walks the whole chain (in the database) and reports the first broken link.
pub async fn verify(conn: &mut PgConnection) -> Result<Verification, RepoError> {
    let broken = sqlx::query!(r#"SELECT broken_seq, reason, checked FROM audit_verify_chain()"#)
        .fetch_optional(&mut *conn)
        .await?;
    match broken {
        Some(b) => Ok(Verification {
            checked: b.checked.unwrap_or(0),
            broken_seq: b.broken_seq,
            reason: b.reason,
        }),
        None => {
            let checked = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM audit_events"#)
                .fetch_one(conn)
                .await?;
            Ok(Verification {
                checked,
                broken_seq: None,
                reason: None,
            })
        }
    }
}
