use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::PasskeyChallenge;
use rxgate_persistence::passkeys;

use crate::auth::PartialPrincipal;
use crate::auth::passkeys::{expiry, parse_passkey, to_json};
use crate::error::ApiError;
use crate::state::AppState;

/// Starts passing the second factor of this session with one of the caller's passkeys.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = OK, body = PasskeyChallenge),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`MFA_NOT_ENROLLED`: no passkey is set up", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/mfa/passkey/options")]
pub async fn passkey_mfa_options(
    state: web::Data<AppState>,
    PartialPrincipal(principal): PartialPrincipal,
) -> Result<HttpResponse, ApiError> {
    let mut tx = state.begin_as(&principal).await?;
    let keys = passkeys::list_for_user(&mut tx, principal.user_id)
        .await?
        .iter()
        .map(parse_passkey)
        .collect::<Result<Vec<_>, _>>()?;
    if keys.is_empty() {
        return Err(ApiError::Conflict {
            code: "MFA_NOT_ENROLLED",
            detail: "No passkey is set up for this account.".into(),
        });
    }
    let (options, authentication) = state
        .webauthn
        .start_passkey_authentication(&keys)
        .map_err(ApiError::internal)?;
    let ceremony_id = passkeys::start_ceremony(
        &mut tx,
        Some(principal.user_id),
        Some(principal.session_id),
        "second_factor",
        &to_json(&authentication)?,
        expiry(Utc::now()),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(PasskeyChallenge {
        ceremony_id,
        options: to_json(&options)?,
    }))
}
