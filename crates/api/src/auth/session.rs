//! Issuing a session: who the user is now (roles from memberships), a refresh token stored
//! hashed, an access token, and the cookie that carries the refresh token in browsers.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use chrono::{DateTime, TimeDelta, Utc};
use rxgate_api_types::auth::TokenResponse;
use rxgate_api_types::vocab::TokenType;
use rxgate_domain::identity::{MfaStatus, Role};
use rxgate_persistence::{RlsContext, mfa, sessions, users};
use sqlx::PgConnection;
use uuid::Uuid;

pub use rxgate_app::auth::identity::{Identity, load_identity};

use crate::auth::{TokenFacts, tokens};
use crate::error::ApiError;
use crate::state::AppState;

pub const REFRESH_COOKIE: &str = "rxgate_refresh";
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

/// A new refresh token for `session_id`; returns the token to hand out.
pub async fn new_refresh_token(
    conn: &mut PgConnection,
    state: &AppState,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let (token, hash) = tokens::new_token();
    let expires = now + TimeDelta::days(state.settings.auth.refresh_token_days);
    sessions::insert_refresh_token(conn, session_id, &hash, expires).await?;
    Ok(token)
}

pub fn token_response(
    state: &AppState,
    identity: Identity,
    session_id: Uuid,
    mfa: bool,
    refresh_in_body: Option<String>,
    now: DateTime<Utc>,
) -> Result<TokenResponse, ApiError> {
    let roles: Vec<Role> = identity
        .roles
        .iter()
        .filter_map(|r| r.parse().ok())
        .collect();
    let status = MfaStatus::of(&roles, identity.mfa_enrolled, mfa);
    let access = state
        .keys
        .issue(
            TokenFacts {
                user_id: identity.me.id,
                session_id,
                roles: identity.roles,
                clinics: identity.clinics,
                clinic_roles: identity.clinic_roles,
                pharmacies: identity.pharmacies,
                mfa,
                mfa_enrolled: identity.mfa_enrolled,
            },
            now,
        )
        .map_err(ApiError::internal)?;
    Ok(TokenResponse {
        access_token: access,
        token_type: TokenType::Bearer,
        expires_in: state.keys.ttl().num_seconds(),
        refresh_token: refresh_in_body,
        user: identity.me,
        mfa: status.into(),
    })
}

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

/// Whether a session with these roles has been idle too long at `now`.
pub fn idle_expired(
    state: &AppState,
    roles: &[String],
    last_seen: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    let staff = roles.iter().any(|r| r != "patient");
    let minutes = if staff {
        state.settings.auth.staff_idle_minutes
    } else {
        state.settings.auth.patient_idle_minutes
    };
    now - last_seen > TimeDelta::minutes(minutes)
}

/// Refuses suspended accounts and unverified email addresses (checked after the credential,
/// so these answers never tell a stranger that an account exists).
pub fn check_may_sign_in(user: &users::UserRow) -> Result<(), ApiError> {
    if user.status == rxgate_domain::identity::UserStatus::Suspended {
        return Err(ApiError::Forbidden {
            code: "ACCOUNT_SUSPENDED",
            detail: "This account is suspended.".into(),
        });
    }
    if user.email_verified_at.is_none() {
        return Err(ApiError::Forbidden {
            code: "EMAIL_NOT_VERIFIED",
            detail: "Verify your email address first: open the link we sent you.".into(),
        });
    }
    Ok(())
}

/// A new session for a user who just proved who they are: resets the failure count, stores
/// the session and its refresh token, audits the sign-in, and builds the answer with the
/// refresh cookie (and the token in the body when asked).
pub async fn open_session(
    conn: &mut PgConnection,
    state: &AppState,
    meta: &crate::auth::RequestMeta,
    user_id: Uuid,
    mfa_passed: bool,
    refresh_in_body: bool,
    details: Option<serde_json::Value>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let now = Utc::now();
    // From here the sign-in acts as the user it has just authenticated, not as the system.
    rxgate_persistence::db::act_as(conn, &RlsContext::user(user_id, meta.request_id.clone()))
        .await?;
    users::record_login_success(conn, user_id).await?;
    let session_id = sessions::create(
        conn,
        user_id,
        meta.ip.as_deref(),
        meta.user_agent.as_deref(),
    )
    .await?;
    if mfa_passed {
        mfa::mark_session_mfa(conn, session_id).await?;
    }
    let refresh = new_refresh_token(conn, state, session_id, now).await?;
    let identity = load_identity(conn, user_id).await?;
    let mut event = crate::audit::Event::new("login", "session", session_id);
    if let Some(details) = details {
        event = event.details(details);
    }
    crate::audit::record(conn, None, Some(user_id), meta, event).await?;
    let cookie = refresh_cookie(state, &refresh);
    let body_token = refresh_in_body.then_some(refresh);
    let response = token_response(state, identity, session_id, mfa_passed, body_token, now)?;
    Ok(actix_web::HttpResponse::Ok().cookie(cookie).json(response))
}
