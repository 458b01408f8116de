//! "My prices" (doctors): the products a clinic sells, and for each variant the doctor's own
//! price for their patients there, instead of the clinic's price.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use rxgate_api_types::auth::MembershipView;
use rxgate_api_types::catalogue::{CatalogueQuery, ProductDetail, ProductSummary};
use uuid::Uuid;

use crate::api;
use crate::components::error_view::error_fallback;
use crate::components::form::{DynamicSelectField, TextField, no_error};
use crate::components::paged::{Layout, paged_view, use_paged};
use crate::components::product::product_facts;
use crate::components::skeleton::Skeleton;
use crate::components::variant_price::{PriceOwner, VariantPrice};
use crate::contexts::auth::use_auth;
use crate::format;
use crate::routes::Page;

const PAGE_SIZE: u32 = 50;

/// The clinics the signed-in doctor works in.
fn doctor_clinics() -> Memo<Vec<MembershipView>> {
    let auth = use_auth();
    Memo::new(move |_| {
        auth.user()
            .map(|me| {
                me.memberships
                    .iter()
                    .filter(|m| m.organisation_kind == "clinic" && m.role == "doctor")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The link to a product's prices in one clinic.
fn product_link(product_id: &str, clinic_id: &str) -> String {
    format!(
        "{}?clinic={}",
        Page::DoctorProductPrices.item(product_id),
        String::from(js_sys::encode_uri_component(clinic_id))
    )
}

#[component]
pub fn DoctorPrices() -> impl IntoView {
    let clinics = doctor_clinics();
    move || {
        let list = clinics.get();
        if list.is_empty() {
            view! {
                <section class="page">
                    <h1>"My prices"</h1>
                    <p class="empty">"You do not work in a clinic yet."</p>
                </section>
            }
            .into_any()
        } else {
            view! { <PriceList clinics=list /> }.into_any()
        }
    }
}

#[component]
fn PriceList(clinics: Vec<MembershipView>) -> impl IntoView {
    let first = clinics[0].organisation_id.to_string();
    let clinic = RwSignal::new(first);
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let paged = use_paged(
        move || CatalogueQuery {
            q: Some(search.get().trim().to_owned()).filter(|q| !q.is_empty()),
            clinic_id: clinic.get().parse().ok(),
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
    let options: Vec<(String, String)> = clinics
        .iter()
        .map(|c| (c.organisation_id.to_string(), c.organisation_name.clone()))
        .collect();
    let several = options.len() > 1;
    view! {
        <section class="page wide">
            <h1>"My prices"</h1>
            <p class="muted">
                "Your patients pay the clinic's price unless you set your own for a pack. Open a "
                "product to set or reset your prices."
            </p>
            <form class="card form filters" aria-label="Find products" on:submit=on_search>
                {several
                    .then(|| {
                        view! {
                            <DynamicSelectField
                                label="Clinic"
                                name="clinic"
                                value=clinic
                                options=Signal::stored(options.clone())
                                error=no_error()
                            />
                        }
                    })}
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
            {paged_view(
                paged,
                Layout::List { label: "Products" },
                "No products match.",
                move |product| view! { <PriceItem product clinic=clinic.get_untracked() /> },
            )}
        </section>
    }
}

#[component]
fn PriceItem(product: ProductSummary, clinic: String) -> impl IntoView {
    let facts = product_facts(&product);
    let price = product.from_price.as_ref().map(format::money);
    let href = product_link(&product.id.to_string(), &clinic);
    view! {
        <li class="item product-item">
            <div class="item-main">
                <p class="item-title">
                    <A href=href>{product.name.clone()}</A>
                </p>
                <p class="muted">{facts}</p>
                {price.map(|p| view! { <p class="price">"Clinic price from " {p}</p> })}
            </div>
        </li>
    }
}

#[component]
pub fn DoctorProductPrices() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let clinics = doctor_clinics();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    // The clinic named in the address when the doctor works there, else their first clinic.
    let clinic = Memo::new(move |_| {
        let asked = query.with(|q| q.get("clinic"));
        let list = clinics.get();
        list.iter()
            .find(|c| Some(c.organisation_id.to_string()) == asked)
            .or_else(|| list.first())
            .cloned()
    });
    let reload = RwSignal::new(0_u32);
    let announcement = RwSignal::new(None::<String>);
    let product = LocalResource::new(move || {
        reload.get();
        let (id, clinic) = (id.get(), clinic.get());
        async move {
            let clinic = clinic
                .map(|c| c.organisation_id.to_string())
                .unwrap_or_default();
            api::clinic_product(&id, &clinic).await
        }
    });
    view! {
        <section class="page">
            <p>
                <A href=Page::DoctorPrices.path()>"← My prices"</A>
            </p>
            <p class="announcement" role="status">{move || announcement.get()}</p>
            <Transition fallback=|| view! { <Skeleton lines=6 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || {
                        let clinic = clinic.get();
                        Suspend::new(async move {
                            product
                                .await
                                .map(|detail| match clinic {
                                    Some(clinic) => {
                                        view! { <ProductPrices detail clinic reload announcement /> }
                                            .into_any()
                                    }
                                    None => {
                                        view! { <p class="empty">"You do not work in a clinic yet."</p> }
                                            .into_any()
                                    }
                                })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn ProductPrices(
    detail: ProductDetail,
    clinic: MembershipView,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let p = detail.product;
    let clinic_id: Uuid = clinic.organisation_id;
    view! {
        <div class="page-header">
            <h1>{p.name.clone()}</h1>
        </div>
        <div class="stack">
            <p class="muted description">{product_facts(&p)}</p>
            <p class="muted description">
                {format!(
                    "Your patients at {} pay your price for a pack when you set one, else the \
                     clinic's price.",
                    clinic.organisation_name,
                )}
            </p>
        </div>
        <ul class="item-list card" aria-label="Variants">
            {detail
                .variants
                .into_iter()
                .map(|variant| {
                    view! {
                        <VariantPrice
                            variant
                            owner=PriceOwner::Doctor(clinic_id)
                            reload
                            announcement
                        />
                    }
                })
                .collect_view()}
        </ul>
    }
}
