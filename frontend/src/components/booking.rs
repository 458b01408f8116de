//! Pieces every booking screen shares: a booking's status and mode in words, its time in the
//! viewer's zone, and the picker of a free slot (a day, then a time) used to book and to move a
//! booking.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use rxgate_api_types::booking::{BookingView, SlotSearchView};
use rxgate_api_types::vocab::{BookingStatus, ConsultMode};
use uuid::Uuid;

use crate::format;

/// How many days ahead the slot searches look (the API allows up to 62).
pub const SEARCH_DAYS: i64 = 28;

pub fn mode_label(mode: ConsultMode) -> &'static str {
    match mode {
        ConsultMode::Video => "Video call",
        ConsultMode::Audio => "Phone (audio) call",
        ConsultMode::AsyncForm => "Written consult (no call)",
    }
}

pub fn status_badge(status: BookingStatus) -> impl IntoView + use<> {
    let (class, text) = match status {
        BookingStatus::Held => ("badge badge-warn", "Held: awaiting payment"),
        BookingStatus::Confirmed => ("badge badge-ok", "Confirmed"),
        BookingStatus::Completed => ("badge", "Completed"),
        BookingStatus::Cancelled => ("badge badge-danger", "Cancelled"),
        BookingStatus::NoShow => ("badge badge-danger", "Missed"),
        BookingStatus::Expired => ("badge", "Hold lapsed"),
    };
    view! { <span class=class data-testid="booking-status">{text}</span> }
}

/// Whether a booking is still to come (held or confirmed, not yet ended).
pub fn is_open(b: &BookingView) -> bool {
    matches!(b.status, BookingStatus::Held | BookingStatus::Confirmed)
}

/// "Mon, 7 Dec 2026, 09:00–09:20" in the viewer's zone.
pub fn when(b: &BookingView) -> String {
    format!(
        "{}, {}–{}",
        format::day(&format::local_day(&b.starts_at)),
        format::time(&b.starts_at, None),
        format::time(&b.ends_at, None)
    )
}

/// The viewer's zone in words, for the label of times shown in it.
pub fn viewer_zone() -> String {
    format::browser_time_zone().unwrap_or_else(|| "your time zone".to_owned())
}

/// One free time a patient can choose: a slot of a doctor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub doctor_id: Uuid,
    pub doctor_name: String,
    pub doctor_zone: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Choice {
    /// A stable value for a radio button.
    fn key(&self) -> String {
        format!("{}|{}", self.doctor_id, self.starts_at.timestamp())
    }
}

/// Every free time of a search, in time order; with several doctors, one choice per start (the
/// first doctor free then), since the patient asked for any doctor.
pub fn choices(search: &SlotSearchView) -> Vec<Choice> {
    let mut all: Vec<Choice> = search
        .doctors
        .iter()
        .flat_map(|d| {
            d.slots.iter().map(|s| Choice {
                doctor_id: d.doctor_id,
                doctor_name: d.display_name.clone(),
                doctor_zone: d.time_zone.clone(),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
            })
        })
        .collect();
    all.sort_by(|a, b| {
        a.starts_at
            .cmp(&b.starts_at)
            .then(a.doctor_name.cmp(&b.doctor_name))
    });
    all.dedup_by(|later, earlier| later.starts_at == earlier.starts_at);
    all
}

/// A day, then one of its free times, in the viewer's zone. `show_doctor` names the doctor of
/// each time (when the patient asked for any doctor).
#[component]
pub fn SlotPicker(
    #[prop(into)] options: Signal<Vec<Choice>>,
    chosen: RwSignal<Option<Choice>>,
    /// Unique on the page: ids of the fields are made from it.
    id: &'static str,
    #[prop(optional)] show_doctor: bool,
) -> impl IntoView {
    let days = Memo::new(move |_| {
        let mut days: Vec<NaiveDate> = options
            .get()
            .iter()
            .map(|c| format::local_day(&c.starts_at))
            .collect();
        days.dedup();
        days
    });
    let day = RwSignal::new(None::<NaiveDate>);
    // The first day with free times, until the person picks one (and again when it has gone).
    Effect::new(move |_| {
        let days = days.get();
        let current = day.get_untracked();
        if current.is_none_or(|d| !days.contains(&d)) {
            day.set(days.first().copied());
        }
    });
    let times = move || {
        let on = day.get();
        options
            .get()
            .into_iter()
            .filter(|c| Some(format::local_day(&c.starts_at)) == on)
            .collect::<Vec<_>>()
    };
    let day_id = format!("{id}-day");
    let zone = viewer_zone();
    view! {
        <Show
            when=move || !days.get().is_empty()
            fallback=|| view! { <p class="empty">"No free times in the next four weeks."</p> }
        >
            <div class="field">
                <label for=day_id.clone()>"Day"</label>
                <select
                    id=day_id.clone()
                    on:change:target=move |ev| {
                        let value = ev.target().value();
                        day.set(value.parse::<NaiveDate>().ok());
                        chosen.set(None);
                    }
                >
                    <For each=move || days.get() key=|d| *d let:d>
                        <option value=d.to_string() selected=move || day.get() == Some(d)>
                            {format::day(&d)}
                        </option>
                    </For>
                </select>
            </div>
            <fieldset class="slot-times">
                <legend>{format!("Time (your time: {zone})")}</legend>
                <div class="slot-grid">
                    <For each=times key=Choice::key let:choice>
                        {
                            let label = if show_doctor {
                                format!(
                                    "{} · {}",
                                    format::time(&choice.starts_at, None),
                                    choice.doctor_name,
                                )
                            } else {
                                format::time(&choice.starts_at, None)
                            };
                            let value = choice.key();
                            let this = choice.clone();
                            let checked = {
                                let this = choice.clone();
                                move || chosen.get().as_ref() == Some(&this)
                            };
                            view! {
                                <label class="check slot">
                                    <input
                                        type="radio"
                                        name=id
                                        value=value
                                        prop:checked=checked
                                        on:change=move |_| chosen.set(Some(this.clone()))
                                    />
                                    <span>{label}</span>
                                </label>
                            }
                        }
                    </For>
                </div>
            </fieldset>
        </Show>
    }
}
