//! Catalogue (platform admins): the master catalogue, active and inactive products alike, found
//! by name and filtered by category and prescription; links to a new product, the CSV import
//! and each product's administration page.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::catalogue::{CatalogueQuery, CategoryView, ProductSummary};

use crate::api::{self, ApiError};
use crate::components::form::{DynamicSelectField, SelectField, TextField, no_error};
use crate::components::paged::{Layout, paged_view, use_paged};
use crate::format;
use crate::routes::Page;

const PAGE_SIZE: u32 = 50;

const PRESCRIPTION: &[(&str, &str)] = &[
    ("", "All"),
    ("true", "Prescription only"),
    ("false", "No prescription"),
];

/// The category drop-down: every category, and "All" first.
pub fn category_options(
    categories: Option<Result<Vec<CategoryView>, ApiError>>,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), "All".to_owned()))
        .chain(
            categories
                .and_then(Result::ok)
                .unwrap_or_default()
                .into_iter()
                .map(|c| (c.slug, c.name)),
        )
        .collect()
}

/// "Tablet · 10 mg · S1 · No prescription": what a product is, in one line.
pub fn product_facts(p: &ProductSummary) -> String {
    let mut parts = vec![p.category.name.clone(), p.dosage_form.clone()];
    if !p.strength.is_empty() {
        parts.push(p.strength.clone());
    }
    parts.push(p.schedule.clone());
    parts.push(
        if p.requires_prescription {
            "Prescription"
        } else {
            "No prescription"
        }
        .to_owned(),
    );
    parts.join(" · ")
}

/// The badge of a product's state in the master catalogue.
pub fn active_badge(active: bool) -> impl IntoView {
    if active {
        view! { <span class="badge badge-ok">"Active"</span> }
    } else {
        view! { <span class="badge">"Inactive"</span> }
    }
}

#[component]
pub fn AdminCatalogue() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let prescription = RwSignal::new(String::new());
    let categories = LocalResource::new(api::catalogue_categories);
    let category_list = Signal::derive(move || category_options(categories.get()));

    let paged = use_paged(
        move || CatalogueQuery {
            q: Some(search.get().trim().to_owned()).filter(|q| !q.is_empty()),
            category: Some(category.get()).filter(|c| !c.is_empty()),
            prescription: match prescription.get().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            limit: Some(PAGE_SIZE),
            ..CatalogueQuery::default()
        },
        |query, cursor| async move {
            api::catalogue_products(&CatalogueQuery { cursor, ..query }).await
        },
    );
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        search.set(typed.get_untracked());
    };

    view! {
        <section class="page wide">
            <div class="page-header">
                <h1>"Catalogue"</h1>
                <div class="item-actions">
                    <A href=Page::AdminNewProduct.path() attr:class="button">
                        "New product"
                    </A>
                    <A href=Page::AdminImportProducts.path() attr:class="button secondary">
                        "Import CSV"
                    </A>
                    <A href=Page::AdminCategories.path() attr:class="button secondary">
                        "Categories"
                    </A>
                </div>
            </div>
            <p class="muted">
                "The master catalogue: every product on the platform, active or not. Clinics "
                "choose what they sell from it."
            </p>
            <form class="card form filters" aria-label="Find products" on:submit=on_search>
                <TextField
                    label="Search"
                    name="q"
                    kind="search"
                    autocomplete="off"
                    hint="Name, form, strength or description."
                    value=typed
                    error=no_error()
                />
                <DynamicSelectField
                    label="Category"
                    name="category"
                    value=category
                    options=category_list
                    error=no_error()
                />
                <SelectField
                    label="Prescription"
                    name="prescription"
                    value=prescription
                    options=PRESCRIPTION
                    error=no_error()
                />
                <div class="form-actions">
                    <button class="button" type="submit">"Search"</button>
                </div>
            </form>
            {paged_view(
                paged,
                Layout::List { label: "Products" },
                "No products match.",
                product_item,
            )}
        </section>
    }
}

fn product_item(p: ProductSummary) -> impl IntoView {
    let href = Page::AdminProduct.item(&p.id.to_string());
    let facts = product_facts(&p);
    let price = p.from_price.as_ref().map(format::money);
    let thumb = p.images.first().map(|i| i.url.clone());
    view! {
        <li class="item product-item">
            {thumb
                .map(|src| {
                    view! {
                        <div class="thumb" aria-hidden="true">
                            <img src=src alt="" loading="lazy" />
                        </div>
                    }
                })}
            <div class="item-main">
                <p class="item-title">
                    <A href=href>{p.name.clone()}</A>
                    " "
                    {active_badge(p.active)}
                </p>
                <p class="muted">{facts}</p>
            </div>
            <div class="item-actions">
                {price.map(|price| view! { <span class="price">"From " {price}</span> })}
            </div>
        </li>
    }
}

/// A labelled multi-line field; like `TextField`, its hint and error are tied to it.
#[component]
pub fn TextAreaField(
    label: &'static str,
    /// The API's name of the field; also the element's `name`.
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let id = format!("f-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field">
            <label>
                {label}
                <textarea
                    id=id
                    name=name
                    rows=rows
                    required=required
                    maxlength=maxlength
                    aria-describedby=described_by
                    aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                    prop:value=value
                    on:input:target=move |ev| value.set(ev.target().value())
                ></textarea>
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled input of a repeated row (a variant, a question), whose label and id are made at
/// run time: `id` must be unique on the page.
#[component]
pub fn RowField(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] id: String,
    value: RwSignal<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field">
            <label>
                {label}
                <input
                    id=id
                    type=kind
                    inputmode=inputmode
                    required=required
                    autocomplete="off"
                    aria-describedby=described_by
                    aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                    prop:value=value
                    on:input:target=move |ev| value.set(ev.target().value())
                />
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// Every message the problem has for the field `name` (a field can fail several checks).
pub fn field_messages(error: &Option<ApiError>, name: &str) -> Vec<String> {
    match error {
        Some(ApiError::Problem(p)) => p
            .errors
            .iter()
            .filter(|e| e.field == name)
            .map(|e| e.message.clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// A labelled drop-down list of a repeated row, with a label and id made at run time.
#[component]
pub fn RowSelect(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] id: String,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into, optional)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label>
                {label}
                <select
                    id=id
                    aria-describedby=error_id.clone()
                    aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                    on:change:target=move |ev| value.set(ev.target().value())
                >
                    {move || {
                        options
                            .get()
                            .into_iter()
                            .map(|(v, text)| {
                                let selected = v.clone();
                                view! {
                                    <option
                                        value=v
                                        prop:selected=move || value.with(|c| *c == selected)
                                    >
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}
