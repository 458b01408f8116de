//! The developer mailbox: idempotent delivery and keyset pagination.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rxgate_persistence::pagination::TimeCursor;
use rxgate_persistence::{Db, RlsContext, mailbox};
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrations = "../../migrations")]
async fn redelivery_of_the_same_job_stores_one_message(pool: PgPool) {
    let mut tx = Db::from_pool(pool.clone())
        .begin(&RlsContext::system())
        .await
        .unwrap();
    let job = Uuid::now_v7();
    for _ in 0..3 {
        mailbox::deliver(&mut tx, job, "a@example.org", "Hi", "Body", None)
            .await
            .unwrap();
    }
    let (rows, next) = mailbox::list(&mut tx, None, 10).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(next.is_none());
}

#[sqlx::test(migrations = "../../migrations")]
async fn pages_cover_every_message_once_newest_first(pool: PgPool) {
    let mut tx = Db::from_pool(pool.clone())
        .begin(&RlsContext::system())
        .await
        .unwrap();
    for n in 0..7 {
        mailbox::deliver(
            &mut tx,
            Uuid::now_v7(),
            "a@example.org",
            &format!("m{n}"),
            "b",
            None,
        )
        .await
        .unwrap();
    }
    let mut cursor: Option<TimeCursor> = None;
    let mut seen = Vec::new();
    loop {
        let (rows, next) = mailbox::list(&mut tx, cursor, 3).await.unwrap();
        assert!(rows.len() <= 3);
        seen.extend(rows.into_iter().map(|r| r.subject));
        match next {
            Some(c) => cursor = Some(TimeCursor::decode(&c.encode()).unwrap()),
            None => break,
        }
    }
    // Same transaction, so created_at ties: the id (time-ordered v7) breaks them.
    assert_eq!(seen, vec!["m6", "m5", "m4", "m3", "m2", "m1", "m0"]);
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_mailbox_is_invisible_outside_the_system_context(pool: PgPool) {
    let db = Db::from_pool(pool.clone());
    let mut tx = db.begin(&RlsContext::system()).await.unwrap();
    mailbox::deliver(
        &mut tx,
        Uuid::now_v7(),
        "a@example.org",
        "secret",
        "b",
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.begin(&RlsContext::anonymous(None)).await.unwrap();
    sqlx::query("SET LOCAL ROLE rxgate_app")
        .execute(&mut *tx)
        .await
        .unwrap();
    let (rows, _) = mailbox::list(&mut tx, None, 10).await.unwrap();
    assert!(rows.is_empty());
}
