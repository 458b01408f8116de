//! One product of the master catalogue (platform admins): what it is, its images (uploaded,
//! previewed and removed), and its variants: their pack and list price changed, sold or not,
//! and new ones added.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rxgate_api_types::catalogue::{
    ImageView, MoneyView, NewVariantsInput, ProductDetail, ProductUpdate, VariantUpdate,
    VariantView,
};

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::RowField;
use crate::components::form::{FormAlert, field_error, general_error, last_error};
use crate::components::money::{amount_input, parse_amount};
use crate::components::product::active_badge;
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::pages::admin::catalogue_new::{Variants, VariantsFieldset, form_summary};
use crate::routes::Page;

/// The image types the API accepts.
const IMAGE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/webp"];
/// The API's body limit (1 MiB).
const MAX_IMAGE_BYTES: f64 = 1_048_576.0;

#[component]
pub fn AdminProduct() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let reload = RwSignal::new(0_u32);
    // Outside the product's view, which is made anew with every reload.
    let announcement = RwSignal::new(None::<String>);
    let product = LocalResource::new(move || {
        reload.get();
        let id = id.get();
        async move { api::catalogue_product(&id).await }
    });

    view! {
        <section class="page">
            <p>
                <A href=Page::AdminCatalogue.path()>"← Catalogue"</A>
            </p>
            <Transition fallback=|| view! { <Skeleton lines=8 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        product
                            .await
                            .map(|detail| view! { <ProductAdmin detail reload announcement /> })
                    })}
                </ErrorBoundary>
            </Transition>
            <p class="announcement" role="status">{move || announcement.get()}</p>
        </section>
    }
}

