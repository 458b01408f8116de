use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use rxgate_api::Application;
use rxgate_api::configuration::{EmailTransport, Environment, Settings};
use rxgate_persistence::{Db, MIGRATOR};
use secrecy::SecretString;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Executor, PgPool};
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// Owner connection to this test's database (bypasses row-level security).
    pub owner: PgPool,
    /// The application role's URL of this test's database (for a second server on it).
    pub db_url: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Chains every audit event appended so far (what the `audit.seal` job does every few
    /// seconds) and signs a checkpoint; retries while another transaction still holds back
    /// the horizon.
    pub async fn seal_audit(&self) {
        let settings = test_settings("postgres://unused/none");
        let keys = rxgate_api::auth::JwtKeys::from_settings(&settings.auth).unwrap();
        let db = Db::from_pool(self.owner.clone());
        for _ in 0..50 {
            rxgate_api::audit::seal_and_checkpoint(&db, &keys, 1000)
                .await
                .unwrap();
            let left: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM audit_events e
                  WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_seq = e.seq)",
            )
            .fetch_one(&self.owner)
            .await
            .unwrap();
            if left == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("audit events stayed unsealed");
    }

    /// Loads the demo organisations and accounts (see `rxgate_api::seed`).
    pub async fn seed(&self) {
        let settings = test_settings("postgres://unused/none");
        rxgate_api::seed::run(&Db::from_pool(self.owner.clone()), &settings)
            .await
            .unwrap();
    }

    pub async fn login_raw(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &serde_json::json!({"email": email, "password": password}),
        )
        .await
    }

    /// Signs in and returns the token response (asserting success), passing the demo second
    /// factor when the account has one.
    pub async fn login(&self, email: &str, password: &str) -> serde_json::Value {
        let res = self.login_raw(email, password).await;
        assert_eq!(res.status(), 200, "login of {email}");
        let body: serde_json::Value = res.json().await.unwrap();
        if body["mfa"] == "required" {
            return self.pass_mfa(&body).await;
        }
        body
    }

    /// Enters the demo TOTP code for this session. A code works once, so when the current
    /// one was used already (a second sign-in within 30 seconds) the next step's code is used.
    pub async fn pass_mfa(&self, session: &serde_json::Value) -> serde_json::Value {
        for offset in [0, 30] {
            let at = chrono::Utc::now() + chrono::TimeDelta::seconds(offset);
            let code =
                rxgate_api::auth::totp::code_at(rxgate_api::seed::DEMO_TOTP_SECRET, at).unwrap();
            let res = self
                .client
                .post(self.url("/api/v1/auth/mfa/verify"))
                .bearer_auth(session["access_token"].as_str().unwrap())
                .json(&serde_json::json!({ "code": code }))
                .send()
                .await
                .unwrap();
            if res.status() == 200 {
                return res.json().await.unwrap();
            }
        }
        panic!("the demo second factor was refused");
    }

    /// Signs in as a native client: the refresh token comes in the body.
    pub async fn login_native(&self, email: &str) -> serde_json::Value {
        let res = self
            .post_json(
                "/api/v1/auth/login",
                &serde_json::json!({"email": email, "password": rxgate_api::seed::DEMO_PASSWORD, "refresh_token_in_body": true}),
            )
            .await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    /// A native sign-in (refresh token in the body) that also passes the demo second factor.
    pub async fn login_native_mfa(&self, email: &str) -> serde_json::Value {
        let session = self.login_native(email).await;
        let mut passed = self.pass_mfa(&session).await;
        passed["refresh_token"] = session["refresh_token"].clone();
        passed
    }

    pub async fn post_auth(
        &self,
        path: &str,
        session: &serde_json::Value,
        body: serde_json::Value,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(session["access_token"].as_str().unwrap())
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// The token of the newest emailed link to `to` (`/<page>#token=…`), read from the outbox
    /// rather than waiting for delivery.
    pub async fn emailed_token(&self, to: &str, page: &str) -> String {
        let body: String = sqlx::query_scalar(
            "SELECT payload->>'body_text' FROM jobs WHERE kind = 'email.send' AND payload->>'to' = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(to)
        .fetch_one(&self.owner)
        .await
        .unwrap();
        let marker = format!("/{page}#token=");
        let start = body
            .find(&marker)
            .unwrap_or_else(|| panic!("no {page} link in: {body}"))
            + marker.len();
        body[start..].split_whitespace().next().unwrap().to_owned()
    }

    pub async fn get_auth(&self, path: &str, session: &serde_json::Value) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(session["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }
}

fn env_url(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} must be set (run the tests through `just test`, which sets it)")
    })
}

/// A new, migrated database; returns the owner pool and the application role's URL for it.
pub async fn fresh_database() -> (PgPool, String) {
    let owner_url = env_url("DATABASE_URL");
    let app_url = env_url("RXGATE__DATABASE__URL");
    let name = format!("rxgate_test_{}", Uuid::new_v4().simple());
    let admin = PgConnectOptions::from_str(&owner_url)
        .unwrap()
        .database("postgres");
    let mut conn = admin.connect().await.unwrap();
    conn.execute(format!(r#"CREATE DATABASE "{name}""#).as_str())
        .await
        .unwrap();
    let owner = PgPoolOptions::new()
        .max_connections(4)
        .connect_with(
            PgConnectOptions::from_str(&owner_url)
                .unwrap()
                .database(&name),
        )
        .await
        .unwrap();
    MIGRATOR.run(&owner).await.unwrap();
    let (server, _db) = app_url.rsplit_once('/').unwrap();
    (owner, format!("{server}/{name}"))
}

pub fn test_settings(app_db_url: &str) -> Settings {
    let config_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let mut settings = Settings::load(&config_dir).unwrap();
    settings.environment = Environment::Local;
    settings.email.transport = EmailTransport::Local;
    settings.application.port = 0;
    settings.application.spa_dir = None;
    settings.application.uploads_dir =
        std::env::temp_dir().join(format!("rxgate-uploads-{}", Uuid::new_v4().simple()));
    settings.application.http_workers = Some(1);
    settings.application.shutdown_timeout_secs = 1;
    settings.database.url = SecretString::from(app_db_url.to_owned());
    settings.database.max_connections = 5;
    settings.jobs.poll_interval_ms = 100;
    // Reuse of a refresh token is tested without the two-tab grace period.
    settings.auth.refresh_reuse_grace_secs = 0;
    // Every test client is 127.0.0.1: one test checks the limit with its own settings.
    settings.auth.rate_limit_per_minute = 10_000;
    settings.auth.rate_limit_burst = 1_000;
    settings
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(customise: impl FnOnce(&mut Settings)) -> TestApp {
    let (owner, app_db_url) = fresh_database().await;
    spawn_app_on(owner, app_db_url, customise).await
}

/// A server on an existing test database (e.g. a second one, with other settings).
pub async fn spawn_app_on(
    owner: PgPool,
    app_db_url: String,
    customise: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = test_settings(&app_db_url);
    customise(&mut settings);
    let db = Db::connect_lazy(
        settings.database.connect_options().unwrap(),
        settings.database.max_connections,
    );
    let app = Application::build_with_db(settings, db).unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap(),
        owner,
        db_url: app_db_url,
    }
}

/// Asserts a problem+json answer with `status` and `code`, returning the body.
pub async fn assert_problem(res: reqwest::Response, status: u16, code: &str) -> serde_json::Value {
    assert_eq!(res.status().as_u16(), status, "status");
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/problem+json"),
        "content type was {content_type}"
    );
    let request_id = res
        .headers()
        .get("x-request-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["type"].is_string() && body["title"].is_string(),
        "{body}"
    );
    assert_eq!(body["request_id"].as_str(), request_id.as_deref(), "{body}");
    body
}
