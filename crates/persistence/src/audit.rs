//! The append-only, hash-chained audit log. Events are written in the same transaction as
//! the change (or read) they record, touching no shared row; [`seal`] links them into the hash
//! chain a few seconds later (see migration 000011), and signed checkpoints pin the chain.

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
        r#"INSERT INTO audit_events (id, actor_id, acting_role, action, entity_type, entity_id,
               clinic_id, ip, user_agent, request_id, risk, details)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::inet, left($9, 400), $10,
                   $11::text::audit_risk, coalesce($12, '{}'::jsonb))"#,
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

/// The `INSERT` of `entries` with every value as a literal, for the message that opens a
/// transaction ([`crate::Db::begin_recording`]); the same columns and conversions as [`record`].
pub(crate) fn insert_statement(entries: &[AuditEntry]) -> Result<String, RepoError> {
    use crate::literal::{opt_text, text, uuid};
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        let details = match &e.details {
            Some(d) => format!("{}::jsonb", text(&d.to_string())?),
            None => "'{}'::jsonb".to_owned(),
        };
        rows.push(format!(
            "({}, {}, {}, {}, {}, {}, {}, {}::inet, left({}, 400), {}, {}::audit_risk, {})",
            uuid(Some(Uuid::now_v7())),
            uuid(e.actor_id),
            opt_text(e.acting_role.as_deref())?,
            text(&e.action)?,
            text(&e.entity_type)?,
            opt_text(e.entity_id.as_deref())?,
            uuid(e.clinic_id),
            opt_text(e.ip.as_deref())?,
            opt_text(e.user_agent.as_deref())?,
            opt_text(e.request_id.as_deref())?,
            text(if e.risk.is_empty() { "low" } else { e.risk })?,
            details,
        ));
    }
    Ok(format!(
        "INSERT INTO audit_events (id, actor_id, acting_role, action, entity_type, entity_id, \
         clinic_id, ip, user_agent, request_id, risk, details) VALUES {}",
        rows.join(", ")
    ))
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
    /// The event's link in the hash chain; `None` until the sealing job has chained it.
    pub hash: Option<Vec<u8>>,
    /// The actor's name and address now (for the information officer's viewer).
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
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
        r#"WITH page AS (
               SELECT e.seq, e.id, e.occurred_at, e.actor_id, e.acting_role, e.action,
                      e.entity_type, e.entity_id, e.clinic_id, host(e.ip) AS ip, e.user_agent,
                      e.request_id, e.risk::text AS risk, c.hash
                 FROM audit_events e
                 LEFT JOIN audit_chain c ON c.event_seq = e.seq
                WHERE ($1::uuid IS NULL OR e.actor_id = $1)
                  AND ($2::text IS NULL OR e.entity_type = $2)
                  AND ($3::text IS NULL OR e.entity_id = $3)
                  AND ($4::text IS NULL OR e.action = $4)
                  AND ($5::timestamptz IS NULL OR e.occurred_at >= $5)
                  AND ($6::timestamptz IS NULL OR e.occurred_at < $6)
                  AND ($7::bigint IS NULL OR e.seq < $7)
                ORDER BY e.seq DESC
                LIMIT $8)
           SELECT p.seq AS "seq!", p.id AS "id!", p.occurred_at AS "occurred_at!",
                  p.actor_id, p.acting_role, p.action AS "action!",
                  p.entity_type AS "entity_type!", p.entity_id, p.clinic_id, p.ip, p.user_agent,
                  p.request_id, p.risk AS "risk!", p.hash AS "hash?",
                  n.display_name AS "actor_name?", n.email AS "actor_email?"
             FROM page p
             LEFT JOIN audit_actor_names(ARRAY(SELECT DISTINCT actor_id FROM page
                                                WHERE actor_id IS NOT NULL)) n
                    ON n.id = p.actor_id
            ORDER BY p.seq DESC"#,
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
    /// Links walked.
    pub checked: i64,
    /// The chain position of the first broken link, and the event there.
    pub broken_seq: Option<i64>,
    pub broken_event_seq: Option<i64>,
    pub reason: Option<String>,
}

