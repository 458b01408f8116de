//! Payments: the payer's own list, refunds, the provider webhooks' answer and the sandbox
//! provider's hosted page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::MoneyView;
use crate::vocab::{PaymentPurpose, PaymentStatus, RefundStatus, WebhookOutcome};

/// A payment. Amounts are in the currency's minor unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PaymentView {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub purpose: PaymentPurpose,
    /// What the payment is for (the booking of a consult fee).
    pub reference: Uuid,
    pub amount: MoneyView,
    /// How much of it has been given back.
    pub refunded: MoneyView,
    pub status: PaymentStatus,
    /// The gateway that takes it (`sandbox`).
    pub provider: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A refund to ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct RefundInput {
    /// Minor units to give back; everything still refundable when absent.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(range(min = 1)))]
    #[cfg_attr(feature = "server", schema(minimum = 1))]
    pub amount_minor: Option<i64>,
    /// Why (kept in the audit trail), 1 to 500 characters.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 500)))]
    #[cfg_attr(
        feature = "server",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub reason: String,
}

/// A refund asked of the provider: it applies to the payment when the provider confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RefundView {
    pub id: Uuid,
    pub payment_id: Uuid,
    pub amount: MoneyView,
    pub status: RefundStatus,
    pub created_at: DateTime<Utc>,
}

/// What the webhook endpoint did with a delivery (any 2xx tells the provider to stop).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WebhookAck {
    pub outcome: WebhookOutcome,
}

/// A provider's webhook event as the sandbox sends it (real providers send their own shapes).
/// Only a body signed by the provider is accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WebhookEventBody {
    /// The provider's event id (`evt_…`): the same on every redelivery.
    pub id: String,
    /// e.g. `payment.succeeded`, `payment.failed`, `refund.succeeded`.
    #[serde(rename = "type")]
    pub event_type: String,
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub data: serde_json::Value,
}

/// A test payment to start on the sandbox (local development only): what booking does when a
/// patient books, so the sandbox's page can be tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct TestPaymentInput {
    /// 1 to 100 000 000 minor units.
    #[cfg_attr(feature = "server", validate(range(min = 1, max = 100_000_000)))]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 100_000_000))]
    pub amount_minor: i64,
    /// ISO 4217 code, e.g. `ZAR`.
    #[cfg_attr(feature = "server", schema(pattern = r"^[A-Z]{3}$"))]
    pub currency: String,
}

/// A payment just started, and the page its payer goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StartedPaymentView {
    pub payment: PaymentView,
    /// The provider's hosted page (the sandbox's: `/pay/sandbox/{id}`).
    pub redirect_url: String,
}
