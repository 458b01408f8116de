//! Platform administration: doctor approvals, suspensions, organisations; only for platform
//! admins.
use rxgate_api::seed::DEMO_PASSWORD;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.seed().await;
    app
}

async fn pending_doctor_id(app: &TestApp) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>(
        "SELECT id FROM users WHERE email = 'pending.doctor@rxgate.test'",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap()
    .to_string()
}

#[tokio::test]
async fn the_admin_approves_a_pending_doctor_who_then_holds_the_doctor_role() {
    let app = seeded().await;
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    let queue: Value = app
        .get_auth("/api/v1/admin/doctors", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue["items"].as_array().unwrap().len(), 1);
    assert_eq!(queue["items"][0]["email"], "pending.doctor@rxgate.test");
    let id = pending_doctor_id(&app).await;

    let res = app
        .post_auth(
            &format!("/api/v1/admin/doctors/{id}/decision"),
            &admin,
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let decided: Value = res.json().await.unwrap();
    assert_eq!(decided["status"], "approved");

    // The doctor's next sign-in carries the role (and, as staff, needs a second factor).
    let doctor: Value = app
        .login_raw("pending.doctor@rxgate.test", DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(doctor["user"]["roles"], json!(["doctor"]));
    assert_eq!(doctor["mfa"], "enrolment_required");
    let emailed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM jobs WHERE payload->>'to' = 'pending.doctor@rxgate.test' AND payload->>'subject' = 'Your Rxgate doctor registration'",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(emailed, 1);

    // Approving twice is not a valid transition.
    let again = app
        .post_auth(
            &format!("/api/v1/admin/doctors/{id}/decision"),
            &admin,
            json!({"decision": "approve"}),
        )
        .await;
    assert_problem(again, 409, "INVALID_TRANSITION").await;
}

#[tokio::test]
async fn rejecting_needs_a_reason_and_is_final() {
    let app = seeded().await;
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    let id = pending_doctor_id(&app).await;
    let path = format!("/api/v1/admin/doctors/{id}/decision");
    let res = app
        .post_auth(&path, &admin, json!({"decision": "reject"}))
        .await;
    let problem = assert_problem(res, 422, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "reason");
    let res = app.post_auth(&path, &admin, json!({"decision": "reject", "reason": "Licence number not found in the HPCSA register"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_auth(&path, &admin, json!({"decision": "approve"}))
        .await;
    assert_problem(res, 409, "INVALID_TRANSITION").await;
    let rejected: Value = app
        .get_auth("/api/v1/admin/doctors?status=rejected", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        rejected["items"][0]["status_reason"],
        "Licence number not found in the HPCSA register"
    );
}

#[tokio::test]
async fn suspending_a_doctor_ends_their_sessions() {
    let app = seeded().await;
    let doctor = app.login_native_mfa("doctor@rxgate.test").await;
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    let id = doctor["user"]["id"].as_str().unwrap();
    let res = app
        .post_auth(
            &format!("/api/v1/admin/doctors/{id}/decision"),
            &admin,
            json!({"decision": "suspend", "reason": "Licence under review"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": doctor["refresh_token"]}),
        )
        .await;
    assert_problem(res, 401, "SESSION_REVOKED").await;
    let res = app
        .post_auth(
            &format!("/api/v1/admin/doctors/{id}/decision"),
            &admin,
            json!({"decision": "reinstate"}),
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "approved");
}

#[tokio::test]
async fn a_suspended_account_cannot_sign_in_until_reinstated() {
    let app = seeded().await;
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    let patient = app.login_native("patient@rxgate.test").await;
    let id = patient["user"]["id"].as_str().unwrap();
    let res = app
        .post_auth(
            &format!("/api/v1/admin/users/{id}/suspend"),
            &admin,
            json!({"reason": "Fraud investigation"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(
        app.login_raw("patient@rxgate.test", DEMO_PASSWORD).await,
        403,
        "ACCOUNT_SUSPENDED",
    )
    .await;
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": patient["refresh_token"]}),
        )
        .await;
    assert_problem(res, 401, "SESSION_REVOKED").await;
    let res = app
        .post_auth(
            &format!("/api/v1/admin/users/{id}/reinstate"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    app.login("patient@rxgate.test", DEMO_PASSWORD).await;

    let own = admin["user"]["id"].as_str().unwrap();
    let res = app
        .post_auth(
            &format!("/api/v1/admin/users/{own}/suspend"),
            &admin,
            json!({"reason": "testing myself"}),
        )
        .await;
    assert_problem(res, 403, "CANNOT_SUSPEND_SELF").await;
    let res = app
        .post_auth(
            "/api/v1/admin/users/0192f5a0-0000-7000-8000-000000000000/suspend",
            &admin,
            json!({"reason": "nobody at all"}),
        )
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn organisations_are_created_with_unique_slugs() {
    let app = seeded().await;
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    let res = app
        .post_auth(
            "/api/v1/admin/organisations",
            &admin,
            json!({"kind": "clinic", "name": "Sea Point Clinic", "slug": "sea-point"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let res = app
        .post_auth(
            "/api/v1/admin/organisations",
            &admin,
            json!({"kind": "pharmacy", "name": "Other", "slug": "sea-point"}),
        )
        .await;
    assert_problem(res, 409, "SLUG_TAKEN").await;
    let res = app
        .post_auth(
            "/api/v1/admin/organisations",
            &admin,
            json!({"kind": "clinic", "name": "", "slug": "Bad Slug"}),
        )
        .await;
    let problem = assert_problem(res, 422, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2);
    // A kind outside the schema's `enum` is refused before anything is checked, naming the
    // kinds there are (there is one platform organisation).
    let res = app
        .post_auth(
            "/api/v1/admin/organisations",
            &admin,
            json!({"kind": "platform", "name": "Second platform", "slug": "second-platform"}),
        )
        .await;
    let problem = assert_problem(res, 422, "INVALID_BODY").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("expected `clinic` or `pharmacy`")
    );
    let page: Value = app
        .get_auth("/api/v1/admin/organisations?limit=2", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    // The platform is listed first: admins need its id to invite platform staff.
    assert_eq!(page["items"][0]["kind"], "platform");
    assert_eq!(
        page["items"][0]["id"],
        "00000000-0000-7000-8000-000000000001"
    );
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest: Value = app
        .get_auth(
            &format!("/api/v1/admin/organisations?limit=2&cursor={cursor}"),
            &admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        rest["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["slug"] == "sea-point"),
        "{rest}"
    );
}

#[tokio::test]
async fn only_platform_admins_may_administer() {
    let app = seeded().await;
    let officer = app.login("officer@rxgate.test", DEMO_PASSWORD).await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    for session in [&officer, &patient] {
        assert_problem(
            app.get_auth("/api/v1/admin/doctors", session).await,
            403,
            "FORBIDDEN",
        )
        .await;
        let id = pending_doctor_id(&app).await;
        let res = app
            .post_auth(
                &format!("/api/v1/admin/doctors/{id}/decision"),
                session,
                json!({"decision": "approve"}),
            )
            .await;
        assert_problem(res, 403, "FORBIDDEN").await;
    }
    let status: String = sqlx::query_scalar("SELECT d.status::text FROM doctor_profiles d JOIN users u ON u.id = d.user_id WHERE u.email = 'pending.doctor@rxgate.test'")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(status, "pending");
}

#[tokio::test]
async fn an_invited_pharmacist_accepts_and_signs_in_to_their_pharmacy() {
    let app = seeded().await;
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    let pharmacy: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM organisations WHERE slug = 'demo-pharmacy'")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let clinic: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM organisations WHERE slug = 'demo-clinic'")
            .fetch_one(&app.owner)
            .await
            .unwrap();

    // A pharmacist belongs to a pharmacy and comes with a registration number.
    let res = app.post_auth("/api/v1/admin/invitations", &admin, json!({"email": "new.pharm@example.org", "role": "pharmacist", "organisation_id": clinic}),
    )
    .await;
    let problem = assert_problem(res, 422, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "registration_number");
    let res = app.post_auth("/api/v1/admin/invitations", &admin, json!({"email": "new.pharm@example.org", "role": "pharmacist", "organisation_id": clinic, "registration_number": "SAPC-P777"})).await;
    let problem = assert_problem(res, 422, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "organisation_id");
    let res = app
        .post_auth(
            "/api/v1/admin/invitations",
            &admin,
            json!({"email": "new.pharm@example.org", "role": "patient", "organisation_id": clinic}),
        )
        .await;
    // Patients sign up themselves: `patient` is not in the schema's `enum` of invitable roles.
    let problem = assert_problem(res, 422, "INVALID_BODY").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("unknown variant `patient`")
    );

    let res = app.post_auth("/api/v1/admin/invitations", &admin, json!({"email": "new.pharm@example.org", "role": "pharmacist", "organisation_id": pharmacy, "registration_number": "SAPC-P777"})).await;
    assert_eq!(res.status(), 201);
    let invitation: Value = res.json().await.unwrap();
    assert_eq!(invitation["status"], "open");

    let token = app
        .emailed_token("new.pharm@example.org", "accept-invitation")
        .await;
    let res = app
        .post_json(
            "/api/v1/auth/accept-invitation",
            &json!({"token": token, "display_name": "New Pharm", "password": "short"}),
        )
        .await;
    assert_problem(res, 422, "VALIDATION_FAILED").await;
    let res = app.post_json("/api/v1/auth/accept-invitation", &json!({"token": token, "display_name": "New Pharm", "password": "a long pharmacist passphrase"})).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.unwrap()["new_account"], true);
    let res = app
        .post_json("/api/v1/auth/accept-invitation", &json!({"token": token}))
        .await;
    assert_problem(res, 400, "INVALID_TOKEN").await;

    let session: Value = app
        .login_raw("new.pharm@example.org", "a long pharmacist passphrase")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session["user"]["roles"], json!(["pharmacist"]));
    assert_eq!(
        session["mfa"], "enrolment_required",
        "staff set up a second factor first"
    );
    let list: Value = app
        .get_auth("/api/v1/admin/invitations", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["status"], "accepted");

    // Only platform admins invite.
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let res = app.post_auth("/api/v1/admin/invitations", &patient, json!({"email": "x@example.org", "role": "platform_admin", "organisation_id": pharmacy}),
    )
    .await;
    assert_problem(res, 403, "FORBIDDEN").await;
}

#[tokio::test]
async fn the_admin_searches_people_by_fragment_role_and_status() {
    let app = seeded().await;
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    let all: Value = app
        .get_auth("/api/v1/admin/users", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 7);
    let found: Value = app
        .get_auth("/api/v1/admin/users?q=THANDI", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["email"], "patient@rxgate.test");
    assert_eq!(found["items"][0]["roles"], json!(["patient"]));
    let doctors: Value = app
        .get_auth("/api/v1/admin/users?role=doctor", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(doctors["items"].as_array().unwrap().len(), 2);
    let page: Value = app
        .get_auth("/api/v1/admin/users?limit=3", &admin)
        .await
        .json()
        .await
        .unwrap();
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest: Value = app
        .get_auth(
            &format!("/api/v1/admin/users?limit=10&cursor={cursor}"),
            &admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["items"].as_array().unwrap().len(), 4);
    assert_problem(
        app.get_auth("/api/v1/admin/users?role=wizard", &admin)
            .await,
        400,
        "INVALID_QUERY",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/admin/users?status=gone", &admin)
            .await,
        400,
        "INVALID_QUERY",
    )
    .await;
    // Wildcards in the search are literal text, not patterns.
    let none: Value = app
        .get_auth("/api/v1/admin/users?q=%25", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        none["items"].as_array().unwrap().len(),
        0,
        "nobody's name or address holds a %"
    );
    let officer = app.login("officer@rxgate.test", DEMO_PASSWORD).await;
    assert_problem(
        app.get_auth("/api/v1/admin/users", &officer).await,
        403,
        "FORBIDDEN",
    )
    .await;
}
