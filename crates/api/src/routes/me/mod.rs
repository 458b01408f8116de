//! The signed-in person: profile, consents, sessions.

pub mod confirm_totp;
pub mod get_me;
pub mod list_consents;
pub mod list_sessions;
pub mod record_consent;
pub mod revoke_session;
pub mod start_totp;
