//! Sign-up, email verification, sign-in, token refresh, sign-out, password reset, JWKS.

pub mod accept_invitation;
pub mod jwks;
pub mod login;
pub mod logout;
pub mod logout_all;
pub mod mfa_verify;
pub mod passkey_login;
pub mod passkey_login_options;
pub mod passkey_mfa_options;
pub mod passkey_mfa_verify;
pub mod password_reset_confirm;
pub mod password_reset_request;
pub mod refresh;
pub mod signup;
pub mod verify_email;

/// The header browsers must send with cookie-authenticated auth calls. A cross-site form or
/// link cannot set a custom header, so its presence proves the call came from our own script.
pub const CSRF_HEADER: &str = "x-rxgate-csrf";
