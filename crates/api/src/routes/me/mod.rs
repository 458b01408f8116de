//! The signed-in person: profile, consents, sessions, second factors.

pub mod add_passkey;
pub mod confirm_totp;
pub mod delete_passkey;
pub mod get_me;
pub mod list_consents;
pub mod list_passkeys;
pub mod list_sessions;
pub mod passkey_options;
pub mod record_consent;
pub mod revoke_session;
pub mod start_totp;
