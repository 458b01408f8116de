use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{PasskeyAssertion, TokenResponse};
use rxgate_persistence::{mfa, passkeys, users};
use webauthn_rs::prelude::{PasskeyAuthentication, PublicKeyCredential};

use crate::audit::{self, Event};
use crate::auth::passkeys::{ceremony_gone, from_client, from_stored, not_verified, record_use};
use crate::auth::session::{load_identity, token_response};
use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Passes the second factor of this session with a passkey. Failures count towards the
/// account lockout like wrong codes.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = PasskeyAssertion,
    responses(
        (status = OK, body = TokenResponse),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`CEREMONY_EXPIRED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "The passkey did not verify", body = Problem, content_type = "application/problem+json"),
        (status = LOCKED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/mfa/passkey")]
pub async fn passkey_mfa_verify(
    state: web::Data<AppState>,
    PartialPrincipal(principal): PartialPrincipal,
    meta: RequestMeta,
    body: web::Json<PasskeyAssertion>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let credential: PublicKeyCredential = from_client(&body.credential)?;
    // Counting failures writes the user row, which only the system context may do.
    // The caller is known (a signed-in session waiting for its second factor).
    let mut tx = state.begin_as(&principal).await?;
    let user = users::find(&mut tx, principal.user_id).await?;
    if let Some(until) = user.locked_until.filter(|t| *t > now) {
        return Err(ApiError::Locked {
            retry_after_secs: (until - now).num_seconds(),
        });
    }
    let Some(stored) = passkeys::take_ceremony(
        &mut tx,
        body.ceremony_id,
        "second_factor",
        Some(principal.user_id),
        Some(principal.session_id),
    )
    .await?
    else {
        tx.commit().await?;
        return Err(ceremony_gone().into());
    };
    let authentication: PasskeyAuthentication = from_stored(stored)?;
    let verified = state
        .webauthn
        .finish_passkey_authentication(&credential, &authentication);
    let row = match &verified {
        Ok(result) => passkeys::find_by_credential(&mut tx, result.cred_id().as_ref())
            .await?
            .filter(|r| r.user_id == principal.user_id),
        Err(_) => None,
    };
    let (Ok(result), Some(row)) = (verified, row) else {
        users::register_login_failure(&mut tx, user.id, now).await?;
        audit::record(
            &mut tx,
            Some(&principal),
            None,
            &meta,
            Event::new("mfa_failed", "session", principal.session_id)
                .risk("medium")
                .details(serde_json::json!({ "method": "passkey" })),
        )
        .await?;
        tx.commit().await?;
        return Err(not_verified().into());
    };
    record_use(&mut tx, &row, &result).await?;
    users::record_login_success(&mut tx, user.id).await?;
    mfa::mark_session_mfa(&mut tx, principal.session_id).await?;
    let identity = load_identity(&mut tx, principal.user_id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("mfa_passed", "session", principal.session_id)
            .details(serde_json::json!({ "method": "passkey", "passkey_id": row.id })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(token_response(
        &state,
        identity,
        principal.session_id,
        true,
        None,
        now,
    )?))
}
