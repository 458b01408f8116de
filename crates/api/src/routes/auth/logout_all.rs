use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_app::sign_in;

use crate::auth::session::clear_refresh_cookie;
use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Signs out every session of the caller, on every device.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = NO_CONTENT, description = "Every session signed out"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/logout-all")]
pub async fn logout_all(
    state: web::Data<AppState>,
    PartialPrincipal(principal): PartialPrincipal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    sign_in::logout_everywhere(&state.db, &principal, &meta).await?;
    Ok(HttpResponse::NoContent()
        .cookie(clear_refresh_cookie(&state))
        .finish())
}
