//! Liveness and readiness probes.

pub mod health;
pub mod platform;
pub mod ready;
