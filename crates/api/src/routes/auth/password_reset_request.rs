use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{EmailInput, SignupAccepted};
use rxgate_app::registration;

use crate::auth::RequestMeta;
use crate::error::ApiError;
use crate::state::AppState;

/// Emails a password-reset link if the address has an account. Answers the same for every
/// well-formed address, known or not; a malformed one is 422.
#[utoipa::path(
    tag = "auth",
    request_body = EmailInput,
    responses(
        (status = ACCEPTED, body = SignupAccepted),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password-reset")]
pub async fn password_reset_request(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<EmailInput>,
) -> Result<HttpResponse, ApiError> {
    registration::request_password_reset(&state.db, &state.settings, &meta, &body.email).await?;
    Ok(HttpResponse::Accepted().json(SignupAccepted {
        message: "If that address has an account, a reset link is on its way.".into(),
    }))
}
