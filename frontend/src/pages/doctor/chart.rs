//! A patient's chart for their doctor: the answers, the flags (raised by the answers, and
//! whether each counts now), the history of overrides, and the form that raises or clears a
//! flag with a clinical reason.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rxgate_api_types::health::{FlagOverrideInput, HealthProfile};

use super::FlagNames;
use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{
    DynamicSelectField, FormAlert, field_error, general_error, last_error,
};
use crate::components::health_profile::{HealthProfileView, flag_state};
use crate::components::skeleton::Skeleton;
use crate::routes::Page;

/// The reason's length limits, as the API checks them.
const MIN_REASON_CHARS: usize = 3;
const MAX_REASON_CHARS: usize = 2000;

#[component]
pub fn PatientChart() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let changed = RwSignal::new(0_u32);
    let profile = LocalResource::new(move || {
        changed.get();
        let id = id.get();
        async move { api::patient_health_profile(&id).await }
    });
    // From the chart itself: nothing about a patient outlives the answer that showed it.
    let name = Signal::derive(move || {
        profile
            .get()
            .and_then(Result::ok)
            .map(|p: HealthProfile| p.patient_name)
    });
    let names: FlagNames = LocalResource::new(api::flags);
    view! {
        <section class="page">
            <p>
                <A href=Page::DoctorPatients.path()>"← My patients"</A>
            </p>
            <div class="stack">
                {move || name.get().is_some().then(|| view! { <p class="kicker">"Patient chart"</p> })}
                <h1>{move || name.get().unwrap_or_else(|| "Patient chart".to_owned())}</h1>
                <p>
                    <a href="#override-title">"Override a flag"</a>
                </p>
            </div>
            <Transition fallback=|| view! { <Skeleton lines=10 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        profile
                            .await
                            .map(|profile| view! { <HealthProfileView profile whose="the patient's" /> })
                    })}
                </ErrorBoundary>
            </Transition>
            <OverrideForm patient=id names changed />
        </section>
    }
}

/// Raises or clears one flag with a reason; the chart above shows the new state once saved.
#[component]
fn OverrideForm(patient: Memo<String>, names: FlagNames, changed: RwSignal<u32>) -> impl IntoView {
    let flag = RwSignal::new(String::new());
    let raise = RwSignal::new(true);
    let reason = RwSignal::new(String::new());
    let announcement = RwSignal::new(None::<String>);
    // What the form says before asking the server.
    let flag_missing = RwSignal::new(None::<String>);
    let reason_short = RwSignal::new(None::<String>);
    let options = Signal::derive(move || {
        let mut options = vec![(String::new(), "Choose a flag".to_owned())];
        if let Some(Ok(list)) = names.get() {
            options.extend(list.into_iter().map(|f| (f.code, f.label)));
        }
        options
    });
    let add = Action::new_local(move |input: &FlagOverrideInput| {
        let input = input.clone();
        let id = patient.get_untracked();
        async move {
            let profile = api::add_flag_override(&id, &input).await?;
            announcement.set(Some(saved_text(&profile, &input)));
            reason.set(String::new());
            changed.update(|n| *n += 1);
            Ok::<_, ApiError>(())
        }
    });
    let pending = add.pending();
    let error = last_error(add);
    let server_flag = field_error(error, "flag");
    let server_reason = field_error(error, "reason");
    let flag_error = Signal::derive(move || flag_missing.get().or_else(|| server_flag.get()));
    let reason_error = Signal::derive(move || reason_short.get().or_else(|| server_reason.get()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        announcement.set(None);
        let code = flag.get_untracked();
        let text = reason.get_untracked().trim().to_owned();
        flag_missing.set(
            code.is_empty()
                .then(|| "Choose the flag to change.".to_owned()),
        );
        reason_short.set((text.chars().count() < MIN_REASON_CHARS).then(|| {
            format!("Give the clinical reason (at least {MIN_REASON_CHARS} characters).")
        }));
        if code.is_empty() || text.chars().count() < MIN_REASON_CHARS {
            return;
        }
        add.dispatch(FlagOverrideInput {
            flag: code,
            raised: raise.get_untracked(),
            reason: text,
        });
    };
    view! {
        <form
            class="card form"
            aria-labelledby="override-title"
            on:submit=on_submit
            novalidate
        >
            <h2 id="override-title">"Override a flag"</h2>
            <p class="muted">
                "Clinical judgement beats the form: a raised flag counts whatever the answers say, "
                "a cleared one does not count. The patient's eligibility changes at once; the "
                "reason is kept with your name."
            </p>
            <FormAlert message=general_error(error, &["flag", "reason"]) />
            <DynamicSelectField label="Flag" name="flag" value=flag options error=flag_error />
            <fieldset>
                <legend>"Change"</legend>
                <label class="check">
                    <input
                        type="radio"
                        name="raised"
                        prop:checked=move || raise.get()
                        on:change=move |_| raise.set(true)
                    />
                    <span>"Raise the flag"</span>
                </label>
                <label class="check">
                    <input
                        type="radio"
                        name="raised"
                        prop:checked=move || !raise.get()
                        on:change=move |_| raise.set(false)
                    />
                    <span>"Clear the flag"</span>
                </label>
            </fieldset>
            <div class="field">
                <label for="f-reason">"Reason"</label>
                <textarea
                    id="f-reason"
                    name="reason"
                    rows="3"
                    maxlength=MAX_REASON_CHARS.to_string()
                    aria-describedby="f-reason-hint f-reason-error"
                    aria-invalid=move || reason_error.with(|e| e.is_some().then_some("true"))
                    prop:value=move || reason.get()
                    on:input:target=move |ev| reason.set(ev.target().value())
                ></textarea>
                <p class="hint" id="f-reason-hint">
                    "Shown to the patient's clinicians. At least 3 characters."
                </p>
                <p class="field-error" id="f-reason-error" role="alert">
                    {move || reason_error.get()}
                </p>
            </div>
            <p class="announcement" role="status">{move || announcement.get()}</p>
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else { "Save override" }}
                </button>
            </div>
        </form>
    }
}

/// "Raised “Takes anticoagulants”: it now counts (Active)."
fn saved_text(profile: &HealthProfile, input: &FlagOverrideInput) -> String {
    let change = if input.raised { "Raised" } else { "Cleared" };
    match profile.flags.iter().find(|f| f.code == input.flag) {
        Some(f) => {
            let (_, state, _) = flag_state(f);
            format!("{change} “{}”. Its state now: {state}.", f.label)
        }
        None => format!("{change} “{}”.", input.flag),
    }
}
