use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{PasskeyAssertion, TokenResponse};
use rxgate_app::sign_in;

use crate::auth::RequestMeta;
use crate::auth::session::{delivery, signed_in};
use crate::error::ApiError;
use crate::state::AppState;

/// Signs in with a passkey alone. A passkey is something you have, unlocked by something you
/// know or are (user verification is required), so the session has passed MFA.
#[utoipa::path(
    tag = "auth",
    request_body = PasskeyAssertion,
    responses(
        (status = OK, body = TokenResponse),
        (status = UNAUTHORIZED, description = "`INVALID_CREDENTIALS`: unknown or unverifiable passkey",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "`EMAIL_NOT_VERIFIED` or `ACCOUNT_SUSPENDED`", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`CEREMONY_EXPIRED`", body = Problem, content_type = "application/problem+json"),
        (status = LOCKED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Malformed credential", body = Problem, content_type = "application/problem+json"),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/passkey")]
pub async fn passkey_login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<PasskeyAssertion>,
) -> Result<HttpResponse, ApiError> {
    let done =
        sign_in::passkey_login(state.auth(), &meta, body.ceremony_id, &body.credential).await?;
    Ok(signed_in(
        &state,
        done,
        delivery(body.refresh_token_in_body),
    ))
}
