//! The catalogue as patients and staff see it: products with prices and, for patients, whether
//! they may buy each one and why.

pub mod get_image;
pub mod get_product;
pub mod list_categories;
pub mod list_products;
pub mod set_clinic_price;
pub mod set_clinic_selection;
pub mod set_doctor_price;

use rxgate_api_types::catalogue::{
    CategoryView, EligibilityReason, EligibilityView, ImageView, IngredientView, MoneyView,
    ProductSummary, VariantView,
};
use rxgate_api_types::vocab::{Schedule, Verdict};
use rxgate_app::AppError;
use rxgate_persistence::catalogue::ProductRow;
use uuid::Uuid;

use crate::error::ApiError;

fn money(amount: Option<i64>, currency: Option<&String>) -> Option<MoneyView> {
    Some(MoneyView {
        amount_minor: amount?,
        currency: currency?.clone(),
    })
}

fn reasons(value: Option<&serde_json::Value>, clinician: bool) -> Vec<EligibilityReason> {
    value
        .and_then(|v| v.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|r| {
                    Some(EligibilityReason {
                        rule_id: r.get("rule_id")?.as_str()?.parse().ok()?,
                        flag: r.get("flag")?.as_str()?.to_owned(),
                        message: r.get("patient_message")?.as_str()?.to_owned(),
                        clinician_message: clinician
                            .then(|| r.get("clinician_message")?.as_str().map(str::to_owned))
                            .flatten(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn summary(row: &ProductRow, clinician: bool) -> Result<ProductSummary, ApiError> {
    let consult_fee = money(row.consult_fee_minor, row.consult_fee_currency.as_ref());
    let verdict = row
        .verdict
        .as_deref()
        .map(|v| Verdict::parse(v).ok_or_else(|| AppError::unexpected("verdict", v)))
        .transpose()?;
    Ok(ProductSummary {
        id: row.id,
        slug: row.slug.clone(),
        name: row.name.clone(),
        category: CategoryView {
            id: row.category_id,
            slug: row.category_slug.clone(),
            name: row.category_name.clone(),
        },
        dosage_form: row.dosage_form.clone(),
        strength: row.strength.clone(),
        schedule: Schedule::parse(&row.schedule)
            .ok_or_else(|| AppError::unexpected("schedule", &row.schedule))?,
        requires_prescription: row.requires_prescription,
        requires_consult: row.requires_consult,
        from_price: money(row.from_price_minor, row.currency.as_ref()),
        ingredients: serde_json::from_value::<Vec<IngredientView>>(row.ingredients.clone())
            .unwrap_or_default(),
        active: row.active,
        eligibility: verdict.map(|verdict| EligibilityView {
            verdict,
            reasons: reasons(row.reasons.as_ref(), clinician),
            warnings: reasons(row.warnings.as_ref(), clinician),
            consult_fee: (verdict == Verdict::ConsultRequired)
                .then(|| consult_fee.clone())
                .flatten(),
        }),
        in_selection: row.in_selection,
        images: row
            .image_ids
            .iter()
            .map(|id| ImageView {
                id: *id,
                url: image_url(*id),
            })
            .collect(),
        consult_fee,
    })
}

pub(crate) fn image_url(id: Uuid) -> String {
    format!("/api/v1/catalogue/images/{id}")
}

/// A variant with the price the caller pays, its list price and, for staff, the clinic's and
/// the asking doctor's own prices.
pub(crate) fn variant_view(
    v: rxgate_persistence::catalogue::VariantRow,
    staff: bool,
) -> VariantView {
    let at = |amount_minor: i64| MoneyView {
        amount_minor,
        currency: v.currency.clone(),
    };
    VariantView {
        id: v.id,
        price: at(v.price_minor),
        list_price: at(v.base_price_minor),
        clinic_price: v.clinic_price_minor.filter(|_| staff).map(at),
        own_price: v.own_price_minor.filter(|_| staff).map(at),
        sku: v.sku,
        strength: v.strength,
        pack_size: v.pack_size,
        active: v.active,
    }
}
