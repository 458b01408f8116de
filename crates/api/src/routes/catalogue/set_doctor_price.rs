use actix_web::{HttpResponse, put, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::DoctorPriceInput;
use rxgate_app::catalogue_admin;
use uuid::Uuid;

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
    catalogue_admin::set_doctor_price(
        &state.db,
        &principal,
        &meta,
        variant_id.into_inner(),
        body.clinic_id,
        body.price.as_ref(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
