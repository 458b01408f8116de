use actix_web::{HttpRequest, HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_app::sign_in::{self, Presented};

use super::CSRF_HEADER;
use crate::auth::session::{REFRESH_COOKIE, clear_refresh_cookie};
use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Signs out this session: its refresh token stops working and the cookie is cleared. Works
/// with the access token, or — when that has already expired, e.g. after an idle sign-out —
/// with the refresh cookie plus the `X-Rxgate-Csrf` header.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ()),
    params(("X-Rxgate-Csrf" = Option<String>, Header, description = "Required (any value) when signing out with the cookie")),
    responses(
        (status = NO_CONTENT, description = "Signed out"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Option<PartialPrincipal>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    if let Some(PartialPrincipal(principal)) = principal {
        sign_in::logout(&state.db, &principal, &meta).await?;
    } else {
        let cookie = req
            .cookie(REFRESH_COOKIE)
            .ok_or(ApiError::Unauthenticated)?;
        if req.headers().get(CSRF_HEADER).is_none() {
            return Err(ApiError::Unauthenticated);
        }
        let presented = Presented {
            token: cookie.value().to_owned(),
        };
        sign_in::logout_with_refresh_token(&state.db, &meta, &presented).await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(clear_refresh_cookie(&state))
        .finish())
}
