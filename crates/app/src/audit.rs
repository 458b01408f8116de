//! The audit trail's use cases: recording events (one per read or write of personal data,
//! inside the use case's transaction so the event commits or rolls back with the change),
//! sealing them into the hash chain with signed checkpoints, and verifying the chain.

use rxgate_persistence::RepoError;
use rxgate_persistence::audit::{self, AuditEntry};
use sqlx::PgConnection;

use crate::Work;
use crate::auth::{Actor, RequestFacts};

/// What happened to which entity.
pub struct Event<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<String>,
    pub risk: &'static str,
    pub details: Option<serde_json::Value>,
    /// The clinic the event happened in, when the use case knows it.
    pub clinic: Option<uuid::Uuid>,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str, entity_type: &'a str, entity_id: impl ToString) -> Self {
        Self {
            action,
            entity_type,
            entity_id: Some(entity_id.to_string()),
            risk: "low",
            details: None,
            clinic: None,
        }
    }

    /// The clinic this happened in.
    pub fn in_clinic(mut self, clinic: Option<impl Into<uuid::Uuid>>) -> Self {
        self.clinic = clinic.map(Into::into);
        self
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
    actor: Option<&Actor>,
    actor_id_if_anonymous: Option<uuid::Uuid>,
    meta: &RequestFacts,
    event: Event<'_>,
) -> Result<(), RepoError> {
    if meta.audit_off {
        return Ok(());
    }
    audit::record(conn, &entry(actor, actor_id_if_anonymous, meta, event)).await
}

/// The row `event` becomes: who (the actor, or the anonymous caller's user once known), their
/// role and clinic, and where the request came from.
pub fn entry(
    actor: Option<&Actor>,
    actor_id_if_anonymous: Option<uuid::Uuid>,
    meta: &RequestFacts,
    event: Event<'_>,
) -> AuditEntry {
    AuditEntry {
        actor_id: actor.map(|p| p.user_id).or(actor_id_if_anonymous),
        acting_role: actor.and_then(Actor::acting_role),
        action: event.action.to_owned(),
        entity_type: event.entity_type.to_owned(),
        entity_id: event.entity_id,
        clinic_id: event.clinic.or_else(|| actor.and_then(Actor::only_clinic)),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        request_id: meta.request_id.clone(),
        risk: event.risk,
        details: event.details,
    }
}

/// The text a checkpoint signs: versioned, so the format can change without ambiguity.
pub fn checkpoint_message(chain_seq: i64, hash: &[u8]) -> String {
    format!(
        "rxgate-audit-checkpoint:v1:{chain_seq}:{}",
        hex::encode(hash)
    )
}

/// What one sealing run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SealRun {
    pub sealed: i64,
    pub checkpointed: bool,
}

/// Chains every waiting event (in batches of `batch`, each its own transaction so a long
/// backlog never holds the head for long) and signs a checkpoint at the new head when the
/// chain has moved on since the last one. Runs in the system context.
pub async fn seal_and_checkpoint(
    db: &rxgate_persistence::Db,
    keys: &crate::auth::JwtKeys,
    batch: i32,
) -> Result<SealRun, crate::AppError> {
    let ctx = rxgate_persistence::RlsContext::system();
    let mut run = SealRun::default();
    loop {
        let mut tx = db.begin(&ctx).await?;
        let n = audit::seal(&mut tx, batch.max(1)).await?;
        tx.commit().await?;
        run.sealed += i64::from(n);
        if n < batch.max(1) {
            break;
        }
    }
    let mut tx = db.begin(&ctx).await?;
    let head = audit::head(&mut tx).await?;
    let newest = audit::checkpoints(&mut tx, None, 1).await?;
    if head.seq > 0 && newest.first().map(|c| c.chain_seq) != Some(head.seq) {
        let signature = keys
            .sign_bytes(checkpoint_message(head.seq, &head.hash).as_bytes())
            .map_err(crate::AppError::internal)?;
        audit::add_checkpoint(
            &mut tx,
            head.seq,
            &head.hash,
            keys.current_kid(),
            &signature,
        )
        .await?;
        run.checkpointed = true;
    }
    tx.commit().await?;
    Ok(run)
}

