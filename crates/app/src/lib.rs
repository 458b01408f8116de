//! Rxgate's application layer, between the HTTP layer (`rxgate-api`) and persistence.
//!
//! A use case opens the row-level-security scoped transaction, checks access, calls `domain`
//! and `persistence`, and records the audit events of what it read or wrote; HTTP handlers,
//! jobs and (later) webhooks call the same use case. This crate also owns what every entry
//! point shares: the typed settings, the key rings, the auth services (token signing,
//! passwords, TOTP, passkeys), the durable job runtime and the demo seed. Nothing here knows
//! about HTTP.

pub mod account;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod booking;
pub mod catalogue;
pub mod catalogue_admin;
pub mod configuration;
pub mod consultations;
pub mod crypto;
pub mod dev_tools;
pub mod emails;
pub mod error;
pub mod health;
pub mod jobs;
pub mod mailbox;
pub mod metrics;
pub mod payments;
pub mod registration;
pub mod seed;
pub mod sign_in;
pub mod work;

pub use configuration::Settings;
pub use error::AppError;
pub use work::Work;
