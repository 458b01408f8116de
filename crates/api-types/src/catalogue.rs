//! The catalogue with each product's eligibility for the signed-in patient, and its
//! administration (products, flags, contraindication rules).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::vocab::{CatalogueSort, ImportMode, RuleAction, Schedule, Verdict};
#[cfg(feature = "server")]
use validator::Validate;

/// An amount in the currency's minor unit (cents), with its ISO 4217 code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MoneyView {
    pub amount_minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CategoryView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IngredientView {
    pub id: Uuid,
    pub name: String,
}

/// Why a contraindication rule applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EligibilityReason {
    pub rule_id: Uuid,
    /// The flag that triggered the rule, e.g. `hx_mtc`.
    pub flag: String,
    /// What the patient is told.
    pub message: String,
    /// What clinicians are told; only sent to clinicians and admins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinician_message: Option<String>,
}

/// Whether the signed-in patient may buy a product, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EligibilityView {
    pub verdict: Verdict,
    /// For `blocked` and `needs_review`: the rules that decided it.
    pub reasons: Vec<EligibilityReason>,
    /// Warnings that apply whatever the verdict.
    pub warnings: Vec<EligibilityReason>,
    /// For `consult_required`: the consult fee, when the product has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consult_fee: Option<MoneyView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ProductSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub category: CategoryView,
    pub dosage_form: String,
    pub strength: String,
    pub schedule: Schedule,
    pub requires_prescription: bool,
    pub requires_consult: bool,
    pub consult_fee: Option<MoneyView>,
    /// The lowest price the caller pays for any variant.
    pub from_price: Option<MoneyView>,
    pub ingredients: Vec<IngredientView>,
    pub active: bool,
    /// For patients: may they buy it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<EligibilityView>,
    /// Image URLs (relative to the API's origin), in display order.
    #[serde(default)]
    pub images: Vec<ImageView>,
    /// For staff looking at a clinic: whether the clinic sells it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_selection: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VariantView {
    pub id: Uuid,
    pub sku: String,
    pub strength: String,
    pub pack_size: i32,
    /// What the caller pays (doctor, then clinic, then list price).
    pub price: MoneyView,
    pub list_price: MoneyView,
    pub active: bool,
    /// For staff looking at a clinic: the clinic's own price, when it has set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinic_price: Option<MoneyView>,
    /// For a doctor: their own price for their patients in the clinic, when they have set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_price: Option<MoneyView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    pub product: ProductSummary,
    pub description: String,
    pub variants: Vec<VariantView>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct CatalogueQuery {
    /// Full-text search over name, form, strength and description (at most 200 characters).
    #[cfg_attr(feature = "server", param(max_length = 200))]
    pub q: Option<String>,
    /// Category slug.
    pub category: Option<String>,
    /// Only prescription (`true`) or only non-prescription (`false`) products.
    pub prescription: Option<bool>,
    /// Default `name`.
    pub sort: Option<CatalogueSort>,
    /// Staff only: the clinic whose selection and prices to show.
    pub clinic_id: Option<Uuid>,
    /// Staff only, with a clinic: the whole master catalogue, each product marked with
    /// `in_selection`, to choose what the clinic sells.
    pub all: Option<bool>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::pagination::limit")]
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
}

/// A variant of a new product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct NewVariantInput {
    /// 1 to 64 of `A-Z a-z 0-9 - _ .`; stored in capitals.
    #[cfg_attr(feature = "server", schema(pattern = r"^[A-Za-z0-9._-]{1,64}$"))]
    pub sku: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 80)))]
    #[cfg_attr(feature = "server", schema(max_length = 80))]
    pub strength: String,
    #[cfg_attr(feature = "server", validate(range(min = 1, max = 100000)))]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 100000))]
    pub pack_size: i32,
    pub price: MoneyView,
}

/// New variants of an existing product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct NewVariantsInput {
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 50), nested))]
    #[cfg_attr(feature = "server", schema(min_items = 1, max_items = 50))]
    pub variants: Vec<NewVariantInput>,
}

