use actix_web::{HttpResponse, put, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::PriceInput;
use rxgate_persistence::catalogue;
use uuid::Uuid;

use super::require_clinic_manager;
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Sets a clinic's own price for a variant (SPEC C7), or clears it with `null`. The price is in
/// the variant's currency.
#[utoipa::path(
    tag = "catalogue",
    security(("bearer" = [])),
    params(("clinic_id" = Uuid, Path), ("variant_id" = Uuid, Path)),
    request_body = PriceInput,
    responses(
        (status = NO_CONTENT, description = "Saved"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Negative amount or another currency", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/clinics/{clinic_id}/prices/{variant_id}")]
pub async fn set_clinic_price(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<PriceInput>,
) -> Result<HttpResponse, ApiError> {
    let (clinic_id, variant_id) = path.into_inner();
    require_clinic_manager(&principal, clinic_id)?;
    let mut tx = state.begin_as(&principal).await?;
    let (base_amount, base_currency) = catalogue::variant_price(&mut tx, variant_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let price = body
        .price
        .as_ref()
        .map(|p| super::checked_override((base_amount, &base_currency), p))
        .transpose()?;
    catalogue::set_clinic_price(
        &mut tx,
        clinic_id,
        variant_id,
        price.as_ref().map(|(a, c)| (*a, c.as_str())),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("set_price", "variant", variant_id).details(serde_json::json!({
            "clinic_id": clinic_id, "price_minor": price.as_ref().map(|p| p.0)
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
