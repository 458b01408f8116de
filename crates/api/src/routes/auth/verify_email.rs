use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::TokenInput;
use rxgate_persistence::email_tokens::{self, Consumed};
use rxgate_persistence::users;

use crate::audit::{self, Event};
use crate::auth::{RequestMeta, tokens};
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
    // System context only to find the link's token: nobody is known until it matches.
    let mut tx = state.begin_system().await?;
    let user_id = match email_tokens::consume(
        &mut tx,
        &tokens::hash(body.token.trim()),
        "verify_email",
        Utc::now(),
    )
    .await?
    {
        Consumed::Ok(user_id) => user_id,
        Consumed::Invalid => return Err(ApiError::InvalidToken { expired: false }),
        Consumed::Expired => return Err(ApiError::InvalidToken { expired: true }),
    };
    rxgate_persistence::db::act_as(
        &mut tx,
        &rxgate_persistence::RlsContext::user(user_id, meta.request_id.clone()),
    )
    .await?;
    users::mark_email_verified(&mut tx, user_id).await?;
    audit::record(
        &mut tx,
        None,
        Some(user_id),
        &meta,
        Event::new("verify_email", "user", user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
