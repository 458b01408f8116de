use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{LoginRequest, TokenResponse};
use rxgate_app::sign_in;

use crate::auth::RequestMeta;
use crate::auth::session::{delivery, signed_in};
use crate::error::ApiError;
use crate::state::AppState;

/// Signs in with email and password. Browsers receive the refresh token as an HttpOnly
/// cookie; native apps may ask for it in the body.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = OK, body = TokenResponse),
        (status = UNAUTHORIZED, description = "`INVALID_CREDENTIALS` (unknown email and wrong password look the same)",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "`EMAIL_NOT_VERIFIED` or `ACCOUNT_SUSPENDED`", body = Problem, content_type = "application/problem+json"),
        (status = LOCKED, description = "`ACCOUNT_LOCKED` after repeated failures; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/login")]
pub async fn login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let done = sign_in::login(state.auth(), &meta, &body.email, body.password).await?;
    Ok(signed_in(
        &state,
        done,
        delivery(body.refresh_token_in_body),
    ))
}
