use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::ProductDetail;
use rxgate_app::catalogue;
use uuid::Uuid;

use super::{summary, variant_view};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ClinicHeader;
use crate::state::AppState;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Staff only: the clinic whose prices to show.
    pub clinic_id: Option<Uuid>,
}

/// One product with its variants and, for patients, their eligibility. A product the caller's
/// clinic does not sell is 404.
#[utoipa::path(
    tag = "catalogue",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Product id"), ProductQuery, ClinicHeader),
    responses(
        (status = OK, body = ProductDetail),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`CLINIC_REQUIRED`: the caller belongs to several clinics and named none", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/catalogue/products/{id}")]
pub async fn get_product(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    query: web::Query<ProductQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = catalogue::product(
        &state.db,
        &principal,
        &meta,
        id.into_inner().into(),
        query.clinic_id,
    )
    .await?;
    let clinician = page.viewer.clinician;
    Ok(HttpResponse::Ok().json(ProductDetail {
        product: summary(&page.product, clinician)?,
        description: page.product.description.clone(),
        variants: page
            .variants
            .into_iter()
            .map(|v| variant_view(v, clinician))
            .collect(),
    }))
}
