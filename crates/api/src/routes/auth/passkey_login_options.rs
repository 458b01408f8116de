use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::PasskeyChallenge;
use rxgate_app::sign_in;

use crate::auth::RequestMeta;
use crate::error::ApiError;
use crate::state::AppState;

/// Starts a passwordless sign-in: the authenticator offers the passkeys it holds for this
/// site and names the account itself.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = OK, body = PasskeyChallenge),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/passkey/options")]
pub async fn passkey_login_options(
    state: web::Data<AppState>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let challenge = sign_in::passkey_login_options(state.auth(), &meta).await?;
    Ok(HttpResponse::Ok().json(challenge))
}
