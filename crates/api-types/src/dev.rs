//! The developer mailbox: in local mode outgoing email is stored, not sent, and shown here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MailboxMessage {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: DateTime<Utc>,
}

/// A test message to push through the email outbox (local mode only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct SendTestEmail {
    /// Recipient address.
    #[cfg_attr(
        feature = "server",
        validate(email(message = "must be an email address"))
    )]
    #[cfg_attr(feature = "server", schema(format = Email))]
    pub to: String,
    /// 1–200 characters.
    #[cfg_attr(
        feature = "server",
        validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))
    )]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 200))]
    pub subject: String,
    /// Up to 10 000 characters.
    #[cfg_attr(
        feature = "server",
        validate(length(max = 10000, message = "must be at most 10000 characters"))
    )]
    #[cfg_attr(feature = "server", schema(max_length = 10000))]
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Queued {
    /// The id of the job that will deliver it.
    pub job_id: Uuid,
}
