use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::dev::{Queued, SendTestEmail};
use rxgate_app::dev_tools;
use rxgate_integrations::email::OutgoingEmail;

use super::ensure_enabled;
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// Puts a test message through the email outbox: it is queued as a job and delivered to the
/// developer mailbox by a worker (local environment only).
#[utoipa::path(
    tag = "dev",
    request_body = SendTestEmail,
    responses(
        (status = ACCEPTED, description = "Queued for delivery", body = Queued),
        (status = BAD_REQUEST, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Developer tools are off", body = Problem, content_type = "application/problem+json"),
        (status = PAYLOAD_TOO_LARGE, body = Problem, content_type = "application/problem+json"),
        (status = UNSUPPORTED_MEDIA_TYPE, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/dev/mailbox")]
pub async fn send_test_email(
    state: web::Data<AppState>,
    body: ValidatedJson<SendTestEmail>,
) -> Result<HttpResponse, ApiError> {
    ensure_enabled(&state)?;
    let body = body.0;
    let job_id = dev_tools::send_test_email(
        &state.db,
        &OutgoingEmail {
            to: body.to,
            subject: body.subject,
            body_text: body.body,
            body_html: None,
        },
    )
    .await?;
    Ok(HttpResponse::Accepted().json(Queued { job_id }))
}
