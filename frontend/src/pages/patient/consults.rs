//! "My consults": the patient's coming and past consults; a coming one can be cancelled (the
//! page says beforehand what is refunded, afterwards what was) or moved to another free time of
//! the same doctor.

use chrono::Duration;
use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::booking::{BookingView, ClinicOfferView, RescheduleInput};
use rxgate_api_types::vocab::{BookingListView, BookingStatus};

use crate::api::{self, ApiError};
use crate::components::booking::{
    Choice, SEARCH_DAYS, SlotPicker, choices, is_open, mode_label, status_badge, when,
};
use crate::components::form::{FormAlert, general_error, last_error};
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::routes::Page;

#[component]
pub fn Consults() -> impl IntoView {
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        api::bookings(BookingListView::Patient, None, None, None, None)
    });
    let offer = LocalResource::new(|| api::consult_offer(None));
    // What the last change did, said above the lists.
    let notice = RwSignal::new(None::<String>);
    let changed = Callback::new(move |text: String| {
        notice.set(Some(text));
        version.update(|v| *v += 1);
    });
    let body = move || match list.get() {
        None => view! { <Skeleton lines=4 /> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="notice notice-error" role="alert">{e.to_string()}</p> }.into_any()
        }
        Some(Ok(page)) => {
            let now = format::now();
            let (mut upcoming, past): (Vec<_>, Vec<_>) = page
                .items
                .into_iter()
                .partition(|b| is_open(b) && b.ends_at > now);
            upcoming.sort_by_key(|b| b.starts_at);
            let offer = offer.get().and_then(Result::ok);
            let more = page
                .next_cursor
                .is_some()
                .then(|| view! { <p class="hint">"Showing your latest 100 consults."</p> });
            view! {
                <h2 id="upcoming-title">"Coming up"</h2>
                {if upcoming.is_empty() {
                    view! { <p class="empty">"No consults coming up."</p> }.into_any()
                } else {
                    view! {
                        <ul class="item-list card" aria-labelledby="upcoming-title">
                            {upcoming
                                .into_iter()
                                .map(|b| {
                                    view! { <PatientBooking booking=b offer=offer.clone() changed /> }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
                <h2 id="past-title">"Past and cancelled"</h2>
                {if past.is_empty() {
                    view! { <p class="empty">"No past consults."</p> }.into_any()
                } else {
                    view! {
                        <ul class="item-list card" aria-labelledby="past-title">
                            {past
                                .into_iter()
                                .map(|b| view! { <PatientBooking booking=b offer=None changed /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
                {more}
            }
            .into_any()
        }
    };
    view! {
        <section class="page">
            <div class="page-header">
                <h1>"My consults"</h1>
                <A href=Page::PatientBookConsult.path() attr:class="button">
                    "Book a consult"
                </A>
            </div>
            <p class="muted">{format!("Times are in your time zone ({}).", crate::components::booking::viewer_zone())}</p>
            <div role="status" aria-live="polite">
                {move || notice.get().map(|text| view! { <p class="notice notice-ok">{text}</p> })}
            </div>
            {body}
        </section>
    }
}

/// What cancelling would refund, in words, before the patient confirms.
fn refund_preview(booking: &BookingView, offer: Option<&ClinicOfferView>) -> String {
    if booking.status == BookingStatus::Held {
        return "Nothing has been paid for this consult yet, so there is nothing to refund."
            .to_owned();
    }
    let Some(offer) = offer else {
        return "The clinic's cancellation policy decides what is refunded.".to_owned();
    };
    let deadline = booking.starts_at - Duration::hours(i64::from(offer.free_cancel_hours));
    if format::now() < deadline {
        format!(
            "You cancel for free until {} ({} hours before the start): the whole fee of {} is refunded.",
            format::date_time(&deadline),
            offer.free_cancel_hours,
            format::money(&booking.fee)
        )
    } else {
        format!(
            "It is less than {} hours before the start: the clinic keeps the fee of {}.",
            offer.free_cancel_hours,
            format::money(&booking.fee)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    None,
    Cancel,
    Move,
}

#[component]
fn PatientBooking(
    booking: BookingView,
    offer: Option<ClinicOfferView>,
    changed: Callback<String>,
) -> impl IntoView {
    let open = is_open(&booking) && booking.starts_at > format::now();
    let panel = RwSignal::new(Panel::None);
    let id = booking.id.to_string();
    let cancel = Action::new_local({
        let id = id.clone();
        move |(): &()| {
            let id = id.clone();
            async move { api::cancel_booking(&id).await }
        }
    });
    let cancel_error = last_error(cancel);
    Effect::new(move |_| {
        if let Some(Ok(done)) = cancel.value().get() {
            let text = if done.refund.amount_minor > 0 {
                format!(
                    "Consult cancelled. {} will be refunded to you.",
                    format::money(&done.refund)
                )
            } else {
                "Consult cancelled. Nothing is refunded.".to_owned()
            };
            changed.run(text);
        }
    });
    let title = format!("{} with {}", when(&booking), booking.doctor_name);
    // A held booking is paid on the provider's page: a new payment each time (a declined or
    // abandoned one, or a time the waitlist offered).
    let pay = Action::new_local({
        let id = id.clone();
        move |(): &()| {
            let id = id.clone();
            async move { api::pay_booking(&id).await }
        }
    });
    let pay_error = last_error(pay);
    Effect::new(move |_| {
        if let Some(Ok(booked)) = pay.value().get()
            && let Some(url) = booked.payment.and_then(|p| p.redirect_url)
        {
            let _ = window().location().set_href(&url);
        }
    });
    let hold = (booking.status == BookingStatus::Held)
        .then_some(booking.hold_expires_at)
        .flatten()
        .map(|at| {
            view! {
                <p class="hint">{format!("Held until {}: pay the fee to confirm it.", format::time(&at, None))}</p>
                <button
                    class="button"
                    type="button"
                    data-testid="pay-held"
                    disabled=move || pay.pending().get()
                    on:click=move |_| {
                        pay.dispatch(());
                    }
                >
                    "Pay the fee"
                </button>
                <FormAlert message=general_error(pay_error, &[]) />
            }
        });
    let preview = refund_preview(&booking, offer.as_ref());
    let doctor_id = booking.doctor_id.to_string();
    let move_id = id.clone();
    view! {
        <li class="item" data-testid="consult">
            <div class="item-main">
                <p class="item-title">{title.clone()}</p>
                <p class="muted">
                    {mode_label(booking.mode)} " · " {format::money(&booking.fee)} " · "
                    {booking.clinic_name.clone()}
                </p>
                <p>{status_badge(booking.status)}</p>
                {hold}
            </div>
            {open
                .then(|| {
                    view! {
                        <div class="item-actions">
                            <button
                                class="button secondary"
                                type="button"
                                aria-expanded=move || (panel.get() == Panel::Move).to_string()
                                on:click=move |_| panel.update(|p| *p = if *p == Panel::Move { Panel::None } else { Panel::Move })
                            >
                                "Move"
                                <span class="visually-hidden">" the consult of " {title.clone()}</span>
                            </button>
                            <button
                                class="button secondary"
                                type="button"
                                aria-expanded=move || (panel.get() == Panel::Cancel).to_string()
                                on:click=move |_| panel.update(|p| *p = if *p == Panel::Cancel { Panel::None } else { Panel::Cancel })
                            >
                                "Cancel"
                                <span class="visually-hidden">" the consult of " {title.clone()}</span>
                            </button>
                        </div>
                    }
                })}
            <Show when=move || panel.get() == Panel::Cancel>
                <div class="item-wide confirm stack" role="group" aria-label="Cancel this consult">
                    <p data-testid="refund-preview">{preview.clone()}</p>
                    <FormAlert message=general_error(cancel_error, &[]) />
                    <div class="form-actions">
                        <button
                            class="button danger"
                            type="button"
                            disabled=move || cancel.pending().get()
                            on:click=move |_| {
                                cancel.dispatch(());
                            }
                        >
                            "Cancel the consult"
                        </button>
                        <button class="button secondary" type="button" on:click=move |_| panel.set(Panel::None)>
                            "Keep it"
                        </button>
                    </div>
                </div>
            </Show>
            <Show when=move || panel.get() == Panel::Move>
                <MovePanel id=move_id.clone() doctor_id=doctor_id.clone() changed />
            </Show>
        </li>
    }
}

/// Another free time of the booking's doctor.
#[component]
fn MovePanel(id: String, doctor_id: String, changed: Callback<String>) -> impl IntoView {
    let slots = LocalResource::new(move || {
        let from = format::now();
        api::consult_slots(
            Some(doctor_id.clone()),
            from,
            from + Duration::days(SEARCH_DAYS),
        )
    });
    let options = Signal::derive(move || {
        slots
            .get()
            .and_then(Result::ok)
            .map(|s| choices(&s))
            .unwrap_or_default()
    });
    let chosen = RwSignal::new(None::<Choice>);
    let reschedule = Action::new_local(move |input: &RescheduleInput| {
        let input = input.clone();
        let id = id.clone();
        async move { api::reschedule_booking(&id, &input).await }
    });
    let error = last_error(reschedule);
    Effect::new(move |_| {
        if let Some(Ok(done)) = reschedule.value().get() {
            changed.run(format!("Consult moved to {}.", when(&done.booking)));
        }
    });
    let picker_id = "move-slot";
    view! {
        <form
            class="item-wide form stack"
            aria-label="Move this consult"
            on:submit=move |ev| {
                ev.prevent_default();
                if let Some(c) = chosen.get_untracked() {
                    reschedule.dispatch(RescheduleInput { starts_at: c.starts_at });
                }
            }
        >
            {move || match slots.get() {
                None => view! { <Skeleton lines=2 /> }.into_any(),
                Some(Err(e)) => view! { <p class="notice notice-error" role="alert">{ApiError::to_string(&e)}</p> }.into_any(),
                Some(Ok(_)) => view! { <SlotPicker options chosen id=picker_id /> }.into_any(),
            }}
            <FormAlert message=general_error(error, &[]) />
            <div class="form-actions">
                <button
                    class="button"
                    type="submit"
                    disabled=move || reschedule.pending().get() || chosen.get().is_none()
                >
                    "Move to this time"
                </button>
            </div>
        </form>
    }
}
