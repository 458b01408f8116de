//! The error of every use case: what went wrong in terms a client can act on. The HTTP layer
//! maps each variant to a status and problem+json (`rxgate_api::error::ApiError`).

use rxgate_api_types::FieldError;
use rxgate_persistence::RepoError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Absent, or not the caller's (another patient's or clinic's object is not revealed).
    #[error("not found")]
    NotFound,
    /// The caller may not do this at all (the endpoint exists; the role is missing).
    #[error("forbidden: {code}")]
    Forbidden { code: &'static str, detail: String },
    /// A query parameter that names nothing (a status or role that does not exist); checked
    /// after access, so a caller without the role learns nothing from it.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The credential does not match (unknown email and wrong password look the same).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed attempts: try again after `retry_after_secs`.
    #[error("account locked")]
    Locked { retry_after_secs: i64 },
    /// The refresh token or session can no longer be used (`code` says why).
    #[error("session ended: {code}")]
    SessionEnded { code: &'static str, detail: String },
    /// An emailed link (verification, password reset, invitation) that is unknown, used or
    /// expired.
    #[error("invalid token")]
    InvalidToken { expired: bool },
    /// Well-formed but against a rule (`code` names it).
    #[error("unprocessable: {code}")]
    Rule { code: &'static str, detail: String },
    #[error("conflict: {code}")]
    Conflict { code: &'static str, detail: String },
    /// A request that can never be right as sent (a webhook whose signature does not match).
    #[error("bad request: {code}")]
    BadRequest { code: &'static str, detail: String },
    /// A conflict about one field (a taken address or code).
    #[error("conflict: {code} ({field})")]
    FieldConflict {
        code: &'static str,
        field: &'static str,
        detail: String,
    },
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// Anything unexpected; the HTTP layer logs the cause and answers a generic 500.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(err))
    }

    /// A stored word outside the set the API documents (a database constraint should have
    /// stopped it): a server fault, never the client's.
    pub fn unexpected(what: &'static str, raw: &str) -> Self {
        Self::internal(UnexpectedValue {
            what,
            raw: raw.to_owned(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unexpected {what} `{raw}` in the database")]
pub struct UnexpectedValue {
    what: &'static str,
    raw: String,
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        Self::Repo(RepoError::from(err))
    }
}
