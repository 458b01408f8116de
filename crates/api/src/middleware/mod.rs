//! Cross-cutting request handling: request ids, logs and metrics, problem+json for every error.

pub mod edge;
pub mod idempotency;
pub mod observe;
pub mod problem;
pub mod request_id;
