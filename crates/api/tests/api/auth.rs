//! Identity and access through the API: sign-up, verification, sign-in, tokens, lockout,
//! sessions, consents, the audit log. Hostile cases included.
use chrono::Utc;
use rxgate_api::auth::{JwtKeys, TokenFacts};
use rxgate_api::seed::{DEMO_PASSWORD, DEMO_REFERRAL_CODE};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app, test_settings};

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.seed().await;
    app
}

fn consents() -> Value {
    json!([
        {"purpose": "terms", "policy_version": "2026-11", "granted": true},
        {"purpose": "privacy", "policy_version": "2026-11", "granted": true},
        {"purpose": "health_data_processing", "policy_version": "2026-11", "granted": true},
    ])
}

fn patient_signup(email: &str) -> Value {
    json!({
        "kind": "patient", "email": email, "password": "a long and unusual passphrase",
        "display_name": "Nomsa Test", "consents": consents(),
    })
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

#[tokio::test]
async fn a_patient_signs_up_verifies_the_email_and_signs_in() {
    let app = seeded().await;
    let res = app
        .post_json("/api/v1/auth/signup", &patient_signup("nomsa@example.org"))
        .await;
    assert_eq!(res.status(), 202);

    let res = app
        .login_raw("nomsa@example.org", "a long and unusual passphrase")
        .await;
    assert_problem(res, 403, "EMAIL_NOT_VERIFIED").await;

    let token = app.emailed_token("nomsa@example.org", "verify-email").await;
    let res = app
        .post_json("/api/v1/auth/verify-email", &json!({"token": token}))
        .await;
    assert_eq!(res.status(), 204);
    // The link works once.
    let res = app
        .post_json("/api/v1/auth/verify-email", &json!({"token": token}))
        .await;
    assert_problem(res, 400, "INVALID_TOKEN").await;

    let session = app
        .login("nomsa@example.org", "a long and unusual passphrase")
        .await;
    assert_eq!(session["user"]["roles"], json!(["patient"]));
    assert_eq!(
        session["user"]["memberships"][0]["organisation_name"],
        "Demo Clinic"
    );
    let me: Value = app
        .get_auth("/api/v1/me", &session)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "nomsa@example.org");
    assert_eq!(me["email_verified"], true);
    assert_eq!(
        count(&app, "SELECT count(*) FROM consents c JOIN users u ON u.id = c.user_id WHERE u.email = 'nomsa@example.org'").await,
        3
    );
}

#[tokio::test]
async fn signing_up_with_a_referral_code_links_patient_and_doctor() {
    let app = seeded().await;
    let mut body = patient_signup("referred@example.org");
    body["referral_code"] = json!(DEMO_REFERRAL_CODE.to_lowercase());
    assert_eq!(
        app.post_json("/api/v1/auth/signup", &body).await.status(),
        202
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM doctor_patient_links l JOIN users u ON u.id = l.patient_id WHERE u.email = 'referred@example.org' AND l.source = 'referral'").await,
        1
    );
    body["email"] = json!("other@example.org");
    body["referral_code"] = json!("NOSUCHCODE");
    let res = app.post_json("/api/v1/auth/signup", &body).await;
    let problem = assert_problem(res, 422, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "referral_code");
}

#[tokio::test]
async fn signing_up_twice_answers_the_same_and_tells_the_owner_by_email() {
    let app = seeded().await;
    let first = app
        .post_json("/api/v1/auth/signup", &patient_signup("twice@example.org"))
        .await;
    let first: Value = first.json().await.unwrap();
    let second = app
        .post_json("/api/v1/auth/signup", &patient_signup("TWICE@example.org"))
        .await;
    assert_eq!(second.status(), 202);
    assert_eq!(second.json::<Value>().await.unwrap(), first);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM users WHERE email = 'twice@example.org'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM jobs WHERE payload->>'subject' = 'You already have an Rxgate account'").await,
        1
    );
}

#[tokio::test]
async fn weak_passwords_and_missing_consents_are_refused_with_nothing_written() {
    let app = seeded().await;
    let users_before = count(&app, "SELECT count(*) FROM users").await;
    let mut body = patient_signup("weak@example.org");
    body["password"] = json!("password1234");
    body["consents"] = json!([{"purpose": "terms", "policy_version": "2026-11", "granted": true}]);
    let problem = assert_problem(
        app.post_json("/api/v1/auth/signup", &body).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"password") && fields.contains(&"consents"),
        "{problem}"
    );
    body["email"] = json!("not an email");
    assert_problem(
        app.post_json("/api/v1/auth/signup", &body).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(
        count(&app, "SELECT count(*) FROM users").await,
        users_before
    );
}

