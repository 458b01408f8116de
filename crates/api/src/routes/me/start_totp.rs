use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::TotpEnrolment;
use rxgate_persistence::{mfa, users};

use crate::audit::{self, Event};
use crate::auth::{PartialPrincipal, RequestMeta, totp};
use crate::error::ApiError;
use crate::state::AppState;

/// Starts setting up an authenticator app: a new secret, as a QR code and for manual entry.
/// Nothing changes until a code is confirmed. Starting again replaces an unconfirmed secret.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = OK, body = TotpEnrolment),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`MFA_ALREADY_ENROLLED`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/mfa/totp")]
pub async fn start_totp(
    state: web::Data<AppState>,
    PartialPrincipal(principal): PartialPrincipal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let mut tx = state.begin_as(&principal).await?;
    let user = users::find(&mut tx, principal.user_id).await?;
    let secret = totp::new_secret();
    let sealed = state
        .data_keys
        .seal(&secret, principal.user_id.as_bytes())
        .map_err(ApiError::internal)?;
    if !mfa::start_totp(
        &mut tx,
        principal.user_id,
        &sealed,
        state.data_keys.current_id(),
    )
    .await?
    {
        return Err(ApiError::Conflict {
            code: "MFA_ALREADY_ENROLLED",
            detail: "An authenticator app is already set up for this account.".into(),
        });
    }
    let (secret, otpauth_url, qr_svg) = totp::enrolment(&secret, &user.email)
        .ok_or_else(|| ApiError::Internal("TOTP enrolment could not be built".into()))?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("mfa_enrolment_started", "user", principal.user_id).risk("medium"),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(TotpEnrolment {
        secret,
        otpauth_url,
        qr_svg,
    }))
}
