use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::PasskeyChallenge;
use rxgate_domain::identity::MfaStatus;
use rxgate_persistence::{passkeys, users};

use crate::audit::{self, Event};
use crate::auth::passkeys::{MAX_PASSKEYS, expiry, parse_passkey, prefer_discoverable, to_json};
use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Starts registering a passkey for the caller. Staff without a second factor may do this to
/// set one up; anyone who has one must have passed it this session first.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = OK, body = PasskeyChallenge),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "`MFA_REQUIRED`", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`TOO_MANY_PASSKEYS`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/passkeys/options")]
pub async fn passkey_options(
    state: web::Data<AppState>,
    partial: PartialPrincipal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    require_factor_passed(&partial)?;
    let principal = partial.0;
    let mut tx = state.begin_as(&principal).await?;
    let user = users::find(&mut tx, principal.user_id).await?;
    let existing = passkeys::list_for_user(&mut tx, principal.user_id).await?;
    if i64::try_from(existing.len()).unwrap_or(i64::MAX) >= MAX_PASSKEYS {
        return Err(ApiError::Conflict {
            code: "TOO_MANY_PASSKEYS",
            detail: format!(
                "An account can have at most {MAX_PASSKEYS} passkeys. Remove one first."
            ),
        });
    }
    let exclude = existing
        .iter()
        .map(|row| parse_passkey(row).map(|p| p.cred_id().clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let (options, registration) = state
        .webauthn
        .start_passkey_registration(user.id, &user.email, &user.display_name, Some(exclude))
        .map_err(ApiError::internal)?;
    let ceremony_id = passkeys::start_ceremony(
        &mut tx,
        Some(principal.user_id),
        None,
        "register",
        &to_json(&registration)?,
        expiry(Utc::now()),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("passkey_registration_started", "user", principal.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(PasskeyChallenge {
        ceremony_id,
        options: to_json(&prefer_discoverable(options))?,
    }))
}

/// Adding a factor needs the existing one passed: a stolen password alone must not be enough
/// to plant an attacker's passkey.
pub(crate) fn require_factor_passed(partial: &PartialPrincipal) -> Result<(), ApiError> {
    match partial.mfa_status() {
        MfaStatus::Required => Err(ApiError::Forbidden {
            code: "MFA_REQUIRED",
            detail: "Pass your second factor first.".into(),
        }),
        MfaStatus::Satisfied | MfaStatus::NotRequired | MfaStatus::EnrolmentRequired => Ok(()),
    }
}
