//! `booking.expire_hold`: a hold whose fee was not paid in time gives its slot back. Queued by
//! the booking itself to run at the hold's expiry; running it again, or after the payment
//! confirmed the booking, changes nothing (the transition is a compare-and-set).

use async_trait::async_trait;
use chrono::Utc;
use rxgate_persistence::{Db, RlsContext};
use uuid::Uuid;

use super::{JobError, JobHandler, JobRun};
use crate::booking::{EXPIRE_HOLD_JOB, expire_hold};

pub struct ExpireHold {
    db: Db,
}

impl ExpireHold {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

#[async_trait]
impl JobHandler for ExpireHold {
    fn kind(&self) -> &'static str {
        EXPIRE_HOLD_JOB
    }

    async fn run(&self, job: JobRun) -> Result<(), JobError> {
        let id: Uuid = job
            .payload
            .get("booking_id")
            .and_then(|v| v.as_str())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| JobError::Permanent("bad payload: no booking_id".into()))?;
        let mut tx = self.db.begin(&RlsContext::system()).await?;
        expire_hold(&mut tx, id, Utc::now()).await?;
        tx.commit()
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        Ok(())
    }
}
