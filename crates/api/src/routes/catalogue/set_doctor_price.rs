use actix_web::{HttpResponse, put, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::DoctorPriceInput;
use rxgate_domain::identity::Role;
use rxgate_persistence::catalogue;
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// A doctor's own price for a variant (SPEC C7): their patients at that clinic pay it instead
/// of the clinic's price. `null` clears it.
#[utoipa::path(
    tag = "catalogue",
    security(("bearer" = [])),
    params(("variant_id" = Uuid, Path)),
    request_body = DoctorPriceInput,
    responses(
        (status = NO_CONTENT, description = "Saved"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such variant, or a clinic the doctor does not work for", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/prices/{variant_id}")]
pub async fn set_doctor_price(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    variant_id: web::Path<Uuid>,
    body: web::Json<DoctorPriceInput>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::Doctor)?;
    if !principal.is_at(Role::Doctor, body.clinic_id) {
        return Err(ApiError::NotFound);
    }
    let variant_id = variant_id.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    let (base_amount, base_currency) = catalogue::variant_price(&mut tx, variant_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let price = body
        .price
        .as_ref()
        .map(|p| super::checked_override((base_amount, &base_currency), p))
        .transpose()?;
    catalogue::set_doctor_price(
        &mut tx,
        principal.user_id,
        body.clinic_id,
        variant_id,
        price.as_ref().map(|(a, c)| (*a, c.as_str())),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("set_doctor_price", "variant", variant_id).details(serde_json::json!({
            "clinic_id": body.clinic_id, "price_minor": price.as_ref().map(|p| p.0)
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
