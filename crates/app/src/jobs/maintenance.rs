//! Recurring upkeep: chaining the audit log and purging finished jobs.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{TimeDelta, Utc};
use rxgate_persistence::jobs;
use rxgate_persistence::{Db, RlsContext};

use super::{JobError, JobHandler, JobRun};
use crate::auth::JwtKeys;

/// `audit.seal`: links new audit events into the hash chain and signs a checkpoint.
pub struct SealAudit {
    db: Db,
    keys: Arc<JwtKeys>,
    batch: i32,
}

impl SealAudit {
    pub fn new(db: Db, keys: Arc<JwtKeys>, batch: i32) -> Self {
        Self { db, keys, batch }
    }
}

#[async_trait]
impl JobHandler for SealAudit {
    fn kind(&self) -> &'static str {
        "audit.seal"
    }

    async fn run(&self, _job: JobRun) -> Result<(), JobError> {
        crate::audit::seal_and_checkpoint(&self.db, &self.keys, self.batch)
            .await
            .map(|_| ())
            .map_err(|e| JobError::Retry(e.to_string()))
    }
}

/// `jobs.purge`: deletes jobs that finished more than `keep` ago, in batches.
pub struct PurgeJobs {
    db: Db,
    keep: TimeDelta,
}

impl PurgeJobs {
    pub fn new(db: Db, keep: TimeDelta) -> Self {
        Self { db, keep }
    }
}

const PURGE_BATCH: i64 = 5000;

#[async_trait]
impl JobHandler for PurgeJobs {
    fn kind(&self) -> &'static str {
        "jobs.purge"
    }

    async fn run(&self, _job: JobRun) -> Result<(), JobError> {
        let before = Utc::now() - self.keep;
        loop {
            let mut tx = self.db.begin(&RlsContext::system()).await?;
            let n = jobs::purge_finished(&mut tx, before, PURGE_BATCH).await?;
            tx.commit()
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            if n < u64::try_from(PURGE_BATCH).unwrap_or(u64::MAX) {
                return Ok(());
            }
        }
    }
}
