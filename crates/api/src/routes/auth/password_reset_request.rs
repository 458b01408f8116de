use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{EmailInput, SignupAccepted};
use rxgate_persistence::users;

use super::send_link;
use crate::audit::{self, Event};
use crate::auth::RequestMeta;
use crate::emails;
use crate::error::ApiError;
use crate::state::AppState;

/// Emails a password-reset link if the address has an account. Always answers the same.
#[utoipa::path(
    tag = "auth",
    request_body = EmailInput,
    responses(
        (status = ACCEPTED, body = SignupAccepted),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password-reset")]
pub async fn password_reset_request(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<EmailInput>,
) -> Result<HttpResponse, ApiError> {
    let email = body.email.trim().to_lowercase();
    // System context: nobody is signed in, and the answer must not reveal whether the address
    // has an account.
    let mut tx = state.begin_system().await?;
    if let Some(user) = users::find_by_email(&mut tx, &email).await? {
        let to = user.email.clone();
        send_link(
            &mut tx,
            &state,
            user.id,
            "reset_password",
            "reset-password",
            |link| emails::reset_password(&to, link),
        )
        .await?;
        audit::record(
            &mut tx,
            None,
            Some(user.id),
            &meta,
            Event::new("password_reset_requested", "user", user.id).risk("medium"),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(HttpResponse::Accepted().json(SignupAccepted {
        message: "If that address has an account, a reset link is on its way.".into(),
    }))
}
