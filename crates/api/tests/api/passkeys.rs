//! Passkeys end to end through the API, with a software authenticator that builds real
//! WebAuthn messages (P-256, "none" attestation): registration, sign-in as a second factor and
//! passwordless, counters, expiry and another person's passkey.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, assert_problem, spawn_app};

const ORIGIN: &str = "http://localhost:8080";
const RP_ID: &str = "localhost";
const PATIENT: &str = "patient@rxgate.test";
const DOCTOR: &str = "doctor@rxgate.test";
const PASSWORD: &str = "rxgate-demo-password";

/// One credential on a software authenticator.
struct SoftPasskey {
    key: SigningKey,
    credential_id: Vec<u8>,
    user_handle: Option<Vec<u8>>,
    counter: u32,
}

impl SoftPasskey {
    fn new() -> Self {
        let key = SigningKey::random(&mut p256::elliptic_curve::rand_core::OsRng);
        Self {
            key,
            credential_id: uuid::Uuid::new_v4().as_bytes().to_vec(),
            user_handle: None,
            counter: 0,
        }
    }

    fn client_data(kind: &str, options: &Value, origin: &str) -> Vec<u8> {
        let challenge = options["publicKey"]["challenge"].as_str().unwrap();
        serde_json::to_vec(&json!({
            "type": kind, "challenge": challenge, "origin": origin, "crossOrigin": false
        }))
        .unwrap()
    }

    /// `navigator.credentials.create()`: the credential for these creation options.
    fn create(&mut self, options: &Value) -> Value {
        self.create_at(options, ORIGIN)
    }

    fn create_at(&mut self, options: &Value, origin: &str) -> Value {
        let user_id = options["publicKey"]["user"]["id"].as_str().unwrap();
        self.user_handle = Some(B64.decode(user_id).unwrap());
        let point = self.key.verifying_key().to_encoded_point(false);
        // COSE_Key, EC2 / ES256 / P-256: {1: 2, 3: -7, -1: 1, -2: x, -3: y}
        let mut cose = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
        cose.extend_from_slice(point.x().unwrap());
        cose.extend_from_slice(&[0x22, 0x58, 0x20]);
        cose.extend_from_slice(point.y().unwrap());
        let mut auth_data = Sha256::digest(RP_ID).to_vec();
        auth_data.push(0x45); // user present, user verified, attested credential data
        auth_data.extend_from_slice(&self.counter.to_be_bytes());
        auth_data.extend_from_slice(&[0; 16]); // AAGUID
        auth_data.extend_from_slice(
            &u16::try_from(self.credential_id.len())
                .unwrap()
                .to_be_bytes(),
        );
        auth_data.extend_from_slice(&self.credential_id);
        auth_data.extend_from_slice(&cose);
        // {"fmt": "none", "attStmt": {}, "authData": bytes}
        let mut attestation = vec![0xa3, 0x63];
        attestation.extend_from_slice(b"fmt");
        attestation.push(0x64);
        attestation.extend_from_slice(b"none");
        attestation.push(0x67);
        attestation.extend_from_slice(b"attStmt");
        attestation.extend_from_slice(&[0xa0, 0x68]);
        attestation.extend_from_slice(b"authData");
        attestation.extend_from_slice(&[0x58, u8::try_from(auth_data.len()).unwrap()]);
        attestation.extend_from_slice(&auth_data);
        let id = B64.encode(&self.credential_id);
        json!({
            "id": id, "rawId": id, "type": "public-key",
            "response": {
                "attestationObject": B64.encode(attestation),
                "clientDataJSON": B64.encode(Self::client_data("webauthn.create", options, origin)),
            },
            "clientExtensionResults": {}
        })
    }

    /// `navigator.credentials.get()`: an assertion for these request options.
    fn get(&mut self, options: &Value) -> Value {
        self.counter += 1;
        let mut auth_data = Sha256::digest(RP_ID).to_vec();
        auth_data.push(0x05); // user present, user verified
        auth_data.extend_from_slice(&self.counter.to_be_bytes());
        let client_data = Self::client_data("webauthn.get", options, ORIGIN);
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        let id = B64.encode(&self.credential_id);
        json!({
            "id": id, "rawId": id, "type": "public-key",
            "response": {
                "authenticatorData": B64.encode(auth_data),
                "clientDataJSON": B64.encode(client_data),
                "signature": B64.encode(signature.to_der().as_bytes()),
                "userHandle": self.user_handle.as_ref().map(|h| B64.encode(h)),
            },
            "clientExtensionResults": {}
        })
    }
}

async fn json_of(res: reqwest::Response, status: u16) -> Value {
    let code = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert_eq!(code, status, "{body}");
    body
}

