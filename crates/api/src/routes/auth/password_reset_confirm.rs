use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::PasswordResetConfirm;
use rxgate_app::registration;

use crate::auth::RequestMeta;
use crate::error::ApiError;
use crate::state::AppState;

/// Sets a new password with the token from the emailed link, and signs out every session.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = NO_CONTENT, description = "Password changed"),
        (status = BAD_REQUEST, description = "`INVALID_TOKEN` or `TOKEN_EXPIRED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Password breaks the policy", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password-reset/confirm")]
pub async fn password_reset_confirm(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    registration::reset_password(&state.db, &meta, &body.token, &body.password).await?;
    Ok(HttpResponse::NoContent().finish())
}
