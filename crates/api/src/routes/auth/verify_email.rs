use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::TokenInput;
use rxgate_app::registration;

use crate::auth::RequestMeta;
use crate::error::ApiError;
use crate::state::AppState;

/// Confirms an email address with the token from the emailed link.
#[utoipa::path(
    tag = "auth",
    request_body = TokenInput,
    responses(
        (status = NO_CONTENT, description = "Email verified"),
        (status = BAD_REQUEST, description = "`INVALID_TOKEN` or `TOKEN_EXPIRED`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<TokenInput>,
) -> Result<HttpResponse, ApiError> {
    registration::verify_email(&state.db, &meta, &body.token).await?;
    Ok(HttpResponse::NoContent().finish())
}
