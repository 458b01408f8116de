use std::time::Duration;

use rxgate_api::configuration::{EmailTransport, Environment};
use rxgate_integrations::email::{SmtpSettings, TlsMode};
use serde_json::json;

use crate::helpers::{TestApp, assert_problem, spawn_app, spawn_app_with};

async fn wait_for_messages(app: &TestApp, n: usize) -> serde_json::Value {
    for _ in 0..100 {
        let page: serde_json::Value = app.get("/api/v1/dev/mailbox").await.json().await.unwrap();
        if page["items"].as_array().unwrap().len() >= n {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the worker did not deliver {n} messages");
}

#[tokio::test]
async fn a_test_email_is_queued_and_delivered_to_the_mailbox_by_the_worker() {
    let app = spawn_app().await;
    let res = app
        .post_json(
            "/api/v1/dev/mailbox",
            &json!({"to": "patient@example.org", "subject": "Hello", "body": "First line"}),
        )
        .await;
    assert_eq!(res.status(), 202);
    let queued: serde_json::Value = res.json().await.unwrap();
    let job_id = queued["job_id"].as_str().unwrap().to_owned();

    let page = wait_for_messages(&app, 1).await;
    let message = &page["items"][0];
    assert_eq!(message["to"], "patient@example.org");
    assert_eq!(message["subject"], "Hello");
    assert_eq!(message["body_text"], "First line");

    let one: serde_json::Value = app
        .get(&format!(
            "/api/v1/dev/mailbox/{}",
            message["id"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["subject"], "Hello");

    // The message is in the mailbox before the worker marks its job done,
    // so wait for the job's own transition rather than assume it.
    let mut status = String::new();
    for _ in 0..100 {
        status = sqlx::query_scalar("SELECT status::text FROM jobs WHERE id = $1::uuid")
            .bind(&job_id)
            .fetch_one(&app.owner)
            .await
            .unwrap();
        if status != "running" && status != "queued" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, "succeeded");
}

#[tokio::test]
async fn the_mailbox_pages_with_cursors() {
    let app = spawn_app().await;
    for n in 0..3 {
        app.post_json(
            "/api/v1/dev/mailbox",
            &json!({"to": "a@example.org", "subject": format!("m{n}"), "body": ""}),
        )
        .await;
    }
    wait_for_messages(&app, 3).await;
    let first: serde_json::Value = app
        .get("/api/v1/dev/mailbox?limit=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: serde_json::Value = app
        .get(&format!("/api/v1/dev/mailbox?limit=2&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second.get("next_cursor").is_none());
}

#[tokio::test]
async fn an_unknown_message_is_404() {
    let app = spawn_app().await;
    let res = app
        .get("/api/v1/dev/mailbox/0192f5a0-0000-7000-8000-000000000000")
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn developer_tools_do_not_exist_in_production() {
    let app = spawn_app_with(|s| {
        s.environment = Environment::Production;
        s.email.transport = EmailTransport::Smtp;
        s.email.smtp = Some(SmtpSettings {
            host: "127.0.0.1".into(),
            port: 9,
            tls: TlsMode::None,
            username: None,
            password: None,
            from: "Rxgate <no-reply@rxgate.test>".into(),
        });
        s.jobs.run_in_process = false;
    })
    .await;
    assert_problem(app.get("/api/v1/dev/mailbox").await, 404, "NOT_FOUND").await;
    let res = app
        .post_json(
            "/api/v1/dev/mailbox",
            &json!({"to": "a@example.org", "subject": "s", "body": ""}),
        )
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
    let platform: serde_json::Value = app.get("/api/v1/platform").await.json().await.unwrap();
    assert_eq!(platform["dev_tools"], false);
    let res = app.get("/api/v1/health").await;
    assert!(res.headers().get("strict-transport-security").is_some());
}
