use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::PasskeyChallenge;
use rxgate_app::account;

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
    let challenge =
        account::passkey_options(&state.db, &state.webauthn, &partial.0, &meta, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(challenge))
}
