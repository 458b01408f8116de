//! The sandbox provider's hosted page (`/pay/sandbox/{id}` in the SPA) and what its buyer
//! does there. Only when the configured gateway is the sandbox, and only for the payer.

use actix_web::{HttpResponse, get, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::payments::PaymentView;
use rxgate_api_types::vocab::SandboxAction as WireAction;
use rxgate_app::payments;
use rxgate_integrations::payments::SandboxAction;
use uuid::Uuid;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The payment the sandbox's page shows its payer (amount and status).
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Payment id")),
    responses(
        (status = OK, body = PaymentView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Not the caller's payment, or the gateway is not the sandbox", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/sandbox/payments/{id}")]
pub async fn get_sandbox_payment(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let payment = payments::sandbox_view(
        &state.db,
        &state.payments,
        &principal,
        &meta,
        id.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(super::to_view(payment)))
}

/// The payer pays (`pay`) or declines (`decline`) on the sandbox's page. Nothing changes now:
/// the sandbox sends its signed webhook shortly after, as a real provider does, and the
/// payment moves when that arrives.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Payment id"),
        ("action" = WireAction, Path, description = "What the buyer does"),
    ),
    responses(
        (status = ACCEPTED, description = "The sandbox will send its webhook", body = PaymentView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "PAYMENT_NOT_PENDING", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sandbox/payments/{id}/{action}")]
pub async fn act_on_sandbox_payment(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    path: web::Path<(Uuid, WireAction)>,
) -> Result<HttpResponse, ApiError> {
    let (id, action) = path.into_inner();
    let action = match action {
        WireAction::Pay => SandboxAction::Pay,
        WireAction::Decline => SandboxAction::Decline,
    };
    let payment =
        payments::sandbox_act(&state.db, &state.payments, &principal, &meta, id, action).await?;
    Ok(HttpResponse::Accepted().json(super::to_view(payment)))
}