/// A product for the master catalogue. Ingredients are named; unknown names are added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct NewProductInput {
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 200)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 200))]
    pub name: String,
    pub category: String,
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 80)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 80))]
    pub dosage_form: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 80)))]
    #[cfg_attr(feature = "server", schema(max_length = 80))]
    pub strength: String,
    pub schedule: Schedule,
    pub requires_prescription: bool,
    #[serde(default)]
    pub requires_consult: bool,
    pub consult_fee: Option<MoneyView>,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 10000)))]
    #[cfg_attr(feature = "server", schema(max_length = 10000))]
    pub description: String,
    #[cfg_attr(feature = "server", validate(length(max = 10)))]
    #[cfg_attr(feature = "server", schema(max_items = 10))]
    pub ingredients: Vec<String>,
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 50), nested))]
    #[cfg_attr(feature = "server", schema(min_items = 1, max_items = 50))]
    pub variants: Vec<NewVariantInput>,
    /// Clinics that sell it from the start.
    #[serde(default)]
    pub clinic_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FlagView {
    pub code: String,
    pub label: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct NewFlag {
    /// `[a-z][a-z0-9_]{0,63}`, e.g. `on_anticoagulants`.
    #[cfg_attr(feature = "server", schema(pattern = r"^[a-z][a-z0-9_]{0,63}$"))]
    pub code: String,
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 120)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 120))]
    pub label: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 2000)))]
    #[cfg_attr(feature = "server", schema(max_length = 2000))]
    pub description: String,
}

/// A contraindication rule: `(product | active ingredient) × flag → block | review | warn`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RuleView {
    pub id: Uuid,
    pub product_id: Option<Uuid>,
    pub product_name: Option<String>,
    pub ingredient_id: Option<Uuid>,
    pub ingredient_name: Option<String>,
    pub flag: String,
    pub action: RuleAction,
    pub patient_message: String,
    pub clinician_message: String,
    pub active: bool,
    pub updated_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new rule, or a rule's new content. Exactly one of `product_id` and `ingredient_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct RuleInput {
    pub product_id: Option<Uuid>,
    pub ingredient_id: Option<Uuid>,
    pub flag: String,
    pub action: RuleAction,
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 1000)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 1000))]
    pub patient_message: String,
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 2000)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 2000))]
    pub clinician_message: String,
    /// Retire a rule by setting this to false; it stops applying at once.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct RuleQuery {
    pub flag: Option<String>,
    pub action: Option<RuleAction>,
    pub product_id: Option<Uuid>,
    pub ingredient_id: Option<Uuid>,
    pub active: Option<bool>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::pagination::limit")]
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
}

/// Whether a clinic sells a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SelectionInput {
    pub sells: bool,
}

/// A clinic's price for a variant, or `null` to go back to the list price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PriceInput {
    pub price: Option<MoneyView>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct ImportQuery {
    /// Default `all`.
    pub mode: Option<ImportMode>,
}

/// One problem in an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub products_created: u32,
    pub variants_created: u32,
    /// With `mode=valid_rows`: the rows left out, and why.
    pub problems: Vec<ImportProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImageView {
    pub id: Uuid,
    /// Where the image is served (no authentication needed).
    pub url: String,
}

/// A doctor's own price for a variant, charged to their patients in `clinic_id`, or `null` to
/// charge the clinic's price again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DoctorPriceInput {
    pub clinic_id: Uuid,
    pub price: Option<MoneyView>,
}

/// A product's new details and ingredients (variants and images are changed separately).
/// `active: false` takes it out of every clinic's catalogue without deleting its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ProductUpdate {
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 200)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 200))]
    pub name: String,
    pub category: String,
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 80)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 80))]
    pub dosage_form: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 80)))]
    #[cfg_attr(feature = "server", schema(max_length = 80))]
    pub strength: String,
    pub schedule: Schedule,
    pub requires_prescription: bool,
    #[serde(default)]
    pub requires_consult: bool,
    pub consult_fee: Option<MoneyView>,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 10000)))]
    #[cfg_attr(feature = "server", schema(max_length = 10000))]
    pub description: String,
    /// The product's active ingredients by name (unknown names are added); rules on a removed
    /// ingredient stop applying to the product at once.
    #[cfg_attr(feature = "server", validate(length(max = 10)))]
    #[cfg_attr(feature = "server", schema(max_items = 10))]
    pub ingredients: Vec<String>,
    pub active: bool,
}

/// A variant's new details; `active: false` stops it being sold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct VariantUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 80)))]
    #[cfg_attr(feature = "server", schema(max_length = 80))]
    pub strength: String,
    #[cfg_attr(feature = "server", validate(range(min = 1, max = 100000)))]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 100000))]
    pub pack_size: i32,
    pub price: MoneyView,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct NewCategory {
    /// Lower-case letters, digits and single dashes.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 64)
    )]
    pub slug: String,
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 120)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 120))]
    pub name: String,
}

/// A category's new name (its slug, used in catalogue filters and links, stays).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct CategoryRename {
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 120)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 120))]
    pub name: String,
}
