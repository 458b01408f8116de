//! The job queue against a real PostgreSQL: outbox semantics, row-level security, concurrent
//! claiming, retries, leases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use chrono::{TimeDelta, Utc};
use rxgate_domain::jobs::{FailureOutcome, RetryPolicy};
use rxgate_persistence::jobs::{self, NewJob};
use rxgate_persistence::{Db, RlsContext};
use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};

/// A transaction acting as the application role (tests connect as a superuser, which row-level
/// security ignores).
async fn app_tx(pool: &PgPool, ctx: &RlsContext) -> Transaction<'static, Postgres> {
    let mut tx = Db::from_pool(pool.clone()).begin(ctx).await.unwrap();
    sqlx::query("SET LOCAL ROLE rxgate_app")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx
}

fn kinds() -> Vec<String> {
    vec!["test.job".to_owned()]
}

async fn count(pool: &PgPool, status: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM jobs WHERE status::text = $1")
        .bind(status)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../../migrations")]
async fn enqueue_in_rolled_back_transaction_schedules_nothing(pool: PgPool) {
    let mut tx = app_tx(&pool, &RlsContext::anonymous(None)).await;
    jobs::enqueue(&mut tx, &NewJob::new("test.job", json!({})))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(count(&pool, "queued").await, 0);
}

#[sqlx::test(migrations = "../../migrations")]
async fn enqueue_twice_with_same_dedupe_key_schedules_once(pool: PgPool) {
    let mut tx = app_tx(&pool, &RlsContext::anonymous(None)).await;
    let job = NewJob::new("test.job", json!({"n": 1})).dedupe_key("appointment-1:48h");
    let first = jobs::enqueue(&mut tx, &job).await.unwrap();
    let second = jobs::enqueue(&mut tx, &job).await.unwrap();
    tx.commit().await.unwrap();
    assert!(first.is_some());
    assert_eq!(second, None);
    assert_eq!(count(&pool, "queued").await, 1);
}

#[sqlx::test(migrations = "../../migrations")]
async fn anyone_may_enqueue_but_only_the_system_context_reads_or_changes_jobs(pool: PgPool) {
    let mut tx = app_tx(&pool, &RlsContext::anonymous(None)).await;
    let id = jobs::enqueue(&mut tx, &NewJob::new("test.job", json!({})))
        .await
        .unwrap()
        .unwrap();
    let visible: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(visible, 0, "an anonymous caller must not see queued jobs");
    let updated = sqlx::query("UPDATE jobs SET max_attempts = 1")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(updated, 0);
    assert!(jobs::find(&mut tx, id).await.is_err());
    tx.commit().await.unwrap();

    let mut tx = app_tx(&pool, &RlsContext::system()).await;
    assert_eq!(
        jobs::find(&mut tx, id).await.unwrap().status.as_str(),
        "queued"
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_caller_cannot_enqueue_a_job_that_is_already_running(pool: PgPool) {
    let mut tx = app_tx(&pool, &RlsContext::anonymous(None)).await;
    let err = sqlx::query(
        "INSERT INTO jobs (id, kind, status, attempts, locked_until) \
         VALUES (gen_random_uuid(), 'test.job', 'running', 1, now())",
    )
    .execute(&mut *tx)
    .await
    .unwrap_err();
    assert_eq!(
        err.as_database_error().and_then(|e| e.code()).as_deref(),
        Some("42501")
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn rls_context_does_not_leak_to_the_next_transaction(pool: PgPool) {
    let db = Db::from_pool(pool.clone());
    let tx = db.begin(&RlsContext::system()).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let system: Option<String> = sqlx::query_scalar("SELECT current_setting('app.system', true)")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert!(system.unwrap_or_default().is_empty());
}

#[sqlx::test(migrations = "../../migrations")]
async fn two_workers_claiming_at_once_never_get_the_same_job(pool: PgPool) {
    let mut tx = app_tx(&pool, &RlsContext::system()).await;
    for n in 0..60 {
        jobs::enqueue(&mut tx, &NewJob::new("test.job", json!({ "n": n })))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let claimer = |name: &'static str| {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let mut tx = app_tx(&pool, &RlsContext::system()).await;
                let got = jobs::claim(&mut tx, name, &kinds(), 3, TimeDelta::minutes(5))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                if got.is_empty() {
                    break;
                }
                mine.extend(got.into_iter().map(|j| j.id));
            }
            mine
        })
    };
    let (a, b) = tokio::join!(claimer("worker-a"), claimer("worker-b"));
    let (a, b) = (a.unwrap(), b.unwrap());
    let all: HashSet<_> = a.iter().chain(b.iter()).copied().collect();
    assert_eq!(a.len() + b.len(), 60, "every job claimed exactly once");
    assert_eq!(all.len(), 60);
    assert_eq!(count(&pool, "running").await, 60);
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_scheduled_job_waits_for_its_time(pool: PgPool) {
    let mut tx = app_tx(&pool, &RlsContext::system()).await;
    jobs::enqueue(
        &mut tx,
        &NewJob::new("test.job", json!({})).run_at(Utc::now() + TimeDelta::hours(1)),
    )
    .await
    .unwrap();
    let got = jobs::claim(&mut tx, "w", &kinds(), 10, TimeDelta::minutes(1))
        .await
        .unwrap();
    assert!(got.is_empty());
}

#[sqlx::test(migrations = "../../migrations")]
async fn only_registered_kinds_are_claimed(pool: PgPool) {
    let mut tx = app_tx(&pool, &RlsContext::system()).await;
    jobs::enqueue(&mut tx, &NewJob::new("other.job", json!({})))
        .await
        .unwrap();
    let got = jobs::claim(&mut tx, "w", &kinds(), 10, TimeDelta::minutes(1))
        .await
        .unwrap();
    assert!(got.is_empty());
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_failing_job_is_retried_with_backoff_then_dead_lettered(pool: PgPool) {
    let policy = RetryPolicy {
        max_attempts: 2,
        ..RetryPolicy::default()
    };
    let mut tx = app_tx(&pool, &RlsContext::system()).await;
    let id = jobs::enqueue(&mut tx, &NewJob::new("test.job", json!({})).max_attempts(2))
        .await
        .unwrap()
        .unwrap();

    let job = jobs::claim(&mut tx, "w", &kinds(), 1, TimeDelta::minutes(1))
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(job.attempt, 1);
    let now = Utc::now();
    let outcome = policy.on_failure(1, now, 0.0);
    assert!(matches!(outcome, FailureOutcome::RetryAt(at) if at > now));
    assert!(
        jobs::fail(&mut tx, id, "w", "smtp down", outcome)
            .await
            .unwrap()
    );
    let row = jobs::find(&mut tx, id).await.unwrap();
    assert_eq!(row.status.as_str(), "queued");
    assert_eq!(row.last_error.as_deref(), Some("smtp down"));
    assert!(row.run_at > now, "retry is scheduled in the future");

    // Not due yet: nothing to claim. Make it due, claim, fail again: out of attempts.
    assert!(
        jobs::claim(&mut tx, "w", &kinds(), 1, TimeDelta::minutes(1))
            .await
            .unwrap()
            .is_empty()
    );
    sqlx::query("UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    let job = jobs::claim(&mut tx, "w", &kinds(), 1, TimeDelta::minutes(1))
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(job.attempt, 2);
    let outcome = policy.on_failure(2, Utc::now(), 0.0);
    assert_eq!(outcome, FailureOutcome::Dead);
    assert!(
        jobs::fail(&mut tx, id, "w", "smtp down", outcome)
            .await
            .unwrap()
    );
    assert_eq!(
        jobs::find(&mut tx, id).await.unwrap().status.as_str(),
        "dead"
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_expired_lease_returns_the_job_and_the_old_worker_cannot_finish_it(pool: PgPool) {
    let mut tx = app_tx(&pool, &RlsContext::system()).await;
    let id = jobs::enqueue(&mut tx, &NewJob::new("test.job", json!({})))
        .await
        .unwrap()
        .unwrap();
    jobs::claim(
        &mut tx,
        "crashed",
        &kinds(),
        1,
        TimeDelta::milliseconds(-1000),
    )
    .await
    .unwrap();
    assert_eq!(jobs::reap_expired_leases(&mut tx).await.unwrap(), 1);
    let row = jobs::find(&mut tx, id).await.unwrap();
    assert_eq!(row.status.as_str(), "queued");
    assert_eq!(row.attempts, 1);

    let job = jobs::claim(&mut tx, "healthy", &kinds(), 1, TimeDelta::minutes(5))
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(job.attempt, 2);
    assert!(
        !jobs::succeed(&mut tx, id, "crashed").await.unwrap(),
        "lease was lost"
    );
    assert!(jobs::succeed(&mut tx, id, "healthy").await.unwrap());
    assert_eq!(
        jobs::find(&mut tx, id).await.unwrap().status.as_str(),
        "succeeded"
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_expired_lease_without_attempts_left_is_dead_lettered(pool: PgPool) {
    let mut tx = app_tx(&pool, &RlsContext::system()).await;
    let id = jobs::enqueue(&mut tx, &NewJob::new("test.job", json!({})).max_attempts(1))
        .await
        .unwrap()
        .unwrap();
    jobs::claim(
        &mut tx,
        "crashed",
        &kinds(),
        1,
        TimeDelta::milliseconds(-1000),
    )
    .await
    .unwrap();
    jobs::reap_expired_leases(&mut tx).await.unwrap();
    assert_eq!(
        jobs::find(&mut tx, id).await.unwrap().status.as_str(),
        "dead"
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_schedule_fires_once_per_period_and_an_idle_check_wakes_no_worker(pool: PgPool) {
    let mut listener = sqlx::postgres::PgListener::connect_with(&pool)
        .await
        .unwrap();
    listener.listen("rxgate_jobs").await.unwrap();
    let kinds = vec!["audit.seal".to_owned()];
    let mut tx = pool.begin().await.unwrap();
    jobs::upsert_schedule(&mut tx, "audit.seal", 60)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // Due now: two workers racing fire it once.
    let mut a = pool.begin().await.unwrap();
    let fired = jobs::fire_due_schedules(&mut a, &kinds).await.unwrap();
    a.commit().await.unwrap();
    let mut b = pool.begin().await.unwrap();
    let again = jobs::fire_due_schedules(&mut b, &kinds).await.unwrap();
    b.commit().await.unwrap();
    assert_eq!(fired, kinds);
    assert!(again.is_empty());
    let queued: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs WHERE kind = 'audit.seal'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(queued, 1);

    // The firing woke the workers once; the idle check after it did not wake them again (a
    // statement trigger fires even for an insert of no rows, which made workers spin).
    let first = tokio::time::timeout(std::time::Duration::from_secs(2), listener.recv()).await;
    assert!(first.is_ok(), "the firing notifies");
    let second = tokio::time::timeout(std::time::Duration::from_millis(500), listener.recv()).await;
    assert!(second.is_err(), "an idle schedule check must not notify");
}
