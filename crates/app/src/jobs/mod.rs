//! The background worker: claims due jobs, runs their handlers, records the outcome.
//!
//! Delivery is at-least-once (a worker can die after the handler's effect and before the
//! outcome is recorded), so every handler is idempotent, keyed on the job id. A handler gets
//! the job id and its payload; it never reads the clock of another process.

pub mod booking;
pub mod email;
pub mod maintenance;
pub mod payments;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{TimeDelta, Utc};
use rxgate_domain::jobs::{FailureOutcome, RetryPolicy};
use rxgate_persistence::jobs::{self, ClaimedJob};
use rxgate_persistence::{Db, RepoError, RlsContext};
use serde_json::Value;
use sqlx::postgres::PgListener;
use tokio::sync::{Semaphore, watch};
use uuid::Uuid;

use crate::metrics::Metrics;

/// The channel `jobs` inserts are announced on (see the `jobs_notify` trigger).
const CHANNEL: &str = "rxgate_jobs";

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt later (a provider is down, a timeout).
    #[error("{0}")]
    Retry(String),
    /// Will fail the same way every time: dead-letter it now.
    #[error("{0}")]
    Permanent(String),
}

impl From<RepoError> for JobError {
    fn from(err: RepoError) -> Self {
        Self::Retry(err.to_string())
    }
}

/// What a handler knows about the job it runs.
#[derive(Debug, Clone)]
pub struct JobRun {
    pub id: Uuid,
    pub attempt: i32,
    pub payload: Value,
}

#[async_trait]
pub trait JobHandler: Send + Sync {
    /// The `kind` this handler runs.
    fn kind(&self) -> &'static str;
    /// How failures of this kind are retried.
    fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy::default()
    }
    async fn run(&self, job: JobRun) -> Result<(), JobError>;
}

/// The handlers a worker runs, by kind, and the kinds that recur on a schedule.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    schedules: Vec<(&'static str, i32)>,
}

impl Registry {
    pub fn with(mut self, handler: impl JobHandler + 'static) -> Self {
        self.handlers.insert(handler.kind(), Arc::new(handler));
        self
    }

    /// Runs `handler` every `every_secs` seconds (once per firing across all workers).
    pub fn every(mut self, every_secs: i32, handler: impl JobHandler + 'static) -> Self {
        self.schedules.push((handler.kind(), every_secs.max(1)));
        self.with(handler)
    }

    fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.handlers.keys().map(|k| (*k).to_owned()).collect();
        kinds.sort();
        kinds
    }
}

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Unique per worker (host, process, random part): leases are recorded against it.
    pub name: String,
    pub concurrency: usize,
    pub poll_interval: Duration,
    pub lease: TimeDelta,
}

impl WorkerConfig {
    pub fn new(concurrency: usize, poll_interval: Duration, lease: TimeDelta) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
        Self {
            name: format!("{host}:{}:{}", std::process::id(), Uuid::new_v4().simple()),
            concurrency: concurrency.max(1),
            poll_interval,
            lease,
        }
    }
}

pub struct Worker {
    db: Db,
    registry: Registry,
    config: WorkerConfig,
    metrics: Option<Arc<Metrics>>,
}

