//! The worker runtime against a real database: two workers share the queue without running a
//! job twice; failures are retried and dead-lettered.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::TimeDelta;
use rxgate_api::jobs::{JobError, JobHandler, JobRun, Registry, Worker, WorkerConfig};
use rxgate_domain::jobs::RetryPolicy;
use rxgate_persistence::jobs::{self, NewJob};
use rxgate_persistence::{Db, RlsContext};
use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use tokio::sync::watch;
use uuid::Uuid;

use crate::helpers::fresh_database;

#[derive(Clone, Default)]
struct Recorder {
    runs: Arc<Mutex<HashMap<Uuid, Vec<String>>>>,
}

struct Counting {
    worker: String,
    recorder: Recorder,
    fail_first: bool,
}

#[async_trait]
impl JobHandler for Counting {
    fn kind(&self) -> &'static str {
        "test.count"
    }

    fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            base: TimeDelta::milliseconds(10),
            cap: TimeDelta::milliseconds(20),
            max_attempts: 3,
        }
    }

    async fn run(&self, job: JobRun) -> Result<(), JobError> {
        tokio::time::sleep(Duration::from_millis(5)).await;
        self.recorder
            .runs
            .lock()
            .unwrap()
            .entry(job.id)
            .or_default()
            .push(self.worker.clone());
        if job.payload["always_fail"] == true {
            return Err(JobError::Retry("provider down".into()));
        }
        if self.fail_first && job.attempt == 1 {
            return Err(JobError::Retry("flaky".into()));
        }
        Ok(())
    }
}

async fn app_db(url: &str) -> Db {
    Db::from_pool(
        PgPoolOptions::new()
            .max_connections(6)
            .connect(url)
            .await
            .unwrap(),
    )
}

fn worker(db: &Db, name: &str, recorder: &Recorder, fail_first: bool) -> Worker {
    let registry = Registry::default().with(Counting {
        worker: name.to_owned(),
        recorder: recorder.clone(),
        fail_first,
    });
    let mut config = WorkerConfig::new(3, Duration::from_millis(50), TimeDelta::minutes(5));
    config.name = name.to_owned();
    Worker::new(db.clone(), registry, config)
}

async fn enqueue_many(db: &Db, payloads: Vec<serde_json::Value>) -> Vec<Uuid> {
    // Enqueued as an anonymous request would: the worker runs as the system.
    let mut tx = db.begin(&RlsContext::anonymous(None)).await.unwrap();
    let mut ids = Vec::new();
    for payload in payloads {
        ids.push(
            jobs::enqueue(&mut tx, &NewJob::new("test.count", payload).max_attempts(3))
                .await
                .unwrap()
                .unwrap(),
        );
    }
    tx.commit().await.unwrap();
    ids
}

async fn wait_until_finished(owner: &sqlx::PgPool, n: i64) {
    for _ in 0..300 {
        let done: i64 =
            sqlx::query_scalar("SELECT count(*) FROM jobs WHERE status IN ('succeeded', 'dead')")
                .fetch_one(owner)
                .await
                .unwrap();
        if done >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("jobs did not finish");
}

#[tokio::test]
async fn two_workers_on_one_database_run_every_job_exactly_once() {
    let (owner, url) = fresh_database().await;
    let db = app_db(&url).await;
    let recorder = Recorder::default();
    let (stop, stopped) = watch::channel(false);
    let a = tokio::spawn(worker(&db, "a", &recorder, false).run(stopped.clone()));
    let b = tokio::spawn(worker(&db, "b", &recorder, false).run(stopped));

    let ids = enqueue_many(&db, (0..40).map(|n| json!({ "n": n })).collect()).await;
    wait_until_finished(&owner, 40).await;
    stop.send(true).unwrap();
    a.await.unwrap();
    b.await.unwrap();

    let runs = recorder.runs.lock().unwrap().clone();
    assert_eq!(runs.len(), 40);
    for id in &ids {
        assert_eq!(runs[id].len(), 1, "job {id} ran {:?}", runs[id]);
    }
    let workers: std::collections::HashSet<&String> = runs.values().flatten().collect();
    assert_eq!(workers.len(), 2, "both workers took part");
    let succeeded: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs WHERE status = 'succeeded'")
        .fetch_one(&owner)
        .await
        .unwrap();
    assert_eq!(succeeded, 40);
}

#[tokio::test]
async fn failures_are_retried_and_then_dead_lettered() {
    let (owner, url) = fresh_database().await;
    let db = app_db(&url).await;
    let recorder = Recorder::default();
    let (stop, stopped) = watch::channel(false);
    let w = tokio::spawn(worker(&db, "w", &recorder, true).run(stopped));

    let ids = enqueue_many(&db, vec![json!({}), json!({ "always_fail": true })]).await;
    wait_until_finished(&owner, 2).await;
    stop.send(true).unwrap();
    w.await.unwrap();

    let runs = recorder.runs.lock().unwrap().clone();
    assert_eq!(
        runs[&ids[0]].len(),
        2,
        "flaky job succeeds on its second attempt"
    );
    assert_eq!(runs[&ids[1]].len(), 3, "failing job uses all its attempts");
    let rows: Vec<(String, i32, Option<String>)> =
        sqlx::query_as("SELECT status::text, attempts, last_error FROM jobs ORDER BY id")
            .fetch_all(&owner)
            .await
            .unwrap();
    assert_eq!(rows[0], ("succeeded".to_owned(), 2, None));
    assert_eq!(
        rows[1],
        ("dead".to_owned(), 3, Some("provider down".to_owned()))
    );
}
