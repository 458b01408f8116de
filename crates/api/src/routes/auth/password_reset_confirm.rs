use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::auth::PasswordResetConfirm;
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::identity::{EmailAddress, check_new_password};
use rxgate_persistence::email_tokens::{self, Consumed};
use rxgate_persistence::{sessions, users};

use crate::audit::{self, Event};
use crate::auth::{RequestMeta, passwords, tokens};
use crate::emails;
use crate::error::ApiError;
use crate::jobs::email;
use crate::state::AppState;

/// Sets a new password with the token from the emailed link, and signs out every session.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = NO_CONTENT, description = "Password changed"),
        (status = BAD_REQUEST, description = "`INVALID_TOKEN` or `TOKEN_EXPIRED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Password breaks the policy", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password-reset/confirm")]
pub async fn password_reset_confirm(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    // System context only to find the link's token: nobody is known until it matches.
    let mut tx = state.begin_system().await?;
    let user_id = match email_tokens::consume(
        &mut tx,
        &tokens::hash(body.token.trim()),
        "reset_password",
        Utc::now(),
    )
    .await?
    {
        Consumed::Ok(id) => id,
        Consumed::Invalid => return Err(ApiError::InvalidToken { expired: false }),
        Consumed::Expired => return Err(ApiError::InvalidToken { expired: true }),
    };
    rxgate_persistence::db::act_as(
        &mut tx,
        &rxgate_persistence::RlsContext::user(user_id, meta.request_id.clone()),
    )
    .await?;
    let user = users::find(&mut tx, user_id).await?;
    let email_address = EmailAddress::parse(&user.email).map_err(ApiError::internal)?;
    if let Err(p) = check_new_password(&body.password, &email_address) {
        // Nothing is written: the token stays usable for a better password.
        tx.rollback().await?;
        return Err(ApiError::Validation(vec![FieldError {
            field: "password".into(),
            code: "password_policy".into(),
            message: format!("Password {p}."),
        }]));
    }
    let hash = passwords::hash(body.password.clone()).await?;
    users::set_password(&mut tx, user_id, &hash).await?;
    // Whoever reset the password owns the inbox; a password reset also proves the address.
    users::mark_email_verified(&mut tx, user_id).await?;
    let revoked = sessions::revoke_all(&mut tx, user_id, "password reset").await?;
    email::enqueue(&mut tx, &emails::password_changed(&user.email)).await?;
    audit::record(
        &mut tx,
        None,
        Some(user_id),
        &meta,
        Event::new("password_reset", "user", user_id)
            .risk("high")
            .details(serde_json::json!({ "sessions_revoked": revoked })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
