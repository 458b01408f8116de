use actix_web::{HttpRequest, HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{RefreshRequest, TokenResponse};
use rxgate_app::sign_in::{self, Presented};

use super::CSRF_HEADER;
use crate::auth::RequestMeta;
use crate::auth::session::{REFRESH_COOKIE, RefreshDelivery, signed_in};
use crate::error::ApiError;
use crate::state::AppState;

/// Exchanges a refresh token for a new access token and a new refresh token. Each refresh
/// token works once: presenting a used one again revokes the whole session (it was copied).
/// Browsers send the cookie plus the `X-Rxgate-Csrf: 1` header; native apps send the token
/// in the body.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    params(("X-Rxgate-Csrf" = Option<String>, Header, description = "Required (any value) when the token comes from the cookie")),
    responses(
        (status = OK, body = TokenResponse),
        (status = UNAUTHORIZED, description = "`REFRESH_INVALID`, `REFRESH_REUSED`, `SESSION_IDLE` or `SESSION_REVOKED`",
            body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "`CSRF_HEADER_MISSING`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/refresh")]
pub async fn refresh(
    req: HttpRequest,
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: Option<web::Json<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let from_body = body.and_then(|b| b.into_inner().refresh_token);
    let (token, via_cookie) = match from_body {
        Some(t) => (t, false),
        None => {
            let cookie = req
                .cookie(REFRESH_COOKIE)
                .ok_or_else(|| ApiError::SessionEnded {
                    code: "REFRESH_INVALID",
                    detail: "There is no valid session. Please sign in.".into(),
                })?;
            if req.headers().get(CSRF_HEADER).is_none() {
                return Err(ApiError::Forbidden {
                    code: "CSRF_HEADER_MISSING",
                    detail: format!("Send the `{CSRF_HEADER}` header with cookie-based refresh."),
                });
            }
            (cookie.value().to_owned(), true)
        }
    };
    let done = sign_in::refresh(state.auth(), &meta, &Presented { token }).await?;
    // The new token goes back the way the old one came.
    Ok(signed_in(
        &state,
        done,
        if via_cookie {
            RefreshDelivery::Cookie
        } else {
            RefreshDelivery::Body
        },
    ))
}
