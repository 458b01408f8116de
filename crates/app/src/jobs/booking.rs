//! `booking.expire_hold`: a hold whose fee was not paid in time gives its slot back. Queued by
//! the booking itself to run at the hold's expiry; running it again, or after the payment
//! confirmed the booking, changes nothing (the transition is a compare-and-set).
//!
//! `booking.remind`: the 48, 24 and 2 hour reminders of a confirmed consult, through the email
//! outbox (the doctor's name and the time only). A reminder of a time the booking left, or of a
//! booking that ended, sends nothing.

use async_trait::async_trait;
use chrono::Utc;
use rxgate_persistence::{Db, RlsContext};
use uuid::Uuid;

use super::{JobError, JobHandler, JobRun};
use crate::booking::{
    EXPIRE_HOLD_JOB, OFFER_FREED_JOB, REMIND_JOB, expire_hold, offer_freed_slot, remind,
};

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

pub struct Remind {
    db: Db,
    app_url: String,
}

impl Remind {
    pub fn new(db: Db, app_url: String) -> Self {
        Self { db, app_url }
    }
}

#[async_trait]
impl JobHandler for Remind {
    fn kind(&self) -> &'static str {
        REMIND_JOB
    }

    async fn run(&self, job: JobRun) -> Result<(), JobError> {
        let field = |name: &str| {
            job.payload
                .get(name)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .ok_or_else(|| JobError::Permanent(format!("bad payload: no {name}")))
        };
        let id: Uuid = field("booking_id")?
            .parse()
            .map_err(|_| JobError::Permanent("bad payload: booking_id".into()))?;
        let starts = field("starts_at")?
            .parse()
            .map_err(|_| JobError::Permanent("bad payload: starts_at".into()))?;
        let mut tx = self.db.begin(&RlsContext::system()).await?;
        remind(&mut tx, id, starts, &self.app_url).await?;
        tx.commit()
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        Ok(())
    }
}

/// `booking.offer_freed`: offers a freed time to the first patient on the doctor's waitlist.
pub struct OfferFreed {
    db: Db,
    app_url: String,
}

impl OfferFreed {
    pub fn new(db: Db, app_url: String) -> Self {
        Self { db, app_url }
    }
}

#[async_trait]
impl JobHandler for OfferFreed {
    fn kind(&self) -> &'static str {
        OFFER_FREED_JOB
    }

    async fn run(&self, job: JobRun) -> Result<(), JobError> {
        let get = |name: &str| {
            job.payload
                .get(name)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .ok_or_else(|| JobError::Permanent(format!("bad payload: no {name}")))
        };
        let bad = |name: &str| JobError::Permanent(format!("bad payload: {name}"));
        let clinic: Uuid = get("clinic_id")?.parse().map_err(|_| bad("clinic_id"))?;
        let doctor: Uuid = get("doctor_id")?.parse().map_err(|_| bad("doctor_id"))?;
        let starts = get("starts_at")?.parse().map_err(|_| bad("starts_at"))?;
        let mut tx = self.db.begin(&RlsContext::system()).await?;
        offer_freed_slot(&mut tx, clinic, doctor, starts, Utc::now(), &self.app_url)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        tx.commit()
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        Ok(())
    }
}
