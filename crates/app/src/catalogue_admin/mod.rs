//! Changing the catalogue: the master catalogue's products, variants, categories and images
//! (platform admins, one at a time or by CSV import), what each clinic sells and at what price
//! (its clinic admins and platform admins), and doctors' own prices (SPEC C7). The rules a
//! product obeys are the domain's ([`rxgate_domain::catalogue::ProductDetails`]); this module
//! checks who may change what, writes the change and records it in the audit trail.

mod images;
mod import;
mod prices;
mod products;

pub use images::{IMAGE_TYPES, delete_image, upload_image};
pub use import::{COLUMNS, ImportMode, import_products};
pub use prices::{set_clinic_price, set_clinic_selection, set_doctor_price};
pub use products::{
    AdminProduct, add_variants, create_category, create_product, delete_category, list_categories,
    rename_category, update_product, update_variant,
};

use rxgate_api_types::FieldError;
use rxgate_api_types::catalogue::MoneyView;
use rxgate_domain::catalogue::{
    CatalogueError, Money, PriceDraft, ProductProblem, check_price_override,
};
use rxgate_domain::identity::Role;
use rxgate_persistence::catalogue;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::AppError;
use crate::auth::Actor;

/// Staff who manage `clinic_id`'s catalogue: its clinic admins and platform admins. Anyone
/// else gets 404 (the clinic's management is not theirs to know of).
fn require_clinic_manager(actor: &Actor, clinic_id: Uuid) -> Result<(), AppError> {
    if actor.has(Role::PlatformAdmin) || actor.is_at(Role::ClinicAdmin, clinic_id) {
        Ok(())
    } else if actor.has(Role::ClinicAdmin) {
        Err(AppError::NotFound)
    } else {
        actor.require(Role::ClinicAdmin)
    }
}

fn price_draft(m: &MoneyView) -> PriceDraft<'_> {
    PriceDraft {
        amount_minor: m.amount_minor,
        currency: &m.currency,
    }
}

fn field_error(field: &str, e: &CatalogueError) -> FieldError {
    FieldError {
        field: field.into(),
        code: e.code().to_lowercase(),
        message: e.to_string(),
    }
}

/// The product's problems as the 422 every catalogue form shows.
fn invalid(problems: Vec<ProductProblem>) -> AppError {
    AppError::Validation(problems.into_iter().map(from_problem).collect())
}

fn from_problem(p: ProductProblem) -> FieldError {
    FieldError {
        field: p.field,
        code: p.code,
        message: p.message,
    }
}

/// Checks a price override against the variant's list price (same currency, not negative).
fn checked_override(base: (i64, &str), input: &MoneyView) -> Result<(i64, String), AppError> {
    let invalid = |e: CatalogueError| AppError::Validation(vec![field_error("price", &e)]);
    let list = PriceDraft {
        amount_minor: base.0,
        currency: base.1,
    }
    .parse()
    .map_err(AppError::internal)?;
    let over: Money = price_draft(input).parse().map_err(invalid)?;
    check_price_override(&list, &over).map_err(invalid)?;
    Ok((over.amount_minor(), over.currency().as_str().to_owned()))
}

/// The ids of the named ingredients, adding those the catalogue does not know yet.
async fn ingredient_ids(conn: &mut PgConnection, names: &[String]) -> Result<Vec<Uuid>, AppError> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        ids.push(catalogue::ingredient_id(conn, name).await?);
    }
    Ok(ids)
}
