//! Changing the master catalogue: a product's details and active flag, a variant's pack,
//! price and active flag, and new categories.

use actix_web::{HttpResponse, post, put, web};
use rxgate_api_types::catalogue::{
    CategoryView, NewCategory, NewVariantsInput, ProductDetail, ProductUpdate, VariantUpdate,
};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::catalogue::{Currency, Money, check_list_price_change};
use rxgate_domain::identity::Role;
use rxgate_persistence::catalogue::{self, ProductChange};
use uuid::Uuid;

use super::create_product::{
    admin_detail, checked_ingredients, checked_terms, checked_variants, ingredient_ids, money,
    slugify,
};
use crate::audit::{self, Event};
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
    principal.require(Role::PlatformAdmin)?;
    let id = id.into_inner();
    let mut errors = Vec::new();
    let (schedule, fee) = checked_terms(
        &body.schedule,
        body.requires_prescription,
        body.consult_fee.as_ref(),
        &mut errors,
    );
    let ingredients = checked_ingredients(&body.ingredients, &mut errors);
    let mut tx = state.begin_as(&principal).await?;
    let category = catalogue::categories(&mut tx)
        .await?
        .into_iter()
        .find(|c| c.slug == body.category);
    if category.is_none() {
        errors.push(FieldError {
            field: "category".into(),
            code: "unknown_category".into(),
            message: format!("There is no category `{}`.", body.category),
        });
    }
    let (Some(schedule), Some(category), true) = (schedule, category, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let change = ProductChange {
        name: body.name.trim().to_owned(),
        category_id: category.id,
        dosage_form: body.dosage_form.trim().to_owned(),
        strength: body.strength.trim().to_owned(),
        schedule: schedule.as_str().to_owned(),
        requires_prescription: body.requires_prescription,
        requires_consult: body.requires_consult,
        consult_fee_minor: fee.as_ref().map(Money::amount_minor),
        consult_fee_currency: fee.as_ref().map(|m| m.currency().as_str().to_owned()),
        description: body.description.trim().to_owned(),
        active: body.active,
    };
    if !catalogue::update_product(&mut tx, id, &change, principal.user_id).await? {
        return Err(ApiError::NotFound);
    }
    let ingredient_ids = ingredient_ids(&mut tx, &ingredients).await?;
    catalogue::set_product_ingredients(&mut tx, id, &ingredient_ids).await?;
    let detail = admin_detail(&mut tx, id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("update", "product", id).details(serde_json::json!({
            "active": body.active, "schedule": change.schedule, "ingredients": ingredient_ids
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(detail))
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
    principal.require(Role::PlatformAdmin)?;
    let id = id.into_inner();
    let price = money("price", &body.price).map_err(|e| ApiError::Validation(vec![e]))?;
    let mut tx = state.begin_as(&principal).await?;
    let (_, old_currency) = catalogue::variant_price(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let old_currency = Currency::parse(&old_currency).map_err(ApiError::internal)?;
    let overrides =
        old_currency != *price.currency() && catalogue::has_price_overrides(&mut tx, id).await?;
    check_list_price_change(&old_currency, price.currency(), overrides).map_err(|e| {
        ApiError::FieldConflict {
            code: e.code(),
            field: "price",
            detail: e.to_string(),
        }
    })?;
    if !catalogue::update_variant(
        &mut tx,
        id,
        body.strength.trim(),
        body.pack_size,
        price.amount_minor(),
        price.currency().as_str(),
        body.active,
    )
    .await?
    {
        return Err(ApiError::NotFound);
    }
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("update", "variant", id).details(serde_json::json!({
            "price_minor": price.amount_minor(), "active": body.active
        })),
    )
    .await?;
    tx.commit().await?;
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
    principal.require(Role::PlatformAdmin)?;
    let id = id.into_inner();
    let mut errors = Vec::new();
    let variants = checked_variants(&body.variants, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut tx = state.begin_as(&principal).await?;
    if !catalogue::product_exists(&mut tx, id).await? {
        return Err(ApiError::NotFound);
    }
    let ids = catalogue::insert_variants(&mut tx, id, &variants).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("add_variants", "product", id)
            .details(serde_json::json!({ "variant_ids": ids })),
    )
    .await?;
    let detail = admin_detail(&mut tx, id).await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(detail))
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
    principal.require(Role::PlatformAdmin)?;
    if slugify(&body.slug) != body.slug || body.slug.len() > 64 {
        return Err(ApiError::Validation(vec![FieldError {
            field: "slug".into(),
            code: "slug".into(),
            message: "Use lower-case letters, digits and single dashes (at most 64).".into(),
        }]));
    }
    let mut tx = state.begin_as(&principal).await?;
    let id = catalogue::insert_category(&mut tx, &body.slug, body.name.trim()).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("create", "category", id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(CategoryView {
        id,
        slug: body.slug.clone(),
        name: body.name.trim().to_owned(),
    }))
}
