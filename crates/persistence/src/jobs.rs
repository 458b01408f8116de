//! The durable job queue.
//!
//! Written over `FOR UPDATE SKIP LOCKED` rather than taken from `underway` or `apalis`: both keep
//! their tables in a schema and migration history of their own, outside `migrations/`, which
//! would leave job rows beyond our row-level-security policies and grants for the non-owner
//! application role, and would give the admin screens a second schema to read. The queue itself
//! is four statements.

use chrono::{DateTime, TimeDelta, Utc};
use rxgate_domain::jobs::FailureOutcome;
use rxgate_domain::jobs::JobStatus;
use serde_json::Value;
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use crate::RepoError;

/// Work to schedule. Enqueue inside the transaction whose commit makes the work necessary
/// (the outbox pattern): a rolled-back request schedules nothing.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: Value,
    /// Not before this instant; `None` means as soon as possible.
    pub run_at: Option<DateTime<Utc>>,
    pub max_attempts: i32,
    /// Enqueueing the same `(kind, dedupe_key)` again does nothing.
    pub dedupe_key: Option<String>,
}

impl NewJob {
    pub fn new(kind: impl Into<String>, payload: Value) -> Self {
        Self {
            kind: kind.into(),
            payload,
            run_at: None,
            max_attempts: 8,
            dedupe_key: None,
        }
    }

    pub fn run_at(mut self, at: DateTime<Utc>) -> Self {
        self.run_at = Some(at);
        self
    }

    pub fn dedupe_key(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }

    pub fn max_attempts(mut self, attempts: i32) -> Self {
        self.max_attempts = attempts;
        self
    }
}

/// A job a worker holds the lease on.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: Uuid,
    pub kind: String,
    pub payload: Value,
    /// This attempt's number, starting at 1.
    pub attempt: i32,
    pub max_attempts: i32,
}

