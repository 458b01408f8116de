//! Editing a product of the master catalogue (platform admins): its details, its active
//! ingredients (rules on an ingredient follow at once) and whether it is on sale.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use rxgate_api_types::catalogue::{ProductDetail, ProductUpdate};

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{CheckField, FormAlert, field_error, last_error};
use crate::components::skeleton::Skeleton;
use crate::pages::admin::catalogue_new::{FIELDS, ProductFields, ProductForm, form_summary};
use crate::routes::Page;

#[component]
pub fn EditProduct() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let product = LocalResource::new(move || {
        let id = id.get();
        async move { api::catalogue_product(&id).await }
    });
    view! {
        <section class="page">
            <p>
                <A href=move || Page::AdminProduct.item(&id.get())>"← Product"</A>
            </p>
            <h1>"Edit product"</h1>
            <Transition fallback=|| view! { <Skeleton lines=10 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        product.await.map(|detail| view! { <EditForm detail /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn EditForm(detail: ProductDetail) -> impl IntoView {
    let navigate = use_navigate();
    let form = ProductForm::of(&detail);
    let active = RwSignal::new(detail.product.active);
    let id = detail.product.id.to_string();
    let save = Action::new_local({
        let id = id.clone();
        move |body: &ProductUpdate| {
            let (id, body, navigate) = (id.clone(), body.clone(), navigate.clone());
            async move {
                api::update_product(&id, &body).await?;
                navigate(&Page::AdminProduct.item(&id), NavigateOptions::default());
                Ok::<_, ApiError>(())
            }
        }
    });
    let pending = save.pending();
    let error = last_error(save);
    let general = form_summary(error, "The product was not saved", FIELDS);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(consult_fee), Some(schedule)) = (form.fee(), form.schedule()) else {
            return;
        };
        save.dispatch(ProductUpdate {
            name: form.name.get_untracked().trim().to_owned(),
            category: form.category.get_untracked(),
            dosage_form: form.dosage_form.get_untracked().trim().to_owned(),
            strength: form.strength.get_untracked().trim().to_owned(),
            schedule,
            requires_prescription: form.requires_prescription.get_untracked(),
            requires_consult: form.requires_consult.get_untracked(),
            consult_fee,
            description: form.description.get_untracked().trim().to_owned(),
            ingredients: form.ingredient_names(),
            active: active.get_untracked(),
        });
    };
    view! {
        <p class="muted">
            "Changes apply at once: patients see the new details, and rules on the product's "
            "active ingredients follow the ingredients listed here."
        </p>
        <form class="card form" on:submit=on_submit aria-label="Edit product" novalidate>
            <FormAlert message=general />
            <ProductFields form error name_error=field_error(error, "name") />
            <CheckField label="On sale" name="active" checked=active />
            <p class="hint">"Off sale takes the product out of every clinic's shop; its history stays."</p>
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else { "Save changes" }}
                </button>
                <A href=Page::AdminProduct.item(&id) attr:class="button secondary">
                    "Cancel"
                </A>
            </div>
        </form>
    }
}
