//! Outgoing email. Messages are never sent from a request: the request enqueues a
//! `email.send` job in its own transaction (the outbox), and a worker calls a [`Mailer`].

mod smtp;

pub use smtp::{SmtpMailer, SmtpSettings, TlsMode};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One message to deliver. Never carries clinical content: notifications say that something
/// happened and link to the authenticated app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub body_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message itself is unusable (bad address): retrying cannot help.
    #[error("message rejected: {0}")]
    Permanent(String),
    /// The transport failed (server down, timeout): retry later.
    #[error("transport failed: {0}")]
    Transient(String),
}

/// Delivers one message. `delivery_id` is stable across retries of the same delivery (the job
/// id), so an implementation can make redelivery harmless.
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, delivery_id: Uuid, email: &OutgoingEmail) -> Result<(), MailError>;
}
