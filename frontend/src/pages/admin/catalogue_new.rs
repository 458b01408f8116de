//! New product (platform admins): a product of the master catalogue with its variants (rows
//! added and removed), its active ingredients, and the clinics that sell it from the start.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use rxgate_api_types::admin::OrganisationView;
use rxgate_api_types::catalogue::{MoneyView, NewProductInput, NewVariantInput, ProductDetail};
use rxgate_api_types::vocab::Schedule;

use crate::api::{self, ApiError};
use crate::components::form::{
    CheckField, DynamicSelectField, FormAlert, SelectField, TextField, field_error, last_error,
    no_error,
};
use crate::components::form::{RowField, TextAreaField};
use crate::components::money::{amount_input, parse_amount};
use crate::components::product::category_options;
use crate::routes::Page;

pub const SCHEDULES: &[(&str, &str)] = &[
    ("S0", "S0 (general sale)"),
    ("S1", "S1"),
    ("S2", "S2"),
    ("S3", "S3 (prescription)"),
    ("S4", "S4 (prescription)"),
    ("S5", "S5 (prescription)"),
    ("S6", "S6 (prescription)"),
    ("S7", "S7 (prescription)"),
    ("S8", "S8 (prescription)"),
];

/// The fields the form shows (a variant's fields are checked by prefix).
pub const FIELDS: &[&str] = &[
    "name",
    "category",
    "dosage_form",
    "strength",
    "schedule",
    "requires_prescription",
    "requires_consult",
    "consult_fee",
    "description",
    "ingredients",
    "variants",
    "clinic_ids",
];

/// One variant row being typed.
#[derive(Debug, Clone, Copy)]
struct VariantRow {
    /// Stable while rows are added and removed.
    uid: u32,
    sku: RwSignal<String>,
    strength: RwSignal<String>,
    pack_size: RwSignal<String>,
    price: RwSignal<String>,
    /// A problem found before sending (an unreadable number).
    local_error: RwSignal<Option<String>>,
}

impl VariantRow {
    fn new(uid: u32, strength: String) -> Self {
        Self {
            uid,
            sku: RwSignal::new(String::new()),
            strength: RwSignal::new(strength),
            pack_size: RwSignal::new("1".into()),
            price: RwSignal::new(String::new()),
            local_error: RwSignal::new(None),
        }
    }
}

/// The variant rows of a form: added, removed, and read into what the API takes.
#[derive(Debug, Clone, Copy)]
pub struct Variants {
    rows: RwSignal<Vec<VariantRow>>,
    next_uid: StoredValue<u32>,
}

impl Variants {
    /// One empty row.
    pub fn new() -> Self {
        Self {
            rows: RwSignal::new(vec![VariantRow::new(0, String::new())]),
            next_uid: StoredValue::new(1),
        }
    }

    /// Adds an empty row with `strength` filled in. The row's signals belong to the form (not
    /// to the click that made them), so they live as long as the form.
    fn add(&self, owner: Option<&Owner>, strength: String) {
        let uid = self.next_uid.get_value();
        self.next_uid.set_value(uid + 1);
        let row = match owner {
            Some(o) => o.with(|| VariantRow::new(uid, strength)),
            None => VariantRow::new(uid, strength),
        };
        self.rows.update(|rows| rows.push(row));
    }

    /// Back to one empty row (after the variants were saved).
    pub fn reset(&self) {
        for row in self.rows.get_untracked() {
            row.sku.set(String::new());
            row.price.set(String::new());
            row.pack_size.set("1".into());
            row.local_error.set(None);
        }
        self.rows.update(|rows| rows.truncate(1));
    }

