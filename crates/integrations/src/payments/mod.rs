//! Taking money: a [`PaymentGateway`] creates a payment at the provider (the buyer then pays
//! on the provider's hosted page), tells us what happened through signed webhooks, and gives
//! money back. Nothing here trusts a browser: a payment moves only on a webhook whose
//! signature [`PaymentGateway::verify_webhook`] accepted.
//!
//! This issue ships the [`SandboxGateway`] (the `just run` default), which behaves like a real
//! provider: its hosted page is the SPA's `/pay/sandbox/{payment_id}`, and what the buyer does
//! there comes back as an asynchronous, signed webhook over HTTP. Real providers (Paystack,
//! Peach Payments, Stripe, Authorize.net) come later behind the same trait.

pub mod sandbox;

pub use sandbox::{SandboxAction, SandboxEvent, SandboxGateway, SandboxOutbox};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A payment to create at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    /// Our payment id: the provider echoes it back in its webhooks.
    pub payment_id: Uuid,
    pub amount_minor: i64,
    pub currency: String,
    /// What the buyer sees on the provider's page (no clinical content).
    pub description: String,
}

/// Where the buyer goes next to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextAction {
    /// Send the buyer's browser to this hosted page.
    Redirect(String),
    /// Hand this to the provider's script on our own page.
    ClientSecret(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedPayment {
    /// The provider's id of the payment.
    pub provider_reference: String,
    pub next: NextAction,
}

/// Money to give back on a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// Our refund id: the provider echoes it back, and uses it to make a retry harmless.
    pub refund_id: Uuid,
    pub payment_id: Uuid,
    /// The provider's id of the payment.
    pub provider_reference: String,
    pub amount_minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedRefund {
    pub provider_reference: String,
}

/// What a verified webhook says, in our terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookChange {
    PaymentSucceeded {
        payment_id: Uuid,
    },
    PaymentFailed {
        payment_id: Uuid,
    },
    RefundSucceeded {
        payment_id: Uuid,
        refund_id: Uuid,
        amount_minor: i64,
    },
    RefundFailed {
        payment_id: Uuid,
        refund_id: Uuid,
    },
    /// A type we do not act on: stored and ignored.
    Unknown,
}

impl WebhookChange {
    /// The payment the event is about, if any.
    pub fn payment_id(&self) -> Option<Uuid> {
        match self {
            Self::PaymentSucceeded { payment_id }
            | Self::PaymentFailed { payment_id }
            | Self::RefundSucceeded { payment_id, .. }
            | Self::RefundFailed { payment_id, .. } => Some(*payment_id),
            Self::Unknown => None,
        }
    }
}

/// A webhook whose signature checked out.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// The provider's id of this event: the same on every redelivery.
    pub provider_event_id: String,
    /// The provider's name for the event type, as sent.
    pub event_type: String,
    pub change: WebhookChange,
    /// The whole body, kept with the event.
    pub payload: serde_json::Value,
}

/// The headers of a webhook request, looked up case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct WebhookHeaders(pub Vec<(String, String)>);

impl WebhookHeaders {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// No signature, a signature that does not match, or one too old: nothing is stored.
    #[error("webhook signature refused: {0}")]
    Signature(&'static str),
    /// Signed, but not a body this provider sends.
    #[error("webhook body unreadable: {0}")]
    Malformed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// The provider refused the request itself (retrying cannot help).
    #[error("the payment provider refused: {0}")]
    Refused(String),
    /// The provider could not be reached or failed: retry later.
    #[error("the payment provider is unavailable: {0}")]
    Unavailable(String),
}

/// A payment provider.
#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// The provider's name in URLs and rows (`sandbox`, later `paystack`, `stripe`, …).
    fn provider(&self) -> &'static str;

    async fn create_payment(&self, payment: &NewPayment) -> Result<CreatedPayment, GatewayError>;

    /// Checks a webhook's signature over its raw body and reads it. `now` is the receiving
    /// server's clock (a signature older than the provider's tolerance is refused).
    fn verify_webhook(
        &self,
        body: &[u8],
        headers: &WebhookHeaders,
        now: DateTime<Utc>,
    ) -> Result<WebhookEvent, WebhookError>;

    /// Reads an event body this provider sent, already verified when it arrived (an event kept
    /// until the change it waits for has happened).
    fn read_event(&self, payload: serde_json::Value) -> Result<WebhookEvent, WebhookError>;

    /// Asks for `refund.amount_minor` back (all of the payment or part of it). The provider
    /// confirms with a webhook.
    async fn refund(&self, refund: &RefundRequest) -> Result<CreatedRefund, GatewayError>;
}
