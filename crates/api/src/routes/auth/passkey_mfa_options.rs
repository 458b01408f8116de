use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::PasskeyChallenge;
use rxgate_app::sign_in;

use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Starts passing the second factor of this session with one of the caller's passkeys.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = OK, body = PasskeyChallenge),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`MFA_NOT_ENROLLED`: no passkey is set up", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/mfa/passkey/options")]
pub async fn passkey_mfa_options(
    state: web::Data<AppState>,
    PartialPrincipal(principal): PartialPrincipal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let challenge = sign_in::passkey_mfa_options(state.auth(), &principal, &meta).await?;
    Ok(HttpResponse::Ok().json(challenge))
}
