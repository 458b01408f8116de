use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn health_answers_ok_with_versions() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/health").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["name"], "Rxgate");
    assert_eq!(body["api_version"], "v1");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn ready_answers_200_when_database_is_migrated() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/ready").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["migrations"]["ok"], true);
}

#[tokio::test]
async fn ready_answers_503_when_a_migration_is_missing() {
    let app = spawn_app().await;
    let latest: i64 = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(latest)
        .execute(&app.owner)
        .await
        .unwrap();
    let body = assert_problem(app.get("/api/v1/ready").await, 503, "SERVICE_UNAVAILABLE").await;
    assert!(
        body["detail"].as_str().unwrap().contains("not applied"),
        "{body}"
    );
}

#[tokio::test]
async fn ready_answers_503_when_database_is_unreachable_while_health_stays_up() {
    let app = spawn_app_with(|s| {
        // Nothing listens on port 9 of loopback.
        s.database.url = "postgres://rxgate_app:x@127.0.0.1:9/none".to_owned().into();
        s.jobs.run_in_process = false;
    })
    .await;
    assert_eq!(app.get("/api/v1/health").await.status(), 200);
    let body = assert_problem(app.get("/api/v1/ready").await, 503, "SERVICE_UNAVAILABLE").await;
    assert_eq!(body["detail"], "database unreachable");
}

#[tokio::test]
async fn platform_reports_environment_and_dev_tools() {
    let app = spawn_app().await;
    let body: serde_json::Value = app.get("/api/v1/platform").await.json().await.unwrap();
    assert_eq!(body["environment"], "local");
    assert_eq!(body["dev_tools"], true);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_an_acceptable_one_is_kept() {
    let app = spawn_app().await;
    let minted = app.get("/api/v1/health").await;
    let id = minted.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");

    let kept = app
        .client
        .get(app.url("/api/v1/health"))
        .header("x-request-id", "trace-abc-12345")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "trace-abc-12345");

    let replaced = app
        .client
        .get(app.url("/api/v1/health"))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(replaced.headers()["x-request-id"], "bad id with spaces");
}

#[tokio::test]
async fn security_headers_are_set() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/health").await;
    let h = res.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(
        h.get("strict-transport-security").is_none(),
        "HSTS only in production"
    );
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let app = spawn_app_with(|s| {
        s.application.cors_allowed_origins = vec!["https://partner.example".into()];
    })
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/health"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
    };
    let allowed = preflight("https://partner.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://partner.example"
    );
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern() {
    let app = spawn_app().await;
    app.get("/api/v1/health").await;
    app.get("/api/v1/dev/mailbox/0192f5a0-0000-7000-8000-000000000000")
        .await;
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(
        text.contains(
            r#"rxgate_http_requests_total{method="GET",route="/api/v1/health",status="200"} 1"#
        ),
        "{text}"
    );
    // The concrete id never becomes a label: only the pattern does.
    assert!(
        text.contains(r#"route="/api/v1/dev/mailbox/{id}""#),
        "{text}"
    );
    assert!(!text.contains("0192f5a0"), "{text}");
    assert!(text.contains("rxgate_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn auth_endpoints_are_rate_limited_per_client_with_retry_after() {
    let app = spawn_app_with(|s| {
        s.auth.rate_limit_per_minute = 1;
        s.auth.rate_limit_burst = 3;
    })
    .await;
    let body = serde_json::json!({"email": "nobody@example.org"});
    for _ in 0..3 {
        let res = app.post_json("/api/v1/auth/password-reset", &body).await;
        assert_eq!(res.status(), 202);
    }
    let res = app.post_json("/api/v1/auth/password-reset", &body).await;
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1, "{retry}");
    assert_problem(res, 429, "RATE_LIMITED").await;
    // Other endpoints are not limited.
    assert_eq!(app.get("/api/v1/health").await.status(), 200);
}

#[tokio::test]
async fn renewing_tokens_has_its_own_limit_so_reloads_never_lock_out_sign_in() {
    let app = spawn_app_with(|s| {
        s.auth.rate_limit_per_minute = 1;
        s.auth.rate_limit_burst = 2;
        s.auth.refresh_rate_limit_per_minute = 1;
        s.auth.refresh_rate_limit_burst = 5;
    })
    .await;
    app.seed().await;
    let session = app.login_native("patient@rxgate.test").await;
    // Five page loads renew the token: more than the sign-in burst, within the renewal one.
    let mut token = session["refresh_token"].as_str().unwrap().to_owned();
    for _ in 0..5 {
        let res = app
            .post_json(
                "/api/v1/auth/refresh",
                &serde_json::json!({"refresh_token": token}),
            )
            .await;
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.unwrap();
        token = body["refresh_token"].as_str().unwrap().to_owned();
    }
    // Signing in still works: renewals did not use the sign-in allowance.
    app.login_native("patient@rxgate.test").await;
    // And renewal is limited too.
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &serde_json::json!({"refresh_token": token}),
        )
        .await;
    assert_problem(res, 429, "RATE_LIMITED").await;
}
