//! API integration tests: each test spawns the real application on a random port against its
//! own freshly migrated database, connecting as the application role like production does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod auth;
mod booking;
mod catalogue;
mod consultations;
mod dev_mailbox;
mod errors;
mod foundation;
mod helpers;
mod jobs;
mod mfa;
mod openapi;
mod passkeys;
mod payments;
mod query_counts;
mod spa;
mod system;
