//! The sandbox provider: a payment provider that runs inside Rxgate, for one machine.
//!
//! - Its hosted page is the SPA's `/pay/sandbox/{payment_id}`, where the buyer pays, declines
//!   or walks away.
//! - What happens there (and every refund) comes back as a webhook to
//!   `POST /api/v1/payments/webhooks/sandbox`, delivered asynchronously over HTTP by a durable
//!   job ([`SandboxOutbox`]), retried until it is accepted, exactly like a real provider.
//! - Each delivery is signed like Stripe's: header [`SIGNATURE_HEADER`] is `t=<unix seconds>,
//!   v1=<hex HMAC-SHA256 of "<t>.<body>">` with the configured webhook secret; a signature older
//!   than [`TOLERANCE_SECS`] is refused, so a captured delivery cannot be replayed later.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use super::{
    CreatedPayment, CreatedRefund, GatewayError, NewPayment, NextAction, PaymentGateway,
    RefundRequest, WebhookChange, WebhookError, WebhookEvent, WebhookHeaders,
};

pub const PROVIDER: &str = "sandbox";
pub const SIGNATURE_HEADER: &str = "Rxgate-Sandbox-Signature";
/// How old a signature may be when it arrives.
pub const TOLERANCE_SECS: i64 = 300;

pub const PAYMENT_SUCCEEDED: &str = "payment.succeeded";
pub const PAYMENT_FAILED: &str = "payment.failed";
pub const REFUND_SUCCEEDED: &str = "refund.succeeded";

/// One webhook the sandbox will send: its body is this, as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxEvent {
    /// `evt_…`, unique per event and the same on every redelivery.
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub created: i64,
    pub data: SandboxEventData,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxEventData {
    /// Our payment id (the reference we created the payment with).
    pub payment_id: Uuid,
    /// The sandbox's id of the payment.
    pub provider_reference: String,
    pub amount_minor: i64,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<Uuid>,
}

impl SandboxEvent {
    pub fn new(event_type: &str, now: DateTime<Utc>, data: SandboxEventData) -> Self {
        Self {
            id: format!("evt_{}", Uuid::now_v7().simple()),
            event_type: event_type.to_owned(),
            created: now.timestamp(),
            data,
        }
    }

