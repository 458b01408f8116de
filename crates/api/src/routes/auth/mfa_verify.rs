use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::auth::{MfaVerifyRequest, TokenResponse};
use rxgate_api_types::{FieldError, Problem};
use rxgate_persistence::{mfa, users};

use crate::audit::{self, Event};
use crate::auth::session::{load_identity, token_response};
use crate::auth::{PartialPrincipal, RequestMeta, tokens, totp};
use crate::error::ApiError;
use crate::state::AppState;

/// Passes the second factor for this session with an authenticator code or a recovery code.
/// Wrong codes count towards the account lockout like wrong passwords.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = MfaVerifyRequest,
    responses(
        (status = OK, body = TokenResponse),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`MFA_NOT_ENROLLED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Wrong or reused code", body = Problem, content_type = "application/problem+json"),
        (status = LOCKED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/mfa/verify")]
pub async fn mfa_verify(
    state: web::Data<AppState>,
    PartialPrincipal(principal): PartialPrincipal,
    meta: RequestMeta,
    body: web::Json<MfaVerifyRequest>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    // Counting failures writes the user row, which only the system context may do.
    // The caller is known (a signed-in session waiting for its second factor).
    let mut tx = state.begin_as(&principal).await?;
    let user = users::find(&mut tx, principal.user_id).await?;
    if let Some(until) = user.locked_until.filter(|t| *t > now) {
        return Err(ApiError::Locked {
            retry_after_secs: (until - now).num_seconds(),
        });
    }
    let row = mfa::find_totp(&mut tx, principal.user_id)
        .await?
        .filter(|r| r.confirmed_at.is_some())
        .ok_or_else(|| ApiError::Conflict {
            code: "MFA_NOT_ENROLLED",
            detail: "No authenticator app is set up for this account.".into(),
        })?;
    let passed = match (&body.code, &body.recovery_code) {
        (Some(code), _) => {
            let secret = state
                .data_keys
                .open(&row.key_id, &row.secret_enc, principal.user_id.as_bytes())
                .map_err(ApiError::internal)?;
            match totp::matching_step(&secret, code, now) {
                Some(step) if row.last_used_step.is_none_or(|last| step > last) => {
                    mfa::record_totp_step(&mut tx, principal.user_id, step).await?;
                    true
                }
                _ => false,
            }
        }
        (None, Some(recovery)) => {
            let hash = tokens::hash(&totp::normalise_recovery_code(recovery));
            mfa::use_recovery_code(&mut tx, principal.user_id, &hash).await?
        }
        (None, None) => false,
    };
    if !passed {
        users::register_login_failure(&mut tx, user.id, now).await?;
        audit::record(
            &mut tx,
            Some(&principal),
            None,
            &meta,
            Event::new("mfa_failed", "session", principal.session_id).risk("medium"),
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::Validation(vec![FieldError {
            field: if body.recovery_code.is_some() && body.code.is_none() {
                "recovery_code"
            } else {
                "code"
            }
            .into(),
            code: "mfa".into(),
            message: "That code is not right, or was already used.".into(),
        }]));
    }
    users::record_login_success(&mut tx, user.id).await?;
    mfa::mark_session_mfa(&mut tx, principal.session_id).await?;
    let identity = load_identity(&mut tx, principal.user_id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new(
            if body.code.is_some() {
                "mfa_passed"
            } else {
                "mfa_recovery_code_used"
            },
            "session",
            principal.session_id,
        )
        .risk(if body.code.is_some() { "low" } else { "high" }),
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