    /// What the rows say, priced in `currency`; a row without a strength of its own has
    /// `product_strength`. `None` after marking the rows that cannot be read.
    pub fn inputs(&self, currency: &str, product_strength: &str) -> Option<Vec<NewVariantInput>> {
        let mut inputs = Vec::new();
        let mut ok = true;
        for row in self.rows.get_untracked() {
            let price = parse_amount(&row.price.get_untracked(), currency);
            let pack = row.pack_size.get_untracked().trim().parse::<i32>();
            let problem = match (&price, &pack) {
                (Err(message), _) => Some(format!("Price: {message}")),
                (_, Err(_)) => Some("Pack size: enter a whole number, e.g. 30.".to_owned()),
                _ => None,
            };
            row.local_error.set(problem);
            if let (Ok(amount_minor), Ok(pack_size)) = (price, pack) {
                let own_strength = row.strength.get_untracked().trim().to_owned();
                inputs.push(NewVariantInput {
                    sku: row.sku.get_untracked().trim().to_owned(),
                    strength: if own_strength.is_empty() {
                        product_strength.to_owned()
                    } else {
                        own_strength
                    },
                    pack_size,
                    price: MoneyView {
                        amount_minor,
                        currency: currency.to_owned(),
                    },
                });
            } else {
                ok = false;
            }
        }
        ok.then_some(inputs)
    }
}

/// The variant rows with "Add a variant"; the API's messages (`variants[<i>].<field>`) stay
/// next to the row they are about.
#[component]
pub fn VariantsFieldset(
    variants: Variants,
    error: Memo<Option<ApiError>>,
    /// The strength a new row starts with.
    #[prop(into)]
    default_strength: Signal<String>,
) -> impl IntoView {
    let owner = Owner::current();
    let variants_error = field_error(error, "variants");
    let rows = variants.rows;
    view! {
        <fieldset>
            <legend>"Variants"</legend>
            <p class="field-error" role="alert">{move || variants_error.get()}</p>
            <For each=move || rows.get() key=|row| row.uid let:row>
                <VariantFields row variants=rows error />
            </For>
            <div class="form-actions">
                <button
                    class="button secondary"
                    type="button"
                    on:click=move |_| variants.add(owner.as_ref(), default_strength.get_untracked())
                >
                    "Add a variant"
                </button>
            </div>
        </fieldset>
    }
}

/// The form's general message: the problem's detail, or "`failed`: see the messages next to
/// the fields" when every field it names (one of `fields` or a variant's) shows its own.
pub fn form_summary(
    error: Memo<Option<ApiError>>,
    failed: &'static str,
    fields: &'static [&'static str],
) -> Signal<Option<String>> {
    Signal::derive(move || {
        error.with(|e| {
            let e = e.as_ref()?;
            let shown = |field: &str| fields.contains(&field) || field.starts_with("variants[");
            match e {
                ApiError::Problem(p) if !p.errors.is_empty() => {
                    let unshown: Vec<String> = p
                        .errors
                        .iter()
                        .filter(|f| !shown(&f.field))
                        .map(|f| format!("{}: {}", f.field, f.message))
                        .collect();
                    Some(if unshown.is_empty() {
                        format!("{failed}: see the messages next to the fields.")
                    } else {
                        format!("{} {}", e, unshown.join(" "))
                    })
                }
                other => Some(other.to_string()),
            }
        })
    })
}

/// Every clinic, following the cursor to the end.
async fn all_clinics() -> Result<Vec<OrganisationView>, ApiError> {
    let all = crate::pages::admin::invitations::all_organisations().await?;
    Ok(all.into_iter().filter(|o| o.kind == "clinic").collect())
}

