//! Changing the master catalogue: a product's details and active flag, a variant's pack,
//! price and active flag, and categories (added, renamed, deleted).

use actix_web::{HttpResponse, delete, post, put, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::{
    CategoryRename, CategoryView, NewCategory, NewVariantsInput, ProductDetail, ProductUpdate,
    VariantUpdate,
};
use rxgate_app::catalogue_admin;
use uuid::Uuid;

use super::create_product::admin_detail;
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// Changes a product's details (platform admins). `active: false` takes it out of every
/// clinic's catalogue at once; its history stays.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body = ProductUpdate,
    responses(
        (status = OK, body = ProductDetail),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/admin/products/{id}")]
pub async fn update_product(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<ProductUpdate>,
) -> Result<HttpResponse, ApiError> {
    let product =
        catalogue_admin::update_product(&state.db, &principal, &meta, id.into_inner(), &body)
            .await?;
    Ok(HttpResponse::Ok().json(admin_detail(product)?))
}

/// Changes a variant's strength, pack size, list price or active flag (platform admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Variant id")),
    request_body = VariantUpdate,
    responses(
        (status = NO_CONTENT, description = "Saved"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`OVERRIDES_IN_CURRENCY`: clinics or doctors price it in the old currency", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/admin/variants/{id}")]
pub async fn update_variant(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<VariantUpdate>,
) -> Result<HttpResponse, ApiError> {
    catalogue_admin::update_variant(&state.db, &principal, &meta, id.into_inner(), &body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds variants (new packs or strengths) to a product (platform admins). All or none: a taken
/// SKU is `SKU_TAKEN` and nothing is added.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body = NewVariantsInput,
    responses(
        (status = CREATED, body = ProductDetail),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`SKU_TAKEN`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/products/{id}/variants")]
pub async fn add_variants(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<NewVariantsInput>,
) -> Result<HttpResponse, ApiError> {
    let product =
        catalogue_admin::add_variants(&state.db, &principal, &meta, id.into_inner(), &body).await?;
    Ok(HttpResponse::Created().json(admin_detail(product)?))
}

/// Adds a product category (platform admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewCategory,
    responses(
        (status = CREATED, body = CategoryView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`SLUG_TAKEN`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/categories")]
pub async fn create_category(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: ValidatedJson<NewCategory>,
) -> Result<HttpResponse, ApiError> {
    let category = catalogue_admin::create_category(&state.db, &principal, &meta, &body).await?;
    Ok(HttpResponse::Created().json(CategoryView {
        id: category.id,
        slug: category.slug,
        name: category.name,
    }))
}

/// Renames a category (platform admins). Its slug stays, so catalogue links and filters keep
/// working.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The category")),
    request_body = CategoryRename,
    responses(
        (status = OK, body = CategoryView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such category", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/admin/categories/{id}")]
pub async fn rename_category(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<CategoryRename>,
) -> Result<HttpResponse, ApiError> {
    let category =
        catalogue_admin::rename_category(&state.db, &principal, &meta, id.into_inner(), &body)
            .await?;
    Ok(HttpResponse::Ok().json(CategoryView {
        id: category.id,
        slug: category.slug,
        name: category.name,
    }))
}

/// Deletes a category no product is in (platform admins); move its products first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The category")),
    responses(
        (status = NO_CONTENT, description = "Deleted"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No such category", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`CATEGORY_IN_USE`: products are in it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/admin/categories/{id}")]
pub async fn delete_category(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    catalogue_admin::delete_category(&state.db, &principal, &meta, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
