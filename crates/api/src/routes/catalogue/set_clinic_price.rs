use actix_web::{HttpResponse, put, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::PriceInput;
use rxgate_app::catalogue_admin;
use uuid::Uuid;

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
    catalogue_admin::set_clinic_price(
        &state.db,
        &principal,
        &meta,
        clinic_id,
        variant_id,
        body.price.as_ref(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
