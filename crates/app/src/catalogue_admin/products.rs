//! The master catalogue's products, variants and categories (platform admins).

use rxgate_api_types::FieldError;
use rxgate_api_types::catalogue::{
    CategoryRename, NewCategory, NewProductInput, NewVariantInput, NewVariantsInput, ProductUpdate,
    VariantUpdate,
};
use rxgate_domain::catalogue::{
    Currency, Money, ProductDetails, ProductDraft, ValidVariant, VariantDraft,
    check_list_price_change, parse_variants, slugify,
};
use rxgate_domain::identity::Role;
use rxgate_persistence::Db;
use rxgate_persistence::catalogue::{
    self, CategoryRow, NewProduct, NewVariant, ProductChange, ProductRow, VariantRow,
};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{field_error, ingredient_ids, invalid, price_draft};
use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};

/// A product as platform admins see it: the master catalogue's row, every variant (inactive
/// ones included).
#[derive(Debug, Clone)]
pub struct AdminProduct {
    pub product: ProductRow,
    pub variants: Vec<VariantRow>,
}

async fn admin_product(conn: &mut PgConnection, id: Uuid) -> Result<AdminProduct, AppError> {
    let product = catalogue::product(conn, id.into(), None, None, true, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let variants = catalogue::variants(conn, id.into(), None, None, None).await?;
    Ok(AdminProduct { product, variants })
}

fn variant_drafts(input: &[NewVariantInput]) -> Vec<VariantDraft<'_>> {
    input
        .iter()
        .map(|v| VariantDraft {
            sku: &v.sku,
            strength: &v.strength,
            pack_size: v.pack_size,
            price: price_draft(&v.price),
        })
        .collect()
}

fn new_variant(v: ValidVariant) -> NewVariant {
    NewVariant {
        sku: v.sku.as_str().to_owned(),
        strength: v.strength,
        pack_size: v.pack_size,
        price_minor: v.price.amount_minor(),
        currency: v.price.currency().as_str().to_owned(),
    }
}

fn unknown_category(slug: &str) -> FieldError {
    FieldError {
        field: "category".into(),
        code: "unknown_category".into(),
        message: format!("There is no category `{slug}`."),
    }
}

async fn category(conn: &mut PgConnection, slug: &str) -> Result<Option<CategoryRow>, AppError> {
    Ok(catalogue::categories(conn)
        .await?
        .into_iter()
        .find(|c| c.slug == slug))
}

/// Adds a product with its variants to the master catalogue (platform admins), optionally
/// selling it in some clinics from the start.
pub async fn create_product(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    input: &NewProductInput,
) -> Result<AdminProduct, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let variants = variant_drafts(&input.variants);
    let details = ProductDetails::parse(&ProductDraft {
        new_name: Some(&input.name),
        schedule: input.schedule.as_str(),
        requires_prescription: input.requires_prescription,
        consult_fee: input.consult_fee.as_ref().map(price_draft),
        ingredients: &input.ingredients,
        variants: &variants,
    })
    .map_err(invalid)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let Some(category) = category(&mut tx, &input.category).await? else {
        return Err(AppError::Validation(vec![unknown_category(
            &input.category,
        )]));
    };
    let ingredient_ids = ingredient_ids(&mut tx, &details.ingredients).await?;
    let id = catalogue::insert_product(
        &mut tx,
        &NewProduct {
            // A new product's draft has a name, so its details have an address.
            slug: details.slug.unwrap_or_default(),
            name: input.name.trim().to_owned(),
            category_id: category.id,
            dosage_form: input.dosage_form.trim().to_owned(),
            strength: input.strength.trim().to_owned(),
            schedule: details.schedule.as_str().to_owned(),
            requires_prescription: input.requires_prescription,
            requires_consult: input.requires_consult,
            consult_fee_minor: details.consult_fee.as_ref().map(Money::amount_minor),
            consult_fee_currency: details
                .consult_fee
                .as_ref()
                .map(|m| m.currency().as_str().to_owned()),
            description: input.description.trim().to_owned(),
            ingredient_ids,
            variants: details.variants.into_iter().map(new_variant).collect(),
        },
        Some(actor.user_id),
    )
    .await?;
    for (i, clinic) in input.clinic_ids.iter().enumerate() {
        match catalogue::set_clinic_selection(&mut tx, *clinic, id, true).await {
            // A clinic that does not exist is a mistake in this field, not a conflict.
            Err(rxgate_persistence::RepoError::Conflict { constraint })
                if constraint == "clinic_products_clinic_id_fkey" =>
            {
                return Err(AppError::Validation(vec![rxgate_api_types::FieldError {
                    field: format!("clinic_ids[{i}]"),
                    code: "unknown_clinic".into(),
                    message: "There is no such clinic.".into(),
                }]));
            }
            other => {
                other?;
            }
        }
    }
    let product = admin_product(&mut tx, id).await?;
    tx.record(Event::new("create", "product", id)).await?;
    tx.commit().await?;
    Ok(product)
}

