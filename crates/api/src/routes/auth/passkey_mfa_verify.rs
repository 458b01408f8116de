use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{PasskeyAssertion, TokenResponse};
use rxgate_app::sign_in;

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
    let tokens = sign_in::passkey_mfa_verify(
        state.auth(),
        &principal,
        &meta,
        body.ceremony_id,
        &body.credential,
    )
    .await?;
    Ok(HttpResponse::Ok().json(tokens))
}
