//! Liveness and readiness.

use serde::{Deserialize, Serialize};

use crate::vocab::{Environment, HealthStatus, ReadinessStatus};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: HealthStatus,
    /// Product name.
    pub name: String,
    /// Server version (semver).
    pub version: String,
    /// The API version this server speaks, e.g. `v1`.
    pub api_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Readiness {
    pub status: ReadinessStatus,
    pub database: CheckStatus,
    pub migrations: CheckStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CheckStatus {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Public facts about this deployment that shape the SPA before anyone signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PlatformInfo {
    pub name: String,
    pub version: String,
    pub environment: Environment,
    /// Whether developer tools (the mailbox) are available.
    pub dev_tools: bool,
}
