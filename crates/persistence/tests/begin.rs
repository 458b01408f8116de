//! The message that opens every transaction: its literals, its session check and the audit
//! events it records (`Db::begin`, `Db::begin_recording`, migration 000012).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rxgate_persistence::audit::AuditEntry;
use rxgate_persistence::{Db, RepoError, RlsContext, literal};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use uuid::Uuid;

/// Random text weighted towards what breaks quoting: quotes, backslashes, `E'`, dollar signs,
/// semicolons, comments, control characters and multi-byte characters.
fn nasty(rng: &mut StdRng) -> String {
    const PIECES: [&str; 16] = [
        "'", "\\", "''", "\\'", "E'", "$$", ";", "--", "/*", "\n", "\t", "\u{7f}", "é", "日本",
        "\u{202e}", "🙂",
    ];
    let len = rng.random_range(0..24);
    (0..len)
        .map(|_| {
            if rng.random_bool(0.6) {
                PIECES[rng.random_range(0..PIECES.len())].to_owned()
            } else {
                char::from_u32(rng.random_range(1..0x3000))
                    .unwrap_or('x')
                    .to_string()
            }
        })
        .collect()
}

#[sqlx::test(migrations = "../../migrations")]
async fn every_text_literal_reads_back_unchanged_whatever_the_string_settings(pool: PgPool) {
    let mut rng = StdRng::seed_from_u64(0x0117_e4a1);
    let mut conn = pool.acquire().await.unwrap();
    for conforming in ["on", "off"] {
        sqlx::query(&format!("SET standard_conforming_strings = {conforming}"))
            .execute(&mut *conn)
            .await
            .unwrap();
        for _ in 0..400 {
            let s = nasty(&mut rng);
            let back: String =
                sqlx::query_scalar(&format!("SELECT {}", literal::text(&s).unwrap()))
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
            assert_eq!(back, s, "standard_conforming_strings = {conforming}");
        }
    }
    assert!(literal::text("a\0b").is_err(), "U+0000 is refused");
}

async fn user_with_session(pool: &PgPool, revoked: bool) -> (Uuid, Uuid) {
    let user = Uuid::now_v7();
    sqlx::query("INSERT INTO users (id, email, display_name) VALUES ($1, $2, 'U')")
        .bind(user)
        .bind(format!("{user}@example.org"))
        .execute(pool)
        .await
        .unwrap();
    let session: Uuid = sqlx::query_scalar(
        "INSERT INTO sessions (id, user_id, revoked_at)
         VALUES ($1, $2, CASE WHEN $3 THEN now() END) RETURNING id",
    )
    .bind(Uuid::now_v7())
    .bind(user)
    .bind(revoked)
    .fetch_one(pool)
    .await
    .unwrap();
    (user, session)
}

fn signed_in(user: Uuid, session: Uuid) -> RlsContext {
    RlsContext {
        session_id: Some(session),
        roles: vec!["patient".into()],
        ..RlsContext::user(user, Some("req-literal-test".into()))
    }
}

fn event(user: Uuid, user_agent: &str) -> AuditEntry {
    AuditEntry {
        actor_id: Some(user),
        acting_role: Some("patient".into()),
        action: "read_eligibility".into(),
        entity_type: "patient".into(),
        entity_id: Some(user.to_string()),
        ip: Some("203.0.113.9".into()),
        user_agent: Some(user_agent.into()),
        request_id: Some("req-literal-test".into()),
        risk: "low",
        details: Some(serde_json::json!({ "q": "it's a \\ test; --" })),
        ..AuditEntry::default()
    }
}

async fn events_of(pool: &PgPool, user: Uuid) -> Vec<(String, serde_json::Value)> {
    sqlx::query_as("SELECT user_agent, details FROM audit_events WHERE actor_id = $1 ORDER BY seq")
        .bind(user)
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_ended_session_is_refused_and_leaves_the_connection_idle(pool: PgPool) {
    let (user, live) = user_with_session(&pool, false).await;
    let (_, ended) = user_with_session(&pool, true).await;
    // One connection: whatever the refused message left behind, the next user gets.
    let one = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(pool.connect_options().as_ref().clone())
        .await
        .unwrap();
    let db = Db::from_pool(one);
    let refused = db
        .begin_recording(&signed_in(user, ended), &[event(user, "refused")])
        .await;
    assert!(
        matches!(refused, Err(RepoError::SessionEnded)),
        "{refused:?}"
    );

    let mut tx = db.begin(&signed_in(user, live)).await.unwrap();
    let (user_id, request): (String, String) =
        sqlx::query_as("SELECT current_setting('app.user_id'), current_setting('app.request_id')")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    assert_eq!(
        (user_id, request.as_str()),
        (user.to_string(), "req-literal-test")
    );
    tx.commit().await.unwrap();
    assert!(
        events_of(&pool, user).await.is_empty(),
        "the refused event was not written"
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn events_sent_with_begin_commit_and_roll_back_with_the_transaction(pool: PgPool) {
    let (user, session) = user_with_session(&pool, false).await;
    let db = Db::from_pool(pool.clone());
    let agent = "Mozilla/5.0 'quoted' \\ back\\slash; DROP TABLE users; --";

    let tx = db
        .begin_recording(&signed_in(user, session), &[event(user, "rolled back")])
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert!(events_of(&pool, user).await.is_empty());

    let tx = db
        .begin_recording(
            &signed_in(user, session),
            &[event(user, agent), event(user, "second")],
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let events = events_of(&pool, user).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].0, agent);
    assert_eq!(
        events[0].1,
        serde_json::json!({ "q": "it's a \\ test; --" })
    );
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 1);
}
