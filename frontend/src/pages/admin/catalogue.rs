//! Catalogue (platform admins): the master catalogue, active and inactive products alike, found
//! by name and filtered by category and prescription; links to a new product, the CSV import
//! and each product's administration page.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::catalogue::{CatalogueQuery, ProductSummary};

use crate::api;
use crate::components::form::{DynamicSelectField, SelectField, TextField, no_error};
use crate::components::paged::{Layout, paged_view, use_paged};
use crate::components::product::{active_badge, category_options, product_facts};
use crate::format;
use crate::routes::Page;

const PAGE_SIZE: u32 = 50;

const PRESCRIPTION: &[(&str, &str)] = &[
    ("", "All"),
    ("true", "Prescription only"),
    ("false", "No prescription"),
];

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