#[component]
fn ProductAdmin(
    detail: ProductDetail,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let p = detail.product.clone();
    let ingredients = if p.ingredients.is_empty() {
        "None recorded".to_owned()
    } else {
        p.ingredients
            .iter()
            .map(|i| i.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let consult_fee = p
        .consult_fee
        .as_ref()
        .map_or_else(|| "None".to_owned(), format::money);
    let yes_no = |b: bool| if b { "Yes" } else { "No" };
    let currency = detail
        .variants
        .first()
        .map_or_else(|| "ZAR".to_owned(), |v| v.list_price.currency.clone());
    view! {
        <div class="page-header">
            <h1>{p.name.clone()}</h1>
            {active_badge(p.active)}
        </div>
        <div class="form-actions">
            <A href=Page::AdminEditProduct.item(&p.id.to_string()) attr:class="button">
                "Edit details"
            </A>
            <OnSale detail=detail.clone() reload announcement />
        </div>
        <div class="card">
            <dl class="facts">
                <dt>"Category"</dt>
                <dd>{p.category.name.clone()}</dd>
                <dt>"Dosage form"</dt>
                <dd>{p.dosage_form.clone()}</dd>
                <dt>"Strength"</dt>
                <dd>{p.strength.clone()}</dd>
                <dt>"Schedule"</dt>
                <dd>{p.schedule.to_string()}</dd>
                <dt>"Prescription"</dt>
                <dd>{yes_no(p.requires_prescription)}</dd>
                <dt>"Consult required"</dt>
                <dd>{yes_no(p.requires_consult)}</dd>
                <dt>"Consult fee"</dt>
                <dd>{consult_fee}</dd>
                <dt>"Active ingredients"</dt>
                <dd>{ingredients}</dd>
                <dt>"Address"</dt>
                <dd>
                    <code>{p.slug.clone()}</code>
                </dd>
            </dl>
            {(!detail.description.is_empty())
                .then(|| view! { <p class="description">{detail.description.clone()}</p> })}
        </div>
        <Images product_id=p.id.to_string() name=p.name.clone() images=p.images.clone() reload announcement />
        <div class="stack">
            <h2>"Variants"</h2>
            <p class="muted description">
                "List prices apply wherever a clinic has not set its own price."
            </p>
        </div>
        <ul class="item-list card" aria-label="Variants">
            {detail
                .variants
                .iter()
                .cloned()
                .map(|variant| view! { <VariantItem variant reload announcement /> })
                .collect_view()}
        </ul>
        <AddVariants
            product_id=p.id.to_string()
            strength=p.strength.clone()
            currency=currency
            reload
            announcement
        />
    }
}

/// The product's images: each previewed from its URL with a button to remove it, and a file
/// input to add one.
#[component]
fn Images(
    product_id: String,
    name: String,
    images: Vec<ImageView>,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    let chosen_problem = RwSignal::new(None::<String>);

    let upload = Action::new_local({
        let product_id = product_id.clone();
        move |file: &web_sys::File| {
            let (product_id, file) = (product_id.clone(), file.clone());
            async move {
                api::upload_product_image(&product_id, &file).await?;
                announcement.set(Some(format!("Added {}.", file.name())));
                if let Some(input) = file_input.get_untracked() {
                    input.set_value("");
                }
                reload.update(|n| *n += 1);
                Ok::<_, ApiError>(())
            }
        }
    });
    let remove = Action::new_local({
        let product_id = product_id.clone();
        move |(image, number): &(String, usize)| {
            let (product_id, image, number) = (product_id.clone(), image.clone(), *number);
            async move {
                api::delete_product_image(&product_id, &image).await?;
                announcement.set(Some(format!("Removed image {number}.")));
                reload.update(|n| *n += 1);
                Ok::<_, ApiError>(())
            }
        }
    });
    let uploading = upload.pending();
    let removing = remove.pending();
    let upload_error = last_error(upload);
    let remove_error = last_error(remove);
    let upload_message = general_error(upload_error, &[]);
    let problem = Signal::derive(move || chosen_problem.get().or_else(|| upload_message.get()));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        announcement.set(None);
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            chosen_problem.set(Some("Choose an image file first.".into()));
            return;
        };
        if !IMAGE_TYPES.contains(&file.type_().as_str()) {
            chosen_problem.set(Some("Choose a PNG, JPEG or WebP image.".into()));
            return;
        }
        if file.size() > MAX_IMAGE_BYTES {
            chosen_problem.set(Some(
                "The image is larger than 1 MiB: make it smaller first.".into(),
            ));
            return;
        }
        chosen_problem.set(None);
        upload.dispatch_local(file);
    };

    let count = images.len();
    let gallery = if images.is_empty() {
        view! { <p class="empty">"No images yet."</p> }.into_any()
    } else {
        view! {
            <ul class="gallery" aria-label="Images">
                {images
                    .into_iter()
                    .enumerate()
                    .map(|(i, ImageView { id, url })| {
                        let number = i + 1;
                        let image = id.to_string();
                        let alt = format!("Image {number} of {count}: {name}");
                        view! {
                            <li class="gallery-item">
                                <img src=url alt=alt loading="lazy" />
                                <button
                                    class="button secondary"
                                    type="button"
                                    disabled=move || removing.get()
                                    aria-label=format!("Remove image {number}")
                                    on:click=move |_| {
                                        announcement.set(None);
                                        remove.dispatch_local((image.clone(), number));
                                    }
                                >
                                    "Remove"
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };

    view! {
        <div class="card stack" aria-labelledby="images-title">
            <h2 id="images-title">"Images"</h2>
            {gallery}
            <FormAlert message=general_error(remove_error, &[]) />
            <form class="form" on:submit=on_submit aria-label="Add an image">
                <FormAlert message=problem />
                <div class="field">
                    <label>
                        "Image file"
                        <input
                            type="file"
                            name="image"
                            accept=IMAGE_TYPES.join(",")
                            node_ref=file_input
                            aria-describedby="image-hint"
                            on:change=move |_| chosen_problem.set(None)
                        />
                    </label>
                    <p class="hint" id="image-hint">"PNG, JPEG or WebP, at most 1 MiB."</p>
                </div>
                <div class="form-actions">
                    <button class="button" type="submit" disabled=move || uploading.get()>
                        {move || if uploading.get() { "Uploading…" } else { "Upload image" }}
                    </button>
                </div>
            </form>
        </div>
    }
}

/// Takes the product off sale everywhere, or puts it back (its details stay as they are).
#[component]
fn OnSale(
    detail: ProductDetail,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let p = detail.product.clone();
    let active = p.active;
    let save = Action::new_local(move |_: &()| {
        let p = p.clone();
        let body = ProductUpdate {
            name: p.name.clone(),
            category: p.category.slug.clone(),
            dosage_form: p.dosage_form.clone(),
            strength: p.strength.clone(),
            schedule: p.schedule,
            requires_prescription: p.requires_prescription,
            requires_consult: p.requires_consult,
            consult_fee: p.consult_fee.clone(),
            description: detail.description.clone(),
            ingredients: p.ingredients.iter().map(|i| i.name.clone()).collect(),
            active: !active,
        };
        async move {
            let result = api::update_product(&p.id.to_string(), &body).await;
            if result.is_ok() {
                announcement.set(Some(if active {
                    format!("{} is off sale.", p.name)
                } else {
                    format!("{} is on sale again.", p.name)
                }));
                reload.update(|n| *n += 1);
            }
            result.map(|_| ())
        }
    });
    let error = last_error(save);
    view! {
        <button
            type="button"
            class="button secondary"
            disabled=move || save.pending().get()
            on:click=move |_| {
                save.dispatch(());
            }
        >
            {if active { "Take off sale" } else { "Put back on sale" }}
        </button>
        <FormAlert message=general_error(error, &[]) />
    }
}

/// Stops or restarts selling one variant.
#[component]
fn VariantOnSale(
    variant: VariantView,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let active = variant.active;
    let sku = variant.sku.clone();
    let save = Action::new_local(move |_: &()| {
        let v = variant.clone();
        let body = VariantUpdate {
            strength: v.strength.clone(),
            pack_size: v.pack_size,
            price: v.list_price.clone(),
            active: !active,
        };
        async move {
            let result = api::update_variant(&v.id.to_string(), &body).await;
            if result.is_ok() {
                announcement.set(Some(format!(
                    "{} is {}.",
                    v.sku,
                    if active { "off sale" } else { "on sale again" }
                )));
                reload.update(|n| *n += 1);
            }
            result
        }
    });
    let error = last_error(save);
    view! {
        <button
            type="button"
            class="button secondary small"
            aria-label=format!("{} {sku}", if active { "Stop selling" } else { "Sell" })
            disabled=move || save.pending().get()
            on:click=move |_| {
                save.dispatch(());
            }
        >
            {if active { "Stop selling" } else { "Sell" }}
        </button>
        <FormAlert message=general_error(error, &[]) />
    }
}

/// One variant: what it is, its list price, selling it or not, and a form to change its
/// strength, pack size and list price.
#[component]
fn VariantItem(
    variant: VariantView,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let currency = variant.list_price.currency.clone();
    let strength = RwSignal::new(variant.strength.clone());
    let pack_size = RwSignal::new(variant.pack_size.to_string());
    let price = RwSignal::new(amount_input(variant.list_price.amount_minor, &currency));
    let typed_problem = RwSignal::new(None::<String>);
    let id = variant.id.to_string();
    let sku = variant.sku.clone();
    let save = Action::new_local({
        let (id, sku) = (id.clone(), sku.clone());
        move |body: &VariantUpdate| {
            let (id, sku, body) = (id.clone(), sku.clone(), body.clone());
            async move {
                api::update_variant(&id, &body).await?;
                announcement.set(Some(format!("Saved {sku}.")));
                reload.update(|n| *n += 1);
                Ok::<_, ApiError>(())
            }
        }
    });
    let pending = save.pending();
    let error = last_error(save);
    let price_error = field_error(error, "price");
    let price_message = Signal::derive(move || typed_problem.get().or_else(|| price_error.get()));
    let active = variant.active;
    let on_submit = {
        let currency = currency.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            announcement.set(None);
            let amount = parse_amount(&price.get_untracked(), &currency);
            let pack = pack_size.get_untracked().trim().parse::<i32>();
            match (amount, pack) {
                (Ok(amount_minor), Ok(pack_size)) => {
                    typed_problem.set(None);
                    save.dispatch(VariantUpdate {
                        strength: strength.get_untracked().trim().to_owned(),
                        pack_size,
                        price: MoneyView {
                            amount_minor,
                            currency: currency.clone(),
                        },
                        active,
                    });
                }
                (Err(message), _) => typed_problem.set(Some(message)),
                (_, Err(_)) => {
                    typed_problem.set(Some("Pack size: enter a whole number, e.g. 30.".into()));
                }
            }
        }
    };
    let field_id = |field: &str| format!("variant-{}-{field}", variant.id);
    view! {
        <li class="item">
            <div class="item-main">
                <p class="item-title">
                    <code>{variant.sku.clone()}</code>
                    {format!(" · {} · pack of {}", variant.strength, variant.pack_size)}
                    " "
                    {active_badge(variant.active)}
                </p>
                <dl class="facts compact">
                    <dt>"List price"</dt>
                    <dd>{format::money(&variant.list_price)}</dd>
                </dl>
            </div>
            <div class="item-actions">
                <VariantOnSale variant=variant.clone() reload announcement />
            </div>
            <details class="item-wide">
                <summary>{format!("Edit {}", variant.sku)}</summary>
                <form
                    class="form"
                    on:submit=on_submit
                    aria-label=format!("Edit {}", variant.sku)
                    novalidate
                >
                    <FormAlert message=general_error(error, &["strength", "pack_size", "price"]) />
                    <div class="row-fields">
                        <RowField
                            label="Strength"
                            id=field_id("strength")
                            value=strength
                            error=field_error(error, "strength")
                        />
                        <RowField
                            label="Pack size"
                            id=field_id("pack")
                            inputmode="numeric"
                            required=true
                            value=pack_size
                            error=field_error(error, "pack_size")
                        />
                        <RowField
                            label=format!("List price ({currency})")
                            id=field_id("price")
                            inputmode="decimal"
                            required=true
                            hint="e.g. 59.00"
                            value=price
                            error=price_message
                        />
                    </div>
                    <div class="form-actions">
                        <button class="button" type="submit" disabled=move || pending.get()>
                            {move || if pending.get() { "Saving…" } else { "Save variant" }}
                        </button>
                    </div>
                </form>
            </details>
        </li>
    }
}

/// New variants of the product, all saved or none.
#[component]
fn AddVariants(
    product_id: String,
    strength: String,
    currency: String,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let variants = Variants::new();
    let save = Action::new_local(move |body: &NewVariantsInput| {
        let (product_id, body) = (product_id.clone(), body.clone());
        async move {
            api::add_variants(&product_id, &body).await?;
            let n = body.variants.len();
            announcement.set(Some(if n == 1 {
                "Added 1 variant.".to_owned()
            } else {
                format!("Added {n} variants.")
            }));
            variants.reset();
            reload.update(|n| *n += 1);
            Ok::<_, ApiError>(())
        }
    });
    let pending = save.pending();
    let error = last_error(save);
    let general = form_summary(error, "No variant was added", &[]);
    let default_strength = Signal::stored(strength.clone());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        announcement.set(None);
        if let Some(inputs) = variants.inputs(&currency, &strength) {
            save.dispatch(NewVariantsInput { variants: inputs });
        }
    };
    view! {
        <form class="card form" on:submit=on_submit aria-label="Add variants" novalidate>
            <h2>"Add variants"</h2>
            <p class="hint">"New packs or strengths of this product. A taken SKU adds none of them."</p>
            <FormAlert message=general />
            <VariantsFieldset variants error default_strength />
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Adding…" } else { "Add variants" }}
                </button>
            </div>
        </form>
    }
}
