//! A variant's own price: what a clinic charges instead of the list price (clinic admins), or
//! what a doctor charges their own patients instead of the clinic's price (doctors). The price
//! can be set or reset, and the form says what patients pay either way.

use leptos::prelude::*;
use rxgate_api_types::catalogue::{DoctorPriceInput, MoneyView, PriceInput, VariantView};
use uuid::Uuid;

use crate::api::{self, ApiError};
use crate::components::form::RowField;
use crate::components::form::{FormAlert, field_error, general_error, last_error};
use crate::components::money::{amount_input, parse_amount};
use crate::format;

/// Whose price the form sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceOwner {
    /// The clinic's price, instead of the list price.
    Clinic(String),
    /// The signed-in doctor's price for their patients in this clinic, instead of the clinic's.
    Doctor(Uuid),
}

impl PriceOwner {
    /// What the price falls back to when none is set, and its name.
    fn fallback(&self, v: &VariantView) -> (MoneyView, &'static str) {
        match self {
            Self::Clinic(_) => (v.list_price.clone(), "the list price"),
            Self::Doctor(_) => (
                v.clinic_price
                    .clone()
                    .unwrap_or_else(|| v.list_price.clone()),
                "the clinic's price",
            ),
        }
    }

    fn own(&self, v: &VariantView) -> Option<MoneyView> {
        match self {
            Self::Clinic(_) => v.clinic_price.clone(),
            Self::Doctor(_) => v.own_price.clone(),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Self::Clinic(_) => "Clinic price",
            Self::Doctor(_) => "Your price",
        }
    }

    async fn save(&self, variant_id: &str, price: Option<MoneyView>) -> Result<(), ApiError> {
        match self {
            Self::Clinic(clinic_id) => {
                api::set_clinic_price(clinic_id, variant_id, &PriceInput { price }).await
            }
            Self::Doctor(clinic_id) => {
                let body = DoctorPriceInput {
                    clinic_id: *clinic_id,
                    price,
                };
                api::set_doctor_price(variant_id, &body).await
            }
        }
    }
}

/// One variant as a list item: its list price, the price it falls back to, the owner's price
/// and a form to set or reset it.
#[component]
pub fn VariantPrice(
    variant: VariantView,
    owner: PriceOwner,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let currency = variant.list_price.currency.clone();
    let (fallback, fallback_name) = owner.fallback(&variant);
    let own = owner.own(&variant);
    let has_own = own.is_some();
    let label = owner.label();
    let shown = own.clone().unwrap_or_else(|| fallback.clone());
    let typed = RwSignal::new(amount_input(shown.amount_minor, &currency));
    let typed_problem = RwSignal::new(None::<String>);
    let variant_id = variant.id.to_string();
    let sku = variant.sku.clone();
    let save = Action::new_local({
        let (owner, variant_id, sku) = (owner.clone(), variant_id.clone(), sku.clone());
        move |price: &Option<MoneyView>| {
            let (owner, variant_id, sku, price) = (
                owner.clone(),
                variant_id.clone(),
                sku.clone(),
                price.clone(),
            );
            async move {
                let text = match &price {
                    Some(p) => format!("{sku} now costs {}.", format::money(p)),
                    None => format!("{sku} is back to {fallback_name}."),
                };
                owner.save(&variant_id, price).await?;
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
    let field_label = format!("{label} of {} ({currency})", variant.sku);
    let doctor = matches!(owner, PriceOwner::Doctor(_));
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
                    {doctor
                        .then(|| {
                            view! {
                                <dt>"Clinic price"</dt>
                                <dd data-testid="fallback-price">{format::money(&fallback)}</dd>
                            }
                        })}
                    <dt>{label}</dt>
                    <dd data-testid="own-price">
                        {format::money(&shown)}
                        {(!has_own).then(|| format!(" ({fallback_name})"))}
                    </dd>
                </dl>
            </div>
            <form
                class="form price-form item-wide"
                on:submit=on_submit
                aria-label=format!("Price of {}", variant.sku)
            >
                <FormAlert message=general_error(error, &["price"]) />
                <RowField
                    label=field_label
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
                        disabled=move || pending.get() || !has_own
                        on:click=move |_| {
                            announcement.set(None);
                            typed_problem.set(None);
                            save.dispatch(None);
                        }
                    >
                        {format!("Use {fallback_name}")}
                    </button>
                </div>
            </form>
        </li>
    }
}
