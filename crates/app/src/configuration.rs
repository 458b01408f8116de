//! Typed settings: `config/base.toml`, then `config/<environment>.toml`, then environment
//! variables `RXGATE__<SECTION>__<KEY>` (e.g. `RXGATE__APPLICATION__PORT=9000`).
//! The environment is chosen by `RXGATE_ENVIRONMENT` (`local` by default, or `production`).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rxgate_integrations::email::SmtpSettings;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sqlx::postgres::PgConnectOptions;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Local,
    Production,
}

impl FromStr for Environment {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "local" => Ok(Self::Local),
            "production" => Ok(Self::Production),
            other => Err(format!(
                "unknown environment `{other}`: use `local` or `production`"
            )),
        }
    }
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Production => "production",
        }
    }
}

/// One entry of `application.trusted_proxies`: an address or a CIDR range.
pub fn parse_proxy(raw: &str) -> Option<ipnet::IpNet> {
    let raw = raw.trim();
    raw.parse::<ipnet::IpNet>()
        .ok()
        .or_else(|| raw.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from))
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub environment: Environment,
    pub application: ApplicationSettings,
    pub database: DatabaseSettings,
    pub email: EmailSettings,
    pub jobs: JobSettings,
    pub log: LogSettings,
    pub auth: AuthSettings,
    pub security: SecuritySettings,
    #[serde(default)]
    pub storage: StorageSettings,
    #[serde(default)]
    pub audit: AuditSettings,
    #[serde(default)]
    pub payments: PaymentSettings,
    #[serde(default)]
    pub video: VideoSettings,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VideoProviderKind {
    /// Peer-to-peer WebRTC through the API's own signalling socket.
    #[default]
    BuiltIn,
    /// A LiveKit server (`livekit_url`, `livekit_api_key`, `livekit_api_secret`).
    Livekit,
    /// A Jitsi Meet server with token authentication (`jitsi_url`, `jitsi_app_id`,
    /// `jitsi_app_secret`).
    Jitsi,
}

/// A STUN or TURN server handed to the browsers with a room ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct IceServer {
    pub urls: Vec<String>,
    pub username: Option<String>,
    pub credential: Option<String>,
}

/// How consultations meet (`[video]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct VideoSettings {
    pub provider: VideoProviderKind,
    /// STUN/TURN servers for the built-in provider (none: host candidates only, which is
    /// enough on one network).
    pub ice_servers: Vec<IceServer>,
    pub livekit_url: String,
    pub livekit_api_key: String,
    pub livekit_api_secret: Option<SecretString>,
    pub jitsi_url: String,
    pub jitsi_app_id: String,
    pub jitsi_app_secret: Option<SecretString>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentGatewayKind {
    /// The built-in sandbox provider: a hosted page in the SPA and signed webhooks over HTTP
    /// (`just run`; real providers come later behind the same port).
    #[default]
    Sandbox,
}

/// How payments are taken.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct PaymentSettings {
    pub gateway: PaymentGatewayKind,
    /// The secret the sandbox signs its webhooks with (HMAC-SHA256). Set
    /// RXGATE__PAYMENTS__SANDBOX_WEBHOOK_SECRET outside local development.
    pub sandbox_webhook_secret: SecretString,
    /// Where the sandbox delivers its webhooks; by default this server's own
    /// `/api/v1/payments/webhooks/sandbox` on the address it listens on.
    pub sandbox_webhook_url: Option<String>,
}