/// Checkpoints whose signature is checked on every verification (the newest ones; older ones
/// are checked for hash agreement only, in the same query).
const CHECKPOINTS_VERIFIED: i64 = 200;

/// Verifies the chain: the newest checkpoints' signatures and hashes, then the links from the
/// newest valid checkpoint on (or all of them when `full`).
pub async fn verify_chain(
    conn: &mut PgConnection,
    keys: &crate::auth::JwtKeys,
    full: bool,
) -> Result<rxgate_api_types::audit::ChainVerification, RepoError> {
    use rxgate_api_types::audit::ChainVerification;
    let head = audit::head(conn).await?;
    let checkpoints = audit::checkpoints(conn, None, CHECKPOINTS_VERIFIED).await?;
    let mut from = 1;
    for (i, cp) in checkpoints.iter().enumerate() {
        let signed = keys.verify_bytes(
            &cp.key_id,
            checkpoint_message(cp.chain_seq, &cp.hash).as_bytes(),
            &cp.signature,
        );
        let reason = if !signed {
            Some(format!(
                "checkpoint at position {} does not carry a valid signature",
                cp.chain_seq
            ))
        } else if cp.chain_hash.as_deref() != Some(cp.hash.as_slice()) {
            Some(format!(
                "the chain at position {} no longer matches its signed checkpoint",
                cp.chain_seq
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            return Ok(ChainVerification {
                intact: false,
                checked: 0,
                from_position: cp.chain_seq,
                checkpoints_checked: i64::try_from(i + 1).unwrap_or(i64::MAX),
                unsealed: head.unsealed,
                first_broken_seq: None,
                reason: Some(reason),
            });
        }
        if i == 0 && !full {
            from = cp.chain_seq;
        }
    }
    let result = audit::verify(conn, from).await?;
    Ok(ChainVerification {
        intact: result.broken_seq.is_none(),
        checked: result.checked,
        from_position: from,
        checkpoints_checked: i64::try_from(checkpoints.len()).unwrap_or(i64::MAX),
        unsealed: head.unsealed,
        first_broken_seq: result.broken_event_seq.or(result.broken_seq),
        reason: result.reason,
    })
}

/// The information officer's page of audit events, newest first (reading the log is itself
/// audited). Returns the rows and the cursor of the next page.
pub async fn events(
    db: &rxgate_persistence::Db,
    actor: &Actor,
    facts: &RequestFacts,
    filter: &audit::AuditFilter,
    limit: i64,
) -> Result<(Vec<audit::AuditRow>, Option<i64>), crate::AppError> {
    actor.require(rxgate_domain::identity::Role::InformationOfficer)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let page = audit::list(&mut tx, filter, limit).await?;
    record(
        &mut tx,
        Some(actor),
        None,
        facts,
        Event::new("read", "audit_events", "query").risk("medium"),
    )
    .await?;
    tx.commit().await?;
    Ok(page)
}

/// The most events one export holds.
pub const EXPORT_MAX_EVENTS: i64 = 50_000;

/// The events of `filter` (newest first) as CSV for the information officer: one row per event
/// with the actor's name and address. An export is itself recorded, with its filter, at high
/// risk (it takes personal data out of the system). More than [`EXPORT_MAX_EVENTS`] is refused
/// (`422 EXPORT_TOO_LARGE`): narrow the range.
pub async fn export_csv(
    db: &rxgate_persistence::Db,
    actor: &Actor,
    facts: &RequestFacts,
    filter: &audit::AuditFilter,
) -> Result<Vec<u8>, crate::AppError> {
    actor.require(rxgate_domain::identity::Role::InformationOfficer)?;
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from >= to
    {
        return Err(crate::AppError::Validation(vec![
            rxgate_api_types::FieldError {
                field: "to".into(),
                code: "range".into(),
                message: "The end of the range must be after its start.".into(),
            },
        ]));
    }
    let mut tx = Work::begin(db, actor, facts).await?;
    let (rows, more) = audit::list(&mut tx, filter, EXPORT_MAX_EVENTS).await?;
    if more.is_some() {
        return Err(crate::AppError::Rule {
            code: "EXPORT_TOO_LARGE",
            detail: format!(
                "The range holds more than {EXPORT_MAX_EVENTS} events: choose a shorter one."
            ),
        });
    }
    tx.record(
        Event::new("export", "audit_events", "csv")
            .risk("high")
            .details(serde_json::json!({
                "events": rows.len(),
                "from": filter.from, "to": filter.to,
                "actor_id": filter.actor_id, "action": filter.action,
                "entity_type": filter.entity_type, "entity_id": filter.entity_id,
            })),
    )
    .await?;
    tx.commit().await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "seq",
        "occurred_at",
        "actor_id",
        "actor_name",
        "actor_email",
        "acting_role",
        "action",
        "entity_type",
        "entity_id",
        "clinic_id",
        "risk",
        "ip",
        "user_agent",
        "request_id",
        "hash",
    ];
    out.write_record(header)
        .map_err(crate::AppError::internal)?;
    for r in rows {
        let opt = |v: Option<String>| v.unwrap_or_default();
        out.write_record([
            r.seq.to_string(),
            r.occurred_at.to_rfc3339(),
            opt(r.actor_id.map(|id| id.to_string())),
            defuse_formula(opt(r.actor_name)),
            defuse_formula(opt(r.actor_email)),
            opt(r.acting_role),
            r.action,
            r.entity_type,
            defuse_formula(opt(r.entity_id)),
            opt(r.clinic_id.map(|id| id.to_string())),
            r.risk,
            opt(r.ip),
            defuse_formula(opt(r.user_agent)),
            opt(r.request_id),
            opt(r.hash.as_deref().map(hex::encode)),
        ])
        .map_err(crate::AppError::internal)?;
    }
    out.into_inner()
        .map_err(|e| crate::AppError::internal(e.into_error()))
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with
/// `'` (OWASP's advice for CSV injection): names and user agents come from outside.
fn defuse_formula(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// Verifies the chain for the information officer (see [`verify_chain`]); audited.
pub async fn verify(
    db: &rxgate_persistence::Db,
    keys: &crate::auth::JwtKeys,
    actor: &Actor,
    facts: &RequestFacts,
    full: bool,
) -> Result<rxgate_api_types::audit::ChainVerification, crate::AppError> {
    actor.require(rxgate_domain::identity::Role::InformationOfficer)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let result = verify_chain(&mut tx, keys, full).await?;
    record(
        &mut tx,
        Some(actor),
        None,
        facts,
        Event::new("verify", "audit_events", "chain").details(serde_json::json!({
            "intact": result.intact, "checked": result.checked, "from": result.from_position,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(result)
}

/// A page of signed checkpoints, newest first, before chain position `before`; audited.
pub async fn checkpoints(
    db: &rxgate_persistence::Db,
    actor: &Actor,
    facts: &RequestFacts,
    before: Option<i64>,
    limit: i64,
) -> Result<(Vec<audit::Checkpoint>, Option<String>), crate::AppError> {
    actor.require(rxgate_domain::identity::Role::InformationOfficer)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let rows = audit::checkpoints(&mut tx, before, limit + 1).await?;
    let (rows, next) =
        rxgate_persistence::pagination::finish_page(rows, limit, |r| r.chain_seq.to_string());
    record(
        &mut tx,
        Some(actor),
        None,
        facts,
        Event::new("read", "audit_checkpoints", "list"),
    )
    .await?;
    tx.commit().await?;
    Ok((rows, next))
}
