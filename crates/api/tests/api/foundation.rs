//! The foundation's defects found in review (issue 9): lockout counting under parallel
//! guesses, access tokens that outlive their session, key rotation.
use rxgate_api::seed::DEMO_PASSWORD;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.seed().await;
    app
}

#[tokio::test]
async fn twenty_parallel_wrong_passwords_lock_the_account() {
    let app = seeded().await;
    let attempts = (0..20).map(|_| app.login_raw("patient@rxgate.test", "wrong-password-123"));
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 423),
        "{statuses:?}"
    );
    let counted: i32 =
        sqlx::query_scalar("SELECT failed_logins FROM users WHERE email = 'patient@rxgate.test'")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    // Every wrong guess that reached the password check counted (none lost to a race).
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(usize::try_from(counted).unwrap(), checked, "{statuses:?}");
    assert!(counted >= 5, "{statuses:?}");
    // Locked: even the right password is refused for now.
    assert_problem(
        app.login_raw("patient@rxgate.test", DEMO_PASSWORD).await,
        423,
        "ACCOUNT_LOCKED",
    )
    .await;
}

/// The reads the issue names, with `session`'s access token.
async fn reads(app: &TestApp, session: &Value) -> Vec<u16> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/me",
        "/api/v1/me/health-profile",
        "/api/v1/me/sessions",
    ] {
        let res = app
            .client
            .get(app.url(path))
            .bearer_auth(session["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        out.push(res.status().as_u16());
    }
    out
}

#[tokio::test]
async fn ending_a_session_ends_its_access_token_at_once() {
    let app = seeded().await;

    // Logout.
    let session = app.login_native("patient@rxgate.test").await;
    assert_eq!(reads(&app, &session).await, vec![200, 200, 200]);
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(reads(&app, &session).await, vec![401, 401, 401]);
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "SESSION_ENDED").await;

    // A reused refresh token revokes the family: its access tokens stop too.
    let session = app.login_native("patient@rxgate.test").await;
    let first = session["refresh_token"].as_str().unwrap().to_owned();
    let rotated: Value = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": first}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reads(&app, &rotated).await, vec![200, 200, 200]);
    let res = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": first}))
        .await;
    assert_problem(res, 401, "REFRESH_REUSED").await;
    assert_eq!(reads(&app, &rotated).await, vec![401, 401, 401]);
    assert_eq!(reads(&app, &session).await, vec![401, 401, 401]);

    // Suspension by a platform admin.
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    let session = app.login_native("patient@rxgate.test").await;
    assert_eq!(reads(&app, &session).await, vec![200, 200, 200]);
    let id = session["user"]["id"].as_str().unwrap();
    let res = app
        .post_auth(
            &format!("/api/v1/admin/users/{id}/suspend"),
            &admin,
            json!({"reason": "Fraud investigation"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(reads(&app, &session).await, vec![401, 401, 401]);
}

const OLD_JWT_KEY: &str = "MC4CAQAwBQYDK2VwBCIEIDGKjooyARUKzZyZms2LjpYIYpnTm90GyRFcV9rHd57h";
const NEW_JWT_KEY: &str = "MC4CAQAwBQYDK2VwBCIEIL4rtJ8y0FCBtyVydwkDW+Nn7CggM2dGrO1ZAQCLezTn";
const OLD_DATA_KEY: &str = "Jjz13s2T8eM/frgCNAi6KrDi5ZMPxo3ZTghMSnXa+jw=";
const NEW_DATA_KEY: &str = "BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU=";

#[tokio::test]
async fn after_rotating_both_keys_old_secrets_answers_and_tokens_still_work() {
    // Before: the development keys (`dev-1`, `dev-data-1`) sealed and signed everything.
    let before = seeded().await;
    let doctor = before.login_native_mfa("doctor@rxgate.test").await;
    let patient = before.login_native("patient@rxgate.test").await;

    // After: a second server with new current keys and the old ones listed as previous.
    let after = crate::helpers::spawn_app_on(before.owner.clone(), before.db_url.clone(), |s| {
        s.auth.jwt_key_id = "rotated-2".into();
        s.auth.jwt_private_key_pem =
            format!("-----BEGIN PRIVATE KEY-----\n{NEW_JWT_KEY}\n-----END PRIVATE KEY-----\n")
                .into();
        s.auth.previous_jwt_keys = Some(format!("dev-1:{OLD_JWT_KEY}").into());
        s.security.data_key_id = "data-2".into();
        s.security.data_key = NEW_DATA_KEY.to_owned().into();
        s.security.previous_data_keys = Some(format!("dev-data-1:{OLD_DATA_KEY}").into());
    })
    .await;

    // The JWKS publishes both keys, and a token signed before the rotation still verifies.
    let jwks: Value = after
        .get("/api/v1/.well-known/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, vec!["rotated-2", "dev-1"]);
    assert_eq!(reads(&after, &patient).await, vec![200, 200, 200]);
    let res = after.get_auth("/api/v1/doctor/patients", &doctor).await;
    assert_eq!(res.status(), 200);

    // Re-seal everything under the new data key, then read it through the new server.
    let settings = {
        let mut s = crate::helpers::test_settings(&before.db_url);
        s.security.data_key_id = "data-2".into();
        s.security.data_key = NEW_DATA_KEY.to_owned().into();
        s.security.previous_data_keys = Some(format!("dev-data-1:{OLD_DATA_KEY}").into());
        s
    };
    let keys = rxgate_api::crypto::DataKeys::from_settings(&settings.security).unwrap();
    let db = rxgate_persistence::Db::from_pool(before.owner.clone());
    let report = rxgate_api::crypto::rotate_sealed(&db, &keys, 2)
        .await
        .unwrap();
    // Every TOTP secret and the demo patient's answers were sealed with the old key.
    assert!(report[0].1 >= 5 && report[1].1 >= 1, "{report:?}");
    for table in ["mfa_totp", "questionnaire_responses", "flag_overrides"] {
        let old: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM {table} WHERE key_id <> 'data-2'"
        ))
        .fetch_one(&before.owner)
        .await
        .unwrap();
        assert_eq!(old, 0, "{table}");
    }
    // Running it again has nothing left to do.
    let again = rxgate_api::crypto::rotate_sealed(&db, &keys, 2)
        .await
        .unwrap();
    assert!(again.iter().all(|(_, n)| *n == 0), "{again:?}");

    // The TOTP secret opens (a second factor passes), and the answers read back.
    let staff = after.login_native_mfa("doctor@rxgate.test").await;
    assert_eq!(staff["mfa"], "satisfied", "{staff}");
    let profile: Value = after
        .get_auth("/api/v1/me/health-profile", &patient)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !profile["answers"].as_array().unwrap().is_empty(),
        "{profile}"
    );
}

#[tokio::test]
async fn a_patient_of_two_clinics_names_the_clinic_a_request_is_for() {
    let app = seeded().await;
    let patient = app.login_native("patient@rxgate.test").await;
    let id = patient["user"]["id"].as_str().unwrap();
    // A second clinic where she is a patient too.
    let other: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO organisations (id, kind, name, slug)
         VALUES (gen_random_uuid(), 'clinic', 'Second Clinic', 'second-clinic') RETURNING id",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    sqlx::query("INSERT INTO memberships (id, user_id, organisation_id, role) VALUES (gen_random_uuid(), $1::uuid, $2, 'patient')")
        .bind(id)
        .bind(other)
        .execute(&app.owner)
        .await
        .unwrap();
    let patient = app.login_native("patient@rxgate.test").await;
    let get = |path: &'static str, clinic: Option<String>| {
        let mut req = app
            .client
            .get(app.url(path))
            .bearer_auth(patient["access_token"].as_str().unwrap());
        if let Some(c) = clinic {
            req = req.header("X-Rxgate-Clinic", c);
        }
        req.send()
    };
    let events = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM audit_events WHERE action = 'read_eligibility'",
        )
        .fetch_one(&app.owner)
        .await
        .unwrap()
    };
    let before = events().await;
    for path in ["/api/v1/catalogue/products", "/api/v1/me/questionnaire"] {
        assert_problem(get(path, None).await.unwrap(), 422, "CLINIC_REQUIRED").await;
    }
    assert_eq!(events().await, before, "a refused request records nothing");
    // Naming a clinic she does not belong to reveals nothing.
    let stranger = uuid::Uuid::now_v7().to_string();
    assert_problem(
        get("/api/v1/catalogue/products", Some(stranger))
            .await
            .unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    let demo: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM organisations WHERE slug = 'demo-clinic'")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let page: Value = get("/api/v1/catalogue/products", Some(demo.to_string()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!page["items"].as_array().unwrap().is_empty(), "{page}");
    // The audit event names the clinic the request acted in.
    let clinic: Option<uuid::Uuid> = sqlx::query_scalar(
        "SELECT clinic_id FROM audit_events WHERE action = 'read_eligibility' ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(clinic, Some(demo));
}