/// Registers a new passkey for the signed-in `session`; returns it and the registration body.
async fn register(app: &TestApp, session: &Value, name: &str) -> (SoftPasskey, Value) {
    let mut passkey = SoftPasskey::new();
    let challenge = json_of(
        app.post_auth("/api/v1/me/passkeys/options", session, json!({}))
            .await,
        200,
    )
    .await;
    let credential = passkey.create(&challenge["options"]);
    let body = json_of(
        app.post_auth(
            "/api/v1/me/passkeys",
            session,
            json!({ "ceremony_id": challenge["ceremony_id"], "name": name, "credential": credential }),
        )
        .await,
        201,
    )
    .await;
    (passkey, body)
}

async fn passwordless(app: &TestApp, passkey: &mut SoftPasskey) -> reqwest::Response {
    let challenge = json_of(
        app.post_json("/api/v1/auth/passkey/options", &json!({}))
            .await,
        200,
    )
    .await;
    assert!(
        challenge["options"]["publicKey"]
            .get("allowCredentials")
            .is_none_or(|a| a.as_array().unwrap().is_empty()),
        "usernameless sign-in names no credentials"
    );
    let credential = passkey.get(&challenge["options"]);
    app.post_json(
        "/api/v1/auth/passkey",
        &json!({ "ceremony_id": challenge["ceremony_id"], "credential": credential }),
    )
    .await
}

