//! The payment core against the real server: the sandbox's hosted page and its signed webhooks
//! over HTTP, webhook signatures, exactly-once processing, out-of-order events, refunds and
//! `Idempotency-Key`.
use std::str::FromStr;
use std::time::Duration;

use rxgate_api::seed::DEMO_PASSWORD;
use rxgate_app::Work;
use rxgate_app::auth::RequestFacts;
use rxgate_app::jobs::{JobHandler, JobRun};
use rxgate_app::payments::{self, Gateways};
use rxgate_domain::money::{Currency, Money};
use rxgate_domain::payments::PaymentPurpose;
use rxgate_integrations::payments::NextAction;
use rxgate_integrations::payments::sandbox::{self, SandboxEvent, SandboxEventData};
use rxgate_persistence::Db;
use serde_json::{Value, json};
use sqlx::postgres::PgConnectOptions;
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, spawn_app, test_settings};

const SECRET: &str = "whsec_dev_sandbox_only";

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.seed().await;
    app
}

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

async fn demo_clinic(app: &TestApp) -> Uuid {
    sqlx::query_scalar("SELECT id FROM organisations WHERE slug = 'demo-clinic'")
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

fn app_db(app: &TestApp) -> Db {
    Db::connect_lazy(PgConnectOptions::from_str(&app.db_url).unwrap(), 2)
}

/// The server's own gateway (same settings), for calling use cases as the booking code will.
fn gateways(app: &TestApp, db: &Db) -> Gateways {
    payments::gateways(&test_settings(&app.db_url), db)
}

/// Starts a consult-fee payment of `amount_minor` ZAR by `payer`, through the use case inside
/// a transaction acting as the payer (as the booking code calls it).
async fn start(app: &TestApp, payer: &str, amount_minor: i64) -> Uuid {
    let db = app_db(app);
    let gateways = gateways(app, &db);
    let payer = user_id(app, payer).await;
    let clinic = demo_clinic(app).await;
    let facts = RequestFacts::default();
    let mut tx = Work::before_sign_in(&db, &facts).await.unwrap();
    tx.act_for(payer, None).await.unwrap();
    let started = payments::start(
        &mut tx,
        gateways.gateway.as_ref(),
        payer,
        clinic,
        PaymentPurpose::ConsultFee,
        Uuid::now_v7(),
        &Money::new(amount_minor, Currency::parse("ZAR").unwrap()).unwrap(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let id = started.payment.id;
    assert_eq!(started.payment.status.as_str(), "pending");
    assert_eq!(
        started.next,
        NextAction::Redirect(format!("http://localhost:8080/pay/sandbox/{id}"))
    );
    id
}

fn event(event_type: &str, payment: Uuid, amount_minor: i64, refund: Option<Uuid>) -> SandboxEvent {
    SandboxEvent::new(
        event_type,
        chrono::Utc::now(),
        SandboxEventData {
            payment_id: payment,
            provider_reference: format!("sbx_pay_{}", payment.simple()),
            amount_minor,
            currency: "ZAR".into(),
            refund_id: refund,
        },
    )
}

async fn deliver(app: &TestApp, body: &[u8], secret: &str) -> reqwest::Response {
    let signature = sandbox::sign(secret.as_bytes(), chrono::Utc::now().timestamp(), body);
    app.client
        .post(app.url("/api/v1/payments/webhooks/sandbox"))
        .header("content-type", "application/json")
        .header(sandbox::SIGNATURE_HEADER, signature)
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
}

async fn deliver_ok(app: &TestApp, event: &SandboxEvent) -> String {
    let res = deliver(app, &event.body(), SECRET).await;
    assert_eq!(res.status(), 200);
    let ack: Value = res.json().await.unwrap();
    ack["outcome"].as_str().unwrap().to_owned()
}

async fn status(app: &TestApp, id: Uuid) -> (String, i64) {
    sqlx::query_as("SELECT status::text, refunded_minor FROM payments WHERE id = $1")
        .bind(id)
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

async fn wait_for(app: &TestApp, id: Uuid, want: &str) -> (String, i64) {
    for _ in 0..100 {
        let now = status(app, id).await;
        if now.0 == want {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "payment {id} never became {want}: {:?}",
        status(app, id).await
    );
}

async fn events(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM payment_events")
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_payer_pays_on_the_sandbox_page_and_the_signed_webhook_settles_it() {
    let app = seeded().await;
    let id = start(&app, "patient@rxgate.test", 45_000).await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;

    let page: Value = app
        .get_auth(&format!("/api/v1/sandbox/payments/{id}"), &patient)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["status"], "pending");
    assert_eq!(
        page["amount"],
        json!({"amount_minor": 45_000, "currency": "ZAR"})
    );

    let res = app
        .post_auth(
            &format!("/api/v1/sandbox/payments/{id}/pay"),
            &patient,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 202);
    // The sandbox's job delivers the signed webhook over HTTP; the payment moves then.
    wait_for(&app, id, "succeeded").await;
    let outcome: String = sqlx::query_scalar("SELECT outcome FROM payment_events")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(outcome, "applied");

    let mine: Value = app
        .get_auth("/api/v1/me/payments", &patient)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    assert_eq!(mine["items"][0]["status"], "succeeded");
    let one: Value = app
        .get_auth(&format!("/api/v1/me/payments/{id}"), &patient)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["id"], id.to_string());

    // Paying again: the payment is no longer pending.
    let again = app
        .post_auth(
            &format!("/api/v1/sandbox/payments/{id}/pay"),
            &patient,
            json!({}),
        )
        .await;
    assert_problem(again, 409, "PAYMENT_NOT_PENDING").await;
}

#[tokio::test]
async fn another_persons_payment_is_not_found() {
    let app = seeded().await;
    let id = start(&app, "patient@rxgate.test", 1000).await;
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    for path in [
        format!("/api/v1/me/payments/{id}"),
        format!("/api/v1/sandbox/payments/{id}"),
    ] {
        assert_problem(app.get_auth(&path, &doctor).await, 404, "NOT_FOUND").await;
    }
    let res = app
        .post_auth(
            &format!("/api/v1/sandbox/payments/{id}/decline"),
            &doctor,
            json!({}),
        )
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
    let theirs: Value = app
        .get_auth("/api/v1/me/payments", &doctor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"], json!([]));
}

#[tokio::test]
async fn declining_fails_the_payment() {
    let app = seeded().await;
    let id = start(&app, "patient@rxgate.test", 1000).await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let res = app
        .post_auth(
            &format!("/api/v1/sandbox/payments/{id}/decline"),
            &patient,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 202);
    wait_for(&app, id, "failed").await;
    // A success arriving after the failure changes nothing.
    let late = event(sandbox::PAYMENT_SUCCEEDED, id, 1000, None);
    assert_eq!(deliver_ok(&app, &late).await, "ignored");
    assert_eq!(status(&app, id).await.0, "failed");
}

#[tokio::test]
async fn a_bad_signature_is_400_and_nothing_is_stored_or_changed() {
    let app = seeded().await;
    let id = start(&app, "patient@rxgate.test", 1000).await;
    let body = event(sandbox::PAYMENT_SUCCEEDED, id, 1000, None).body();

    let wrong_secret = deliver(&app, &body, "whsec_someone_else").await;
    assert_problem(wrong_secret, 400, "INVALID_SIGNATURE").await;
    let unsigned = app
        .client
        .post(app.url("/api/v1/payments/webhooks/sandbox"))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_problem(unsigned, 400, "INVALID_SIGNATURE").await;
    // A genuine signature over another body.
    let signature = sandbox::sign(SECRET.as_bytes(), chrono::Utc::now().timestamp(), &body);
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    let res = app
        .client
        .post(app.url("/api/v1/payments/webhooks/sandbox"))
        .header("content-type", "application/json")
        .header(sandbox::SIGNATURE_HEADER, signature)
        .body(tampered)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "INVALID_SIGNATURE").await;
    // Too old: a captured delivery cannot be replayed later.
    let old = sandbox::sign(
        SECRET.as_bytes(),
        chrono::Utc::now().timestamp() - sandbox::TOLERANCE_SECS - 60,
        &body,
    );
    let res = app
        .client
        .post(app.url("/api/v1/payments/webhooks/sandbox"))
        .header("content-type", "application/json")
        .header(sandbox::SIGNATURE_HEADER, old)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "INVALID_SIGNATURE").await;

    assert_eq!(events(&app).await, 0);
    assert_eq!(status(&app, id).await.0, "pending");
    // Another provider than the configured one does not exist.
    let res = app
        .post_json(
            "/api/v1/payments/webhooks/stripe",
            &json!({"id": "evt_1", "type": "x", "data": {}}),
        )
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn a_duplicated_webhook_is_processed_once() {
    let app = seeded().await;
    let id = start(&app, "patient@rxgate.test", 1000).await;
    let paid = event(sandbox::PAYMENT_SUCCEEDED, id, 1000, None);
    assert_eq!(deliver_ok(&app, &paid).await, "applied");
    assert_eq!(deliver_ok(&app, &paid).await, "duplicate");
    assert_eq!(events(&app).await, 1);
    let changes: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'status_change' AND entity_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(changes, 1);
    assert_eq!(status(&app, id).await.0, "succeeded");
}

#[tokio::test]
async fn an_unknown_event_is_stored_and_ignored() {
    let app = seeded().await;
    let id = start(&app, "patient@rxgate.test", 1000).await;
    let body = br#"{"id":"evt_payout_1","type":"payout.created","created":1,"data":{"x":1}}"#;
    let res = deliver(&app, body, SECRET).await;
    assert_eq!(res.status(), 200);
    let ack: Value = res.json().await.unwrap();
    assert_eq!(ack["outcome"], "ignored");
    let (kind, outcome): (String, String) =
        sqlx::query_as("SELECT type, outcome FROM payment_events")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    assert_eq!(
        (kind.as_str(), outcome.as_str()),
        ("payout.created", "ignored")
    );
    // An event about a payment that does not exist is kept and ignored too.
    let stranger = event(sandbox::PAYMENT_SUCCEEDED, Uuid::now_v7(), 1, None);
    assert_eq!(deliver_ok(&app, &stranger).await, "ignored");
    assert_eq!(status(&app, id).await.0, "pending");
}

#[tokio::test]
async fn a_refund_that_arrives_before_its_success_waits_and_then_applies() {
    let app = seeded().await;
    let id = start(&app, "patient@rxgate.test", 1000).await;
    // A refund we asked for (recorded as the refund use case does).
    let refund = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO payment_refunds (id, payment_id, amount_minor, reason) VALUES ($1, $2, 400, 'test')",
    )
    .bind(refund)
    .bind(id)
    .execute(&app.owner)
    .await
    .unwrap();
    let refunded = event(sandbox::REFUND_SUCCEEDED, id, 400, Some(refund));
    assert_eq!(deliver_ok(&app, &refunded).await, "waiting");
    assert_eq!(status(&app, id).await, ("pending".into(), 0));

    let paid = event(sandbox::PAYMENT_SUCCEEDED, id, 1000, None);
    assert_eq!(deliver_ok(&app, &paid).await, "applied");
    assert_eq!(status(&app, id).await, ("partially_refunded".into(), 400));
    let waiting: i64 =
        sqlx::query_scalar("SELECT count(*) FROM payment_events WHERE processed_at IS NULL")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    assert_eq!(waiting, 0);
    // The refund arriving again changes nothing.
    assert_eq!(deliver_ok(&app, &refunded).await, "duplicate");
    assert_eq!(status(&app, id).await, ("partially_refunded".into(), 400));
}

#[tokio::test]
async fn a_retried_webhook_job_does_not_apply_twice() {
    let app = seeded().await;
    let id = start(&app, "patient@rxgate.test", 1000).await;
    let db = app_db(&app);
    let sandbox = gateways(&app, &db).sandbox.unwrap();
    let job = rxgate_app::jobs::payments::DeliverSandboxWebhook::new(
        sandbox,
        app.url("/api/v1/payments/webhooks/sandbox"),
    );
    let body = String::from_utf8(event(sandbox::PAYMENT_SUCCEEDED, id, 1000, None).body()).unwrap();
    let run = JobRun {
        id: Uuid::now_v7(),
        attempt: 1,
        payload: json!({ "body": body }),
    };
    // The worker died after delivering and before recording it: the job runs again.
    job.run(run.clone()).await.unwrap();
    job.run(JobRun { attempt: 2, ..run }).await.unwrap();
    assert_eq!(events(&app).await, 1);
    assert_eq!(status(&app, id).await.0, "succeeded");
}

async fn paid(app: &TestApp, amount_minor: i64) -> Uuid {
    let id = start(app, "patient@rxgate.test", amount_minor).await;
    let paid = event(sandbox::PAYMENT_SUCCEEDED, id, amount_minor, None);
    assert_eq!(deliver_ok(app, &paid).await, "applied");
    id
}

async fn refund(
    app: &TestApp,
    session: &Value,
    id: Uuid,
    key: Option<&str>,
    body: Value,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url(&format!("/api/v1/admin/payments/{id}/refunds")))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .json(&body);
    if let Some(key) = key {
        req = req.header("Idempotency-Key", key);
    }
    req.send().await.unwrap()
}

async fn refunds(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM payment_refunds")
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_refund_goes_through_the_provider_and_a_retry_with_its_key_replays_the_answer() {
    let app = seeded().await;
    let id = paid(&app, 1000).await;
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    let body = json!({"amount_minor": 400, "reason": "Consult cancelled in time"});

    let first = refund(&app, &admin, id, Some("key-1"), body.clone()).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["status"], "requested");
    assert_eq!(first["amount"]["amount_minor"], 400);

    let replay = refund(&app, &admin, id, Some("key-1"), body).await;
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.json::<Value>().await.unwrap(), first);
    assert_eq!(refunds(&app).await, 1);

    let reused = refund(
        &app,
        &admin,
        id,
        Some("key-1"),
        json!({"amount_minor": 500, "reason": "Consult cancelled in time"}),
    )
    .await;
    assert_problem(reused, 422, "IDEMPOTENCY_KEY_REUSED").await;
    assert_eq!(refunds(&app).await, 1);

    // The sandbox confirms the refund by webhook.
    wait_for(&app, id, "partially_refunded").await;
    assert_eq!(status(&app, id).await.1, 400);

    // More than is left is refused; the rest (no amount) refunds it in full.
    let too_much = refund(
        &app,
        &admin,
        id,
        Some("key-2"),
        json!({"amount_minor": 601, "reason": "x"}),
    )
    .await;
    assert_problem(too_much, 422, "REFUND_TOO_LARGE").await;
    let rest = refund(
        &app,
        &admin,
        id,
        Some("key-3"),
        json!({"reason": "the rest"}),
    )
    .await;
    assert_eq!(rest.status(), 201);
    wait_for(&app, id, "refunded").await;
    assert_eq!(status(&app, id).await.1, 1000);
    let again = refund(&app, &admin, id, None, json!({"reason": "again"})).await;
    assert_problem(again, 409, "PAYMENT_NOT_REFUNDABLE").await;
}

#[tokio::test]
async fn a_concurrent_duplicate_is_409_while_the_first_still_runs() {
    let app = seeded().await;
    let id = paid(&app, 1000).await;
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    // Hold the payment's row so whichever request runs first waits inside its handler.
    let mut holder = app.owner.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM payments WHERE id = $1 FOR UPDATE")
        .bind(id)
        .execute(&mut *holder)
        .await
        .unwrap();
    let body = json!({"amount_minor": 100, "reason": "duplicate click"});
    let a = tokio::spawn({
        let (app_url, client, session, body) =
            (app.url(""), app.client.clone(), admin.clone(), body.clone());
        async move {
            client
                .post(format!("{app_url}/api/v1/admin/payments/{id}/refunds"))
                .bearer_auth(session["access_token"].as_str().unwrap())
                .header("Idempotency-Key", "double-click")
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    });
    let b = tokio::spawn({
        let (app_url, client, session, body) =
            (app.url(""), app.client.clone(), admin.clone(), body.clone());
        async move {
            client
                .post(format!("{app_url}/api/v1/admin/payments/{id}/refunds"))
                .bearer_auth(session["access_token"].as_str().unwrap())
                .header("Idempotency-Key", "double-click")
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    });
    // One of them answers while the other is still held.
    let (mut a, mut b) = (a, b);
    let (first, other) = tokio::select! {
        r = &mut a => (r.unwrap(), b),
        r = &mut b => (r.unwrap(), a),
    };
    assert_problem(first, 409, "REQUEST_IN_PROGRESS").await;
    holder.rollback().await.unwrap();
    let second = other.await.unwrap();
    assert_eq!(second.status(), 201);
    assert_eq!(refunds(&app).await, 1);
}

#[tokio::test]
async fn refunds_are_for_admins_of_the_payments_clinic() {
    let app = seeded().await;
    let id = paid(&app, 1000).await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let res = refund(&app, &patient, id, Some("k"), json!({"reason": "mine"})).await;
    assert_problem(res, 403, "FORBIDDEN").await;
    // The clinic's admin may refund it (row-level security lets them lock, never change it).
    let clinic_admin = app.login("clinic.admin@rxgate.test", DEMO_PASSWORD).await;
    let res = refund(
        &app,
        &clinic_admin,
        id,
        Some("k"),
        json!({"amount_minor": 100, "reason": "goodwill"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    wait_for(&app, id, "partially_refunded").await;
    let unknown = refund(
        &app,
        &clinic_admin,
        Uuid::now_v7(),
        None,
        json!({"reason": "x"}),
    )
    .await;
    assert_problem(unknown, 404, "NOT_FOUND").await;
    let bad_key = refund(
        &app,
        &clinic_admin,
        id,
        Some("has space"),
        json!({"reason": "x"}),
    )
    .await;
    assert_problem(bad_key, 400, "INVALID_IDEMPOTENCY_KEY").await;
}

#[tokio::test]
async fn the_developer_tools_start_a_test_payment_for_the_callers_clinic() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let res = app
        .post_auth(
            "/api/v1/dev/payments",
            &patient,
            json!({"amount_minor": 35_000, "currency": "ZAR"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let started: Value = res.json().await.unwrap();
    let id = started["payment"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        started["redirect_url"],
        format!("http://localhost:8080/pay/sandbox/{id}")
    );
    assert_eq!(
        started["payment"]["clinic_id"],
        demo_clinic(&app).await.to_string()
    );
    assert_eq!(started["payment"]["status"], "pending");
    // A platform admin belongs to no clinic.
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    let res = app
        .post_auth(
            "/api/v1/dev/payments",
            &admin,
            json!({"amount_minor": 100, "currency": "ZAR"}),
        )
        .await;
    assert_problem(res, 422, "NO_CLINIC").await;
    let res = app
        .post_auth(
            "/api/v1/dev/payments",
            &patient,
            json!({"amount_minor": 100, "currency": "zar"}),
        )
        .await;
    assert_problem(res, 422, "VALIDATION_FAILED").await;
}
