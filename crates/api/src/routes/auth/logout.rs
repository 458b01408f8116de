use actix_web::{HttpRequest, HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_persistence::sessions;

use super::CSRF_HEADER;
use crate::audit::{self, Event};
use crate::auth::session::{REFRESH_COOKIE, clear_refresh_cookie};
use crate::auth::{PartialPrincipal, RequestMeta, tokens};
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
    let done = || {
        HttpResponse::NoContent()
            .cookie(clear_refresh_cookie(&state))
            .finish()
    };
    if let Some(PartialPrincipal(principal)) = principal {
        let mut tx = state.begin_as(&principal).await?;
        sessions::revoke(
            &mut tx,
            principal.user_id.into(),
            principal.session_id.into(),
            "logout",
        )
        .await?;
        audit::record(
            &mut tx,
            Some(&principal),
            None,
            &meta,
            Event::new("logout", "session", principal.session_id),
        )
        .await?;
        tx.commit().await?;
        return Ok(done());
    }
    let cookie = req
        .cookie(REFRESH_COOKIE)
        .ok_or(ApiError::Unauthenticated)?;
    if req.headers().get(CSRF_HEADER).is_none() {
        return Err(ApiError::Unauthenticated);
    }
    // System context only to find the cookie's token; the revocation acts as its user.
    let mut tx = state.begin_system().await?;
    if let Some(found) =
        sessions::find_refresh_token(&mut tx, &tokens::hash(cookie.value())).await?
    {
        rxgate_persistence::db::act_as(
            &mut tx,
            &rxgate_persistence::RlsContext::user(found.user_id, meta.request_id.clone()),
        )
        .await?;
        sessions::revoke(
            &mut tx,
            found.user_id.into(),
            found.session_id.into(),
            "logout",
        )
        .await?;
        audit::record(
            &mut tx,
            None,
            Some(found.user_id),
            &meta,
            Event::new("logout", "session", found.session_id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done())
}
