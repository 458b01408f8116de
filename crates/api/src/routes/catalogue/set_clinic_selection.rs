use actix_web::{HttpResponse, put, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::SelectionInput;
use rxgate_app::catalogue_admin;
use uuid::Uuid;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Adds a product to a clinic's selection or removes it (its clinic admins, platform admins).
/// Patients of the clinic see the change at once.
#[utoipa::path(
    tag = "catalogue",
    security(("bearer" = [])),
    params(("clinic_id" = Uuid, Path), ("product_id" = Uuid, Path)),
    request_body = SelectionInput,
    responses(
        (status = NO_CONTENT, description = "Saved"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Another clinic, or no such product", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/clinics/{clinic_id}/products/{product_id}")]
pub async fn set_clinic_selection(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<SelectionInput>,
) -> Result<HttpResponse, ApiError> {
    let (clinic_id, product_id) = path.into_inner();
    catalogue_admin::set_clinic_selection(
        &state.db, &principal, &meta, clinic_id, product_id, body.sells,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