/// Schedules `job`. Returns its id, or `None` when an identical `(kind, dedupe_key)` exists.
/// Works in any request context: the insert policy lets anyone enqueue, and no row is read
/// back (only the system context may read jobs).
///
/// Duplicates are detected by the unique index inside a savepoint rather than with
/// `ON CONFLICT DO NOTHING`: PostgreSQL checks an `ON CONFLICT` insert against the table's
/// SELECT policies, which a request context does not pass.
pub async fn enqueue(conn: &mut PgConnection, job: &NewJob) -> Result<Option<Uuid>, RepoError> {
    let id = Uuid::now_v7();
    let mut savepoint = conn.begin().await?;
    let inserted = sqlx::query!(
        r#"INSERT INTO jobs (id, kind, payload, run_at, max_attempts, dedupe_key)
           VALUES ($1, $2, $3, coalesce($4, now()), $5, $6)"#,
        id,
        job.kind,
        job.payload,
        job.run_at,
        job.max_attempts,
        job.dedupe_key,
    )
    .execute(&mut *savepoint)
    .await;
    match inserted.map_err(RepoError::from) {
        Ok(_) => {
            savepoint.commit().await?;
            Ok(Some(id))
        }
        Err(RepoError::Conflict { constraint }) if constraint == "jobs_dedupe_key" => {
            savepoint.rollback().await?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Takes up to `limit` due jobs for `worker`, holding each for `lease`. Jobs other workers
/// hold are skipped, never waited for, so several workers share one table without overlap.
pub async fn claim(
    conn: &mut PgConnection,
    worker: &str,
    kinds: &[String],
    limit: i64,
    lease: TimeDelta,
) -> Result<Vec<ClaimedJob>, RepoError> {
    let lease_ms = lease.num_milliseconds();
    let rows = sqlx::query_as!(
        ClaimedJob,
        r#"UPDATE jobs j
              SET status = 'running',
                  attempts = j.attempts + 1,
                  locked_by = $1,
                  locked_until = now() + $4::bigint * interval '1 millisecond'
            WHERE j.id IN (
                SELECT id FROM jobs
                 WHERE status = 'queued' AND run_at <= now() AND kind = ANY($2)
                 ORDER BY run_at, id
                 LIMIT $3
                 FOR UPDATE SKIP LOCKED)
        RETURNING j.id, j.kind, j.payload, j.attempts AS attempt, j.max_attempts"#,
        worker,
        kinds,
        limit,
        lease_ms,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// Marks a job done. Returns false when `worker` no longer holds it (its lease ran out and the
/// job was handed to someone else), in which case nothing changes.
pub async fn succeed(conn: &mut PgConnection, id: Uuid, worker: &str) -> Result<bool, RepoError> {
    let done = sqlx::query!(
        r#"UPDATE jobs
              SET status = 'succeeded', finished_at = now(), locked_by = NULL,
                  locked_until = NULL, last_error = NULL
            WHERE id = $1 AND status = 'running' AND locked_by = $2"#,
        id,
        worker,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// Records a failed attempt: back to the queue at the retry time, or dead.
pub async fn fail(
    conn: &mut PgConnection,
    id: Uuid,
    worker: &str,
    error: &str,
    outcome: FailureOutcome,
) -> Result<bool, RepoError> {
    let (dead, retry_at) = match outcome {
        FailureOutcome::Dead => (true, None),
        FailureOutcome::RetryAt(at) => (false, Some(at)),
    };
    let done = sqlx::query!(
        r#"UPDATE jobs
              SET status = CASE WHEN $3 THEN 'dead'::job_status ELSE 'queued'::job_status END,
                  run_at = coalesce($4, run_at),
                  finished_at = CASE WHEN $3 THEN now() END,
                  locked_by = NULL, locked_until = NULL,
                  last_error = left($5, 2000)
            WHERE id = $1 AND status = 'running' AND locked_by = $2"#,
        id,
        worker,
        dead,
        retry_at,
        error,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// Returns jobs whose worker vanished (lease expired) to the queue, or to the dead state when
/// they have no attempts left. Returns how many were touched.
pub async fn reap_expired_leases(conn: &mut PgConnection) -> Result<u64, RepoError> {
    let n = sqlx::query!(
        r#"UPDATE jobs
              SET status = CASE WHEN attempts >= max_attempts THEN 'dead'::job_status
                                ELSE 'queued'::job_status END,
                  finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
                  locked_by = NULL, locked_until = NULL,
                  last_error = 'lease expired: the worker stopped before finishing'
            WHERE status = 'running' AND locked_until < now()"#
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n)
}

/// A job as the admin (and tests) see it.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: Uuid,
    pub kind: String,
    pub status: JobStatus,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<JobRow, RepoError> {
    let row = sqlx::query_as!(
        JobRow,
        r#"SELECT id, kind, status AS "status!: JobStatus", attempts, max_attempts, run_at, last_error
             FROM jobs WHERE id = $1"#,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}

/// Extends the lease of a job `worker` is still running, so a long job is not handed to
/// another worker while it makes progress. False when the lease was lost.
pub async fn heartbeat(
    conn: &mut PgConnection,
    id: Uuid,
    worker: &str,
    lease: TimeDelta,
) -> Result<bool, RepoError> {
    let n = sqlx::query!(
        r#"UPDATE jobs SET locked_until = now() + $3::bigint * interval '1 millisecond'
            WHERE id = $1 AND status = 'running' AND locked_by = $2"#,
        id,
        worker,
        lease.num_milliseconds(),
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Declares (or re-times) the recurring schedule of `kind`. A changed interval takes effect
/// from the next firing.
pub async fn upsert_schedule(
    conn: &mut PgConnection,
    kind: &str,
    every_secs: i32,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO job_schedules (kind, every_secs) VALUES ($1, $2)
           ON CONFLICT (kind) DO UPDATE SET every_secs = EXCLUDED.every_secs
            WHERE job_schedules.every_secs <> EXCLUDED.every_secs"#,
        kind,
        every_secs,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Fires every due schedule among `kinds`: moves it forward and enqueues one job for this
/// firing, in the caller's transaction. Workers racing for the same schedule fire it once: the
/// first UPDATE wins the row, the second finds it no longer due. Returns the kinds fired.
///
/// The insert runs only when something is due: `jobs_notify` is a statement trigger, so even
/// an insert of no rows would wake every idle worker, which would fire again at once.
pub async fn fire_due_schedules(
    conn: &mut PgConnection,
    kinds: &[String],
) -> Result<Vec<String>, RepoError> {
    let due = sqlx::query!(
        r#"UPDATE job_schedules
              SET last_run_at = now(),
                  next_run_at = greatest(next_run_at + every_secs * interval '1 second',
                                         now() + every_secs * interval '1 second' / 2)
            WHERE next_run_at <= now() AND kind = ANY($1)
        RETURNING kind, payload, next_run_at"#,
        kinds,
    )
    .fetch_all(&mut *conn)
    .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let fired_kinds: Vec<String> = due.iter().map(|d| d.kind.clone()).collect();
    let payloads: Vec<serde_json::Value> = due.iter().map(|d| d.payload.clone()).collect();
    let keys: Vec<String> = due
        .iter()
        .map(|d| format!("schedule:{}", d.next_run_at.timestamp_millis()))
        .collect();
    let fired = sqlx::query_scalar!(
        r#"INSERT INTO jobs (id, kind, payload, max_attempts, dedupe_key)
           SELECT gen_random_uuid(), f.kind, f.payload, 3, f.key
             FROM unnest($1::text[], $2::jsonb[], $3::text[]) AS f(kind, payload, key)
           ON CONFLICT DO NOTHING
           RETURNING kind"#,
        &fired_kinds,
        &payloads,
        &keys,
    )
    .fetch_all(conn)
    .await?;
    Ok(fired)
}

/// Deletes up to `batch` jobs that finished (succeeded or dead) before `before`. Returns how
/// many went.
pub async fn purge_finished(
    conn: &mut PgConnection,
    before: DateTime<Utc>,
    batch: i64,
) -> Result<u64, RepoError> {
    let n = sqlx::query!(
        r#"DELETE FROM jobs WHERE id IN (
               SELECT id FROM jobs
                WHERE finished_at IS NOT NULL AND finished_at < $1
                ORDER BY finished_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED)"#,
        before,
        batch,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n)
}