impl Default for PaymentSettings {
    fn default() -> Self {
        Self {
            gateway: PaymentGatewayKind::Sandbox,
            sandbox_webhook_secret: SecretString::from("whsec_dev_sandbox_only"),
            sandbox_webhook_url: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct AuditSettings {
    /// Record audit events. Only `just bench` turns this off, to measure what auditing costs;
    /// refused in production.
    pub enabled: bool,
    /// How often the sealing job chains new events and signs a checkpoint.
    pub seal_interval_secs: i32,
    /// Events chained per sealing transaction.
    pub seal_batch: i32,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            seal_interval_secs: 2,
            seal_batch: 5000,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    /// Files under `application.uploads_dir` (one server).
    #[default]
    Local,
    /// An S3-compatible bucket (several servers, or managed storage).
    S3,
}

/// Where uploaded files (product images) are kept.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StorageSettings {
    #[serde(default)]
    pub backend: StorageBackend,
    /// For `s3`: the service's base URL, e.g. `https://s3.af-south-1.amazonaws.com`.
    pub endpoint: Option<String>,
    pub bucket: Option<String>,
    /// The signing region (`auto` for Cloudflare R2, `us-east-1` for MinIO).
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    /// Secret: set it with RXGATE__STORAGE__SECRET_ACCESS_KEY.
    pub secret_access_key: Option<SecretString>,
    /// `endpoint/bucket/key` URLs (MinIO and most compatibles) instead of `bucket.endpoint/key`.
    #[serde(default)]
    pub path_style: bool,
    /// Put before every key, e.g. `uploads/`.
    #[serde(default)]
    pub prefix: String,
}

impl StorageSettings {
    /// The object store these settings describe; `uploads_dir` is the local store's folder.
    pub fn store(
        &self,
        uploads_dir: &Path,
    ) -> Result<std::sync::Arc<dyn rxgate_integrations::storage::ObjectStore>, String> {
        use rxgate_integrations::storage::{LocalDirectory, S3Bucket, S3Config};
        Ok(match self.backend {
            StorageBackend::Local => std::sync::Arc::new(LocalDirectory::new(uploads_dir)),
            StorageBackend::S3 => {
                let missing = |name: &str| format!("storage.backend = \"s3\" needs storage.{name}");
                let prefix_ok = self
                    .prefix
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'));
                if !prefix_ok || self.prefix.starts_with('/') || self.prefix.contains("..") {
                    return Err(
                        "storage.prefix may hold letters, digits, `/`, `-`, `_` and `.` only"
                            .into(),
                    );
                }
                let endpoint = self
                    .endpoint
                    .as_deref()
                    .ok_or_else(|| missing("endpoint"))?;
                std::sync::Arc::new(
                    S3Bucket::new(S3Config {
                        endpoint: endpoint
                            .parse()
                            .map_err(|e| format!("storage.endpoint `{endpoint}`: {e}"))?,
                        bucket: self.bucket.clone().ok_or_else(|| missing("bucket"))?,
                        region: self.region.clone().ok_or_else(|| missing("region"))?,
                        access_key_id: self
                            .access_key_id
                            .clone()
                            .ok_or_else(|| missing("access_key_id"))?,
                        secret_access_key: self
                            .secret_access_key
                            .clone()
                            .ok_or_else(|| missing("secret_access_key"))?,
                        path_style: self.path_style,
                        prefix: self.prefix.clone(),
                    })
                    .map_err(|e| e.to_string())?,
                )
            }
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct SecuritySettings {
    /// 32 random bytes, base64: the AES-256-GCM key for secrets and clinical text at rest.
    /// Set RXGATE__SECURITY__DATA_KEY in production.
    pub data_key: SecretString,
    /// Stored beside every sealed value so keys can be rotated.
    pub data_key_id: String,
    /// Keys that sealed older values, still used to open them: `key-id:BASE64,…`.
    #[serde(default)]
    pub previous_data_keys: Option<SecretString>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// Ed25519 private key (PKCS#8 PEM) that signs access tokens. Secret: set it with
    /// RXGATE__AUTH__JWT_PRIVATE_KEY_PEM in production.
    pub jwt_private_key_pem: SecretString,
    /// Key id published in the JWKS and put in each token's header.
    pub jwt_key_id: String,
    /// Keys that signed tokens before the last rotation, still published and accepted:
    /// `key-id:BASE64,…` where BASE64 is the body of the old key's PKCS#8 PEM. To rotate, move
    /// the current key here and set a new `jwt_private_key_pem` / `jwt_key_id`; drop the old
    /// entry once `access_token_minutes` have passed.
    #[serde(default)]
    pub previous_jwt_keys: Option<SecretString>,
    pub issuer: String,
    pub audience: String,
    pub access_token_minutes: i64,
    /// Overrides `access_token_minutes` with a lifetime in seconds: only for tests that need a
    /// token to expire for real (the browser test of renewal); at least 60 in production.
    #[serde(default)]
    pub access_token_secs: Option<i64>,
    pub refresh_token_days: i64,
    /// A used refresh token presented again within this many seconds is a second browser tab
    /// racing the first, not theft.
    pub refresh_reuse_grace_secs: i64,
    /// Sessions of staff (every role but patient) end after this long without activity.
    pub staff_idle_minutes: i64,
    pub patient_idle_minutes: i64,
    /// Send the refresh cookie with `Secure` (off only for plain-HTTP local development).
    pub secure_cookies: bool,
    /// Clinic that patients join when signing up without a clinic or referral.
    pub default_clinic_slug: String,
    pub email_token_hours: i64,
    /// Requests per minute one client address may make to `/auth/*` (after the burst).
    pub rate_limit_per_minute: u32,
    pub rate_limit_burst: u32,
    /// The same for `/auth/refresh` alone (the SPA renews on every page load).
    #[serde(default = "default_refresh_per_minute")]
    pub refresh_rate_limit_per_minute: u32,
    #[serde(default = "default_refresh_burst")]
    pub refresh_rate_limit_burst: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApplicationSettings {
    pub host: String,
    /// 0 picks a free port (tests).
    pub port: u16,
    /// The URL people open, used in emails and links.
    pub public_url: String,
    /// Built SPA (index.html and assets). Missing folder: only the API is served.
    pub spa_dir: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// Seconds in-flight requests get to finish on shutdown.
    pub shutdown_timeout_secs: u64,
    /// Origins allowed to call the API from a browser, besides the API's own origin.
    #[serde(default)]
    pub cors_allowed_origins: Vec<String>,
    /// HTTP worker threads; default: one per core.
    pub http_workers: Option<usize>,
    /// Addresses (or CIDR ranges) of reverse proxies / load balancers in front of the server.
    /// Only from these is `X-Forwarded-For` / `Forwarded` believed: the client address used by
    /// rate limits and audit events is then the nearest untrusted hop. Empty: the peer address.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// Where uploaded files (product images) are kept by the local object store.
    #[serde(default = "default_uploads_dir")]
    pub uploads_dir: PathBuf,
}

fn default_uploads_dir() -> PathBuf {
    PathBuf::from(".data/uploads")
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// Connection URL of the application role (owns no tables, cannot bypass row-level
    /// security).
    pub url: SecretString,
    pub max_connections: u32,
}

impl DatabaseSettings {
    pub fn connect_options(&self) -> Result<PgConnectOptions, sqlx::Error> {
        PgConnectOptions::from_str(self.url.expose_secret())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailTransport {
    /// Stored in the developer mailbox (local environment only).
    Local,
    Smtp,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EmailSettings {
    pub transport: EmailTransport,
    pub smtp: Option<SmtpSettings>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct JobSettings {
    /// `rxgate serve` also runs workers in the same process.
    pub run_in_process: bool,
    /// Jobs one worker process runs at once.
    pub concurrency: usize,
    /// How often an idle worker looks for due jobs (it is also woken by NOTIFY).
    pub poll_interval_ms: u64,
    /// How long a claimed job is held before another worker may take it over (renewed while
    /// the job runs).
    pub lease_secs: i64,
    /// Finished jobs (succeeded or dead) are deleted after this many hours.
    #[serde(default = "default_job_retention_hours")]
    pub retention_hours: i64,
}

fn default_refresh_per_minute() -> u32 {
    120
}

fn default_refresh_burst() -> u32 {
    60
}

fn default_job_retention_hours() -> i64 {
    24 * 7
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    pub format: LogFormat,
    /// `tracing` filter, e.g. `info,sqlx=warn`.
    pub filter: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("{0}")]
    Invalid(String),
}

impl Settings {
    /// Reads settings from `dir` (usually `./config`) and the process environment.
    pub fn load(dir: &Path) -> Result<Self, SettingsError> {
        let environment: Environment = std::env::var("RXGATE_ENVIRONMENT")
            .unwrap_or_else(|_| "local".into())
            .parse()
            .map_err(SettingsError::Invalid)?;
        let settings: Settings = config::Config::builder()
            .add_source(config::File::from(dir.join("base.toml")))
            .add_source(
                config::File::from(dir.join(format!("{}.toml", environment.as_str())))
                    .required(false),
            )
            .set_override("environment", environment.as_str())?
            .add_source(
                config::Environment::with_prefix("RXGATE")
                    .prefix_separator("__")
                    .separator("__")
                    .list_separator(",")
                    .with_list_parse_key("application.cors_allowed_origins")
                    .with_list_parse_key("application.trusted_proxies")
                    .try_parsing(true),
            )
            .build()?
            .try_deserialize()?;
        settings.check()?;
        Ok(settings)
    }

    /// Refuses combinations that would be unsafe or cannot work.
    pub fn check(&self) -> Result<(), SettingsError> {
        if self.environment == Environment::Production
            && self.email.transport == EmailTransport::Local
        {
            return Err(SettingsError::Invalid(
                "email.transport = \"local\" stores mail in the database; production needs smtp"
                    .into(),
            ));
        }
        if self.email.transport == EmailTransport::Smtp && self.email.smtp.is_none() {
            return Err(SettingsError::Invalid(
                "email.transport = \"smtp\" needs an [email.smtp] section".into(),
            ));
        }
        if self.environment == Environment::Production
            && (self.auth.jwt_key_id.starts_with("dev-")
                || self.security.data_key_id.starts_with("dev-")
                || !self.auth.secure_cookies)
        {
            return Err(SettingsError::Invalid(
                "production needs its own auth.jwt_private_key_pem / jwt_key_id and secure cookies"
                    .into(),
            ));
        }
        if self.environment == Environment::Production
            && self.auth.access_token_secs.is_some_and(|s| s < 60)
        {
            return Err(SettingsError::Invalid(
                "auth.access_token_secs below 60 is for tests only".into(),
            ));
        }
        if self.environment == Environment::Production && !self.audit.enabled {
            return Err(SettingsError::Invalid(
                "audit.enabled = false is for benchmarks only; production always audits".into(),
            ));
        }
        if let Some(bad) = self
            .application
            .trusted_proxies
            .iter()
            .find(|p| parse_proxy(p).is_none())
        {
            return Err(SettingsError::Invalid(format!(
                "application.trusted_proxies: `{bad}` is not an IP address or CIDR range"
            )));
        }
        if self.environment == Environment::Production
            && self.payments.sandbox_webhook_secret.expose_secret()
                == PaymentSettings::default()
                    .sandbox_webhook_secret
                    .expose_secret()
        {
            return Err(SettingsError::Invalid(
                "production needs its own payments.sandbox_webhook_secret".into(),
            ));
        }
        if self.audit.seal_interval_secs <= 0 || self.audit.seal_batch <= 0 {
            return Err(SettingsError::Invalid(
                "audit.seal_interval_secs and audit.seal_batch must be positive".into(),
            ));
        }
        if self.jobs.concurrency == 0 || self.jobs.lease_secs <= 0 {
            return Err(SettingsError::Invalid(
                "jobs.concurrency and jobs.lease_secs must be positive".into(),
            ));
        }
        Ok(())
    }

    /// Whether the developer tools (mailbox) are exposed.
    pub fn dev_tools(&self) -> bool {
        self.environment == Environment::Local && self.email.transport == EmailTransport::Local
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s3_store_says_what_it_is_missing_and_refuses_odd_prefixes() {
        let dir = Path::new(".data/uploads");
        let mut s3 = StorageSettings {
            backend: StorageBackend::S3,
            endpoint: Some("https://s3.af-south-1.amazonaws.com".into()),
            bucket: Some("rxgate".into()),
            region: Some("af-south-1".into()),
            access_key_id: Some("AKID".into()),
            secret_access_key: None,
            path_style: false,
            prefix: "uploads/".into(),
        };
        assert_eq!(
            s3.store(dir).err().as_deref(),
            Some("storage.backend = \"s3\" needs storage.secret_access_key")
        );
        s3.secret_access_key = Some(SecretString::from("secret"));
        assert!(s3.store(dir).is_ok());
        s3.prefix = "../elsewhere/".into();
        assert!(s3.store(dir).is_err());
        s3.prefix = String::new();
        s3.endpoint = Some("not a url".into());
        assert!(
            s3.store(dir)
                .err()
                .is_some_and(|e| e.starts_with("storage.endpoint"))
        );
        assert!(StorageSettings::default().store(dir).is_ok());
    }
}
