//! The typed client of `/api/v1`, built on the shared `api-types`. Errors arrive as RFC 9457
//! problems and are kept whole so screens can show `detail` and per-field messages.

use gloo_net::http::{Request, Response};
use rxgate_api_types::dev::{MailboxMessage, Queued, SendTestEmail};
use rxgate_api_types::system::{Health, PlatformInfo};
use rxgate_api_types::{CursorPage, Problem};
use serde::de::DeserializeOwned;

const BASE: &str = "/api/v1";

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with a problem.
    Problem(Problem),
    /// No usable answer (offline, server down, unexpected body).
    Network(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Problem(p) => write!(f, "{}", p.detail.as_deref().unwrap_or(&p.title)),
            Self::Network(m) => write!(f, "The server could not be reached ({m})."),
        }
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// The message for one field of a validation problem, if any.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Self::Problem(p) => p
                .errors
                .iter()
                .find(|e| e.field == name)
                .map(|e| e.message.clone()),
            Self::Network(_) => None,
        }
    }
}

async fn decode<T: DeserializeOwned>(res: Response) -> Result<T, ApiError> {
    if res.ok() {
        res.json::<T>()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))
    } else {
        match res.json::<Problem>().await {
            Ok(p) => Err(ApiError::Problem(p)),
            Err(_) => Err(ApiError::Network(format!("HTTP {}", res.status()))),
        }
    }
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let res = Request::get(&format!("{BASE}{path}"))
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    decode(res).await
}

async fn post<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let res = Request::post(&format!("{BASE}{path}"))
        .header("Accept", "application/json")
        .json(body)
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    decode(res).await
}

pub async fn health() -> Result<Health, ApiError> {
    get("/health").await
}

pub async fn platform() -> Result<PlatformInfo, ApiError> {
    get("/platform").await
}

pub async fn mailbox(cursor: Option<String>) -> Result<CursorPage<MailboxMessage>, ApiError> {
    match cursor {
        Some(c) => get(&format!("/dev/mailbox?limit=20&cursor={c}")).await,
        None => get("/dev/mailbox?limit=20").await,
    }
}

pub async fn send_test_email(body: &SendTestEmail) -> Result<Queued, ApiError> {
    post("/dev/mailbox", body).await
}
