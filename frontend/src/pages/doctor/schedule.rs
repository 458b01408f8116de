//! The doctor's availability in their clinic: working hours per weekday, how the time is cut
//! into slots, and dated exceptions (time off, extra hours). Times of day are the doctor's own
//! zone's; saving replaces the whole schedule (bookings already made stay where they are).

use chrono::NaiveDate;
use leptos::prelude::*;
use rxgate_api_types::booking::{
    DoctorScheduleInput, DoctorScheduleView, ScheduleExceptionView, SlotRulesInput,
    WeeklyIntervalView,
};
use rxgate_api_types::vocab::Weekday;

use crate::api;
use crate::components::form::{FormAlert, general_error, last_error};
use crate::components::skeleton::Skeleton;

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// A row being edited, with a key that stays while rows are added and removed.
#[derive(Debug, Clone, Copy)]
struct Interval {
    key: u32,
    weekday: Weekday,
    starts: RwSignal<String>,
    ends: RwSignal<String>,
}

#[derive(Debug, Clone, Copy)]
struct Exception {
    key: u32,
    on: RwSignal<String>,
    starts: RwSignal<String>,
    ends: RwSignal<String>,
    available: RwSignal<bool>,
}

#[component]
pub fn DoctorSchedule() -> impl IntoView {
    let schedule = LocalResource::new(api::my_schedule);
    view! {
        <section class="page">
            <h1>"Availability"</h1>
            <p class="muted">
                "When patients can book you: your working hours each week, how long a consult "
                "is, and days that differ. Bookings already made stay where they are."
            </p>
            {move || match schedule.get() {
                None => view! { <Skeleton lines=6 /> }.into_any(),
                Some(Err(e)) => {
                    view! { <p class="notice notice-error" role="alert">{e.to_string()}</p> }
                        .into_any()
                }
                Some(Ok(s)) => view! { <ScheduleEditor schedule=s /> }.into_any(),
            }}
        </section>
    }
}

fn number(text: &str) -> i32 {
    text.trim().parse().unwrap_or(-1)
}