/// Turns `"a, b ,,c"` into `["a", "b", "c"]`.
fn split_names(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
pub fn NewProduct() -> impl IntoView {
    let navigate = use_navigate();
    let form = ProductForm::new();
    let strength = form.strength;
    let variants = Variants::new();
    let clinics_chosen = RwSignal::new(Vec::<String>::new());
    let clinics = LocalResource::new(all_clinics);

    let create = Action::new_local(move |body: &NewProductInput| {
        let body = body.clone();
        let navigate = navigate.clone();
        async move {
            let created = api::create_product(&body).await?;
            navigate(
                &Page::AdminProduct.item(&created.product.id.to_string()),
                NavigateOptions::default(),
            );
            Ok::<_, ApiError>(())
        }
    });
    let pending = create.pending();
    let error = last_error(create);
    // A taken name (`PRODUCT_SLUG_TAKEN`) is a field error too: the API names the field.
    let name_error = field_error(error, "name");
    let general = form_summary(error, "The product was not added", FIELDS);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let currency_code = form.currency_code();
        let fee = form.fee();
        let mut ok = fee.is_ok();
        let inputs = variants.inputs(&currency_code, strength.get_untracked().trim());
        ok &= inputs.is_some();
        if !ok {
            return;
        }
        let clinic_ids = clinics_chosen
            .get_untracked()
            .iter()
            .filter_map(|id| serde_json::from_value(serde_json::Value::String(id.clone())).ok())
            .collect();
        let (Ok(consult_fee), Some(inputs), Some(schedule)) = (fee, inputs, form.schedule()) else {
            return;
        };
        create.dispatch(NewProductInput {
            name: form.name.get_untracked().trim().to_owned(),
            category: form.category.get_untracked(),
            dosage_form: form.dosage_form.get_untracked().trim().to_owned(),
            strength: strength.get_untracked().trim().to_owned(),
            schedule,
            requires_prescription: form.requires_prescription.get_untracked(),
            requires_consult: form.requires_consult.get_untracked(),
            consult_fee,
            description: form.description.get_untracked().trim().to_owned(),
            ingredients: form.ingredient_names(),
            variants: inputs,
            clinic_ids,
        });
    };

    view! {
        <section class="page">
            <h1>"New product"</h1>
            <p class="muted">
                "Adds a product to the master catalogue. Products in schedule S3 or higher need a "
                "prescription."
            </p>
            <form class="card form" on:submit=on_submit aria-label="New product" novalidate>
                <FormAlert message=general />
                <ProductFields form error name_error />
                <VariantsFieldset variants error default_strength=strength />
                <ClinicChoice clinics clinics_chosen />
                <div class="form-actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "Adding…" } else { "Add product" }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// A product's details as they are typed, shared by the new-product and edit-product forms.
#[derive(Debug, Clone, Copy)]
pub struct ProductForm {
    pub name: RwSignal<String>,
    pub category: RwSignal<String>,
    pub dosage_form: RwSignal<String>,
    pub strength: RwSignal<String>,
    pub schedule: RwSignal<String>,
    pub requires_prescription: RwSignal<bool>,
    pub requires_consult: RwSignal<bool>,
    pub consult_fee: RwSignal<String>,
    pub currency: RwSignal<String>,
    pub description: RwSignal<String>,
    /// Names separated by commas.
    pub ingredients: RwSignal<String>,
    /// A consult fee that could not be read.
    fee_error: RwSignal<Option<String>>,
}

impl ProductForm {
    pub fn new() -> Self {
        Self {
            name: RwSignal::new(String::new()),
            category: RwSignal::new(String::new()),
            dosage_form: RwSignal::new(String::new()),
            strength: RwSignal::new(String::new()),
            schedule: RwSignal::new("S0".to_owned()),
            requires_prescription: RwSignal::new(false),
            requires_consult: RwSignal::new(false),
            consult_fee: RwSignal::new(String::new()),
            currency: RwSignal::new("ZAR".to_owned()),
            description: RwSignal::new(String::new()),
            ingredients: RwSignal::new(String::new()),
            fee_error: RwSignal::new(None),
        }
    }

    /// The form filled with a product's details as they are now.
    pub fn of(detail: &ProductDetail) -> Self {
        let p = &detail.product;
        let form = Self::new();
        form.name.set(p.name.clone());
        form.category.set(p.category.slug.clone());
        form.dosage_form.set(p.dosage_form.clone());
        form.strength.set(p.strength.clone());
        form.schedule.set(p.schedule.to_string());
        form.requires_prescription.set(p.requires_prescription);
        form.requires_consult.set(p.requires_consult);
        if let Some(fee) = &p.consult_fee {
            form.consult_fee
                .set(amount_input(fee.amount_minor, &fee.currency));
            form.currency.set(fee.currency.clone());
        } else if let Some(price) = &p.from_price {
            form.currency.set(price.currency.clone());
        }
        form.description.set(detail.description.clone());
        form.ingredients.set(
            p.ingredients
                .iter()
                .map(|i| i.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        );
        form
    }

    pub fn currency_code(&self) -> String {
        self.currency.get_untracked().trim().to_uppercase()
    }

    /// The schedule chosen (the select offers only `S0`–`S8`).
    pub fn schedule(&self) -> Option<Schedule> {
        Schedule::parse(&self.schedule.get_untracked())
    }

    /// The consult fee typed (none when empty), or `Err` after saying why it cannot be read.
    pub fn fee(&self) -> Result<Option<MoneyView>, ()> {
        let text = self.consult_fee.get_untracked();
        if text.trim().is_empty() {
            self.fee_error.set(None);
            return Ok(None);
        }
        let currency = self.currency_code();
        match parse_amount(&text, &currency) {
            Ok(amount_minor) => {
                self.fee_error.set(None);
                Ok(Some(MoneyView {
                    amount_minor,
                    currency,
                }))
            }
            Err(message) => {
                self.fee_error.set(Some(message));
                Err(())
            }
        }
    }

    /// The ingredients typed, by name.
    pub fn ingredient_names(&self) -> Vec<String> {
        split_names(&self.ingredients.get_untracked())
    }
}

/// The fields of a product's details, with the API's messages next to them.
#[component]
pub fn ProductFields(
    form: ProductForm,
    error: Memo<Option<ApiError>>,
    #[prop(into)] name_error: Signal<Option<String>>,
) -> impl IntoView {
    let categories = LocalResource::new(api::catalogue_categories);
    let category_list = Signal::derive(move || {
        let mut options = category_options(categories.get());
        // "All" is for filters: a product has one category.
        options.remove(0);
        options
    });
    let category = form.category;
    // The first category until one is chosen.
    Effect::new(move |_| {
        let options = category_list.get();
        if !options
            .iter()
            .any(|(slug, _)| *slug == category.get_untracked())
            && let Some((slug, _)) = options.first()
        {
            category.set(slug.clone());
        }
    });
    let fee_field = field_error(error, "consult_fee");
    let fee_error = form.fee_error;
    let fee_message = Signal::derive(move || fee_error.get().or_else(|| fee_field.get()));
    let rx_error = field_error(error, "requires_prescription");
    view! {
                <TextField label="Name" name="name" required=true value=form.name error=name_error />
                <DynamicSelectField
                    label="Category"
                    name="category"
                    value=form.category
                    options=category_list
                    error=field_error(error, "category")
                />
                <TextField
                    label="Dosage form"
                    name="dosage_form"
                    hint="e.g. tablet, capsule, pre-filled pen."
                    required=true
                    value=form.dosage_form
                    error=field_error(error, "dosage_form")
                />
                <TextField
                    label="Strength"
                    name="strength"
                    hint="e.g. 10 mg. A variant without a strength of its own has this one."
                    value=form.strength
                    error=field_error(error, "strength")
                />
                <SelectField
                    label="Schedule"
                    name="schedule"
                    value=form.schedule
                    options=SCHEDULES
                    error=field_error(error, "schedule")
                />
                <CheckField
                    label="Requires a prescription"
                    name="requires_prescription"
                    checked=form.requires_prescription
                />
                <p class="field-error" role="alert">{move || rx_error.get()}</p>
                <CheckField
                    label="Requires a consult before ordering"
                    name="requires_consult"
                    checked=form.requires_consult
                />
                <TextField
                    label="Currency"
                    name="currency"
                    hint="Three letters, e.g. ZAR: the currency of the consult fee and of new variants' prices."
                    maxlength="3"
                    required=true
                    value=form.currency
                    error=no_error()
                />
                <TextField
                    label="Consult fee"
                    name="consult_fee"
                    inputmode="decimal"
                    hint="Optional, e.g. 350.00."
                    value=form.consult_fee
                    error=fee_message
                />
                <TextField
                    label="Active ingredients"
                    name="ingredients"
                    hint="Separate them with commas, e.g. Ethinylestradiol, Levonorgestrel. New names are added."
                    value=form.ingredients
                    error=field_error(error, "ingredients")
                />
                <TextAreaField
                    label="Description"
                    name="description"
                    maxlength="10000"
                    value=form.description
                    error=field_error(error, "description")
                />
    }
}

#[component]
fn VariantFields(
    row: VariantRow,
    variants: RwSignal<Vec<VariantRow>>,
    error: Memo<Option<ApiError>>,
) -> impl IntoView {
    // The row's position now: the API names fields by position (`variants[0].sku`).
    let index = Memo::new(move |_| {
        variants.with(|rows| rows.iter().position(|r| r.uid == row.uid).unwrap_or(0))
    });
    let at = move |field: &'static str| {
        Signal::derive(move || {
            let name = format!("variants[{}].{field}", index.get());
            error.with(|e| e.as_ref().and_then(|e| e.field(&name)))
        })
    };
    let number = move || index.get() + 1;
    let only_one = move || variants.with(|rows| rows.len() <= 1);
    let remove = move |_| variants.update(|rows| rows.retain(|r| r.uid != row.uid));
    let id = |field: &str| format!("variant-{}-{field}", row.uid);
    view! {
        <div class="row-card" role="group" aria-label=move || format!("Variant {}", number())>
            <p class="row-title">{move || format!("Variant {}", number())}</p>
            <div class="row-fields">
                <RowField label="SKU" id=id("sku") required=true value=row.sku error=at("sku") />
                <RowField label="Strength" id=id("strength") value=row.strength error=at("strength") />
                <RowField
                    label="Pack size"
                    id=id("pack")
                    inputmode="numeric"
                    required=true
                    value=row.pack_size
                    error=at("pack_size")
                />
                <RowField
                    label="Price"
                    id=id("price")
                    inputmode="decimal"
                    required=true
                    hint="e.g. 59.00"
                    value=row.price
                    error=at("price")
                />
            </div>
            <p class="field-error" role="alert">{move || row.local_error.get()}</p>
            <div class="form-actions">
                <button
                    class="button secondary"
                    type="button"
                    disabled=only_one
                    on:click=remove
                    aria-label=move || format!("Remove variant {}", number())
                >
                    "Remove"
                </button>
            </div>
        </div>
    }
}

#[component]
fn ClinicChoice(
    clinics: LocalResource<Result<Vec<OrganisationView>, ApiError>>,
    clinics_chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    let list = move || match clinics.get() {
        None => view! { <p class="muted">"Loading clinics…"</p> }.into_any(),
        Some(Err(e)) => view! {
            <p class="field-error" role="alert">
                {format!("The clinics could not be loaded: {e}")}
            </p>
        }
        .into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted">"There are no clinics yet."</p> }.into_any()
        }
        Some(Ok(list)) => list
            .into_iter()
            .map(|clinic| {
                let id = clinic.id.to_string();
                let checked_id = id.clone();
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || {
                                clinics_chosen.with(|c| c.contains(&checked_id))
                            }
                            on:change:target=move |ev| {
                                let on = ev.target().checked();
                                let id = id.clone();
                                clinics_chosen
                                    .update(|c| {
                                        c.retain(|x| *x != id);
                                        if on {
                                            c.push(id);
                                        }
                                    });
                            }
                        />
                        <span>{clinic.name}</span>
                    </label>
                }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <fieldset>
            <legend>"Sold from the start in"</legend>
            <p class="hint">"Optional: clinics can also choose it later."</p>
            {list}
        </fieldset>
    }
}
