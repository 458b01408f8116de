use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{TimeDelta, Utc};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{RefreshRequest, TokenResponse};
use rxgate_persistence::{RlsContext, sessions};

use super::CSRF_HEADER;
use crate::audit::{self, Event};
use crate::auth::session::{
    REFRESH_COOKIE, idle_expired, load_identity, new_refresh_token, refresh_cookie, token_response,
};
use crate::auth::{RequestMeta, tokens};
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
    let now = Utc::now();
    let from_body = body.and_then(|b| b.into_inner().refresh_token);
    let (token, via_cookie) = match from_body {
        Some(t) => (t, false),
        None => {
            let cookie = req.cookie(REFRESH_COOKIE).ok_or_else(invalid)?;
            if req.headers().get(CSRF_HEADER).is_none() {
                return Err(ApiError::Forbidden {
                    code: "CSRF_HEADER_MISSING",
                    detail: format!("Send the `{CSRF_HEADER}` header with cookie-based refresh."),
                });
            }
            (cookie.value().to_owned(), true)
        }
    };
    // System context only to find the token: nobody is known until it matches.
    let mut tx = state.begin_system().await?;
    let Some(found) = sessions::find_refresh_token(&mut tx, &tokens::hash(&token)).await? else {
        return Err(invalid());
    };
    let end = |code: &'static str, detail: &str| ApiError::SessionEnded {
        code,
        detail: detail.into(),
    };
    // A used token presented again means someone else holds a copy: end the session for
    // everyone who has it. Within a few seconds of its use it is a second tab of the same
    // browser that sent the old cookie before the new one arrived, and it gets tokens too.
    let grace = TimeDelta::seconds(state.settings.auth.refresh_reuse_grace_secs);
    if found.used_at.is_some_and(|used| now - used > grace) {
        sessions::revoke(
            &mut tx,
            found.user_id.into(),
            found.session_id.into(),
            "refresh token reused",
        )
        .await?;
        audit::record(
            &mut tx,
            None,
            Some(found.user_id),
            &meta,
            Event::new("refresh_reused", "session", found.session_id).risk("high"),
        )
        .await?;
        tx.commit().await?;
        return Err(end(
            "REFRESH_REUSED",
            "This sign-in was ended for safety. Please sign in again.",
        ));
    }
    if found.session_revoked_at.is_some() {
        return Err(end("SESSION_REVOKED", "This session was signed out."));
    }
    if found.expires_at <= now {
        return Err(end(
            "REFRESH_INVALID",
            "This session has expired. Please sign in again.",
        ));
    }
    // The token is genuine and its session live: the rest acts as its user.
    rxgate_persistence::db::act_as(
        &mut tx,
        &RlsContext {
            session_id: Some(found.session_id),
            ..RlsContext::user(found.user_id, meta.request_id.clone())
        },
    )
    .await?;
    let identity = load_identity(&mut tx, found.user_id).await?;
    if idle_expired(&state, &identity.roles, found.last_seen_at, now) {
        sessions::revoke(
            &mut tx,
            found.user_id.into(),
            found.session_id.into(),
            "idle",
        )
        .await?;
        audit::record(
            &mut tx,
            None,
            Some(found.user_id),
            &meta,
            Event::new("session_idle_timeout", "session", found.session_id),
        )
        .await?;
        tx.commit().await?;
        return Err(end(
            "SESSION_IDLE",
            "You were signed out after a period without activity.",
        ));
    }
    sessions::mark_refresh_token_used(&mut tx, found.token_id).await?;
    sessions::touch(&mut tx, found.session_id).await?;
    let next = new_refresh_token(&mut tx, &state, found.session_id, now).await?;
    tx.commit().await?;

    let response = token_response(
        &state,
        identity,
        found.session_id,
        found.mfa_at.is_some(),
        (!via_cookie).then(|| next.clone()),
        now,
    )?;
    let mut res = HttpResponse::Ok();
    if via_cookie {
        res.cookie(refresh_cookie(&state, &next));
    }
    Ok(res.json(response))
}

fn invalid() -> ApiError {
    ApiError::SessionEnded {
        code: "REFRESH_INVALID",
        detail: "There is no valid session. Please sign in.".into(),
    }
}
