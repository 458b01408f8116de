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

use chrono::{TimeDelta, Utc};
use rxgate_domain::identity::EmailAddress;
use rxgate_persistence::email_tokens;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::auth::tokens;
use crate::error::ApiError;
use crate::jobs::email;
use crate::state::AppState;

/// The header browsers must send with cookie-authenticated auth calls. A cross-site form or
/// link cannot set a custom header, so its presence proves the call came from our own script.
pub const CSRF_HEADER: &str = "x-rxgate-csrf";

pub(crate) fn parse_email(raw: &str) -> Result<EmailAddress, ApiError> {
    EmailAddress::parse(raw).map_err(|e| {
        ApiError::Validation(vec![rxgate_api_types::FieldError {
            field: "email".into(),
            code: "email".into(),
            message: e.to_string(),
        }])
    })
}

/// Issues an emailed single-use link (`/<page>#token=…`) and queues the message built by `build`.
pub(crate) async fn send_link(
    conn: &mut PgConnection,
    state: &AppState,
    user_id: Uuid,
    purpose: &str,
    page: &str,
    build: impl FnOnce(&str) -> rxgate_integrations::email::OutgoingEmail,
) -> Result<(), ApiError> {
    let (token, hash) = tokens::new_token();
    let expires = Utc::now() + TimeDelta::hours(state.settings.auth.email_token_hours);
    email_tokens::issue(conn, user_id, purpose, &hash, expires).await?;
    let link = format!(
        "{}/{page}#token={token}",
        state.settings.application.public_url.trim_end_matches('/')
    );
    email::enqueue(conn, &build(&link)).await?;
    Ok(())
}
