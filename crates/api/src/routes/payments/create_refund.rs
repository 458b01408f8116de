use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::payments::{RefundInput, RefundView};
use rxgate_app::payments;
use uuid::Uuid;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::middleware::idempotency::IdempotencyKeyHeader;
use crate::state::AppState;

/// Gives back all (no `amount_minor`) or part of a succeeded payment (platform admins, and the
/// clinic admins of the payment's clinic). The refund is `requested` until the provider
/// confirms it by webhook; the payment then becomes `partially_refunded` or `refunded`. Send an
/// `Idempotency-Key`: a retry then gets the first answer instead of a second refund.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Payment id"), IdempotencyKeyHeader),
    request_body = RefundInput,
    responses(
        (status = CREATED, body = RefundView),
        (status = BAD_REQUEST, description = "INVALID_IDEMPOTENCY_KEY", body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "PAYMENT_NOT_REFUNDABLE, or REQUEST_IN_PROGRESS (the same Idempotency-Key is still running)", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "REFUND_TOO_LARGE, IDEMPOTENCY_KEY_REUSED (the same key with another body), or an invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/refunds")]
pub async fn create_refund(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<RefundInput>,
) -> Result<HttpResponse, ApiError> {
    let requested = payments::refund(
        &state.db,
        &state.payments,
        &principal,
        &meta,
        id.into_inner(),
        body.amount_minor,
        &body.reason,
    )
    .await?;
    let view = super::refund_view(requested.refund, &requested.payment.currency)?;
    Ok(HttpResponse::Created().json(view))
}