#[tokio::test]
async fn a_doctor_signs_up_pending_and_holds_the_doctor_role_only_once_approved() {
    let app = seeded().await;
    let body = json!({
        "kind": "doctor", "email": "newdoc@example.org", "password": "a long and unusual passphrase",
        "display_name": "Dr New", "consents": consents(),
        "doctor": {"licence_number": "MP777777", "licence_body": "HPCSA", "licence_region": "ZA",
                   "licence_expires_on": "2029-01-31", "specialties": [], "time_zone": "Africa/Johannesburg"}
    });
    assert_eq!(
        app.post_json("/api/v1/auth/signup", &body).await.status(),
        202
    );
    let mut bad = body.clone();
    bad["email"] = json!("baddoc@example.org");
    bad["doctor"]["time_zone"] = json!("Mars/Olympus");
    let problem = assert_problem(
        app.post_json("/api/v1/auth/signup", &bad).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "doctor.time_zone");

    let pending = app.login("pending.doctor@rxgate.test", DEMO_PASSWORD).await;
    assert_eq!(pending["user"]["roles"], json!([]));
    assert_eq!(pending["user"]["doctor_status"], "pending");
    let approved = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    assert_eq!(approved["user"]["roles"], json!(["doctor"]));
    assert_eq!(approved["user"]["referral_code"], DEMO_REFERRAL_CODE);
}

