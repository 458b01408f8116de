//! One product: what it is, what is in it, its schedule, its packs with their prices, and
//! whether the signed-in patient may buy it and why.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rxgate_api_types::catalogue::{ProductDetail, VariantView};

use crate::api;
use crate::components::error_view::error_fallback;
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::pages::patient::eligibility::EligibilityPanel;
use crate::pages::patient::shop::{price_line, product_badges};
use crate::routes::Page;

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let detail = LocalResource::new(move || {
        let id = id();
        async move { api::catalogue_product(&id).await }
    });
    view! {
        <section class="page">
            <p>
                <A href=Page::PatientShop.path()>"← Back to the shop"</A>
            </p>
            <Transition fallback=|| view! { <Skeleton lines=8 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        detail.await.map(|detail| view! { <ProductView detail /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn ProductView(detail: ProductDetail) -> impl IntoView {
    let ProductDetail {
        product,
        description,
        variants,
    } = detail;
    let ingredients = if product.ingredients.is_empty() {
        "Not listed".to_owned()
    } else {
        product
            .ingredients
            .iter()
            .map(|i| i.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let images = product
        .images
        .iter()
        .map(|i| view! { <img class="product-image" src=i.url.clone() alt="" /> })
        .collect_view();
    let variants = variants
        .into_iter()
        .filter(|v| v.active)
        .collect::<Vec<_>>();
    view! {
        <div class="stack">
            <h1>{product.name.clone()}</h1>
            <p>{product_badges(&product)}</p>
            {price_line(&product)}
        </div>
        <div class="card stack" aria-labelledby="availability-title">
            <h2 id="availability-title">"Can I buy it?"</h2>
            <EligibilityPanel eligibility=product.eligibility.clone() product=product.name.clone() />
        </div>
        <div class="card stack" aria-labelledby="about-title">
            <h2 id="about-title">"About this medicine"</h2>
            <div class="product-images">{images}</div>
            {(!description.is_empty()).then(|| view! { <p class="description">{description}</p> })}
            <dl class="facts">
                <dt>"Category"</dt>
                <dd>{product.category.name.clone()}</dd>
                <dt>"Form"</dt>
                <dd>{product.dosage_form.clone()}</dd>
                <dt>"Strength"</dt>
                <dd>{product.strength.clone()}</dd>
                <dt>"Ingredients"</dt>
                <dd data-testid="ingredients">{ingredients}</dd>
                <dt>"Schedule"</dt>
                <dd>{schedule_text(product.schedule.as_str())}</dd>
                <dt>"Prescription"</dt>
                <dd>
                    {if product.requires_prescription {
                        "Needed: a doctor prescribes it after a consult"
                    } else {
                        "Not needed"
                    }}
                </dd>
            </dl>
        </div>
        <div class="stack" aria-labelledby="packs-title">
            <h2 id="packs-title">"Packs and prices"</h2>
            {if variants.is_empty() {
                view! { <p class="empty">"No packs are on sale at the moment."</p> }.into_any()
            } else {
                view! { <VariantTable variants /> }.into_any()
            }}
        </div>
    }
}

/// A South African medicine schedule in words.
fn schedule_text(schedule: &str) -> String {
    let meaning = match schedule {
        "S0" => "sold anywhere",
        "S1" | "S2" => "sold in pharmacies",
        "S3" | "S4" | "S5" => "prescription only",
        "S6" | "S7" | "S8" => "controlled, prescription only",
        _ => "",
    };
    if meaning.is_empty() {
        schedule.to_owned()
    } else {
        format!("{schedule} ({meaning})")
    }
}

#[component]
fn VariantTable(variants: Vec<VariantView>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data" aria-labelledby="packs-title">
                <thead>
                    <tr>
                        <th scope="col">"Pack"</th>
                        <th scope="col" class="num">"Price"</th>
                        <th scope="col">"Strength"</th>
                        <th scope="col">"Code"</th>
                    </tr>
                </thead>
                <tbody>
                    {variants
                        .into_iter()
                        .map(|v| {
                            let discounted = v.price.amount_minor < v.list_price.amount_minor
                                && v.price.currency == v.list_price.currency;
                            view! {
                                <tr>
                                    <td>{format!("Pack of {}", v.pack_size)}</td>
                                    <td class="num">
                                        <strong>{format::money(&v.price)}</strong>
                                        {discounted
                                            .then(|| {
                                                view! {
                                                    " "
                                                    <s class="muted">
                                                        <span class="visually-hidden">"instead of "</span>
                                                        {format::money(&v.list_price)}
                                                    </s>
                                                }
                                            })}
                                    </td>
                                    <td>{v.strength.clone()}</td>
                                    <td><code>{v.sku.clone()}</code></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