impl Worker {
    pub fn new(db: Db, registry: Registry, config: WorkerConfig) -> Self {
        Self {
            db,
            registry,
            config,
            metrics: None,
        }
    }

    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// Runs until `shutdown` turns true, then waits for the jobs in flight to finish.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let this = Arc::new(self);
        let slots = Arc::new(Semaphore::new(this.config.concurrency));
        let mut listener = match PgListener::connect_with(this.db.pool()).await {
            Ok(mut l) => match l.listen(CHANNEL).await {
                Ok(()) => Some(l),
                Err(e) => {
                    tracing::warn!(error = %e, "job notifications unavailable; polling only");
                    None
                }
            },
            Err(e) => {
                tracing::warn!(error = %e, "job notifications unavailable; polling only");
                None
            }
        };
        if let Err(e) = this.declare_schedules().await {
            tracing::warn!(error = %e, "could not declare recurring jobs");
        }
        tracing::info!(worker = %this.config.name, kinds = ?this.registry.kinds(), "job worker started");
        let mut last_reap = std::time::Instant::now() - Duration::from_secs(3600);
        loop {
            if *shutdown.borrow() {
                break;
            }
            if last_reap.elapsed() >= Duration::from_secs(30) {
                last_reap = std::time::Instant::now();
                if let Err(e) = this.reap().await {
                    tracing::warn!(error = %e, "could not reap expired job leases");
                }
            }
            if !this.registry.schedules.is_empty()
                && let Err(e) = this.fire_schedules().await
            {
                tracing::warn!(error = %e, "could not fire recurring jobs");
            }
            let free = slots.available_permits();
            let claimed = if free > 0 {
                match this.claim(free).await {
                    Ok(jobs) => jobs,
                    Err(e) => {
                        tracing::warn!(error = %e, "could not claim jobs");
                        Vec::new()
                    }
                }
            } else {
                Vec::new()
            };
            let got_full_batch = free > 0 && claimed.len() == free;
            for job in claimed {
                let Ok(permit) = slots.clone().acquire_owned().await else {
                    break;
                };
                let worker = this.clone();
                tokio::spawn(async move {
                    worker.execute(job).await;
                    drop(permit);
                });
            }
            if got_full_batch {
                // More may be due: look again as soon as a slot frees up.
                tokio::select! {
                    _ = shutdown.changed() => {}
                    permit = slots.clone().acquire_owned() => drop(permit),
                }
                continue;
            }
            let wait = tokio::time::sleep(this.config.poll_interval);
            tokio::select! {
                _ = shutdown.changed() => {}
                () = wait => {}
                notified = async {
                    match listener.as_mut() {
                        Some(l) => l.recv().await.map(|_| ()),
                        None => std::future::pending().await,
                    }
                } => {
                    if notified.is_err() {
                        tracing::warn!("job notification listener failed; polling only");
                        listener = None;
                    }
                }
            }
        }
        // Wait for the jobs in flight: take every slot.
        let all = u32::try_from(this.config.concurrency).unwrap_or(u32::MAX);
        let _ = slots.acquire_many(all).await;
        tracing::info!(worker = %this.config.name, "job worker stopped");
    }

    async fn declare_schedules(&self) -> Result<(), RepoError> {
        let mut tx = self.db.begin(&RlsContext::system()).await?;
        for (kind, every) in &self.registry.schedules {
            jobs::upsert_schedule(&mut tx, kind, *every).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Enqueues the recurring jobs that are due. Exposed for tests.
    pub async fn fire_schedules(&self) -> Result<Vec<String>, RepoError> {
        let kinds: Vec<String> = self
            .registry
            .schedules
            .iter()
            .map(|(k, _)| (*k).to_owned())
            .collect();
        let mut tx = self.db.begin(&RlsContext::system()).await?;
        let fired = jobs::fire_due_schedules(&mut tx, &kinds).await?;
        tx.commit().await?;
        Ok(fired)
    }

    /// Keeps renewing the lease of `job` while it runs (every third of the lease). Returns only
    /// if the lease is lost, which the caller treats as "someone else has it now".
    async fn keep_lease(&self, job: &ClaimedJob) {
        let lease = self.config.lease;
        let every = Duration::from_millis(
            u64::try_from(lease.num_milliseconds() / 3)
                .unwrap_or(1000)
                .max(50),
        );
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tick.tick().await;
            let beat = async {
                let mut tx = self.db.begin(&RlsContext::system()).await?;
                let held = jobs::heartbeat(&mut tx, job.id, &self.config.name, lease).await?;
                tx.commit().await?;
                Ok::<bool, RepoError>(held)
            }
            .await;
            match beat {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(job_id = %job.id, "job lease lost while running");
                    std::future::pending::<()>().await;
                }
                Err(e) => tracing::warn!(job_id = %job.id, error = %e, "could not renew job lease"),
            }
        }
    }

    async fn reap(&self) -> Result<u64, RepoError> {
        let mut tx = self.db.begin(&RlsContext::system()).await?;
        let n = jobs::reap_expired_leases(&mut tx).await?;
        tx.commit().await?;
        if n > 0 {
            tracing::warn!(count = n, "returned jobs with expired leases to the queue");
        }
        Ok(n)
    }

    async fn claim(&self, limit: usize) -> Result<Vec<ClaimedJob>, RepoError> {
        let mut tx = self.db.begin(&RlsContext::system()).await?;
        let jobs = jobs::claim(
            &mut tx,
            &self.config.name,
            &self.registry.kinds(),
            i64::try_from(limit).unwrap_or(1),
            self.config.lease,
        )
        .await?;
        tx.commit().await?;
        Ok(jobs)
    }

    /// Runs one claimed job and records the outcome. Exposed for tests that drive a worker
    /// step by step.
    pub async fn execute(&self, job: ClaimedJob) {
        let Some(handler) = self.registry.handlers.get(job.kind.as_str()).cloned() else {
            // Claim filters by kind, so this means the registry changed mid-flight.
            self.record(
                &job,
                Err(JobError::Retry("no handler".into())),
                RetryPolicy::default(),
            )
            .await;
            return;
        };
        let run = JobRun {
            id: job.id,
            attempt: job.attempt,
            payload: job.payload.clone(),
        };
        let result = tokio::select! {
            result = handler.run(run) => result,
            () = self.keep_lease(&job) => Err(JobError::Retry("lease lost".into())),
        };
        self.record(&job, result, handler.retry_policy()).await;
    }

    async fn record(&self, job: &ClaimedJob, result: Result<(), JobError>, policy: RetryPolicy) {
        // Decide first, then write: the decision needs no database.
        let failure = match &result {
            Ok(()) => None,
            Err(err) => {
                let policy = RetryPolicy {
                    max_attempts: u32::try_from(job.max_attempts).unwrap_or(1),
                    ..policy
                };
                let attempts = u32::try_from(job.attempt).unwrap_or(u32::MAX);
                let outcome = match err {
                    JobError::Permanent(_) => FailureOutcome::Dead,
                    JobError::Retry(_) => {
                        policy.on_failure(attempts, Utc::now(), rand::random::<f64>())
                    }
                };
                Some((err.to_string(), outcome))
            }
        };
        let label = match &failure {
            None => "succeeded",
            Some((_, FailureOutcome::Dead)) => "dead",
            Some((_, FailureOutcome::RetryAt(_))) => "retry",
        };
        if let Some((error, _)) = &failure {
            tracing::warn!(job_id = %job.id, kind = %job.kind, attempt = job.attempt, %error, outcome = label, "job failed");
        }
        let written = async {
            let mut tx = self.db.begin(&RlsContext::system()).await?;
            let held = match &failure {
                None => jobs::succeed(&mut tx, job.id, &self.config.name).await?,
                Some((error, outcome)) => {
                    jobs::fail(&mut tx, job.id, &self.config.name, error, *outcome).await?
                }
            };
            tx.commit().await?;
            Ok::<bool, RepoError>(held)
        }
        .await;
        match written {
            Ok(true) => {
                if let Some(m) = &self.metrics {
                    m.observe_job(&job.kind, label);
                }
            }
            Ok(false) => {
                tracing::warn!(job_id = %job.id, "lease lost before the outcome was recorded");
            }
            Err(e) => tracing::error!(job_id = %job.id, error = %e, "could not record job outcome"),
        }
    }
}
