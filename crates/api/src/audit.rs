//! Writing audit events from handlers: one call per read or write of personal data, inside
//! the handler's transaction so the event commits (or rolls back) with the change.

use rxgate_persistence::RepoError;
use rxgate_persistence::audit::{self, AuditEntry};
use sqlx::PgConnection;

use crate::auth::{Principal, RequestMeta};

/// What happened to which entity.
pub struct Event<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<String>,
    pub risk: &'static str,
    pub details: Option<serde_json::Value>,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str, entity_type: &'a str, entity_id: impl ToString) -> Self {
        Self {
            action,
            entity_type,
            entity_id: Some(entity_id.to_string()),
            risk: "low",
            details: None,
        }
    }

    pub fn risk(mut self, risk: &'static str) -> Self {
        self.risk = risk;
        self
    }

    /// A list that showed these people's data (health flags, names): the event names each
    /// of them, so "who saw patient X" is answered for lists too.
    pub fn shown(self, patient_ids: impl IntoIterator<Item = uuid::Uuid>) -> Self {
        let ids: Vec<String> = patient_ids.into_iter().map(|id| id.to_string()).collect();
        self.details(serde_json::json!({ "patient_ids": ids }))
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }
}

/// Records `event` done by `actor` (or by an anonymous caller / the system when `None`).
pub async fn record(
    conn: &mut PgConnection,
    actor: Option<&Principal>,
    actor_id_if_anonymous: Option<uuid::Uuid>,
    meta: &RequestMeta,
    event: Event<'_>,
) -> Result<(), RepoError> {
    audit::record(
        conn,
        &AuditEntry {
            actor_id: actor.map(|p| p.user_id).or(actor_id_if_anonymous),
            acting_role: actor.and_then(Principal::acting_role),
            action: event.action.to_owned(),
            entity_type: event.entity_type.to_owned(),
            entity_id: event.entity_id,
            clinic_id: actor.and_then(|p| p.clinic_ids.first().copied()),
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            request_id: meta.request_id.clone(),
            risk: event.risk,
            details: event.details,
        },
    )
    .await
}
