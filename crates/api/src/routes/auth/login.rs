use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{LoginRequest, TokenResponse};
use rxgate_persistence::users;

use crate::audit::{self, Event};
use crate::auth::session::{check_may_sign_in, open_session};
use crate::auth::{RequestMeta, passwords};
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
    let now = Utc::now();
    let email = body.email.trim().to_lowercase();
    // System context only until the password matches: looking the address up and counting a
    // failure happen before anyone is known; open_session then acts as the user.
    let mut tx = state.begin_system().await?;
    let user = users::find_by_email(&mut tx, &email).await?;

    if let Some((id, until)) = user
        .as_ref()
        .and_then(|u| u.locked_until.filter(|t| *t > now).map(|t| (u.id, t)))
    {
        audit::record(
            &mut tx,
            None,
            Some(id),
            &meta,
            Event::new("login_refused_locked", "user", id).risk("medium"),
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::Locked {
            retry_after_secs: (until - now).num_seconds(),
        });
    }
    let ok = passwords::verify(
        body.password.clone(),
        user.as_ref().and_then(|u| u.password_hash.clone()),
    )
    .await?;
    let user = match user {
        Some(u) if ok => u,
        user => {
            if let Some(u) = &user {
                users::register_login_failure(&mut tx, u.id, now).await?;
            }
            audit::record(
                &mut tx,
                None,
                user.as_ref().map(|u| u.id),
                &meta,
                Event::new(
                    "login_failed",
                    "user",
                    user.as_ref().map(|u| u.id.to_string()).unwrap_or_default(),
                )
                .risk("medium"),
            )
            .await?;
            tx.commit().await?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    if let Err(refused) = check_may_sign_in(&user) {
        tx.rollback().await?;
        return Err(refused);
    }
    let response = open_session(
        &mut tx,
        &state,
        &meta,
        user.id,
        false,
        body.refresh_token_in_body,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(response)
}