/// Changes a product's details (platform admins). `active: false` takes it out of every
/// clinic's catalogue at once; its history stays.
pub async fn update_product(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    input: &ProductUpdate,
) -> Result<AdminProduct, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let (details, mut errors) = match ProductDetails::parse(&ProductDraft {
        new_name: None,
        schedule: input.schedule.as_str(),
        requires_prescription: input.requires_prescription,
        consult_fee: input.consult_fee.as_ref().map(price_draft),
        ingredients: &input.ingredients,
        variants: &[],
    }) {
        Ok(details) => (Some(details), Vec::new()),
        Err(problems) => (
            None,
            problems.into_iter().map(super::from_problem).collect(),
        ),
    };
    let mut tx = Work::begin(db, actor, facts).await?;
    let category = category(&mut tx, &input.category).await?;
    if category.is_none() {
        errors.push(unknown_category(&input.category));
    }
    let (Some(details), Some(category), true) = (details, category, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let change = ProductChange {
        name: input.name.trim().to_owned(),
        category_id: category.id,
        dosage_form: input.dosage_form.trim().to_owned(),
        strength: input.strength.trim().to_owned(),
        schedule: details.schedule.as_str().to_owned(),
        requires_prescription: input.requires_prescription,
        requires_consult: input.requires_consult,
        consult_fee_minor: details.consult_fee.as_ref().map(Money::amount_minor),
        consult_fee_currency: details
            .consult_fee
            .as_ref()
            .map(|m| m.currency().as_str().to_owned()),
        description: input.description.trim().to_owned(),
        active: input.active,
    };
    if !catalogue::update_product(&mut tx, id, &change, actor.user_id).await? {
        return Err(AppError::NotFound);
    }
    let ingredient_ids = ingredient_ids(&mut tx, &details.ingredients).await?;
    catalogue::set_product_ingredients(&mut tx, id, &ingredient_ids).await?;
    let product = admin_product(&mut tx, id).await?;
    tx.record(
        Event::new("update", "product", id).details(serde_json::json!({
            "active": input.active, "schedule": change.schedule, "ingredients": ingredient_ids
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(product)
}

/// Changes a variant's strength, pack size, list price or active flag (platform admins). The
/// list price changes currency only while no clinic or doctor prices the variant
/// (`OVERRIDES_IN_CURRENCY`).
pub async fn update_variant(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    input: &VariantUpdate,
) -> Result<(), AppError> {
    actor.require(Role::PlatformAdmin)?;
    let price = price_draft(&input.price)
        .parse()
        .map_err(|e| AppError::Validation(vec![field_error("price", &e)]))?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let (_, old_currency) = catalogue::variant_price(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let old_currency = Currency::parse(&old_currency).map_err(AppError::internal)?;
    let overrides =
        old_currency != *price.currency() && catalogue::has_price_overrides(&mut tx, id).await?;
    check_list_price_change(&old_currency, price.currency(), overrides).map_err(|e| {
        AppError::FieldConflict {
            code: e.code(),
            field: "price",
            detail: e.to_string(),
        }
    })?;
    if !catalogue::update_variant(
        &mut tx,
        id,
        input.strength.trim(),
        input.pack_size,
        price.amount_minor(),
        price.currency().as_str(),
        input.active,
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    tx.record(
        Event::new("update", "variant", id).details(serde_json::json!({
            "price_minor": price.amount_minor(), "active": input.active
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds variants (new packs or strengths) to a product (platform admins). All or none: a taken
/// SKU is `SKU_TAKEN` and nothing is added.
pub async fn add_variants(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    product_id: Uuid,
    input: &NewVariantsInput,
) -> Result<AdminProduct, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let variants: Vec<NewVariant> = parse_variants(&variant_drafts(&input.variants))
        .map_err(invalid)?
        .into_iter()
        .map(new_variant)
        .collect();
    let mut tx = Work::begin(db, actor, facts).await?;
    if !catalogue::product_exists(&mut tx, product_id).await? {
        return Err(AppError::NotFound);
    }
    let ids = catalogue::insert_variants(&mut tx, product_id, &variants).await?;
    tx.record(
        Event::new("add_variants", "product", product_id)
            .details(serde_json::json!({ "variant_ids": ids })),
    )
    .await?;
    let product = admin_product(&mut tx, product_id).await?;
    tx.commit().await?;
    Ok(product)
}

/// Adds a product category (platform admins). Its slug is given, not made from the name.
pub async fn create_category(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    input: &NewCategory,
) -> Result<CategoryRow, AppError> {
    actor.require(Role::PlatformAdmin)?;
    if slugify(&input.slug) != input.slug || input.slug.len() > 64 {
        return Err(AppError::Validation(vec![FieldError {
            field: "slug".into(),
            code: "slug".into(),
            message: "Use lower-case letters, digits and single dashes (at most 64).".into(),
        }]));
    }
    let mut tx = Work::begin(db, actor, facts).await?;
    let id = catalogue::insert_category(&mut tx, &input.slug, input.name.trim()).await?;
    tx.record(Event::new("create", "category", id)).await?;
    tx.commit().await?;
    Ok(CategoryRow {
        id,
        slug: input.slug.clone(),
        name: input.name.trim().to_owned(),
    })
}

/// Renames a category (platform admins); its slug stays, so links and filters keep working.
/// Audited with the name before and after.
pub async fn rename_category(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    input: &CategoryRename,
) -> Result<CategoryRow, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let name = input.name.trim();
    if name.is_empty() {
        return Err(AppError::Validation(vec![FieldError {
            field: "name".into(),
            code: "length".into(),
            message: "Give the category a name (1 to 120 characters).".into(),
        }]));
    }
    let mut tx = Work::begin(db, actor, facts).await?;
    let renamed = catalogue::rename_category(&mut tx, id, name)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.record(
        Event::new("update", "category", id).details(serde_json::json!({
            "before": { "name": renamed.previous_name },
            "after": { "name": renamed.name },
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(CategoryRow {
        id: renamed.id,
        slug: renamed.slug,
        name: renamed.name,
    })
}

/// Deletes a category (platform admins). A category that products are in (on sale or not) is
/// kept: `409 CATEGORY_IN_USE` says how many, so they can be moved first; the foreign key
/// guarantees it when a product is added to it meanwhile. Audited.
pub async fn delete_category(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<(), AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let products = catalogue::category_product_count(&mut tx, id).await?;
    if products > 0 {
        return Err(AppError::Conflict {
            code: "CATEGORY_IN_USE",
            detail: format!(
                "{products} product{} in this category: move {} to another category first.",
                if products == 1 { " is" } else { "s are" },
                if products == 1 { "it" } else { "them" },
            ),
        });
    }
    let deleted = catalogue::delete_category(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.record(
        Event::new("delete", "category", id).details(serde_json::json!({
            "slug": deleted.slug, "name": deleted.name,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The product categories, for everyone signed in (a short, fixed list: not paginated).
pub async fn list_categories(db: &Db, actor: &Actor) -> Result<Vec<CategoryRow>, AppError> {
    let mut tx = db.begin(&actor.rls()).await?;
    let rows = catalogue::categories(&mut tx).await?;
    tx.commit().await?;
    Ok(rows)
}