#[tokio::test]
async fn unknown_email_and_wrong_password_are_indistinguishable() {
    let app = seeded().await;
    let a = assert_problem(
        app.login_raw("nobody@example.org", "whatever password")
            .await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    let b = assert_problem(
        app.login_raw("patient@rxgate.test", "wrong password!!")
            .await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    assert_eq!(a["detail"], b["detail"]);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_events WHERE action = 'login_failed'"
        )
        .await,
        2,
        "every failure is audited"
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_retry_after() {
    let app = seeded().await;
    for _ in 0..5 {
        assert_problem(
            app.login_raw("patient@rxgate.test", "wrong password!!")
                .await,
            401,
            "INVALID_CREDENTIALS",
        )
        .await;
    }
    // Even the right password is refused while locked.
    let res = app.login_raw("patient@rxgate.test", DEMO_PASSWORD).await;
    let retry_after: i64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_problem(res, 423, "ACCOUNT_LOCKED").await;
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_ends_the_session() {
    let app = seeded().await;
    let session = app.login_native("patient@rxgate.test").await;
    let first = session["refresh_token"].as_str().unwrap().to_owned();

    let res = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": first}))
        .await;
    assert_eq!(res.status(), 200);
    let rotated: Value = res.json().await.unwrap();
    let second = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(first, second);

    // The first token again: theft assumed, the whole family is revoked.
    let res = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": first}))
        .await;
    assert_problem(res, 401, "REFRESH_REUSED").await;
    let res = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": second}))
        .await;
    assert_problem(res, 401, "SESSION_REVOKED").await;
    let res = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": "made-up"}))
        .await;
    assert_problem(res, 401, "REFRESH_INVALID").await;
}

#[tokio::test]
async fn the_refresh_cookie_needs_the_csrf_header() {
    let app = seeded().await;
    let res = app.login_raw("patient@rxgate.test", DEMO_PASSWORD).await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/api/v1/auth"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();

    let res = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "CSRF_HEADER_MISSING").await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", &pair)
        .header("x-rxgate-csrf", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("rxgate_refresh=")
    );
    let body: Value = res.json().await.unwrap();
    assert!(
        body.get("refresh_token").is_none(),
        "browsers never see the token"
    );
}

#[tokio::test]
async fn tampered_expired_and_foreign_tokens_are_refused() {
    let app = seeded().await;
    let session = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let token = session["access_token"].as_str().unwrap();
    let app = &app;
    let bearer = |t: String| async move {
        app.client
            .get(app.url("/api/v1/me"))
            .bearer_auth(t)
            .send()
            .await
            .unwrap()
    };
    assert_eq!(bearer(token.to_owned()).await.status(), 200);

    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut payload = parts[1].clone().into_bytes();
    payload[10] = if payload[10] == b'A' { b'B' } else { b'A' };
    parts[1] = String::from_utf8(payload).unwrap();
    assert_problem(bearer(parts.join(".")).await, 401, "UNAUTHENTICATED").await;

    // A genuine token of the server's own key, issued 20 minutes ago (time is a parameter):
    // expired, which tells the client to renew.
    let settings = test_settings("postgres://unused/none");
    let keys = JwtKeys::from_settings(&settings.auth).unwrap();
    let user = uuid::Uuid::parse_str(session["user"]["id"].as_str().unwrap()).unwrap();
    let facts = |roles: Vec<String>| TokenFacts {
        user_id: user,
        session_id: uuid::Uuid::now_v7(),
        roles,
        ..TokenFacts::default()
    };
    let old = keys
        .issue(
            facts(vec!["patient".into()]),
            Utc::now() - chrono::TimeDelta::minutes(20),
        )
        .unwrap();
    assert_problem(bearer(old).await, 401, "TOKEN_EXPIRED").await;

    let mut foreign = settings.auth.clone();
    foreign.audience = "another-service".into();
    let keys = JwtKeys::from_settings(&foreign).unwrap();
    let other = keys
        .issue(
            TokenFacts {
                mfa: true,
                ..facts(vec!["platform_admin".into()])
            },
            Utc::now(),
        )
        .unwrap();
    assert_problem(bearer(other).await, 401, "UNAUTHENTICATED").await;

    assert_problem(app.get("/api/v1/me").await, 401, "UNAUTHENTICATED").await;
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "UNAUTHENTICATED").await;
}

#[tokio::test]
async fn sessions_are_listed_and_another_users_session_is_404() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    let sessions: Value = app
        .get_auth("/api/v1/me/sessions", &patient)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 1);
    assert_eq!(sessions[0]["current"], true);
    let doctors: Value = app
        .get_auth("/api/v1/me/sessions", &doctor)
        .await
        .json()
        .await
        .unwrap();
    let doctor_session = doctors[0]["id"].as_str().unwrap();

    let res = app
        .client
        .delete(app.url(&format!("/api/v1/me/sessions/{doctor_session}")))
        .bearer_auth(patient["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "NOT_FOUND").await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM sessions WHERE revoked_at IS NOT NULL"
        )
        .await,
        0
    );

    let res = app
        .client
        .post(app.url("/api/v1/auth/logout-all"))
        .bearer_auth(patient["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM sessions WHERE revoked_at IS NOT NULL"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_password_reset_sets_a_new_password_and_signs_out_everywhere() {
    let app = seeded().await;
    let old = app.login_native("patient@rxgate.test").await;
    let res = app
        .post_json(
            "/api/v1/auth/password-reset",
            &json!({"email": "patient@rxgate.test"}),
        )
        .await;
    assert_eq!(res.status(), 202);
    let unknown = app
        .post_json(
            "/api/v1/auth/password-reset",
            &json!({"email": "ghost@example.org"}),
        )
        .await;
    assert_eq!(unknown.status(), 202, "no hint whether the address exists");

    let token = app
        .emailed_token("patient@rxgate.test", "reset-password")
        .await;
    let res = app
        .post_json(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "password": "short"}),
        )
        .await;
    assert_problem(res, 422, "VALIDATION_FAILED").await;
    let res = app
        .post_json(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(res.status(), 204);

    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": old["refresh_token"]}),
        )
        .await;
    assert_problem(res, 401, "SESSION_REVOKED").await;
    assert_problem(
        app.login_raw("patient@rxgate.test", DEMO_PASSWORD).await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    app.login("patient@rxgate.test", "a brand new passphrase")
        .await;
}

#[tokio::test]
async fn consents_are_recorded_and_listed() {
    let app = seeded().await;
    let session = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let res = app
        .client
        .post(app.url("/api/v1/me/consents"))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .json(&json!({"purpose": "marketing", "policy_version": "2026-11", "granted": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let list: Value = app
        .get_auth("/api/v1/me/consents", &session)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["purpose"], "marketing");
    assert_eq!(list[0]["granted"], false);
}

#[tokio::test]
async fn the_officer_sees_actors_by_name_and_exports_a_range_as_csv() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let officer = app.login("officer@rxgate.test", DEMO_PASSWORD).await;
    let patient_id = patient["user"]["id"].as_str().unwrap();
    let page: Value = app
        .get_auth(
            &format!("/api/v1/audit-events?actor_id={patient_id}&action=login"),
            &officer,
        )
        .await
        .json()
        .await
        .unwrap();
    let item = &page["items"][0];
    assert_eq!(item["actor_email"], "patient@rxgate.test");
    assert_eq!(item["actor_name"], patient["user"]["display_name"]);

    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let now = chrono::Utc::now();
    let (from, to) = (
        at(now - chrono::TimeDelta::hours(1)),
        at(now + chrono::TimeDelta::minutes(1)),
    );
    let url = format!("/api/v1/audit-events/export?from={from}&to={to}&actor_id={patient_id}");
    // Only the officer exports; nothing is recorded for a refused export.
    assert_problem(app.get_auth(&url, &patient).await, 403, "FORBIDDEN").await;
    let res = app.get_auth(&url, &officer).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let csv = res.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "seq,occurred_at,actor_id,actor_name,actor_email,acting_role,action,entity_type,\
         entity_id,clinic_id,risk,ip,user_agent,request_id,hash"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r.contains(patient_id)),
        "only the patient's events"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains(",patient@rxgate.test,") && r.contains(",login,"))
    );

    let exports: Value = app
        .get_auth("/api/v1/audit-events?action=export", &officer)
        .await
        .json()
        .await
        .unwrap();
    let exports = exports["items"].as_array().unwrap();
    assert_eq!(exports.len(), 1, "the export is recorded once: {exports:?}");
    assert_eq!(exports[0]["risk"], "high");

    // A range is required, and must run forwards.
    let missing = app.get_auth("/api/v1/audit-events/export", &officer).await;
    assert_eq!(missing.status(), 400);
    assert_problem(
        app.get_auth(
            &format!("/api/v1/audit-events/export?from={to}&to={from}"),
            &officer,
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
}

#[tokio::test]
async fn only_the_information_officer_reads_and_verifies_the_audit_log() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    assert_problem(
        app.get_auth("/api/v1/audit-events", &patient).await,
        403,
        "FORBIDDEN",
    )
    .await;
    let res = app
        .client
        .post(app.url("/api/v1/audit-events/verify"))
        .bearer_auth(patient["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "FORBIDDEN").await;

    let officer = app.login("officer@rxgate.test", DEMO_PASSWORD).await;
    let page: Value = app
        .get_auth("/api/v1/audit-events?action=login&limit=1", &officer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["action"], "login");
    let cursor = page["next_cursor"].as_str().unwrap();
    let next: Value = app
        .get_auth(
            &format!("/api/v1/audit-events?action=login&limit=1&cursor={cursor}"),
            &officer,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(next["items"][0]["seq"].as_i64().unwrap() < page["items"][0]["seq"].as_i64().unwrap());
    assert_problem(
        app.get_auth("/api/v1/audit-events?cursor=abc", &officer)
            .await,
        400,
        "INVALID_CURSOR",
    )
    .await;

    let verify = |app: &TestApp, query: &'static str| {
        app.client
            .post(app.url(&format!("/api/v1/audit-events/verify{query}")))
            .bearer_auth(officer["access_token"].as_str().unwrap())
            .send()
    };
    app.seal_audit().await;
    let ok: Value = verify(&app, "?full=true")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok["intact"], true, "{ok}");
    assert!(ok["checked"].as_i64().unwrap() >= 3);
    assert_eq!(ok["from_position"], 1);
    // Incremental: from the newest signed checkpoint.
    let quick: Value = verify(&app, "").await.unwrap().json().await.unwrap();
    assert_eq!(quick["intact"], true, "{quick}");
    assert!(quick["from_position"].as_i64().unwrap() > 1, "{quick}");
    assert!(
        quick["checkpoints_checked"].as_i64().unwrap() >= 1,
        "{quick}"
    );

    // The checkpoints export: each verifies with the JWKS key it names.
    let checkpoints: Value = app
        .get_auth("/api/v1/audit-events/checkpoints", &officer)
        .await
        .json()
        .await
        .unwrap();
    let newest = &checkpoints["items"][0];
    let jwks: Value = app
        .get("/api/v1/.well-known/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == newest["key_id"])
        .unwrap();
    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(key.clone()).unwrap();
    assert!(
        jsonwebtoken::crypto::verify(
            newest["signature"].as_str().unwrap(),
            newest["message"].as_str().unwrap().as_bytes(),
            &jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap(),
            jsonwebtoken::Algorithm::EdDSA,
        )
        .unwrap()
    );

    // A superuser can switch the triggers off; the chain still gives the tampering away.
    let owner_sql = |sql: &'static str| {
        let owner = app.owner.clone();
        async move {
            let mut tx = owner.begin().await.unwrap();
            for table in ["audit_events", "audit_chain", "audit_checkpoints"] {
                sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER USER"))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            sqlx::query(sql).execute(&mut *tx).await.unwrap();
            for table in ["audit_events", "audit_chain", "audit_checkpoints"] {
                sqlx::query(&format!("ALTER TABLE {table} ENABLE TRIGGER USER"))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }
    };
    owner_sql("UPDATE audit_events SET action = 'logout' WHERE seq = 2").await;
    let broken: Value = verify(&app, "?full=true")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(broken["intact"], false);
    assert_eq!(broken["first_broken_seq"], 2);
    assert_eq!(broken["reason"], "content does not match its hash");

    // Recomputing a link (to hide an edit) no longer matches the signed checkpoint there.
    owner_sql(
        "UPDATE audit_chain SET hash = sha256(hash)
          WHERE chain_seq = (SELECT max(chain_seq) FROM audit_checkpoints)",
    )
    .await;
    let moved: Value = verify(&app, "").await.unwrap().json().await.unwrap();
    assert_eq!(moved["intact"], false, "{moved}");
    assert!(
        moved["reason"]
            .as_str()
            .unwrap()
            .contains("no longer matches its signed checkpoint"),
        "{moved}"
    );
    // And a checkpoint cannot be forged without the signing key.
    owner_sql(
        "UPDATE audit_checkpoints SET hash = (SELECT hash FROM audit_chain c
                                               WHERE c.chain_seq = audit_checkpoints.chain_seq)",
    )
    .await;
    let forged: Value = verify(&app, "").await.unwrap().json().await.unwrap();
    assert_eq!(forged["intact"], false, "{forged}");
    assert!(
        forged["reason"]
            .as_str()
            .unwrap()
            .contains("does not carry a valid signature"),
        "{forged}"
    );
}

#[tokio::test]
async fn the_audit_log_refuses_update_delete_and_truncate_even_for_its_owner() {
    let app = seeded().await;
    app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    app.seal_audit().await;
    for sql in [
        "UPDATE audit_events SET action = 'x'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "DELETE FROM audit_chain_head",
        "UPDATE audit_chain SET sealed_at = now()",
        "DELETE FROM audit_chain",
        "TRUNCATE audit_chain",
        "DELETE FROM audit_checkpoints",
        "UPDATE audit_checkpoints SET key_id = 'x'",
        "TRUNCATE audit_checkpoints",
    ] {
        let err = sqlx::query(sql).execute(&app.owner).await.unwrap_err();
        // TRUNCATE of a referenced table is refused by its foreign keys before any trigger.
        assert!(
            err.to_string().contains("append-only") || err.to_string().contains("foreign key"),
            "{sql}: {err}"
        );
    }
}

#[tokio::test]
async fn the_jwks_verifies_issued_tokens() {
    let app = seeded().await;
    let jwks: Value = app
        .get("/api/v1/.well-known/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "OKP");
    assert_eq!(key["alg"], "EdDSA");
    let session = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let token = session["access_token"].as_str().unwrap();
    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(key.clone()).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::EdDSA);
    validation.set_audience(&["rxgate-api"]);
    let decoded = jsonwebtoken::decode::<Value>(
        token,
        &jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap(),
        &validation,
    )
    .unwrap();
    assert_eq!(decoded.claims["roles"], json!(["patient"]));
    let header = jsonwebtoken::decode_header(token).unwrap();
    assert_eq!(header.kid.as_deref(), key["kid"].as_str());
}

#[tokio::test]
async fn signing_out_with_only_the_cookie_ends_the_session() {
    let app = seeded().await;
    let res = app.login_raw("patient@rxgate.test", DEMO_PASSWORD).await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    let pair = cookie.split(';').next().unwrap().to_owned();
    let logout = |csrf: bool| {
        let mut req = app
            .client
            .post(app.url("/api/v1/auth/logout"))
            .header("cookie", &pair);
        if csrf {
            req = req.header("x-rxgate-csrf", "1");
        }
        req.send()
    };
    assert_problem(logout(false).await.unwrap(), 401, "UNAUTHENTICATED").await;
    let res = logout(true).await.unwrap();
    assert_eq!(res.status(), 204);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let res = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", &pair)
        .header("x-rxgate-csrf", "1")
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "SESSION_REVOKED").await;
}

#[tokio::test]
async fn registering_a_licence_twice_is_a_conflict() {
    let app = seeded().await;
    let doctor = |email: &str| {
        json!({
            "kind": "doctor", "email": email, "password": "a long and unusual passphrase",
            "display_name": "Dr Twice", "consents": consents(),
            "doctor": {"licence_number": "MP555555", "licence_body": "HPCSA", "licence_region": "ZA",
                       "licence_expires_on": "2029-01-31", "specialties": [], "time_zone": "Africa/Johannesburg"}
        })
    };
    assert_eq!(
        app.post_json("/api/v1/auth/signup", &doctor("one@example.org"))
            .await
            .status(),
        202
    );
    let res = app
        .post_json("/api/v1/auth/signup", &doctor("two@example.org"))
        .await;
    assert_problem(res, 409, "LICENCE_TAKEN").await;
}
