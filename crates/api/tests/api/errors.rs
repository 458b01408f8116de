//! Hostile and malformed input: always problem+json 4xx, never a 500, nothing written.
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

async fn job_count(app: &crate::helpers::TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM jobs WHERE kind = 'email.send'")
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

#[tokio::test]
async fn unknown_api_route_is_a_problem_404() {
    let app = spawn_app().await;
    assert_problem(app.get("/api/v1/no-such-thing").await, 404, "NOT_FOUND").await;
    assert_problem(app.get("/api/v2/health").await, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn a_literal_path_beside_an_id_route_answers_405_for_the_ids_method() {
    // DELETE /me/passkeys/options reaches the route of /me/passkeys/{id}, whose id does not
    // parse: the path is the documented /me/passkeys/options, which takes only POST.
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login_native_mfa("admin@rxgate.test").await;
    let token = admin["access_token"].as_str().unwrap();
    for (method, path) in [
        (reqwest::Method::DELETE, "/api/v1/me/passkeys/options"),
        (reqwest::Method::PUT, "/api/v1/admin/products/import"),
    ] {
        let res = app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["allow"], "POST", "{method} {path}");
        assert_problem(res, 405, "METHOD_NOT_ALLOWED").await;
    }
    // An id that does not parse on a path of ids alone stays 404.
    let res = app
        .client
        .delete(app.url("/api/v1/me/passkeys/not-an-id"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn wrong_method_is_405_with_allow_as_a_problem() {
    let app = spawn_app().await;
    let res = app
        .client
        .delete(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "GET, HEAD");
    assert_problem(res, 405, "METHOD_NOT_ALLOWED").await;
    // A path with a parameter, and one with several methods.
    let id = uuid::Uuid::now_v7();
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/admin/products/{id}")))
        .send()
        .await
        .unwrap();
    let allow = res.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("PUT"), "{allow}");
    assert_problem(res, 405, "METHOD_NOT_ALLOWED").await;
    // Unknown paths stay 404.
    assert_problem(
        app.client
            .delete(app.url("/api/v1/no-such-thing"))
            .send()
            .await
            .unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
}

#[tokio::test]
async fn malformed_json_is_a_problem_400() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/v1/dev/mailbox"))
        .header("content-type", "application/json")
        .body(r#"{"to": "a@example.org", "subject": "#)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "MALFORMED_JSON").await;
    assert_eq!(job_count(&app).await, 0);
}

#[tokio::test]
async fn wrong_content_type_is_a_problem_415() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/v1/dev/mailbox"))
        .header("content-type", "text/plain")
        .body("to=a@example.org")
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "UNSUPPORTED_MEDIA_TYPE").await;
}

#[tokio::test]
async fn oversized_body_is_a_problem_413() {
    let app = spawn_app_with(|s| s.application.body_limit_bytes = 1024).await;
    let res = app
        .post_json(
            "/api/v1/dev/mailbox",
            &json!({"to": "a@example.org", "subject": "s", "body": "x".repeat(5000)}),
        )
        .await;
    assert_problem(res, 413, "PAYLOAD_TOO_LARGE").await;
    assert_eq!(job_count(&app).await, 0);
}

#[tokio::test]
async fn wrong_types_are_a_problem_422() {
    let app = spawn_app().await;
    let res = app
        .post_json(
            "/api/v1/dev/mailbox",
            &json!({"to": 42, "subject": ["x"], "body": null}),
        )
        .await;
    assert_problem(res, 422, "INVALID_BODY").await;
    let res = app
        .post_json("/api/v1/dev/mailbox", &json!({"to": "a@example.org"}))
        .await;
    assert_problem(res, 422, "INVALID_BODY").await;
    assert_eq!(job_count(&app).await, 0);
}

#[tokio::test]
async fn validation_failures_list_every_failing_field() {
    let app = spawn_app().await;
    let res = app
        .post_json(
            "/api/v1/dev/mailbox",
            &json!({"to": "not-an-email", "subject": "", "body": "x".repeat(10_001)}),
        )
        .await;
    let body = assert_problem(res, 422, "VALIDATION_FAILED").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["body", "subject", "to"], "{body}");
    assert_eq!(body["errors"][2]["message"], "must be an email address");
    assert_eq!(job_count(&app).await, 0, "nothing half-written");
}

#[tokio::test]
async fn bad_query_parameters_are_a_problem_400() {
    let app = spawn_app().await;
    assert_problem(
        app.get("/api/v1/dev/mailbox?limit=lots").await,
        400,
        "INVALID_QUERY",
    )
    .await;
    assert_problem(
        app.get("/api/v1/dev/mailbox?cursor=forged").await,
        400,
        "INVALID_CURSOR",
    )
    .await;
}

#[tokio::test]
async fn a_limit_outside_1_to_200_is_a_problem_400_naming_it() {
    let app = spawn_app().await;
    for limit in ["0", "201", "2147483648"] {
        let body = assert_problem(
            app.get(&format!("/api/v1/dev/mailbox?limit={limit}")).await,
            400,
            "INVALID_QUERY",
        )
        .await;
        let detail = body["detail"].as_str().unwrap();
        assert!(
            detail.contains("limit must be 1 to 200"),
            "{limit}: {detail}"
        );
    }
    // Not a page size at all (too big for any integer, negative): the same problem.
    for limit in ["99999999999999999999", "-1"] {
        assert_problem(
            app.get(&format!("/api/v1/dev/mailbox?limit={limit}")).await,
            400,
            "INVALID_QUERY",
        )
        .await;
    }
    // The bounds themselves are fine.
    for limit in ["1", "200"] {
        let res = app.get(&format!("/api/v1/dev/mailbox?limit={limit}")).await;
        assert_eq!(res.status().as_u16(), 200, "{limit}");
    }
}

#[tokio::test]
async fn malformed_path_id_is_a_404() {
    let app = spawn_app().await;
    assert_problem(
        app.get("/api/v1/dev/mailbox/not-a-uuid").await,
        404,
        "NOT_FOUND",
    )
    .await;
}

#[tokio::test]
async fn a_nul_character_is_refused_at_the_edge_and_nothing_is_written() {
    let app = spawn_app().await;
    app.seed().await;
    let users = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM users")
            .fetch_one(&app.owner)
            .await
            .unwrap()
    };
    let before = users().await;
    let jobs_before = job_count(&app).await;
    // No sign-in needed to reach sign-up: the name holds a NUL (which PostgreSQL refuses).
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            &json!({
                "kind": "patient", "email": "nul@example.org",
                "password": "a long and unusual passphrase", "display_name": "Eve\u{0}",
                "consents": [
                    {"purpose": "terms", "policy_version": "2026-11", "granted": true},
                    {"purpose": "privacy", "policy_version": "2026-11", "granted": true},
                    {"purpose": "health_data_processing", "policy_version": "2026-11", "granted": true},
                ],
            }),
        )
        .await;
    let body = assert_problem(res, 422, "VALIDATION_FAILED").await;
    assert_eq!(body["errors"][0]["field"], "display_name", "{body}");
    assert_eq!(body["errors"][0]["code"], "nul_character", "{body}");
    assert_eq!(users().await, before, "nothing was written");
    assert_eq!(job_count(&app).await, jobs_before, "no email was queued");

    let patient = app
        .login("patient@rxgate.test", rxgate_api::seed::DEMO_PASSWORD)
        .await;
    let res = app
        .client
        .get(app.url("/api/v1/catalogue/products?q=%00"))
        .bearer_auth(patient["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 400, "INVALID_QUERY").await;
    assert!(body["detail"].as_str().unwrap().contains("`q`"), "{body}");
}

#[tokio::test]
async fn a_value_of_the_wrong_type_is_422_whatever_the_field() {
    let app = spawn_app().await;
    for kind in [json!(7), json!("astronaut"), json!(null)] {
        let res = app
            .post_json(
                "/api/v1/auth/signup",
                &json!({"kind": kind, "email": "k@example.org", "password": "a long and unusual passphrase", "display_name": "K"}),
            )
            .await;
        let status = res.status();
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(status, 422, "{kind}: {body}");
        assert_eq!(body["code"], "INVALID_BODY", "{body}");
    }
    // Only text that is not JSON at all is 400.
    let res = app
        .client
        .post(app.url("/api/v1/auth/signup"))
        .header("content-type", "application/json")
        .body("{\"kind\": ")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "MALFORMED_JSON").await;
}