/// Walks the chain from position `from_seq` (in the database) and reports the first broken link.
pub async fn verify(conn: &mut PgConnection, from_seq: i64) -> Result<Verification, RepoError> {
    let broken = sqlx::query!(
        r#"SELECT v.broken_seq, v.reason, v.checked, c.event_seq AS "event_seq?"
             FROM audit_verify_chain($1) v
             LEFT JOIN audit_chain c ON c.chain_seq = v.broken_seq"#,
        from_seq
    )
    .fetch_optional(&mut *conn)
    .await?;
    match broken {
        Some(b) => Ok(Verification {
            checked: b.checked.unwrap_or(0),
            broken_seq: b.broken_seq,
            broken_event_seq: b.event_seq,
            reason: b.reason,
        }),
        None => {
            let checked = sqlx::query_scalar!(
                r#"SELECT count(*) AS "n!" FROM audit_chain WHERE chain_seq >= $1"#,
                from_seq
            )
            .fetch_one(conn)
            .await?;
            Ok(Verification {
                checked,
                broken_seq: None,
                broken_event_seq: None,
                reason: None,
            })
        }
    }
}

/// Links up to `max_events` waiting events into the chain (system context only). Returns how
/// many were sealed.
pub async fn seal(conn: &mut PgConnection, max_events: i32) -> Result<i32, RepoError> {
    let n = sqlx::query_scalar!(r#"SELECT audit_seal($1) AS "n!""#, max_events)
        .fetch_one(conn)
        .await?;
    Ok(n)
}

/// The newest link of the chain: position and hash (position 0 before the first event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: Vec<u8>,
    /// Events appended but not yet chained.
    pub unsealed: i64,
}

pub async fn head(conn: &mut PgConnection) -> Result<ChainHead, RepoError> {
    let row = sqlx::query!(
        r#"SELECT h.seq, h.hash,
                  (SELECT count(*) FROM audit_events e
                    WHERE e.xid >= h.low_xid
                      AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_seq = e.seq))
                  AS "unsealed!"
             FROM audit_chain_head h"#
    )
    .fetch_one(conn)
    .await?;
    Ok(ChainHead {
        seq: row.seq,
        hash: row.hash,
        unsealed: row.unsealed,
    })
}

/// A signed statement "the chain's link at `chain_seq` has hash `hash`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub chain_seq: i64,
    pub hash: Vec<u8>,
    pub key_id: String,
    pub signature: String,
    pub created_at: DateTime<Utc>,
    /// The chain's hash at that position now (`None` if the link is gone).
    pub chain_hash: Option<Vec<u8>>,
}

pub async fn add_checkpoint(
    conn: &mut PgConnection,
    chain_seq: i64,
    hash: &[u8],
    key_id: &str,
    signature: &str,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO audit_checkpoints (chain_seq, hash, key_id, signature)
           VALUES ($1, $2, $3, $4) ON CONFLICT (chain_seq) DO NOTHING"#,
        chain_seq,
        hash,
        key_id,
        signature,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Checkpoints, newest first, with the chain's current hash at each position.
pub async fn checkpoints(
    conn: &mut PgConnection,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<Checkpoint>, RepoError> {
    let rows = sqlx::query_as!(
        Checkpoint,
        r#"SELECT k.chain_seq, k.hash, k.key_id, k.signature, k.created_at,
                  c.hash AS "chain_hash?"
             FROM audit_checkpoints k
             LEFT JOIN audit_chain c ON c.chain_seq = k.chain_seq
            WHERE ($1::bigint IS NULL OR k.chain_seq < $1)
            ORDER BY k.chain_seq DESC
            LIMIT $2"#,
        before_seq,
        limit,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}
