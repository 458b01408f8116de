//! Catalogue (clinic admins): the whole master catalogue, each product with a "Sold here"
//! switch that adds it to the clinic's selection or takes it out, at once.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::auth::MembershipView;
use rxgate_api_types::catalogue::{CatalogueQuery, ProductSummary, SelectionInput};

use crate::api;
use crate::components::form::{FormAlert, TextField, general_error, last_error, no_error};
use crate::components::paged::{Layout, paged_view, use_paged};
use crate::components::product::product_facts;
use crate::format;
use crate::pages::clinic::use_managed_clinic;
use crate::routes::Page;

const PAGE_SIZE: u32 = 50;

#[component]
pub fn ClinicCatalogue() -> impl IntoView {
    let clinic = use_managed_clinic();
    move || match clinic.get() {
        Some(clinic) => view! { <ClinicProducts clinic /> }.into_any(),
        None => view! {
            <section class="page">
                <h1>"Catalogue"</h1>
                <p class="empty">"Your account does not manage a clinic."</p>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn ClinicProducts(clinic: MembershipView) -> impl IntoView {
    let clinic_id = clinic.organisation_id;
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let announcement = RwSignal::new(None::<String>);
    let paged = use_paged(
        move || CatalogueQuery {
            q: Some(search.get().trim().to_owned()).filter(|q| !q.is_empty()),
            clinic_id: Some(clinic_id),
            all: Some(true),
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
    let clinic_id = clinic_id.to_string();

    view! {
        <section class="page wide">
            <h1>"Catalogue"</h1>
            <p class="muted">
                {format!(
                    "Choose what {} sells from the master catalogue. Patients see only the \
                     products sold here, at the clinic's prices.",
                    clinic.organisation_name,
                )}
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
                <div class="form-actions">
                    <button class="button" type="submit">"Search"</button>
                </div>
            </form>
            <p class="announcement" role="status">{move || announcement.get()}</p>
            {paged_view(
                paged,
                Layout::List { label: "Products" },
                "No products match.",
                move |product| {
                    view! { <SelectionItem product clinic_id=clinic_id.clone() announcement /> }
                },
            )}
        </section>
    }
}

#[component]
fn SelectionItem(
    product: ProductSummary,
    clinic_id: String,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let sells = RwSignal::new(product.in_selection.unwrap_or(false));
    let name = product.name.clone();
    let product_id = product.id.to_string();
    let toggle = Action::new_local({
        let (clinic_id, product_id, name) = (clinic_id.clone(), product_id.clone(), name.clone());
        move |on: &bool| {
            let (clinic_id, product_id, name, on) =
                (clinic_id.clone(), product_id.clone(), name.clone(), *on);
            async move {
                let result = api::set_clinic_selection(
                    &clinic_id,
                    &product_id,
                    &SelectionInput { sells: on },
                )
                .await;
                match &result {
                    Ok(()) => announcement.set(Some(if on {
                        format!("{name} is sold here now.")
                    } else {
                        format!("{name} is no longer sold here.")
                    })),
                    // The switch goes back to what is true.
                    Err(_) => sells.set(!on),
                }
                result
            }
        }
    });
    let pending = toggle.pending();
    let error = last_error(toggle);
    let title_id = format!("product-{product_id}");
    let facts = product_facts(&product);
    let price = product.from_price.as_ref().map(format::money);
    view! {
        <li class="item product-item">
            {product
                .images
                .first()
                .map(|i| i.url.clone())
                .map(|src| {
                    view! {
                        <div class="thumb" aria-hidden="true">
                            <img src=src alt="" loading="lazy" />
                        </div>
                    }
                })}
            <div class="item-main">
                <p class="item-title" id=title_id.clone()>
                    <A href=Page::ClinicProduct.item(&product_id)>{name.clone()}</A>
                    {(!product.active).then(|| view! { " " <span class="badge">"Inactive"</span> })}
                </p>
                <p class="muted">{facts}</p>
                {price.map(|p| view! { <p class="price">"From " {p}</p> })}
            </div>
            <div class="item-actions">
                <label class="switch">
                    <input
                        type="checkbox"
                        role="switch"
                        aria-describedby=title_id
                        prop:checked=sells
                        disabled=move || pending.get()
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            sells.set(on);
                            announcement.set(None);
                            toggle.dispatch(on);
                        }
                    />
                    <span>"Sold here"</span>
                </label>
            </div>
            <div class="item-wide">
                <FormAlert message=general_error(error, &[]) />
            </div>
        </li>
    }
}
