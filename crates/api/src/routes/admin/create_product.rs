use actix_web::{HttpResponse, post, web};
use rxgate_api_types::catalogue::{NewProductInput, NewVariantInput, ProductDetail};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::catalogue::{Currency, Money, Schedule, Sku, check_product_rules};
use rxgate_domain::identity::Role;
use rxgate_persistence::catalogue::{self, NewProduct, NewVariant};

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

pub(crate) use rxgate_domain::catalogue::slugify;

/// The schedule and consult fee of a product, checked together (S3 and above need a
/// prescription); problems are added to `errors`.
pub(crate) fn checked_terms(
    schedule: &str,
    requires_prescription: bool,
    consult_fee: Option<&rxgate_api_types::catalogue::MoneyView>,
    errors: &mut Vec<FieldError>,
) -> (Option<Schedule>, Option<Money>) {
    let field_error = |field: &str, e: rxgate_domain::catalogue::CatalogueError| FieldError {
        field: field.into(),
        code: e.code().to_lowercase(),
        message: e.to_string(),
    };
    let schedule = match Schedule::parse(schedule) {
        Ok(s) => {
            if let Err(e) = check_product_rules(s, requires_prescription) {
                errors.push(field_error("requires_prescription", e));
            }
            Some(s)
        }
        Err(e) => {
            errors.push(field_error("schedule", e));
            None
        }
    };
    let fee = consult_fee
        .map(|m| money("consult_fee", m))
        .transpose()
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        });
    (schedule, fee)
}

pub(crate) fn money(
    field: &str,
    m: &rxgate_api_types::catalogue::MoneyView,
) -> Result<Money, FieldError> {
    Currency::parse(&m.currency)
        .and_then(|c| Money::new(m.amount_minor, c))
        .map_err(|e| FieldError {
            field: field.into(),
            code: e.code().to_lowercase(),
            message: e.to_string(),
        })
}

/// Ingredient names, trimmed and without blanks or repeats; problems are added to `errors`.
pub(crate) fn checked_ingredients(names: &[String], errors: &mut Vec<FieldError>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(name)) {
            out.push(name.to_owned());
        }
    }
    if out.iter().any(|i| i.len() > 120) {
        errors.push(FieldError {
            field: "ingredients".into(),
            code: "length".into(),
            message: "An ingredient name is at most 120 characters.".into(),
        });
    }
    out
}

/// The ids of the named ingredients, adding those the catalogue does not know yet.
pub(crate) async fn ingredient_ids(
    conn: &mut sqlx::PgConnection,
    names: &[String],
) -> Result<Vec<uuid::Uuid>, ApiError> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        ids.push(catalogue::ingredient_id(conn, name).await?);
    }
    Ok(ids)
}

/// New variants with checked SKUs and prices; problems (by index) are added to `errors`.
pub(crate) fn checked_variants(
    input: &[NewVariantInput],
    errors: &mut Vec<FieldError>,
) -> Vec<NewVariant> {
    let mut variants = Vec::new();
    for (i, v) in input.iter().enumerate() {
        let sku = Sku::parse(&v.sku).map_err(|e| FieldError {
            field: format!("variants[{i}].sku"),
            code: e.code().to_lowercase(),
            message: e.to_string(),
        });
        let price = money(&format!("variants[{i}].price"), &v.price);
        match (sku, price) {
            (Ok(sku), Ok(price)) => variants.push(NewVariant {
                sku: sku.as_str().to_owned(),
                strength: v.strength.trim().to_owned(),
                pack_size: v.pack_size,
                price_minor: price.amount_minor(),
                currency: price.currency().as_str().to_owned(),
            }),
            (a, b) => errors.extend(a.err().into_iter().chain(b.err())),
        }
    }
    variants
}

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
    principal.require(Role::PlatformAdmin)?;
    let mut errors = Vec::new();
    let (schedule, fee) = checked_terms(
        &body.schedule,
        body.requires_prescription,
        body.consult_fee.as_ref(),
        &mut errors,
    );
    let variants = checked_variants(&body.variants, &mut errors);
    let slug = slugify(&body.name);
    if slug.is_empty() {
        errors.push(FieldError {
            field: "name".into(),
            code: "name".into(),
            message: "The name needs at least one letter or digit.".into(),
        });
    }
    let ingredients = checked_ingredients(&body.ingredients, &mut errors);
    let (Some(schedule), true) = (schedule, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let mut tx = state.begin_as(&principal).await?;
    let Some(category) = catalogue::categories(&mut tx)
        .await?
        .into_iter()
        .find(|c| c.slug == body.category)
    else {
        return Err(ApiError::Validation(vec![FieldError {
            field: "category".into(),
            code: "unknown_category".into(),
            message: format!("There is no category `{}`.", body.category),
        }]));
    };
    let ingredient_ids = ingredient_ids(&mut tx, &ingredients).await?;
    let id = catalogue::insert_product(
        &mut tx,
        &NewProduct {
            slug,
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
            ingredient_ids,
            variants,
        },
        Some(principal.user_id),
    )
    .await?;
    for clinic in &body.clinic_ids {
        catalogue::set_clinic_selection(&mut tx, *clinic, id, true).await?;
    }
    let detail = admin_detail(&mut tx, id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("create", "product", id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(detail))
}

/// A product as platform admins see it (master catalogue, inactive variants included).
pub(crate) async fn admin_detail(
    conn: &mut sqlx::PgConnection,
    id: uuid::Uuid,
) -> Result<ProductDetail, ApiError> {
    let row = catalogue::product(conn, id, None, None, true, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let variants = catalogue::variants(conn, id, None, None, None).await?;
    Ok(ProductDetail {
        product: crate::routes::catalogue::summary(&row, true),
        description: row.description.clone(),
        variants: variants
            .into_iter()
            .map(|v| crate::routes::catalogue::variant_view(v, true))
            .collect(),
    })
}
