use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{PasskeyAssertion, TokenResponse};
use rxgate_persistence::{passkeys, users};
use webauthn_rs::prelude::{DiscoverableAuthentication, PublicKeyCredential};

use crate::audit::{self, Event};
use crate::auth::RequestMeta;
use crate::auth::passkeys::{ceremony_gone, from_client, from_stored, parse_passkey, record_use};
use crate::auth::session::{check_may_sign_in, open_session};
use crate::error::ApiError;
use crate::state::AppState;

/// Signs in with a passkey alone. A passkey is something you have, unlocked by something you
/// know or are (user verification is required), so the session has passed MFA.
#[utoipa::path(
    tag = "auth",
    request_body = PasskeyAssertion,
    responses(
        (status = OK, body = TokenResponse),
        (status = UNAUTHORIZED, description = "`INVALID_CREDENTIALS`: unknown or unverifiable passkey",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "`EMAIL_NOT_VERIFIED` or `ACCOUNT_SUSPENDED`", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`CEREMONY_EXPIRED`", body = Problem, content_type = "application/problem+json"),
        (status = LOCKED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Malformed credential", body = Problem, content_type = "application/problem+json"),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/passkey")]
pub async fn passkey_login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<PasskeyAssertion>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let credential: PublicKeyCredential = from_client(&body.credential)?;
    // System context only until the passkey verifies: the ceremony and credential lookups
    // happen before anyone is known; open_session then acts as the user.
    let mut tx = state.begin_system().await?;
    let Some(stored) =
        passkeys::take_ceremony(&mut tx, body.ceremony_id, "sign_in", None, None).await?
    else {
        tx.commit().await?;
        return Err(ceremony_gone().into());
    };
    let authentication: DiscoverableAuthentication = from_stored(stored)?;
    let row = match state
        .webauthn
        .identify_discoverable_authentication(&credential)
    {
        Ok((user_id, cred_id)) => passkeys::find_by_credential(&mut tx, cred_id)
            .await?
            .filter(|r| r.user_id == user_id),
        Err(_) => None,
    };
    let Some(row) = row else {
        audit::record(
            &mut tx,
            None,
            None,
            &meta,
            Event::new("login_failed", "user", "")
                .risk("medium")
                .details(serde_json::json!({ "method": "passkey", "reason": "unknown passkey" })),
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::InvalidCredentials);
    };
    let user = users::find(&mut tx, row.user_id).await?;
    if let Some(until) = user.locked_until.filter(|t| *t > now) {
        audit::record(
            &mut tx,
            None,
            Some(user.id),
            &meta,
            Event::new("login_refused_locked", "user", user.id).risk("medium"),
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::Locked {
            retry_after_secs: (until - now).num_seconds(),
        });
    }
    let passkey = parse_passkey(&row)?;
    let result = match state.webauthn.finish_discoverable_authentication_v2(
        &credential,
        authentication,
        &passkey,
    ) {
        Ok(result) => result,
        Err(e) => {
            tracing::info!(error = %e, "passkey sign-in did not verify");
            users::register_login_failure(&mut tx, user.id, now).await?;
            audit::record(
                &mut tx,
                None,
                Some(user.id),
                &meta,
                Event::new("login_failed", "user", user.id)
                    .risk("medium")
                    .details(serde_json::json!({ "method": "passkey" })),
            )
            .await?;
            tx.commit().await?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    if let Err(refused) = check_may_sign_in(&user) {
        tx.rollback().await?;
        return Err(refused);
    }
    record_use(&mut tx, &row, &result).await?;
    let response = open_session(
        &mut tx,
        &state,
        &meta,
        user.id,
        true,
        body.refresh_token_in_body,
        Some(serde_json::json!({ "method": "passkey", "passkey_id": row.id })),
    )
    .await?;
    tx.commit().await?;
    Ok(response)
}
