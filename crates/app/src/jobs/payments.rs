//! `payments.sandbox_webhook`: the sandbox provider delivering one webhook to our endpoint over
//! HTTP, signed at the moment it is sent, like a real provider. A delivery that is not
//! accepted is retried with backoff; redelivering the same event is harmless (its event id is
//! processed once).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use rxgate_integrations::payments::SandboxGateway;
use rxgate_integrations::payments::sandbox::SIGNATURE_HEADER;
use rxgate_persistence::{Db, RlsContext, idempotency};

use super::{JobError, JobHandler, JobRun};

pub const KIND: &str = "payments.sandbox_webhook";

pub struct DeliverSandboxWebhook {
    client: reqwest::Client,
    sandbox: Arc<SandboxGateway>,
    url: String,
}

impl DeliverSandboxWebhook {
    /// Delivers to `url` (our `/api/v1/payments/webhooks/sandbox`).
    pub fn new(sandbox: Arc<SandboxGateway>, url: String) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            client,
            sandbox,
            url,
        }
    }
}

#[async_trait]
impl JobHandler for DeliverSandboxWebhook {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn run(&self, job: JobRun) -> Result<(), JobError> {
        let body = job.payload["body"]
            .as_str()
            .ok_or_else(|| JobError::Permanent("bad payload: no body".into()))?
            .to_owned();
        let signature = self.sandbox.sign_now(body.as_bytes(), Utc::now());
        let res = self
            .client
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await
            .map_err(|e| JobError::Retry(format!("webhook delivery failed: {e}")))?;
        let status = res.status();
        if status.is_success() {
            Ok(())
        } else if status.is_client_error()
            && status != reqwest::StatusCode::REQUEST_TIMEOUT
            && status != reqwest::StatusCode::TOO_MANY_REQUESTS
        {
            Err(JobError::Permanent(format!(
                "webhook refused with {status}"
            )))
        } else {
            Err(JobError::Retry(format!("webhook answered {status}")))
        }
    }
}

/// `idempotency.purge`: deletes stored `Idempotency-Key` answers older than 24 hours.
pub struct PurgeIdempotencyKeys {
    db: Db,
}

impl PurgeIdempotencyKeys {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

#[async_trait]
impl JobHandler for PurgeIdempotencyKeys {
    fn kind(&self) -> &'static str {
        "idempotency.purge"
    }

    async fn run(&self, _job: JobRun) -> Result<(), JobError> {
        let mut tx = self.db.begin(&RlsContext::system()).await?;
        idempotency::purge_expired(&mut tx).await?;
        tx.commit()
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        Ok(())
    }
}

/// `payments.refund`: a refund the platform decided (a cancelled consult inside its free
/// window, a fee that arrived after its hold ended), asked of the provider as the system. Run
/// twice, it asks for nothing more than what is left to refund.
pub struct RefundPayment {
    db: Db,
    gateways: crate::payments::Gateways,
}

impl RefundPayment {
    pub fn new(db: Db, gateways: crate::payments::Gateways) -> Self {
        Self { db, gateways }
    }
}

#[async_trait]
impl JobHandler for RefundPayment {
    fn kind(&self) -> &'static str {
        crate::payments::REFUND_JOB
    }

    async fn run(&self, job: JobRun) -> Result<(), JobError> {
        let payment = job
            .payload
            .get("payment_id")
            .and_then(|v| v.as_str())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| JobError::Permanent("bad payload: no payment_id".into()))?;
        let amount = job
            .payload
            .get("amount_minor")
            .and_then(serde_json::Value::as_i64);
        let reason = job
            .payload
            .get("reason")
            .and_then(|v| v.as_str())
            .unwrap_or("Refund")
            .to_owned();
        let facts = crate::auth::RequestFacts::default();
        crate::payments::refund_for_platform(
            &self.db,
            &self.gateways,
            &facts,
            payment,
            amount,
            &reason,
        )
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
        Ok(())
    }
}