#[tokio::test]
async fn a_patient_registers_a_passkey_and_signs_in_with_it_alone() {
    let app = spawn_app().await;
    app.seed().await;
    let session = app.login(PATIENT, PASSWORD).await;
    let (mut passkey, registered) = register(&app, &session, "My phone").await;
    assert_eq!(registered["passkey"]["name"], "My phone");
    assert_eq!(registered["tokens"]["mfa"], "satisfied");
    assert_eq!(
        registered["tokens"]["user"]["mfa_methods"],
        json!(["passkey"])
    );

    let list = json_of(
        app.get_auth("/api/v1/me/passkeys", &registered["tokens"])
            .await,
        200,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(list[0]["last_used_at"].is_null());

    let signed_in = json_of(passwordless(&app, &mut passkey).await, 200).await;
    assert_eq!(signed_in["user"]["email"], PATIENT);
    assert_eq!(signed_in["mfa"], "satisfied");
    let me = app.get_auth("/api/v1/me", &signed_in).await;
    assert_eq!(me.status(), 200);

    let list = json_of(app.get_auth("/api/v1/me/passkeys", &signed_in).await, 200).await;
    assert!(!list[0]["last_used_at"].is_null(), "use is recorded");
    let counter: i64 =
        sqlx::query_scalar("SELECT (passkey->'cred'->>'counter')::bigint FROM passkeys")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    assert_eq!(counter, 1, "the signature counter is stored");

    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'passkey_registered' OR (action = 'login' AND details->>'method' = 'passkey')",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(audited, 2);

    // A password sign-in now asks for the second factor, which the passkey passes.
    let res = app.login_raw(PATIENT, PASSWORD).await;
    let pending = json_of(res, 200).await;
    assert_eq!(pending["mfa"], "required");
    let challenge = json_of(
        app.post_auth("/api/v1/auth/mfa/passkey/options", &pending, json!({}))
            .await,
        200,
    )
    .await;
    let credential = passkey.get(&challenge["options"]);
    let passed = json_of(
        app.post_auth(
            "/api/v1/auth/mfa/passkey",
            &pending,
            json!({ "ceremony_id": challenge["ceremony_id"], "credential": credential }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(passed["mfa"], "satisfied");
}

#[tokio::test]
async fn staff_can_enrol_a_passkey_instead_of_an_authenticator_app() {
    let app = spawn_app().await;
    app.seed().await;
    // A freshly approved doctor without any second factor.
    sqlx::query("DELETE FROM mfa_totp WHERE user_id = (SELECT id FROM users WHERE email = $1)")
        .bind(DOCTOR)
        .execute(&app.owner)
        .await
        .unwrap();
    let pending = json_of(app.login_raw(DOCTOR, PASSWORD).await, 200).await;
    assert_eq!(pending["mfa"], "enrolment_required");
    // The set-up page starts an authenticator-app set-up; the doctor picks a passkey instead.
    assert_eq!(
        app.post_auth("/api/v1/me/mfa/totp", &pending, json!({}))
            .await
            .status(),
        200
    );
    let (mut passkey, registered) = register(&app, &pending, "Clinic laptop").await;
    assert_eq!(registered["tokens"]["mfa"], "satisfied");
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM mfa_totp WHERE user_id = (SELECT id FROM users WHERE email = $1)",
    )
    .bind(DOCTOR)
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(left, 0, "the unconfirmed authenticator-app secret is gone");
    assert_eq!(
        app.get_auth("/api/v1/me/sessions", &registered["tokens"])
            .await
            .status(),
        200
    );
    // The only factor of a staff member cannot be removed.
    let id = registered["passkey"]["id"].as_str().unwrap();
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/me/passkeys/{id}")))
        .bearer_auth(registered["tokens"]["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "LAST_SECOND_FACTOR").await;
    // Passwordless sign-in works for staff too.
    let signed_in = json_of(passwordless(&app, &mut passkey).await, 200).await;
    assert_eq!(signed_in["mfa"], "satisfied");
}

#[tokio::test]
async fn adding_a_passkey_needs_the_existing_second_factor_first() {
    let app = spawn_app().await;
    app.seed().await;
    let pending = json_of(app.login_raw(DOCTOR, PASSWORD).await, 200).await;
    assert_eq!(pending["mfa"], "required");
    let res = app
        .post_auth("/api/v1/me/passkeys/options", &pending, json!({}))
        .await;
    assert_problem(res, 403, "MFA_REQUIRED").await;
    let res = app
        .post_auth("/api/v1/auth/mfa/passkey/options", &pending, json!({}))
        .await;
    assert_problem(res, 409, "MFA_NOT_ENROLLED").await;
}

#[tokio::test]
async fn a_ceremony_works_once_for_its_owner_and_a_forged_answer_is_refused() {
    let app = spawn_app().await;
    app.seed().await;
    let session = app.login(PATIENT, PASSWORD).await;
    let challenge = json_of(
        app.post_auth("/api/v1/me/passkeys/options", &session, json!({}))
            .await,
        200,
    )
    .await;
    let mut passkey = SoftPasskey::new();

    // Another person cannot finish my ceremony.
    let other = app.login("pharmacist@rxgate.test", PASSWORD).await;
    let body = json!({
        "ceremony_id": challenge["ceremony_id"], "name": "x",
        "credential": passkey.create(&challenge["options"]),
    });
    let res = app
        .post_auth("/api/v1/me/passkeys", &other, body.clone())
        .await;
    assert_problem(res, 409, "CEREMONY_EXPIRED").await;

    // A credential made for another site does not verify, and uses the ceremony up.
    let challenge = json_of(
        app.post_auth("/api/v1/me/passkeys/options", &session, json!({}))
            .await,
        200,
    )
    .await;
    let phished = passkey.create_at(&challenge["options"], "https://rxgate.example.evil");
    let res = app
        .post_auth(
            "/api/v1/me/passkeys",
            &session,
            json!({ "ceremony_id": challenge["ceremony_id"], "name": "x", "credential": phished }),
        )
        .await;
    assert_problem(res, 422, "VALIDATION_FAILED").await;
    let again = passkey.create(&challenge["options"]);
    let res = app
        .post_auth(
            "/api/v1/me/passkeys",
            &session,
            json!({ "ceremony_id": challenge["ceremony_id"], "name": "x", "credential": again }),
        )
        .await;
    assert_problem(res, 409, "CEREMONY_EXPIRED").await;

    // Malformed input is a 422 and a blank name is refused; nothing is stored.
    let res = app
        .post_auth(
            "/api/v1/me/passkeys",
            &session,
            json!({ "ceremony_id": uuid::Uuid::new_v4(), "name": "x", "credential": {"id": 1} }),
        )
        .await;
    assert_problem(res, 422, "VALIDATION_FAILED").await;
    let res = app
        .post_auth(
            "/api/v1/me/passkeys",
            &session,
            json!({ "ceremony_id": uuid::Uuid::new_v4(), "name": "  ", "credential": again }),
        )
        .await;
    assert_problem(res, 422, "VALIDATION_FAILED").await;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM passkeys")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn a_sign_in_with_an_unknown_or_cloned_passkey_fails_and_is_audited() {
    let app = spawn_app().await;
    app.seed().await;
    let mut stranger = SoftPasskey::new();
    stranger.user_handle = Some(uuid::Uuid::new_v4().as_bytes().to_vec());
    assert_problem(
        passwordless(&app, &mut stranger).await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;

    let session = app.login(PATIENT, PASSWORD).await;
    let (mut passkey, registered) = register(&app, &session, "Key").await;
    json_of(passwordless(&app, &mut passkey).await, 200).await;
    // A copy of the key that lags behind the real one (its counter went backwards).
    passkey.counter = 0;
    assert_problem(
        passwordless(&app, &mut passkey).await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;

    // Someone else's passkey id is 404 to me.
    let other = app.login("pharmacist@rxgate.test", PASSWORD).await;
    let id = registered["passkey"]["id"].as_str().unwrap();
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/me/passkeys/{id}")))
        .bearer_auth(other["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "NOT_FOUND").await;
    // …and the patient may remove their own (patients need no second factor).
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/me/passkeys/{id}")))
        .bearer_auth(registered["tokens"]["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);

    let failures: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'login_failed' AND details->>'method' = 'passkey'",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(failures, 2);
}