#[component]
fn ScheduleEditor(schedule: DoctorScheduleView) -> impl IntoView {
    let rules = schedule.rules.unwrap_or(SlotRulesInput {
        slot_minutes: 20,
        buffer_minutes: 5,
        min_notice_minutes: 60,
        horizon_days: 30,
    });
    let slot = RwSignal::new(rules.slot_minutes.to_string());
    let buffer = RwSignal::new(rules.buffer_minutes.to_string());
    let notice = RwSignal::new(rules.min_notice_minutes.to_string());
    let horizon = RwSignal::new(rules.horizon_days.to_string());
    let next_key = StoredValue::new(0_u32);
    let key = move || {
        next_key.update_value(|k| *k += 1);
        next_key.get_value()
    };
    let weekly = RwSignal::new(
        schedule
            .weekly
            .iter()
            .map(|w| Interval {
                key: key(),
                weekday: w.weekday,
                starts: RwSignal::new(w.starts.clone()),
                ends: RwSignal::new(w.ends.clone()),
            })
            .collect::<Vec<_>>(),
    );
    let exceptions = RwSignal::new(
        schedule
            .exceptions
            .iter()
            .map(|x| Exception {
                key: key(),
                on: RwSignal::new(x.on.to_string()),
                starts: RwSignal::new(x.starts.clone()),
                ends: RwSignal::new(x.ends.clone()),
                available: RwSignal::new(x.available),
            })
            .collect::<Vec<_>>(),
    );
    let save = Action::new_local(move |input: &DoctorScheduleInput| {
        let input = input.clone();
        async move { api::set_my_schedule(&input).await }
    });
    let error = last_error(save);
    let bad_date = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut dates = Vec::new();
        for x in exceptions.get_untracked() {
            match x.on.get_untracked().parse::<NaiveDate>() {
                Ok(on) => dates.push(ScheduleExceptionView {
                    on,
                    starts: x.starts.get_untracked(),
                    ends: x.ends.get_untracked(),
                    available: x.available.get_untracked(),
                }),
                Err(_) => {
                    bad_date.set(true);
                    return;
                }
            }
        }
        bad_date.set(false);
        save.dispatch(DoctorScheduleInput {
            rules: SlotRulesInput {
                slot_minutes: number(&slot.get_untracked()),
                buffer_minutes: number(&buffer.get_untracked()),
                min_notice_minutes: number(&notice.get_untracked()),
                horizon_days: number(&horizon.get_untracked()),
            },
            weekly: weekly
                .get_untracked()
                .iter()
                .map(|w| WeeklyIntervalView {
                    weekday: w.weekday,
                    starts: w.starts.get_untracked(),
                    ends: w.ends.get_untracked(),
                })
                .collect(),
            exceptions: dates,
        });
    };
    let saved = move || matches!(save.value().get(), Some(Ok(_))) && !save.pending().get();
    let zone = schedule.time_zone.clone();
    let rule_field = move |label: &'static str,
                           id: &'static str,
                           value: RwSignal<String>,
                           hint: &'static str| {
        let hint_id = format!("{id}-hint");
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="number"
                    inputmode="numeric"
                    aria-describedby=hint_id.clone()
                    prop:value=move || value.get()
                    on:input:target=move |ev| value.set(ev.target().value())
                />
                <p class="hint" id=hint_id>{hint}</p>
            </div>
        }
    };
    view! {
        <form class="form stack" on:submit=on_submit novalidate>
            <p class="notice notice-warn" data-testid="schedule-zone">
                {format!("Every time on this page is in your time zone: {zone}.")}
            </p>
            <div class="card form">
                <h2>"Consults"</h2>
                <div class="row-fields">
                    {rule_field("Consult length (minutes)", "rule-slot", slot, "5 to 240.")}
                    {rule_field("Break after each consult (minutes)", "rule-buffer", buffer, "0 to 120.")}
                    {rule_field("Notice before a booking (minutes)", "rule-notice", notice, "How soon patients may book.")}
                    {rule_field("Book up to (days ahead)", "rule-horizon", horizon, "1 to 365.")}
                </div>
            </div>
            <div class="card form">
                <h2>"Weekly hours"</h2>
                {Weekday::ALL
                    .iter()
                    .copied()
                    .map(|day| {
                        let rows = move || {
                            weekly
                                .get()
                                .into_iter()
                                .filter(|w| w.weekday == day)
                                .collect::<Vec<_>>()
                        };
                        let name = weekday_name(day);
                        view! {
                            <fieldset>
                                <legend>{name}</legend>
                                <Show when=move || rows().is_empty()>
                                    <p class="hint">"Not working."</p>
                                </Show>
                                <For each=rows key=|w| w.key let:w>
                                    <div class="row-fields interval">
                                        <label>
                                            {format!("{name} from")}
                                            <input
                                                type="time"
                                                prop:value=move || w.starts.get()
                                                on:input:target=move |ev| w.starts.set(ev.target().value())
                                            />
                                        </label>
                                        <label>
                                            {format!("{name} until")}
                                            <input
                                                type="time"
                                                prop:value=move || w.ends.get()
                                                on:input:target=move |ev| w.ends.set(ev.target().value())
                                            />
                                        </label>
                                        <button
                                            class="button secondary"
                                            type="button"
                                            on:click=move |_| weekly.update(|all| all.retain(|x| x.key != w.key))
                                        >
                                            "Remove"
                                            <span class="visually-hidden">
                                                {move || format!(" {name} {}–{}", w.starts.get(), w.ends.get())}
                                            </span>
                                        </button>
                                    </div>
                                </For>
                                <div>
                                    <button
                                        class="link-button"
                                        type="button"
                                        on:click=move |_| {
                                            let k = key();
                                            weekly.update(|all| {
                                                all.push(Interval {
                                                    key: k,
                                                    weekday: day,
                                                    starts: RwSignal::new("09:00".to_owned()),
                                                    ends: RwSignal::new("12:00".to_owned()),
                                                });
                                            });
                                        }
                                    >
                                        {format!("Add hours on {name}")}
                                    </button>
                                </div>
                            </fieldset>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="card form">
                <h2>"Days that differ"</h2>
                <p class="hint">"Time off, or extra hours on a given day."</p>
                <Show when=move || exceptions.get().is_empty()>
                    <p class="hint">"None."</p>
                </Show>
                <For each=move || exceptions.get() key=|x| x.key let:x>
                    <div class="row-card">
                        <div class="row-fields">
                            <label>
                                "Date"
                                <input
                                    type="date"
                                    prop:value=move || x.on.get()
                                    on:input:target=move |ev| x.on.set(ev.target().value())
                                />
                            </label>
                            <label>
                                "What"
                                <select on:change:target=move |ev| x.available.set(ev.target().value() == "extra")>
                                    <option value="off" selected=move || !x.available.get()>"Time off"</option>
                                    <option value="extra" selected=move || x.available.get()>"Extra hours"</option>
                                </select>
                            </label>
                            <label>
                                "From"
                                <input
                                    type="time"
                                    prop:value=move || x.starts.get()
                                    on:input:target=move |ev| x.starts.set(ev.target().value())
                                />
                            </label>
                            <label>
                                "Until"
                                <input
                                    type="time"
                                    prop:value=move || x.ends.get()
                                    on:input:target=move |ev| x.ends.set(ev.target().value())
                                />
                            </label>
                            <button
                                class="button secondary"
                                type="button"
                                on:click=move |_| exceptions.update(|all| all.retain(|y| y.key != x.key))
                            >
                                "Remove"
                                <span class="visually-hidden">{move || format!(" the change on {}", x.on.get())}</span>
                            </button>
                        </div>
                    </div>
                </For>
                <div>
                    <button
                        class="link-button"
                        type="button"
                        on:click=move |_| {
                            let k = key();
                            exceptions.update(|all| {
                                all.push(Exception {
                                    key: k,
                                    on: RwSignal::new(String::new()),
                                    starts: RwSignal::new("00:00".to_owned()),
                                    ends: RwSignal::new("23:59".to_owned()),
                                    available: RwSignal::new(false),
                                });
                            });
                        }
                    >
                        "Add a day that differs"
                    </button>
                </div>
            </div>
            <Show when=move || bad_date.get()>
                <p class="notice notice-error" role="alert">"Enter a date for each day that differs."</p>
            </Show>
            <FormAlert message=general_error(error, &[]) />
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || save.pending().get()>
                    "Save availability"
                </button>
                <span class="hint" role="status" aria-live="polite">
                    {move || saved().then_some("Saved.")}
                </span>
            </div>
        </form>
    }
}
