//! How a signed-in session's tokens reach the client: the answer's body and the HttpOnly cookie
//! that carries the refresh token in browsers (the use cases are in `rxgate_app::sign_in`).

use actix_web::HttpResponse;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use rxgate_app::sign_in::SignedIn;

use crate::state::AppState;

pub const REFRESH_COOKIE: &str = "rxgate_refresh";
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

/// The HttpOnly cookie carrying the refresh token (scoped to the auth endpoints only).
pub fn refresh_cookie(state: &AppState, token: &str) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token.to_owned())
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(state.settings.auth.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(state.settings.auth.refresh_token_days))
        .finish()
}

pub fn clear_refresh_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = refresh_cookie(state, "");
    cookie.make_removal();
    cookie
}

/// How a new refresh token travels: browsers keep it in the HttpOnly cookie; native apps ask
/// for it in the body (a sign-in may do both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshDelivery {
    Cookie,
    Body,
    CookieAndBody,
}

/// The answer to a sign-in or refresh: the tokens, and the refresh token where it was asked for.
pub fn signed_in(state: &AppState, done: SignedIn, delivery: RefreshDelivery) -> HttpResponse {
    let SignedIn {
        mut tokens,
        refresh_token,
    } = done;
    let mut res = HttpResponse::Ok();
    if let Some(refresh) = refresh_token {
        if delivery != RefreshDelivery::Body {
            res.cookie(refresh_cookie(state, &refresh));
        }
        if delivery != RefreshDelivery::Cookie {
            tokens.refresh_token = Some(refresh);
        }
    }
    res.json(tokens)
}

/// A sign-in's delivery: always the cookie, and the body too when a native app asks.
pub fn delivery(refresh_token_in_body: bool) -> RefreshDelivery {
    if refresh_token_in_body {
        RefreshDelivery::CookieAndBody
    } else {
        RefreshDelivery::Cookie
    }
}
