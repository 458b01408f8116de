use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{CodeInput, MfaEnrolled};
use rxgate_app::account;

use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;
use rxgate_app::sign_in::token_response;

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
    let confirmed = account::confirm_totp(
        &state.db,
        &state.data_keys,
        &principal,
        &meta,
        &body.code,
        now,
    )
    .await?;
    let tokens = token_response(
        state.auth(),
        confirmed.identity,
        principal.session_id,
        true,
        now,
    )?;
    Ok(HttpResponse::Ok().json(MfaEnrolled {
        recovery_codes: confirmed.recovery_codes,
        tokens,
    }))
}
