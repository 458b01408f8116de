//! One product as the clinic sells it (clinic admins): each variant's list price and the
//! clinic's own price, which can be set or reset to the list price.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rxgate_api_types::auth::MembershipView;
use rxgate_api_types::catalogue::{MoneyView, PriceInput, ProductDetail, VariantView};

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{FormAlert, field_error, general_error, last_error};
use crate::components::money::{amount_input, parse_amount};
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::pages::admin::catalogue::{RowField, product_facts};
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
                            clinic_id=clinic_id.clone()
                            reload
                            announcement
                        />
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn VariantPrice(
    variant: VariantView,
    clinic_id: String,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let currency = variant.list_price.currency.clone();
    // A clinic price equal to the list price cannot be told apart from none: both show as the
    // list price, and resetting either changes nothing patients pay.
    let own_price = variant.price != variant.list_price;
    let typed = RwSignal::new(amount_input(variant.price.amount_minor, &currency));
    let typed_problem = RwSignal::new(None::<String>);
    let variant_id = variant.id.to_string();
    let sku = variant.sku.clone();
    let save = Action::new_local({
        let (clinic_id, variant_id, sku) = (clinic_id.clone(), variant_id.clone(), sku.clone());
        move |price: &Option<MoneyView>| {
            let (clinic_id, variant_id, sku, price) = (
                clinic_id.clone(),
                variant_id.clone(),
                sku.clone(),
                price.clone(),
            );
            async move {
                let text = match &price {
                    Some(p) => format!("{sku} now costs {} here.", format::money(p)),
                    None => format!("{sku} is back to its list price."),
                };
                api::set_clinic_price(&clinic_id, &variant_id, &PriceInput { price }).await?;
                announcement.set(Some(text));
                reload.update(|n| *n += 1);
                Ok::<_, ApiError>(())
            }
        }
    });
    let pending = save.pending();
    let error = last_error(save);
    let server_problem = field_error(error, "price");
    let problem = Signal::derive(move || typed_problem.get().or_else(|| server_problem.get()));
    let on_submit = {
        let currency = currency.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            announcement.set(None);
            match parse_amount(&typed.get_untracked(), &currency) {
                Ok(amount_minor) => {
                    typed_problem.set(None);
                    save.dispatch(Some(MoneyView {
                        amount_minor,
                        currency: currency.clone(),
                    }));
                }
                Err(message) => typed_problem.set(Some(message)),
            }
        }
    };
    let label = format!("Clinic price of {} ({currency})", variant.sku);
    view! {
        <li class="item variant-price">
            <div class="item-main">
                <p class="item-title">
                    <code>{variant.sku.clone()}</code>
                    {format!(" · {} · pack of {}", variant.strength, variant.pack_size)}
                </p>
                <dl class="facts compact">
                    <dt>"List price"</dt>
                    <dd data-testid="list-price">{format::money(&variant.list_price)}</dd>
                    <dt>"Clinic price"</dt>
                    <dd data-testid="clinic-price">
                        {format::money(&variant.price)}
                        {(!own_price).then_some(" (the list price)")}
                    </dd>
                </dl>
            </div>
            <form class="form price-form item-wide" on:submit=on_submit aria-label=format!("Price of {}", variant.sku)>
                <FormAlert message=general_error(error, &["price"]) />
                <RowField
                    label=label
                    id=format!("price-{variant_id}")
                    inputmode="decimal"
                    hint="e.g. 59.00"
                    value=typed
                    error=problem
                />
                <div class="form-actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "Saving…" } else { "Save price" }}
                    </button>
                    <button
                        class="button secondary"
                        type="button"
                        disabled=move || pending.get() || !own_price
                        on:click=move |_| {
                            announcement.set(None);
                            typed_problem.set(None);
                            save.dispatch(None);
                        }
                    >
                        "Use the list price"
                    </button>
                </div>
            </form>
        </li>
    }
}
