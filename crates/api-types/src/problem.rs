//! RFC 9457 problem details, the body of every error answer.

use serde::{Deserialize, Serialize};

/// An error answer (`application/problem+json`). `code` is stable and meant for programs;
/// `title` and `detail` are for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI reference naming the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine-readable code, e.g. `VALIDATION_FAILED`, `NOT_FOUND`.
    pub code: String,
    /// The request id, also sent as the `X-Request-Id` header; quote it when reporting a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// One entry per failing field, for validation problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Why one input field was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON pointer-like path of the field, e.g. `to` or `items[2].quantity`.
    pub field: String,
    /// Stable code of the rule that failed, e.g. `email`, `length`, `required`.
    pub code: String,
    pub message: String,
}
