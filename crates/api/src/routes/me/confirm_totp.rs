use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::auth::{CodeInput, MfaEnrolled};
use rxgate_api_types::{FieldError, Problem};
use rxgate_persistence::mfa;

use crate::audit::{self, Event};
use crate::auth::session::{load_identity, token_response};
use crate::auth::{PartialPrincipal, RequestMeta, tokens, totp};
use crate::error::ApiError;
use crate::state::AppState;

/// Finishes setting up the authenticator app with a current code. Returns ten single-use
/// recovery codes (shown only now) and tokens for this session with the second factor passed.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = CodeInput,
    responses(
        (status = OK, body = MfaEnrolled),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`MFA_NOT_STARTED` or `MFA_ALREADY_ENROLLED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Wrong code", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/mfa/totp/confirm")]
pub async fn confirm_totp(
    state: web::Data<AppState>,
    PartialPrincipal(principal): PartialPrincipal,
    meta: RequestMeta,
    body: web::Json<CodeInput>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let mut tx = state.begin_as(&principal).await?;
    let Some(row) = mfa::find_totp(&mut tx, principal.user_id).await? else {
        return Err(ApiError::Conflict {
            code: "MFA_NOT_STARTED",
            detail: "Start the set-up first.".into(),
        });
    };
    if row.confirmed_at.is_some() {
        return Err(ApiError::Conflict {
            code: "MFA_ALREADY_ENROLLED",
            detail: "An authenticator app is already set up for this account.".into(),
        });
    }
    let secret = state
        .data_keys
        .open(&row.key_id, &row.secret_enc, principal.user_id.as_bytes())
        .map_err(ApiError::internal)?;
    let Some(step) = totp::matching_step(&secret, &body.code, now) else {
        return Err(ApiError::Validation(vec![FieldError {
            field: "code".into(),
            code: "totp".into(),
            message:
                "That code is not right. Check the time on your phone and try the newest code."
                    .into(),
        }]));
    };
    mfa::confirm_totp(&mut tx, principal.user_id, step).await?;
    let codes = totp::recovery_codes();
    let hashes: Vec<Vec<u8>> = codes
        .iter()
        .map(|c| tokens::hash(&totp::normalise_recovery_code(c)))
        .collect();
    mfa::replace_recovery_codes(&mut tx, principal.user_id, &hashes).await?;
    mfa::mark_session_mfa(&mut tx, principal.session_id).await?;
    let identity = load_identity(&mut tx, principal.user_id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("mfa_enrolled", "user", principal.user_id).risk("medium"),
    )
    .await?;
    tx.commit().await?;
    let tokens = token_response(&state, identity, principal.session_id, true, None, now)?;
    Ok(HttpResponse::Ok().json(MfaEnrolled {
        recovery_codes: codes,
        tokens,
    }))
}
