//! The local email transport: stores each message in the developer mailbox table, shown by
//! the SPA's mailbox page so sign-up and reset links can be followed without a mail server.
//! It lives here rather than in `rxgate-integrations` because it writes to the database, and
//! integrations do not depend on persistence.

use async_trait::async_trait;
use rxgate_persistence::{Db, RlsContext, mailbox};
use uuid::Uuid;

use rxgate_integrations::email::{MailError, Mailer, OutgoingEmail};

pub struct LocalMailbox {
    db: Db,
}

impl LocalMailbox {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

#[async_trait]
impl Mailer for LocalMailbox {
    async fn send(&self, delivery_id: Uuid, email: &OutgoingEmail) -> Result<(), MailError> {
        let transient = |e: rxgate_persistence::RepoError| MailError::Transient(e.to_string());
        let mut tx = self
            .db
            .begin(&RlsContext::system())
            .await
            .map_err(transient)?;
        mailbox::deliver(
            &mut tx,
            delivery_id,
            &email.to,
            &email.subject,
            &email.body_text,
            email.body_html.as_deref(),
        )
        .await
        .map_err(transient)?;
        tx.commit()
            .await
            .map_err(|e| MailError::Transient(e.to_string()))?;
        Ok(())
    }
}
