//! The audit log as the information officer sees it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::vocab::Risk;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditEventView {
    pub seq: i64,
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    /// The actor's name now (absent for anonymous callers and the system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    /// The actor's email address now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_email: Option<String>,
    /// The role the actor acted in (their highest), as recorded then.
    pub acting_role: Option<String>,
    /// `create`, `read`, `update`, `delete`, `login`, `login_failed`, …
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub clinic_id: Option<Uuid>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub risk: Risk,
    /// The event's link in the hash chain (hex SHA-256); absent for the few seconds until the
    /// sealing job has chained it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// Filters of `GET /audit-events`; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct AuditQuery {
    pub actor_id: Option<Uuid>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    /// Events at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Events before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::pagination::limit")]
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
}

/// Filters of `GET /audit-events/export`: a range is required, and the export holds at most
/// 50,000 events (narrow the range or add filters when there are more).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct AuditExportQuery {
    pub actor_id: Option<Uuid>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    /// Events at or after this instant (RFC 3339).
    pub from: DateTime<Utc>,
    /// Events before this instant (RFC 3339).
    pub to: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChainVerification {
    /// True when every checked link matches its event and its predecessor, and every
    /// checkpoint's signature and hash hold.
    pub intact: bool,
    /// How many links of the chain were walked.
    pub checked: i64,
    /// The chain position the walk started from: the newest valid checkpoint, or 1 for a full
    /// walk (`?full=true`) or when there is no checkpoint yet.
    pub from_position: i64,
    /// How many signed checkpoints were checked (signature and hash).
    pub checkpoints_checked: i64,
    /// Events appended but not yet chained (the sealing job runs every few seconds).
    pub unsealed: i64,
    /// The event (its `seq`) where the chain breaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_broken_seq: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Options of `POST /audit-events/verify`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct VerifyQuery {
    /// Walk the whole chain instead of starting at the newest checkpoint.
    #[serde(default)]
    pub full: Option<bool>,
}

/// A signed checkpoint of the chain: Ed25519 (EdDSA, key `key_id` of the JWKS at
/// `/api/v1/.well-known/jwks.json`) over the UTF-8 text
/// `rxgate-audit-checkpoint:v1:{position}:{hash}`. Keep exported checkpoints outside the
/// database: a chain recomputed after tampering no longer matches them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditCheckpointView {
    /// Position in the chain.
    pub position: i64,
    /// The chain's hash at that position when signed (hex SHA-256).
    pub hash: String,
    pub key_id: String,
    /// base64url signature.
    pub signature: String,
    /// The signed text.
    pub message: String,
    pub created_at: DateTime<Utc>,
}
