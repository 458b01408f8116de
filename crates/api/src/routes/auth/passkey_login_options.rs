use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::PasskeyChallenge;
use rxgate_persistence::passkeys;

use crate::auth::passkeys::{expiry, modal, to_json};
use crate::error::ApiError;
use crate::state::AppState;

/// Starts a passwordless sign-in: the authenticator offers the passkeys it holds for this
/// site and names the account itself.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = OK, body = PasskeyChallenge),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/passkey/options")]
pub async fn passkey_login_options(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (options, authentication) = state
        .webauthn
        .start_discoverable_authentication()
        .map_err(ApiError::internal)?;
    // No user yet: only the system context may hold a ceremony without one.
    // System context: nobody is known yet (the ceremony asks for any passkey of this site).
    let mut tx = state.begin_system().await?;
    let ceremony_id = passkeys::start_ceremony(
        &mut tx,
        None,
        None,
        "sign_in",
        &to_json(&authentication)?,
        expiry(Utc::now()),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(PasskeyChallenge {
        ceremony_id,
        options: to_json(&modal(options))?,
    }))
}
