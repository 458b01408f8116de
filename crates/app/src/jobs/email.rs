//! `email.send`: delivers one message through the configured [`Mailer`].

use std::sync::Arc;

use async_trait::async_trait;
use rxgate_integrations::email::{MailError, Mailer, OutgoingEmail};
use rxgate_persistence::RepoError;
use rxgate_persistence::jobs::{self, NewJob};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{JobError, JobHandler, JobRun};

pub const KIND: &str = "email.send";

/// Puts `email` in the outbox, inside the caller's transaction: it is sent only if that
/// transaction commits.
pub async fn enqueue(conn: &mut PgConnection, email: &OutgoingEmail) -> Result<Uuid, RepoError> {
    let payload =
        serde_json::to_value(email).map_err(|e| RepoError::Db(sqlx::Error::Decode(Box::new(e))))?;
    jobs::enqueue(conn, &NewJob::new(KIND, payload))
        .await?
        .ok_or(RepoError::Conflict {
            constraint: "jobs_dedupe_key".into(),
        })
}

pub struct SendEmail {
    mailer: Arc<dyn Mailer>,
}

impl SendEmail {
    pub fn new(mailer: Arc<dyn Mailer>) -> Self {
        Self { mailer }
    }
}

#[async_trait]
impl JobHandler for SendEmail {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn run(&self, job: JobRun) -> Result<(), JobError> {
        let email: OutgoingEmail = serde_json::from_value(job.payload)
            .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
        self.mailer.send(job.id, &email).await.map_err(|e| match e {
            MailError::Permanent(m) => JobError::Permanent(m),
            MailError::Transient(m) => JobError::Retry(m),
        })
    }
}
