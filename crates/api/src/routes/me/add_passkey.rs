use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::FieldError;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{PasskeyRegistered, PasskeyRegistration};
use rxgate_persistence::{mfa, passkeys};
use webauthn_rs::prelude::{PasskeyRegistration as RegistrationState, RegisterPublicKeyCredential};

use super::passkey_options::require_factor_passed;
use crate::audit::{self, Event};
use crate::auth::passkeys::{ceremony_gone, from_client, from_stored, passkey_view, to_json};
use crate::auth::session::{load_identity, token_response};
use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// Finishes registering a passkey with the authenticator's answer. The passkey counts as a
/// second factor from now on, and this session as having passed it.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = PasskeyRegistration,
    responses(
        (status = CREATED, body = PasskeyRegistered),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "`MFA_REQUIRED`", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`CEREMONY_EXPIRED` or `PASSKEY_ALREADY_REGISTERED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "The credential is malformed or does not verify", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/passkeys")]
pub async fn add_passkey(
    state: web::Data<AppState>,
    partial: PartialPrincipal,
    meta: RequestMeta,
    body: ValidatedJson<PasskeyRegistration>,
) -> Result<HttpResponse, ApiError> {
    require_factor_passed(&partial)?;
    let principal = partial.0;
    if body.name.trim().is_empty() {
        return Err(ApiError::Validation(vec![FieldError {
            field: "name".into(),
            code: "length".into(),
            message: "Give the passkey a name.".into(),
        }]));
    }
    let credential: RegisterPublicKeyCredential = from_client(&body.credential)?;
    let mut tx = state.begin_as(&principal).await?;
    let stored = passkeys::take_ceremony(
        &mut tx,
        body.ceremony_id,
        "register",
        Some(principal.user_id),
        None,
    )
    .await?;
    let Some(stored) = stored else {
        tx.commit().await?;
        return Err(ceremony_gone().into());
    };
    let registration: RegistrationState = from_stored(stored)?;
    let passkey = match state
        .webauthn
        .finish_passkey_registration(&credential, &registration)
    {
        Ok(p) => p,
        Err(e) => {
            tracing::info!(error = %e, "passkey registration did not verify");
            // The ceremony is used up either way.
            tx.commit().await?;
            return Err(ApiError::Validation(vec![FieldError {
                field: "credential".into(),
                code: "webauthn".into(),
                message: "The passkey could not be verified. Try again.".into(),
            }]));
        }
    };
    let row = passkeys::insert(
        &mut tx,
        principal.user_id,
        passkey.cred_id().as_ref(),
        body.name.trim(),
        &to_json(&passkey)?,
    )
    .await?;
    mfa::mark_session_mfa(&mut tx, principal.session_id).await?;
    // An authenticator-app set-up started and left for this passkey is not kept.
    mfa::discard_unconfirmed_totp(&mut tx, principal.user_id).await?;
    let identity = load_identity(&mut tx, principal.user_id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("passkey_registered", "passkey", row.id).risk("medium"),
    )
    .await?;
    tx.commit().await?;
    let tokens = token_response(
        &state,
        identity,
        principal.session_id,
        true,
        None,
        Utc::now(),
    )?;
    Ok(HttpResponse::Created().json(PasskeyRegistered {
        passkey: passkey_view(&row),
        tokens,
    }))
}
