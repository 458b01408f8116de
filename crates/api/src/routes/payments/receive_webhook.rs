use actix_web::{HttpRequest, HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::payments::{WebhookAck, WebhookEventBody};
use rxgate_api_types::vocab::WebhookOutcome as WireOutcome;
use rxgate_app::payments::{self, WebhookOutcome};
use rxgate_integrations::payments::WebhookHeaders;

use crate::auth::RequestMeta;
use crate::error::ApiError;
use crate::state::AppState;

/// Receives a payment provider's webhook (no bearer token: the provider signs the raw body;
/// the sandbox in `Rxgate-Sandbox-Signature: t=…,v1=…`). A bad or missing signature is `400
/// INVALID_SIGNATURE` and nothing is stored. Each event is processed once by its provider event
/// id: a redelivery answers `duplicate`; an event that cannot apply yet waits (`waiting`);
/// unknown events are kept and `ignored`. Any 2xx tells the provider to stop retrying.
#[utoipa::path(
    tag = "payments",
    params(("provider" = String, Path, description = "The gateway (`sandbox`)", pattern = "^[a-z][a-z0-9_]{1,31}$")),
    request_body(content = WebhookEventBody, description = "The provider's event, exactly as it signed it"),
    responses(
        (status = OK, body = WebhookAck),
        (status = BAD_REQUEST, description = "INVALID_SIGNATURE, or a signed body the provider does not send (INVALID_WEBHOOK)", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Not the configured provider", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/payments/webhooks/{provider}")]
pub async fn receive_webhook(
    state: web::Data<AppState>,
    meta: RequestMeta,
    req: HttpRequest,
    provider: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let headers = WebhookHeaders(
        req.headers()
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect(),
    );
    let outcome = payments::handle_webhook(
        &state.db,
        &state.payments,
        &meta,
        &provider,
        &body,
        &headers,
    )
    .await?;
    Ok(HttpResponse::Ok().json(WebhookAck {
        outcome: match outcome {
            WebhookOutcome::Applied => WireOutcome::Applied,
            WebhookOutcome::Waiting => WireOutcome::Waiting,
            WebhookOutcome::Ignored => WireOutcome::Ignored,
            WebhookOutcome::Duplicate => WireOutcome::Duplicate,
        },
    }))
}
