//! Second factors: staff cannot use the API before setting one up; a set-up factor must be
//! passed every session; codes work once; recovery codes work once; guessing locks.
use chrono::Utc;
use rxgate_api::auth::totp;
use rxgate_api::seed::{DEMO_PASSWORD, DEMO_TOTP_SECRET};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

/// A pharmacist with no second factor yet (same password as the demo accounts).
async fn new_staff(app: &TestApp) -> &'static str {
    sqlx::query(
        "WITH u AS (INSERT INTO users (id, email, display_name, password_hash, email_verified_at)
                    SELECT gen_random_uuid(), 'new.pharmacist@rxgate.test', 'New Pharmacist', password_hash, now()
                      FROM users WHERE email = 'patient@rxgate.test' RETURNING id)
         INSERT INTO memberships (id, user_id, organisation_id, role)
         SELECT gen_random_uuid(), u.id, o.id, 'pharmacist' FROM u, organisations o WHERE o.slug = 'demo-pharmacy'",
    )
    .execute(&app.owner)
    .await
    .unwrap();
    "new.pharmacist@rxgate.test"
}

#[tokio::test]
async fn staff_without_a_second_factor_reach_only_the_enrolment() {
    let app = spawn_app().await;
    app.seed().await;
    let email = new_staff(&app).await;
    let session: Value = app
        .login_raw(email, DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session["mfa"], "enrolment_required");
    assert_problem(
        app.get_auth("/api/v1/me/sessions", &session).await,
        403,
        "MFA_ENROLMENT_REQUIRED",
    )
    .await;
    assert_eq!(
        app.get_auth("/api/v1/me", &session).await.status(),
        200,
        "own profile is allowed"
    );

    let enrolment: Value = app
        .post_auth("/api/v1/me/mfa/totp", &session, json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(enrolment["qr_svg"].as_str().unwrap().contains("<svg"));
    assert!(
        enrolment["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Rxgate:")
    );
    let secret = base32_decode(enrolment["secret"].as_str().unwrap());
    let stored: Vec<u8> = sqlx::query_scalar(
        "SELECT secret_enc FROM mfa_totp t JOIN users u ON u.id = t.user_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert!(
        !stored.windows(secret.len()).any(|w| w == secret.as_slice()),
        "secret is encrypted at rest"
    );

    let wrong = app
        .post_auth(
            "/api/v1/me/mfa/totp/confirm",
            &session,
            json!({"code": "000000"}),
        )
        .await;
    assert_problem(wrong, 422, "VALIDATION_FAILED").await;
    let code = totp::code_at(&secret, Utc::now()).unwrap();
    let res = app
        .post_auth(
            "/api/v1/me/mfa/totp/confirm",
            &session,
            json!({"code": code}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let enrolled: Value = res.json().await.unwrap();
    assert_eq!(enrolled["recovery_codes"].as_array().unwrap().len(), 10);
    assert_eq!(enrolled["tokens"]["mfa"], "satisfied");
    assert_eq!(
        app.get_auth("/api/v1/me/sessions", &enrolled["tokens"])
            .await
            .status(),
        200
    );

    let again = app
        .post_auth("/api/v1/me/mfa/totp", &enrolled["tokens"], json!({}))
        .await;
    assert_problem(again, 409, "MFA_ALREADY_ENROLLED").await;
}

#[tokio::test]
async fn an_enrolled_account_must_pass_the_factor_each_session_and_codes_work_once() {
    let app = spawn_app().await;
    app.seed().await;
    let session: Value = app
        .login_raw("officer@rxgate.test", DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session["mfa"], "required");
    assert_problem(
        app.get_auth("/api/v1/audit-events", &session).await,
        403,
        "MFA_REQUIRED",
    )
    .await;

    let code = totp::code_at(DEMO_TOTP_SECRET, Utc::now()).unwrap();
    let passed = app
        .post_auth("/api/v1/auth/mfa/verify", &session, json!({"code": code}))
        .await;
    assert_eq!(passed.status(), 200);
    let passed: Value = passed.json().await.unwrap();
    assert_eq!(passed["mfa"], "satisfied");
    assert_eq!(
        app.get_auth("/api/v1/audit-events", &passed).await.status(),
        200
    );

    // The same code in another session is refused: no replay.
    let other: Value = app
        .login_raw("officer@rxgate.test", DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let replay = app
        .post_auth("/api/v1/auth/mfa/verify", &other, json!({"code": code}))
        .await;
    assert_problem(replay, 422, "VALIDATION_FAILED").await;

    // The session's refresh keeps the factor.
    let native: Value = app
        .post_json("/api/v1/auth/login", &json!({"email": "officer@rxgate.test", "password": DEMO_PASSWORD, "refresh_token_in_body": true}))
        .await
        .json()
        .await
        .unwrap();
    let verified = app.pass_mfa(&native).await;
    assert_eq!(verified["mfa"], "satisfied");
    let refreshed: Value = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": native["refresh_token"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(refreshed["mfa"], "satisfied");
}

#[tokio::test]
async fn recovery_codes_work_once() {
    let app = spawn_app().await;
    app.seed().await;
    let email = new_staff(&app).await;
    let session: Value = app
        .login_raw(email, DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let enrolment: Value = app
        .post_auth("/api/v1/me/mfa/totp", &session, json!({}))
        .await
        .json()
        .await
        .unwrap();
    let secret = base32_decode(enrolment["secret"].as_str().unwrap());
    let code = totp::code_at(&secret, Utc::now()).unwrap();
    let enrolled: Value = app
        .post_auth(
            "/api/v1/me/mfa/totp/confirm",
            &session,
            json!({"code": code}),
        )
        .await
        .json()
        .await
        .unwrap();
    let recovery = enrolled["recovery_codes"][3]
        .as_str()
        .unwrap()
        .to_uppercase();

    let fresh: Value = app
        .login_raw(email, DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fresh["mfa"], "required");
    let ok = app
        .post_auth(
            "/api/v1/auth/mfa/verify",
            &fresh,
            json!({"recovery_code": recovery}),
        )
        .await;
    assert_eq!(ok.status(), 200);
    let fresh: Value = app
        .login_raw(email, DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let reused = app
        .post_auth(
            "/api/v1/auth/mfa/verify",
            &fresh,
            json!({"recovery_code": recovery}),
        )
        .await;
    assert_problem(reused, 422, "VALIDATION_FAILED").await;
}

#[tokio::test]
async fn guessing_codes_locks_the_account() {
    let app = spawn_app().await;
    app.seed().await;
    let session: Value = app
        .login_raw("admin@rxgate.test", DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    for _ in 0..5 {
        let res = app
            .post_auth(
                "/api/v1/auth/mfa/verify",
                &session,
                json!({"code": "123456"}),
            )
            .await;
        assert_eq!(res.status(), 422);
    }
    let res = app
        .post_auth(
            "/api/v1/auth/mfa/verify",
            &session,
            json!({"code": "123456"}),
        )
        .await;
    assert_problem(res, 423, "ACCOUNT_LOCKED").await;
}

fn base32_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits: u64 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).unwrap() as u64;
        bits = (bits << 5) | v;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push(((bits >> count) & 0xff) as u8);
        }
    }
    out
}
