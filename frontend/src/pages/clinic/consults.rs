//! Consults (clinic admins): what the clinic offers patients — the consult modes with their
//! fees, until when a patient cancels or moves for free, how long a slot is held while the fee
//! is paid — and the clinic's bookings.

use chrono::Duration;
use leptos::prelude::*;
use rxgate_api_types::auth::MembershipView;
use rxgate_api_types::booking::{BookingView, ClinicOfferInput, ClinicOfferView, ConsultFee};
use rxgate_api_types::catalogue::MoneyView;
use rxgate_api_types::vocab::{BookingListView, ConsultMode};

use crate::api;
use crate::components::booking::{mode_label, status_badge, viewer_zone, when};
use crate::components::form::{FormAlert, general_error, last_error};
use crate::components::money::{amount_input, parse_amount};
use crate::components::paged::{Layout, paged_view, use_paged};
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::pages::clinic::use_managed_clinic;

/// The page for the signed-in clinic admin's clinic, or a sentence when they manage none.
fn for_clinic<V: IntoView + 'static>(
    title: &'static str,
    page: impl Fn(MembershipView) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let clinic = use_managed_clinic();
    move || match clinic.get() {
        Some(clinic) => page(clinic).into_any(),
        None => view! {
            <section class="page">
                <h1>{title}</h1>
                <p class="empty">"Your account does not manage a clinic."</p>
            </section>
        }
        .into_any(),
    }
}

#[component]
pub fn ClinicConsultOffer() -> impl IntoView {
    for_clinic("Consult offer", |clinic| view! { <OfferPage clinic /> })
}

#[component]
pub fn ClinicBookings() -> impl IntoView {
    for_clinic("Bookings", |clinic| view! { <BookingsPage clinic /> })
}

#[component]
fn OfferPage(clinic: MembershipView) -> impl IntoView {
    let clinic_id = clinic.organisation_id.to_string();
    let offer = LocalResource::new({
        let clinic_id = clinic_id.clone();
        move || api::consult_offer(Some(clinic_id.clone()))
    });
    view! {
        <section class="page narrow">
            <h1>"Consult offer"</h1>
            <p class="muted">
                {format!(
                    "How patients of {} book consults, and what they pay.",
                    clinic.organisation_name,
                )}
            </p>
            {move || match offer.get() {
                None => view! { <Skeleton lines=5 /> }.into_any(),
                Some(Err(e)) => {
                    view! { <p class="notice notice-error" role="alert">{e.to_string()}</p> }
                        .into_any()
                }
                Some(Ok(o)) => view! { <OfferForm offer=o clinic_id=clinic_id.clone() /> }.into_any(),
            }}
        </section>
    }
}

/// One mode's row: offered or not, and its fee as typed.
#[derive(Clone, Copy)]
struct ModeRow {
    mode: ConsultMode,
    offered: RwSignal<bool>,
    fee: RwSignal<String>,
    error: RwSignal<Option<String>>,
}

