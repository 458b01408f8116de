use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::payments::{StartedPaymentView, TestPaymentInput};
use rxgate_app::payments;
use rxgate_integrations::payments::NextAction;

use super::ensure_enabled;
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// Starts a sandbox consult-fee payment by the caller, in their clinic, as booking does (local
/// environment only): the answer's `redirect_url` is the sandbox's page for it.
#[utoipa::path(
    tag = "dev",
    security(("bearer" = [])),
    request_body = TestPaymentInput,
    responses(
        (status = CREATED, body = StartedPaymentView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Developer tools are off, or the gateway is not the sandbox", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "A field is invalid, or the caller belongs to no clinic (NO_CLINIC)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/dev/payments")]
pub async fn start_test_payment(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: ValidatedJson<TestPaymentInput>,
) -> Result<HttpResponse, ApiError> {
    ensure_enabled(&state)?;
    let started = payments::start_test_payment(
        &state.db,
        &state.payments,
        &principal,
        &meta,
        body.amount_minor,
        &body.currency,
    )
    .await?;
    let redirect_url = match started.next {
        NextAction::Redirect(url) => url,
        NextAction::ClientSecret(_) => String::new(),
    };
    Ok(HttpResponse::Created().json(StartedPaymentView {
        payment: crate::routes::payments::to_view(started.payment),
        redirect_url,
    }))
}
