//! The shop: the patient's clinic's products, found by words, category and whether they need a
//! prescription, sorted by name or price, a page at a time. Every product says whether this
//! patient may buy it and why.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::catalogue::{CatalogueQuery, ProductSummary};
use rxgate_api_types::vocab::CatalogueSort;

use crate::api;
use crate::components::form::{DynamicSelectField, SelectField, TextField, no_error};
use crate::components::paged::{Extras, Layout, paged_view_with, use_paged};
use crate::format;
use crate::pages::patient::eligibility::EligibilityPanel;
use crate::routes::Page;

const PAGE_SIZE: u32 = 24;

const PRESCRIPTION: &[(&str, &str)] = &[
    ("", "All products"),
    ("true", "Prescription medicines"),
    ("false", "No prescription needed"),
];

const SORTS: &[(&str, &str)] = &[("name", "Name"), ("price", "Price, lowest first")];

#[component]
pub fn Shop() -> impl IntoView {
    // The search box as typed, and the search in force (set when the form is submitted).
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let prescription = RwSignal::new(String::new());
    let sort = RwSignal::new("name".to_owned());

    let categories = LocalResource::new(api::catalogue_categories);
    let category_options = Signal::derive(move || {
        let mut options = vec![(String::new(), "All categories".to_owned())];
        if let Some(Ok(list)) = categories.get() {
            options.extend(list.into_iter().map(|c| (c.slug, c.name)));
        }
        options
    });

    let paged = use_paged(
        move || CatalogueQuery {
            q: Some(search.get().trim().to_owned()).filter(|q| !q.is_empty()),
            category: Some(category.get()).filter(|c| !c.is_empty()),
            prescription: match prescription.get().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            sort: CatalogueSort::parse(&sort.get()),
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
            <h1>"Shop"</h1>
            <p class="muted">
                "Medicines from your clinic. Each one says whether it is suitable for you, based on "
                "your health questionnaire; prescription medicines need a consult with a doctor first."
            </p>
            <form class="card form filters" aria-label="Find products" on:submit=on_search>
                <TextField
                    label="Search"
                    name="q"
                    kind="search"
                    autocomplete="off"
                    hint="A medicine's name, form or strength."
                    maxlength="200"
                    value=typed
                    error=no_error()
                />
                <DynamicSelectField
                    label="Category"
                    name="category"
                    value=category
                    options=category_options
                    error=no_error()
                />
                <SelectField
                    label="Prescription"
                    name="prescription"
                    value=prescription
                    options=PRESCRIPTION
                    error=no_error()
                />
                <SelectField label="Sort by" name="sort" value=sort options=SORTS error=no_error() />
                <div class="form-actions">
                    <button class="button" type="submit">"Search"</button>
                </div>
            </form>
            {paged_view_with(
                paged,
                Layout::Grid { label: "Products" },
                "No products match.",
                Extras {
                    skeleton_lines: 8,
                    ..Extras::default()
                },
                |product| view! { <ProductCard product /> },
            )}
            <p class="muted">
                "Not sure what is suitable? "
                <A href=Page::PatientQuestionnaire.path()>"Keep your health questionnaire up to date"</A>
                "."
            </p>
        </section>
    }
}

/// "From R 25.00", or nothing when no variant has a price for this patient.
pub fn price_line(product: &ProductSummary) -> Option<impl IntoView + use<>> {
    product.from_price.as_ref().map(|price| {
        view! {
            <p class="price">
                <span class="muted">"From "</span>
                <strong data-testid="price">{format::money(price)}</strong>
            </p>
        }
    })
}

/// The schedule and prescription badges of a product.
pub fn product_badges(product: &ProductSummary) -> impl IntoView + use<> {
    let schedule = format!(
        "Schedule {}",
        product.schedule.as_str().trim_start_matches('S')
    );
    view! {
        <span class="badge" title="South African medicine schedule">{schedule}</span>
        {product
            .requires_prescription
            .then(|| view! { " " <span class="badge">"Prescription"</span> })}
    }
}

#[component]
fn ProductCard(product: ProductSummary) -> impl IntoView {
    let id = product.id.to_string();
    let title_id = format!("product-{id}");
    let href = Page::PatientProduct.item(&id);
    let labelled_by = title_id.clone();
    let name = product.name.clone();
    let link_text = product.name.clone();
    let badges = product_badges(&product);
    let price = price_line(&product);
    let image = product.images.first().map(|i| i.url.clone()).map(|src| {
        view! { <img class="product-image" src=src alt="" loading="lazy" /> }
    });
    let details = [
        product.category.name.clone(),
        product.dosage_form.clone(),
        product.strength.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li>
            <article class="card product-card" aria-labelledby=labelled_by>
                {image}
                <h2 class="product-name" id=title_id>
                    <A href=href>{link_text}</A>
                </h2>
                <p class="muted">{details}</p>
                <p>{badges}</p>
                {price}
                <EligibilityPanel eligibility=product.eligibility product=name />
            </article>
        </li>
    }
}