#[component]
fn OfferForm(offer: ClinicOfferView, clinic_id: String) -> impl IntoView {
    // The clinic's currency: that of its fees, else rand.
    let currency = offer
        .modes
        .first()
        .map_or_else(|| "ZAR".to_owned(), |m| m.fee.currency.clone());
    let rows: Vec<ModeRow> = ConsultMode::ALL
        .iter()
        .copied()
        .map(|mode| {
            let current = offer.modes.iter().find(|m| m.mode == mode);
            ModeRow {
                mode,
                offered: RwSignal::new(current.is_some()),
                fee: RwSignal::new(
                    current
                        .map(|m| amount_input(m.fee.amount_minor, &m.fee.currency))
                        .unwrap_or_default(),
                ),
                error: RwSignal::new(None),
            }
        })
        .collect();
    let free_cancel = RwSignal::new(offer.free_cancel_hours.to_string());
    let hold = RwSignal::new(offer.hold_minutes.to_string());
    let save = Action::new_local(move |input: &ClinicOfferInput| {
        let input = input.clone();
        let clinic_id = clinic_id.clone();
        async move { api::set_consult_offer(Some(clinic_id), &input).await }
    });
    let error = last_error(save);
    let submit_rows = rows.clone();
    let submit_currency = currency.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut modes = Vec::new();
        let mut ok = true;
        for row in &submit_rows {
            row.error.set(None);
            if !row.offered.get_untracked() {
                continue;
            }
            match parse_amount(&row.fee.get_untracked(), &submit_currency) {
                Ok(amount_minor) => modes.push(ConsultFee {
                    mode: row.mode,
                    fee: MoneyView {
                        amount_minor,
                        currency: submit_currency.clone(),
                    },
                }),
                Err(message) => {
                    row.error.set(Some(message));
                    ok = false;
                }
            }
        }
        if ok {
            save.dispatch(ClinicOfferInput {
                modes,
                free_cancel_hours: free_cancel.get_untracked().trim().parse().unwrap_or(-1),
                hold_minutes: hold.get_untracked().trim().parse().unwrap_or(-1),
            });
        }
    };
    let saved = move || matches!(save.value().get(), Some(Ok(_))) && !save.pending().get();
    view! {
        <form class="card form" on:submit=on_submit novalidate>
            <fieldset>
                <legend>"Consult modes and fees"</legend>
                {rows
                    .into_iter()
                    .map(|row| {
                        let name = mode_label(row.mode);
                        let fee_id = format!("fee-{}", row.mode.as_str());
                        let error_id = format!("{fee_id}-error");
                        let fee_label = format!("Fee: {name} ({currency})");
                        view! {
                            <div class="row-card">
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || row.offered.get()
                                        on:change:target=move |ev| row.offered.set(ev.target().checked())
                                    />
                                    <span>{format!("Offer: {name}")}</span>
                                </label>
                                <Show when=move || row.offered.get()>
                                    <div class="field">
                                        <label for=fee_id.clone()>{fee_label.clone()}</label>
                                        <input
                                            id=fee_id.clone()
                                            type="text"
                                            inputmode="decimal"
                                            aria-invalid=move || row.error.get().is_some().to_string()
                                            aria-describedby=error_id.clone()
                                            prop:value=move || row.fee.get()
                                            on:input:target=move |ev| row.fee.set(ev.target().value())
                                        />
                                        <p class="field-error" id=error_id.clone()>{move || row.error.get()}</p>
                                    </div>
                                </Show>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="field">
                <label for="offer-free-cancel">"Free cancellation until (hours before the start)"</label>
                <input
                    id="offer-free-cancel"
                    type="number"
                    inputmode="numeric"
                    aria-describedby="offer-free-cancel-hint"
                    prop:value=move || free_cancel.get()
                    on:input:target=move |ev| free_cancel.set(ev.target().value())
                />
                <p class="hint" id="offer-free-cancel-hint">
                    "0 to 720. Later, a patient who cancels does not get the fee back."
                </p>
            </div>
            <div class="field">
                <label for="offer-hold">"Hold a booked time while the fee is paid (minutes)"</label>
                <input
                    id="offer-hold"
                    type="number"
                    inputmode="numeric"
                    aria-describedby="offer-hold-hint"
                    prop:value=move || hold.get()
                    on:input:target=move |ev| hold.set(ev.target().value())
                />
                <p class="hint" id="offer-hold-hint">"2 to 60."</p>
            </div>
            <FormAlert message=general_error(error, &[]) />
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || save.pending().get()>
                    "Save the offer"
                </button>
                <span class="hint" role="status" aria-live="polite">
                    {move || saved().then_some("Saved.")}
                </span>
            </div>
        </form>
    }
}

#[component]
fn BookingsPage(clinic: MembershipView) -> impl IntoView {
    let clinic_id = clinic.organisation_id.to_string();
    // From the start of yesterday on, in time order.
    let from = format::local_midnight(&format::local_day(&format::now())) - Duration::days(1);
    let paged = use_paged(
        move || clinic_id.clone(),
        move |clinic_id, cursor| async move {
            api::bookings(
                BookingListView::Clinic,
                Some(clinic_id),
                Some(from),
                None,
                cursor,
            )
            .await
        },
    );
    view! {
        <section class="page">
            <h1>"Bookings"</h1>
            <p class="muted">
                {format!(
                    "Consults booked with {}, from yesterday on. Times are in {}.",
                    clinic.organisation_name,
                    viewer_zone(),
                )}
            </p>
            {paged_view(
                paged,
                Layout::List { label: "The clinic's bookings" },
                "No bookings from yesterday on.",
                move |b| view! { <ClinicBookingRow booking=b /> },
            )}
        </section>
    }
}

#[component]
fn ClinicBookingRow(booking: BookingView) -> impl IntoView {
    view! {
        <li class="item" data-testid="clinic-booking">
            <div class="item-main">
                <p class="item-title">{when(&booking)}</p>
                <p class="muted">
                    {booking.doctor_name.clone()} " · " {mode_label(booking.mode)} " · "
                    {format::money(&booking.fee)}
                </p>
            </div>
            <p>{status_badge(booking.status)}</p>
        </li>
    }
}
