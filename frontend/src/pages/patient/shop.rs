//! The shop: the patient's clinic's products, found by words, category and whether they need a
//! prescription, sorted by name or price, a page at a time. Every product says whether this
//! patient may buy it and why.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::CursorPage;
use rxgate_api_types::catalogue::{CatalogueQuery, ProductSummary};

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{
    DynamicSelectField, FormAlert, SelectField, TextField, general_error, last_error, no_error,
};
use crate::components::load_more::LoadMore;
use crate::components::skeleton::Skeleton;
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

    let query = move |cursor: Option<String>| CatalogueQuery {
        q: Some(search.get_untracked().trim().to_owned()).filter(|q| !q.is_empty()),
        category: Some(category.get_untracked()).filter(|c| !c.is_empty()),
        prescription: match prescription.get_untracked().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        sort: Some(sort.get_untracked()),
        cursor,
        limit: Some(PAGE_SIZE),
        ..CatalogueQuery::default()
    };
    let first_page = LocalResource::new(move || {
        search.track();
        category.track();
        prescription.track();
        sort.track();
        let q = query(None);
        async move { api::catalogue_products(&q).await }
    });

    // Pages after the first, appended by "Load more". `generation` changes whenever the list
    // starts again (other filters), so a page that arrives after that is dropped.
    let more = RwSignal::new(Vec::<ProductSummary>::new());
    let more_cursor = RwSignal::new(None::<Option<String>>);
    let generation = StoredValue::new(0_u64);
    let load_more = Action::new_local(move |cursor: &String| {
        let q = query(Some(cursor.clone()));
        let started = generation.get_value();
        async move {
            let page = api::catalogue_products(&q).await?;
            if generation.get_value() == started {
                more.update(|items| items.extend(page.items));
                more_cursor.set(Some(page.next_cursor));
            }
            Ok::<_, ApiError>(())
        }
    });
    let load_more_error = last_error(load_more);
    Effect::watch(
        move || (search.get(), category.get(), prescription.get(), sort.get()),
        move |_, _, _| {
            generation.update_value(|g| *g += 1);
            more.set(Vec::new());
            more_cursor.set(None);
            load_more.value().set(None);
        },
        false,
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
            <Transition fallback=|| view! { <Skeleton lines=8 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        first_page
                            .await
                            .map(|page| view! { <ProductList first=page more more_cursor load_more /> })
                    })}
                </ErrorBoundary>
            </Transition>
            <FormAlert message=general_error(load_more_error, &[]) />
            <p class="muted">
                "Not sure what is suitable? "
                <A href=Page::PatientQuestionnaire.path()>"Keep your health questionnaire up to date"</A>
                "."
            </p>
        </section>
    }
}

#[component]
fn ProductList(
    first: CursorPage<ProductSummary>,
    more: RwSignal<Vec<ProductSummary>>,
    more_cursor: RwSignal<Option<Option<String>>>,
    load_more: Action<String, Result<(), ApiError>>,
) -> impl IntoView {
    if first.items.is_empty() {
        return view! { <p class="empty">"No products match."</p> }.into_any();
    }
    let first_cursor = first.next_cursor.clone();
    let next_cursor = move || more_cursor.get().unwrap_or_else(|| first_cursor.clone());
    view! {
        <ul class="product-grid" aria-label="Products">
            {first
                .items
                .into_iter()
                .map(|product| view! { <ProductCard product /> })
                .collect_view()}
            {move || {
                more.get()
                    .into_iter()
                    .map(|product| view! { <ProductCard product /> })
                    .collect_view()
            }}
        </ul>
        {move || {
            next_cursor()
                .map(|cursor| {
                    view! {
                        <div class="form-actions">
                            <LoadMore cursor action=load_more />
                        </div>
                    }
                })
        }}
    }
    .into_any()
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
    let schedule = format!("Schedule {}", product.schedule.trim_start_matches('S'));
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
    let image = product.images.first().cloned().map(|src| {
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
