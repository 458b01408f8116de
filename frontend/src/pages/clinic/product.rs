//! One product as the clinic sells it (clinic admins): each variant's list price and the
//! clinic's own price, which can be set or reset to the list price.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rxgate_api_types::auth::MembershipView;
use rxgate_api_types::catalogue::ProductDetail;

use crate::api;
use crate::components::error_view::error_fallback;
use crate::components::product::product_facts;
use crate::components::skeleton::Skeleton;
use crate::components::variant_price::{PriceOwner, VariantPrice};
use crate::pages::clinic::use_managed_clinic;
use crate::routes::Page;

#[component]
pub fn ClinicProduct() -> impl IntoView {
    let clinic = use_managed_clinic();
    move || match clinic.get() {
        Some(clinic) => view! { <ClinicProductPage clinic /> }.into_any(),
        None => view! {
            <section class="page">
                <h1>"Product"</h1>
                <p class="empty">"Your account does not manage a clinic."</p>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn ClinicProductPage(clinic: MembershipView) -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let clinic_id = clinic.organisation_id.to_string();
    let reload = RwSignal::new(0_u32);
    let announcement = RwSignal::new(None::<String>);
    let product = LocalResource::new({
        let clinic_id = clinic_id.clone();
        move || {
            reload.get();
            let (id, clinic_id) = (id.get(), clinic_id.clone());
            async move { api::clinic_product(&id, &clinic_id).await }
        }
    });
    view! {
        <section class="page">
            <p>
                <A href=Page::ClinicCatalogue.path()>"← Catalogue"</A>
            </p>
            <p class="announcement" role="status">{move || announcement.get()}</p>
            <Transition fallback=|| view! { <Skeleton lines=6 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || {
                        let clinic_id = clinic_id.clone();
                        let clinic_name = clinic.organisation_name.clone();
                        Suspend::new(async move {
                            product
                                .await
                                .map(|detail| {
                                    view! {
                                        <ProductPrices
                                            detail
                                            clinic_id
                                            clinic_name
                                            reload
                                            announcement
                                        />
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
    clinic_id: String,
    clinic_name: String,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let p = detail.product;
    let sold = p.in_selection.unwrap_or(false);
    view! {
        <div class="page-header">
            <h1>{p.name.clone()}</h1>
            {if sold {
                view! { <span class="badge badge-ok">"Sold here"</span> }.into_any()
            } else {
                view! { <span class="badge">"Not sold here"</span> }.into_any()
            }}
        </div>
        <div class="stack">
            <p class="muted description">{product_facts(&p)}</p>
            {(!detail.description.is_empty())
                .then(|| view! { <p class="description">{detail.description.clone()}</p> })}
        </div>
        {(!sold)
            .then(|| {
                view! {
                    <p class="notice notice-warn">
                        {format!(
                            "{clinic_name} does not sell this product: turn on “Sold here” in \
                             the catalogue to offer it. Prices set here apply once it is sold."
                        )}
                    </p>
                }
            })}
        <div class="stack">
            <h2>"Prices"</h2>
            <p class="muted description">
                "Each variant has a list price from the master catalogue. Set the clinic's own "
                "price to charge something else; patients pay the clinic's price."
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
                            owner=PriceOwner::Clinic(clinic_id.clone())
                            reload
                            announcement
                        />
                    }
                })
                .collect_view()}
        </ul>
    }
}
