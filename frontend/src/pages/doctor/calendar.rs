//! The doctor's calendar of bookings, by day or by week, in the doctor's browser's zone: each
//! consult's time, mode and status; once a confirmed consult has started, how it ended
//! (completed or no-show); a coming one can be cancelled (the patient gets the whole fee back).

use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::booking::{BookingView, OutcomeInput};
use rxgate_api_types::vocab::{BookingListView, BookingOutcome, BookingStatus};

use crate::api::{self, ApiError};
use crate::components::booking::{is_open, mode_label, status_badge, viewer_zone};
use crate::components::form::{FormAlert, general_error, last_error};
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::routes::Page;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    Day,
    Week,
}

/// The first day shown and how many.
fn range(span: Span, anchor: NaiveDate) -> (NaiveDate, i64) {
    match span {
        Span::Day => (anchor, 1),
        Span::Week => (
            anchor - Duration::days(i64::from(anchor.weekday().num_days_from_monday())),
            7,
        ),
    }
}

/// The signed-in doctor's bookings from `first` for `days` days, every page.
async fn calendar(first: NaiveDate, days: i64) -> Result<Vec<BookingView>, ApiError> {
    let from = format::local_midnight(&first);
    let to = format::local_midnight(&(first + Duration::days(days)));
    crate::components::paged::all_pages(move |cursor| {
        api::bookings(BookingListView::Doctor, None, Some(from), Some(to), cursor)
    })
    .await
}

