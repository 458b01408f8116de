use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::payments::PaymentView;
use rxgate_app::payments;
use uuid::Uuid;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// One of the caller's own payments (another person's is 404).
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Payment id")),
    responses(
        (status = OK, body = PaymentView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/payments/{id}")]
pub async fn get_payment(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let payment = payments::get_mine(&state.db, &principal, &meta, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(super::to_view(payment)))
}
