use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{MfaVerifyRequest, TokenResponse};
use rxgate_app::sign_in;

use crate::auth::{PartialPrincipal, RequestMeta};
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
    let tokens = sign_in::verify_totp(
        state.auth(),
        &principal,
        &meta,
        body.code.as_deref(),
        body.recovery_code.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(tokens))
}
