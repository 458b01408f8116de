use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{SignupAccepted, SignupRequest};
use rxgate_app::registration;

use crate::auth::RequestMeta;
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// Creates a patient account, or a doctor account awaiting approval, and emails a
/// verification link. Answers the same whether or not the email is already registered.
#[utoipa::path(
    tag = "auth",
    request_body = SignupRequest,
    responses(
        (status = ACCEPTED, body = SignupAccepted),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, weak password, missing consents, unknown clinic or referral",
            body = Problem, content_type = "application/problem+json"),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/signup")]
pub async fn signup(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: ValidatedJson<SignupRequest>,
) -> Result<HttpResponse, ApiError> {
    registration::sign_up(&state.db, &state.settings, &meta, &body.0).await?;
    Ok(HttpResponse::Accepted().json(SignupAccepted {
        message: "Check your email for a link to verify your address.".into(),
    }))
}
