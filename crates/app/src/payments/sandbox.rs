//! The sandbox provider's delivery side: each webhook it sends is a durable job
//! (`payments.sandbox_webhook`, see [`crate::jobs::payments`]) that signs the body as it sends
//! it over HTTP and retries until our webhook endpoint accepts it.

use async_trait::async_trait;
use rxgate_integrations::payments::{GatewayError, SandboxEvent, SandboxOutbox};
use rxgate_persistence::jobs::{self, NewJob};
use rxgate_persistence::{Db, RlsContext};

use crate::jobs::payments::KIND;

/// Enqueues each sandbox webhook as a job, once per event id.
pub struct JobOutbox {
    db: Db,
}

impl JobOutbox {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

#[async_trait]
impl SandboxOutbox for JobOutbox {
    async fn deliver_later(&self, event: SandboxEvent) -> Result<(), GatewayError> {
        let unavailable =
            |e: rxgate_persistence::RepoError| GatewayError::Unavailable(e.to_string());
        let body = String::from_utf8(event.body())
            .map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        let mut tx = self
            .db
            .begin(&RlsContext::system())
            .await
            .map_err(unavailable)?;
        jobs::enqueue(
            &mut tx,
            &NewJob::new(KIND, serde_json::json!({ "body": body }))
                .dedupe_key(event.id.clone())
                .max_attempts(12),
        )
        .await
        .map_err(unavailable)?;
        tx.commit()
            .await
            .map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        Ok(())
    }
}