#[component]
pub fn DoctorCalendar() -> impl IntoView {
    let span = RwSignal::new(Span::Day);
    let anchor = RwSignal::new(format::local_day(&format::now()));
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        let (first, days) = range(span.get(), anchor.get());
        // The days go with their bookings: while the next range loads, the last one shows whole.
        async move { (first, days, calendar(first, days).await) }
    });
    let notice = RwSignal::new(None::<String>);
    let changed = Callback::new(move |text: String| {
        notice.set(Some(text));
        version.update(|v| *v += 1);
    });
    let step = move |forward: bool| {
        let days = match span.get_untracked() {
            Span::Day => 1,
            Span::Week => 7,
        };
        anchor.update(|a| {
            *a = if forward {
                *a + Duration::days(days)
            } else {
                *a - Duration::days(days)
            };
        });
    };
    let heading = move || {
        let (first, days) = range(span.get(), anchor.get());
        if days == 1 {
            format::day(&first)
        } else {
            format!(
                "{} – {}",
                format::day(&first),
                format::day(&(first + Duration::days(days - 1)))
            )
        }
    };
    let body = move || match list.get() {
        None => view! { <Skeleton lines=4 /> }.into_any(),
        Some((_, _, Err(e))) => {
            view! { <p class="notice notice-error" role="alert">{e.to_string()}</p> }.into_any()
        }
        Some((first, days, Ok(items))) => (0..days)
            .map(|i| {
                let on = first + Duration::days(i);
                let todays: Vec<BookingView> = items
                    .iter()
                    .filter(|b| format::local_day(&b.starts_at) == on)
                    .cloned()
                    .collect();
                let title_id = format!("day-{on}");
                let list_label = title_id.clone();
                let title = format::day(&on);
                view! {
                    <section class="calendar-day" aria-labelledby=title_id.clone()>
                        <h3 id=title_id.clone()>{title}</h3>
                        {if todays.is_empty() {
                            view! { <p class="hint">"No consults."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="item-list card" aria-labelledby=list_label>
                                    {todays
                                        .into_iter()
                                        .map(|b| view! { <CalendarEntry booking=b changed /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }}
                    </section>
                }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <section class="page">
            <h1>"Calendar"</h1>
            <p class="muted">{format!("Your consults; times are in {}.", viewer_zone())}</p>
            <div class="filters calendar-bar" role="group" aria-label="Calendar view">
                <button
                    class="button secondary"
                    type="button"
                    aria-pressed=move || (span.get() == Span::Day).to_string()
                    on:click=move |_| span.set(Span::Day)
                >
                    "Day"
                </button>
                <button
                    class="button secondary"
                    type="button"
                    aria-pressed=move || (span.get() == Span::Week).to_string()
                    on:click=move |_| span.set(Span::Week)
                >
                    "Week"
                </button>
                <button class="button secondary" type="button" on:click=move |_| step(false)>
                    "Previous"
                </button>
                <button
                    class="button secondary"
                    type="button"
                    on:click=move |_| anchor.set(format::local_day(&format::now()))
                >
                    "Today"
                </button>
                <button class="button secondary" type="button" on:click=move |_| step(true)>
                    "Next"
                </button>
            </div>
            <h2 aria-live="polite" data-testid="calendar-range">{heading}</h2>
            <div role="status" aria-live="polite">
                {move || notice.get().map(|text| view! { <p class="notice notice-ok">{text}</p> })}
            </div>
            {body}
        </section>
    }
}

#[component]
fn CalendarEntry(booking: BookingView, changed: Callback<String>) -> impl IntoView {
    let now = format::now();
    let started = booking.status == BookingStatus::Confirmed && booking.starts_at <= now;
    let cancellable = is_open(&booking) && booking.starts_at > now;
    let id = booking.id.to_string();
    let outcome = Action::new_local({
        let id = id.clone();
        move |outcome: &BookingOutcome| {
            let id = id.clone();
            let body = OutcomeInput { outcome: *outcome };
            async move { api::record_outcome(&id, &body).await }
        }
    });
    let cancel = Action::new_local({
        let id = id.clone();
        move |(): &()| {
            let id = id.clone();
            async move { api::cancel_booking(&id).await }
        }
    });
    let outcome_error = last_error(outcome);
    let cancel_error = last_error(cancel);
    Effect::new(move |_| {
        if let Some(Ok(done)) = outcome.value().get() {
            let text = match done.booking.status {
                BookingStatus::NoShow => "Recorded as a no-show.",
                _ => "Recorded as completed.",
            };
            changed.run(text.to_owned());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(done)) = cancel.value().get() {
            changed.run(format!(
                "Consult cancelled; {} goes back to the patient.",
                format::money(&done.refund)
            ));
        }
    });
    let confirming = RwSignal::new(false);
    let time = format!(
        "{}–{}",
        format::time(&booking.starts_at, None),
        format::time(&booking.ends_at, None)
    );
    let chart = Page::DoctorPatientChart.item(&booking.patient_id.to_string());
    let label = format!("the consult at {time}");
    let label2 = label.clone();
    let label3 = label.clone();
    view! {
        <li class="item" data-testid="calendar-entry">
            <div class="item-main">
                <p class="item-title">{time.clone()} " · " {mode_label(booking.mode)}</p>
                <p class="muted">
                    {booking.clinic_name.clone()} " · " <A href=chart>"Patient's chart"</A>
                </p>
                <p>{status_badge(booking.status)}</p>
            </div>
            <div class="item-actions">
                {started
                    .then(|| {
                        view! {
                            <button
                                class="button"
                                type="button"
                                disabled=move || outcome.pending().get()
                                on:click=move |_| {
                                    outcome.dispatch(BookingOutcome::Completed);
                                }
                            >
                                "Completed"
                                <span class="visually-hidden">{format!(": {label}")}</span>
                            </button>
                            <button
                                class="button secondary"
                                type="button"
                                disabled=move || outcome.pending().get()
                                on:click=move |_| {
                                    outcome.dispatch(BookingOutcome::NoShow);
                                }
                            >
                                "No-show"
                                <span class="visually-hidden">{format!(": {label2}")}</span>
                            </button>
                        }
                    })}
                {cancellable
                    .then(|| {
                        view! {
                            <button
                                class="button secondary"
                                type="button"
                                aria-expanded=move || confirming.get().to_string()
                                on:click=move |_| confirming.update(|c| *c = !*c)
                            >
                                "Cancel"
                                <span class="visually-hidden">{format!(" {label3}")}</span>
                            </button>
                        }
                    })}
            </div>
            <FormAlert message=general_error(outcome_error, &[]) />
            <Show when=move || confirming.get()>
                <div class="item-wide confirm stack" role="group" aria-label="Cancel this consult">
                    <p>"The patient gets the whole fee back."</p>
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
                        <button class="button secondary" type="button" on:click=move |_| confirming.set(false)>
                            "Keep it"
                        </button>
                    </div>
                </div>
            </Show>
        </li>
    }
}
