use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::{NewProductInput, ProductDetail};
use rxgate_app::catalogue_admin::{self, AdminProduct};

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::routes::catalogue::{summary, variant_view};
use crate::state::AppState;

/// Adds a product with its variants to the master catalogue (platform admins), optionally
/// selling it in some clinics from the start.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewProductInput,
    responses(
        (status = CREATED, body = ProductDetail),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`SKU_TAKEN` or `PRODUCT_SLUG_TAKEN`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/products")]
pub async fn create_product(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: ValidatedJson<NewProductInput>,
) -> Result<HttpResponse, ApiError> {
    let product = catalogue_admin::create_product(&state.db, &principal, &meta, &body).await?;
    Ok(HttpResponse::Created().json(admin_detail(product)?))
}

/// A product as platform admins see it (master catalogue, inactive variants included).
pub(crate) fn admin_detail(p: AdminProduct) -> Result<ProductDetail, ApiError> {
    Ok(ProductDetail {
        product: summary(&p.product, true)?,
        description: p.product.description.clone(),
        variants: p
            .variants
            .into_iter()
            .map(|v| variant_view(v, true))
            .collect(),
    })
}