    pub fn body(&self) -> Vec<u8> {
        // A struct of strings and integers always serialises.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// Delivers sandbox webhooks later, from outside the request (a durable job in the
/// application, which signs each delivery as it sends it).
#[async_trait]
pub trait SandboxOutbox: Send + Sync {
    async fn deliver_later(&self, event: SandboxEvent) -> Result<(), GatewayError>;
}

/// What the buyer does on the sandbox's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxAction {
    Pay,
    Decline,
}

/// The header value signing `body` at `timestamp` (unix seconds).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac(secret, timestamp, body))
    )
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Vec<u8> {
    #[allow(clippy::expect_used)]
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// Checks `header` (as [`sign`] makes it) over `body`: one of its `v1` signatures must match
/// (compared in constant time) and its timestamp be within [`TOLERANCE_SECS`] of `now`.
pub fn verify_signature(
    secret: &[u8],
    header: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<(), WebhookError> {
    let header = header.ok_or(WebhookError::Signature("missing signature header"))?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(WebhookError::Signature("no timestamp"))?;
    if (now.timestamp() - timestamp).abs() > TOLERANCE_SECS {
        return Err(WebhookError::Signature("timestamp outside the tolerance"));
    }
    let matches = signatures.iter().any(|sig| {
        #[allow(clippy::expect_used)]
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.verify_slice(sig).is_ok()
    });
    if matches {
        Ok(())
    } else {
        Err(WebhookError::Signature("signature does not match"))
    }
}

pub struct SandboxGateway {
    public_url: String,
    secret: SecretString,
    outbox: Arc<dyn SandboxOutbox>,
}

impl SandboxGateway {
    /// `public_url` is where the SPA is served (the hosted page is a route of it).
    pub fn new(public_url: &str, secret: SecretString, outbox: Arc<dyn SandboxOutbox>) -> Self {
        Self {
            public_url: public_url.trim_end_matches('/').to_owned(),
            secret,
            outbox,
        }
    }

    /// The sandbox's id of our payment.
    pub fn reference_of(payment_id: Uuid) -> String {
        format!("sbx_pay_{}", payment_id.simple())
    }

    /// The buyer acted on the hosted page: the sandbox tells us, later, by webhook.
    pub async fn buyer_acted(
        &self,
        action: SandboxAction,
        payment_id: Uuid,
        amount_minor: i64,
        currency: &str,
        now: DateTime<Utc>,
    ) -> Result<(), GatewayError> {
        let event_type = match action {
            SandboxAction::Pay => PAYMENT_SUCCEEDED,
            SandboxAction::Decline => PAYMENT_FAILED,
        };
        self.outbox
            .deliver_later(SandboxEvent::new(
                event_type,
                now,
                SandboxEventData {
                    payment_id,
                    provider_reference: Self::reference_of(payment_id),
                    amount_minor,
                    currency: currency.to_owned(),
                    refund_id: None,
                },
            ))
            .await
    }

    /// Signs `body` now (what the delivering job does).
    pub fn sign_now(&self, body: &[u8], now: DateTime<Utc>) -> String {
        sign(
            self.secret.expose_secret().as_bytes(),
            now.timestamp(),
            body,
        )
    }
}

#[async_trait]
impl PaymentGateway for SandboxGateway {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    async fn create_payment(&self, payment: &NewPayment) -> Result<CreatedPayment, GatewayError> {
        if payment.amount_minor < 0 {
            return Err(GatewayError::Refused("negative amount".into()));
        }
        Ok(CreatedPayment {
            provider_reference: Self::reference_of(payment.payment_id),
            next: NextAction::Redirect(format!(
                "{}/pay/sandbox/{}",
                self.public_url, payment.payment_id
            )),
        })
    }

    fn verify_webhook(
        &self,
        body: &[u8],
        headers: &WebhookHeaders,
        now: DateTime<Utc>,
    ) -> Result<WebhookEvent, WebhookError> {
        verify_signature(
            self.secret.expose_secret().as_bytes(),
            headers.get(SIGNATURE_HEADER),
            body,
            now,
        )?;
        let payload: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
        self.read_event(payload)
    }

    fn read_event(&self, payload: serde_json::Value) -> Result<WebhookEvent, WebhookError> {
        let provider_event_id = payload["id"]
            .as_str()
            .filter(|id| !id.is_empty() && id.len() <= 200)
            .ok_or_else(|| WebhookError::Malformed("no event id".into()))?
            .to_owned();
        let event_type = payload["type"]
            .as_str()
            .filter(|t| !t.is_empty() && t.len() <= 100)
            .ok_or_else(|| WebhookError::Malformed("no event type".into()))?
            .to_owned();
        let data = || {
            serde_json::from_value::<SandboxEventData>(payload["data"].clone())
                .map_err(|e| WebhookError::Malformed(e.to_string()))
        };
        let change = match event_type.as_str() {
            PAYMENT_SUCCEEDED => WebhookChange::PaymentSucceeded {
                payment_id: data()?.payment_id,
            },
            PAYMENT_FAILED => WebhookChange::PaymentFailed {
                payment_id: data()?.payment_id,
            },
            REFUND_SUCCEEDED => {
                let data = data()?;
                WebhookChange::RefundSucceeded {
                    payment_id: data.payment_id,
                    refund_id: data
                        .refund_id
                        .ok_or_else(|| WebhookError::Malformed("no refund id".into()))?,
                    amount_minor: data.amount_minor,
                }
            }
            _ => WebhookChange::Unknown,
        };
        Ok(WebhookEvent {
            provider_event_id,
            event_type,
            change,
            payload,
        })
    }

    async fn refund(&self, refund: &RefundRequest) -> Result<CreatedRefund, GatewayError> {
        if refund.amount_minor <= 0 {
            return Err(GatewayError::Refused("a refund must be positive".into()));
        }
        self.outbox
            .deliver_later(SandboxEvent::new(
                REFUND_SUCCEEDED,
                Utc::now(),
                SandboxEventData {
                    payment_id: refund.payment_id,
                    provider_reference: refund.provider_reference.clone(),
                    amount_minor: refund.amount_minor,
                    currency: refund.currency.clone(),
                    refund_id: Some(refund.refund_id),
                },
            ))
            .await?;
        Ok(CreatedRefund {
            provider_reference: format!("sbx_re_{}", refund.refund_id.simple()),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Kept(Mutex<Vec<SandboxEvent>>);

    #[async_trait]
    impl SandboxOutbox for Kept {
        async fn deliver_later(&self, event: SandboxEvent) -> Result<(), GatewayError> {
            self.0.lock().unwrap().push(event);
            Ok(())
        }
    }

    fn gateway(outbox: Arc<Kept>) -> SandboxGateway {
        SandboxGateway::new(
            "http://localhost:8080/",
            SecretString::from("whsec_test"),
            outbox,
        )
    }

    fn headers(value: String) -> WebhookHeaders {
        WebhookHeaders(vec![(SIGNATURE_HEADER.to_ascii_lowercase(), value)])
    }

    #[tokio::test]
    async fn a_signed_event_reads_back_and_a_tampered_one_does_not() {
        let kept = Arc::new(Kept::default());
        let gw = gateway(kept.clone());
        let id = Uuid::now_v7();
        let now = Utc::now();
        gw.buyer_acted(SandboxAction::Pay, id, 5000, "ZAR", now)
            .await
            .unwrap();
        let event = kept.0.lock().unwrap().pop().unwrap();
        let body = event.body();
        let signature = gw.sign_now(&body, now);
        let read = gw
            .verify_webhook(&body, &headers(signature.clone()), now)
            .unwrap();
        assert_eq!(read.provider_event_id, event.id);
        assert_eq!(
            read.change,
            WebhookChange::PaymentSucceeded { payment_id: id }
        );

        let mut tampered = body.clone();
        let at = tampered.iter().position(|b| *b == b'5').unwrap();
        tampered[at] = b'9';
        assert_eq!(
            gw.verify_webhook(&tampered, &headers(signature.clone()), now),
            Err(WebhookError::Signature("signature does not match"))
        );
        let later = now + chrono::TimeDelta::seconds(TOLERANCE_SECS + 1);
        assert!(
            gw.verify_webhook(&body, &headers(signature), later)
                .is_err()
        );
        assert!(
            gw.verify_webhook(&body, &WebhookHeaders::default(), now)
                .is_err()
        );
        let other_secret = sign(b"another", now.timestamp(), &body);
        assert!(
            gw.verify_webhook(&body, &headers(other_secret), now)
                .is_err()
        );
    }

    #[tokio::test]
    async fn the_hosted_page_is_the_spa_route_and_a_refund_sends_a_webhook() {
        let kept = Arc::new(Kept::default());
        let gw = gateway(kept.clone());
        let id = Uuid::now_v7();
        let created = gw
            .create_payment(&NewPayment {
                payment_id: id,
                amount_minor: 100,
                currency: "ZAR".into(),
                description: "Consultation".into(),
            })
            .await
            .unwrap();
        assert_eq!(
            created.next,
            NextAction::Redirect(format!("http://localhost:8080/pay/sandbox/{id}"))
        );
        let refund_id = Uuid::now_v7();
        gw.refund(&RefundRequest {
            refund_id,
            payment_id: id,
            provider_reference: created.provider_reference,
            amount_minor: 40,
            currency: "ZAR".into(),
        })
        .await
        .unwrap();
        let event = kept.0.lock().unwrap().pop().unwrap();
        let now = Utc::now();
        let read = gw
            .verify_webhook(
                &event.body(),
                &headers(gw.sign_now(&event.body(), now)),
                now,
            )
            .unwrap();
        assert_eq!(
            read.change,
            WebhookChange::RefundSucceeded {
                payment_id: id,
                refund_id,
                amount_minor: 40
            }
        );
    }

    #[test]
    fn unknown_types_are_read_as_unknown() {
        let gw = gateway(Arc::new(Kept::default()));
        let body = br#"{"id":"evt_1","type":"payout.created","data":{}}"#;
        let now = Utc::now();
        let read = gw
            .verify_webhook(body, &headers(gw.sign_now(body, now)), now)
            .unwrap();
        assert_eq!(read.change, WebhookChange::Unknown);
    }
}
