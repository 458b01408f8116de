//! What a clinic sells and at what price (its clinic admins, platform admins), and a doctor's
//! own prices for their patients (SPEC C7). Overrides are in the variant's list currency.

use rxgate_api_types::catalogue::MoneyView;
use rxgate_domain::identity::Role;
use rxgate_persistence::Db;
use rxgate_persistence::catalogue;
use uuid::Uuid;

use super::{checked_override, require_clinic_manager};
use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};

/// Adds a product to a clinic's selection or removes it. Patients of the clinic see the change
/// at once; only a change is audited.
pub async fn set_clinic_selection(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    clinic_id: Uuid,
    product_id: Uuid,
    sells: bool,
) -> Result<(), AppError> {
    require_clinic_manager(actor, clinic_id)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    if !catalogue::product_exists(&mut tx, product_id).await? {
        return Err(AppError::NotFound);
    }
    if catalogue::set_clinic_selection(&mut tx, clinic_id, product_id, sells).await? {
        tx.record(
            Event::new(
                if sells { "add" } else { "remove" },
                "clinic_product",
                product_id,
            )
            .details(serde_json::json!({ "clinic_id": clinic_id })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a clinic's own price for a variant, or clears it with `None`.
pub async fn set_clinic_price(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    clinic_id: Uuid,
    variant_id: Uuid,
    price: Option<&MoneyView>,
) -> Result<(), AppError> {
    require_clinic_manager(actor, clinic_id)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let (base_amount, base_currency) = catalogue::variant_price(&mut tx, variant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let price = price
        .map(|p| checked_override((base_amount, &base_currency), p))
        .transpose()?;
    catalogue::set_clinic_price(
        &mut tx,
        clinic_id,
        variant_id,
        price.as_ref().map(|(a, c)| (*a, c.as_str())),
    )
    .await?;
    tx.record(
        Event::new("set_price", "variant", variant_id).details(serde_json::json!({
            "clinic_id": clinic_id, "price_minor": price.as_ref().map(|p| p.0)
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the acting doctor's own price for a variant, charged to their patients in `clinic_id`
/// instead of the clinic's price, or clears it with `None`. A clinic the doctor does not work
/// for is 404.
pub async fn set_doctor_price(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    variant_id: Uuid,
    clinic_id: Uuid,
    price: Option<&MoneyView>,
) -> Result<(), AppError> {
    actor.require(Role::Doctor)?;
    if !actor.is_at(Role::Doctor, clinic_id) {
        return Err(AppError::NotFound);
    }
    let mut tx = Work::begin(db, actor, facts).await?;
    let (base_amount, base_currency) = catalogue::variant_price(&mut tx, variant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let price = price
        .map(|p| checked_override((base_amount, &base_currency), p))
        .transpose()?;
    catalogue::set_doctor_price(
        &mut tx,
        actor.user_id,
        clinic_id,
        variant_id,
        price.as_ref().map(|(a, c)| (*a, c.as_str())),
    )
    .await?;
    tx.record(
        Event::new("set_doctor_price", "variant", variant_id).details(serde_json::json!({
            "clinic_id": clinic_id, "price_minor": price.as_ref().map(|p| p.0)
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
