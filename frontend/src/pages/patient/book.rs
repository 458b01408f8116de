//! "Book a consult": a doctor of the patient's clinic (or any doctor), a day, a free time in the
//! patient's own zone and a mode with its fee. Booking holds the slot while the fee is paid.

use chrono::Duration;
use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::booking::{
    BookInput, BookingView, ClinicOfferView, ConsultFee, FeePaymentView,
};
use rxgate_api_types::vocab::{ConsultMode, LiveConsultMode};

use crate::api;
use crate::components::booking::{
    Choice, SEARCH_DAYS, SlotPicker, choices, mode_label, status_badge, when,
};
use crate::components::form::{FormAlert, general_error, last_error};
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::routes::Page;

/// The modes a patient can book a time for (a written consult has no time).
pub fn bookable_modes(offer: &ClinicOfferView) -> Vec<ConsultFee> {
    offer
        .modes
        .iter()
        .filter(|m| matches!(m.mode, ConsultMode::Video | ConsultMode::Audio))
        .cloned()
        .collect()
}

#[component]
pub fn BookConsult() -> impl IntoView {
    let offer = LocalResource::new(|| api::consult_offer(None));
    let doctors = LocalResource::new(api::consult_doctors);
    // "" is any doctor.
    let doctor = RwSignal::new(String::new());
    let searched = RwSignal::new(0_u32);
    let slots = LocalResource::new(move || {
        searched.track();
        let doctor = Some(doctor.get()).filter(|d| !d.is_empty());
        let from = format::now();
        api::consult_slots(doctor, from, from + Duration::days(SEARCH_DAYS))
    });
    let options = Signal::derive(move || {
        slots
            .get()
            .and_then(Result::ok)
            .map(|s| choices(&s))
            .unwrap_or_default()
    });
    let chosen = RwSignal::new(None::<Choice>);
    let mode = RwSignal::new(None::<ConsultMode>);
    // The first mode the clinic offers, until the patient picks one.
    Effect::new(move |_| {
        if mode.get_untracked().is_none()
            && let Some(Ok(o)) = offer.get()
        {
            mode.set(bookable_modes(&o).first().map(|m| m.mode));
        }
    });
    let book = Action::new_local(move |input: &BookInput| {
        let input = input.clone();
        async move { api::book_consult(&input).await }
    });
    let error = last_error(book);
    let held = Memo::new(move |_| {
        book.value()
            .get()
            .and_then(Result::ok)
            .map(|detail| (detail.booking, detail.payment))
    });
    // A booked time is no longer free; a taken one neither: search again.
    Effect::new(move |_| {
        if book.value().get().is_some() {
            chosen.set(None);
            searched.update(|n| *n += 1);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(choice), Some(mode)) = (chosen.get_untracked(), mode.get_untracked()) else {
            return;
        };
        let mode = match mode {
            ConsultMode::Video => LiveConsultMode::Video,
            ConsultMode::Audio => LiveConsultMode::Audio,
            // Not offered for a time (`bookable_modes`).
            ConsultMode::AsyncForm => return,
        };
        book.dispatch(BookInput {
            clinic_id: None,
            doctor_id: choice.doctor_id,
            starts_at: choice.starts_at,
            mode,
        });
    };
    let doctor_options = move || match doctors.get() {
        Some(Ok(list)) => list
            .doctors
            .into_iter()
            .filter(|d| d.bookable)
            .map(|d| {
                let label = if d.specialties.is_empty() {
                    d.display_name.clone()
                } else {
                    format!("{} ({})", d.display_name, d.specialties.join(", "))
                };
                (d.doctor_id.to_string(), label)
            })
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let mode_fields = move || match offer.get() {
        None => view! { <Skeleton lines=2 /> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="notice notice-error" role="alert">{e.to_string()}</p> }.into_any()
        }
        Some(Ok(o)) => {
            let modes = bookable_modes(&o);
            if modes.is_empty() {
                return view! {
                    <p class="notice notice-warn">"Your clinic does not offer consults to book yet."</p>
                }
                .into_any();
            }
            let policy = format!(
                "You can cancel or move a consult for free until {} hours before it starts.",
                o.free_cancel_hours
            );
            view! {
                <fieldset>
                    <legend>"How"</legend>
                    {modes
                        .into_iter()
                        .map(|m| {
                            let this = m.mode;
                            view! {
                                <label class="check">
                                    <input
                                        type="radio"
                                        name="mode"
                                        value=this.as_str()
                                        prop:checked=move || mode.get() == Some(this)
                                        on:change=move |_| mode.set(Some(this))
                                    />
                                    <span>
                                        {mode_label(this)} " — " <strong>{format::money(&m.fee)}</strong>
                                    </span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <p class="hint">{policy}</p>
            }
            .into_any()
        }
    };
    let picker = move || {
        match slots.get() {
        None => view! { <Skeleton lines=3 /> }.into_any(),
        Some(Err(e)) => view! { <p class="notice notice-error" role="alert">{e.to_string()}</p> }
            .into_any(),
        Some(Ok(_)) => view! {
            <SlotPicker options chosen id="book-slot" show_doctor=doctor.get_untracked().is_empty() />
        }
        .into_any(),
    }
    };
    let summary = move || {
        chosen.get().map(|c| {
            let theirs = format::time(&c.starts_at, Some(&c.doctor_zone));
            let mine = format::time(&c.starts_at, None);
            let zone_note =
                (theirs != mine).then(|| format!(" ({theirs} for the doctor, {})", c.doctor_zone));
            view! {
                <p class="hint" data-testid="chosen-slot">
                    {format!(
                        "{}, {} with {}",
                        format::day(&format::local_day(&c.starts_at)),
                        mine,
                        c.doctor_name,
                    )}
                    {zone_note}
                </p>
            }
        })
    };
    view! {
        <section class="page narrow">
            <h1>"Book a consult"</h1>
            <p class="muted">
                "Prescription medicines need a short consult with a doctor, who decides whether "
                "the medicine is right for you and prescribes it."
            </p>
            {move || held.get().map(|(b, p)| view! { <HeldBooking booking=b payment=p /> })}
            <form class="card form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="book-doctor">"Doctor"</label>
                    <select
                        id="book-doctor"
                        on:change:target=move |ev| {
                            doctor.set(ev.target().value());
                            chosen.set(None);
                        }
                    >
                        <option value="" selected=move || doctor.get().is_empty()>
                            "Any doctor"
                        </option>
                        {move || {
                            doctor_options()
                                .into_iter()
                                .map(|(id, label)| {
                                    let selected = id.clone();
                                    view! {
                                        <option
                                            value=id
                                            selected=move || doctor.get() == selected
                                        >
                                            {label}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                {picker}
                {summary}
                {mode_fields}
                <FormAlert message=general_error(error, &[]) />
                <div class="form-actions">
                    <button
                        class="button"
                        type="submit"
                        disabled=move || {
                            book.pending().get() || chosen.get().is_none() || mode.get().is_none()
                        }
                    >
                        "Book"
                    </button>
                    <A href=Page::PatientConsults.path()>"My consults"</A>
                </div>
            </form>
        </section>
    }
}

/// The booking just made: held until its hold lapses, then where the fee is paid.
#[component]
fn HeldBooking(booking: BookingView, payment: Option<FeePaymentView>) -> impl IntoView {
    let expiry = booking.hold_expires_at.map(|at| {
        format!(
            "We hold this time for you until {}.",
            format::time(&at, None)
        )
    });
    view! {
        <div class="card stack" role="status" data-testid="held-booking">
            <h2>"Your consult is booked"</h2>
            <p>{status_badge(booking.status)}</p>
            <dl class="facts">
                <dt>"When"</dt>
                <dd>{when(&booking)}</dd>
                <dt>"Doctor"</dt>
                <dd>{booking.doctor_name.clone()}</dd>
                <dt>"How"</dt>
                <dd>{mode_label(booking.mode)}</dd>
                <dt>"Fee"</dt>
                <dd>{format::money(&booking.fee)}</dd>
            </dl>
            {expiry.map(|text| view! { <p data-testid="hold-expiry">{text}</p> })}
            <PaymentStep booking=booking.clone() payment=payment />
        </div>
    }
}

/// Where a held booking goes to pay its fee: the payment provider's page (the sandbox's in a
/// local setup). The consult is confirmed when the provider reports the payment.
#[component]
pub fn PaymentStep(booking: BookingView, payment: Option<FeePaymentView>) -> impl IntoView {
    let fee = format::money(&booking.fee);
    match payment.and_then(|p| p.redirect_url) {
        Some(url) => view! {
            <div class="notice" data-testid="payment-step">
                <p>"The consult is confirmed once the fee is paid."</p>
                <a class="button" href=url data-testid="pay-fee">{format!("Pay {fee}")}</a>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="notice" data-testid="payment-step">
                <p>"No fee to pay: the consult is confirmed."</p>
            </div>
        }
        .into_any(),
    }
}
