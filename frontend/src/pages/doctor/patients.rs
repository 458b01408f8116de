//! "My patients": the doctor's patients by name, found by part of the name or email address,
//! with the flags that count for each and when they last answered the questionnaire.

use leptos::prelude::*;
use rxgate_api_types::health::{DoctorPatient, DoctorPatientQuery};

use super::{ChartLink, FlagNames, named_flags};
use crate::api;
use crate::components::form::{TextField, no_error};
use crate::components::health_profile::FlagChips;
use crate::components::paged::{Layout, paged_view, use_paged};
use crate::format;

const PAGE_SIZE: u32 = 50;

#[component]
pub fn MyPatients() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let names: FlagNames = LocalResource::new(api::flags);
    let paged = use_paged(
        move || DoctorPatientQuery {
            q: Some(search.get().trim().to_owned()).filter(|q| !q.is_empty()),
            cursor: None,
            limit: Some(PAGE_SIZE),
        },
        |query, cursor| async move {
            api::doctor_patients(&DoctorPatientQuery { cursor, ..query }).await
        },
    );
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        search.set(typed.get_untracked());
    };
    view! {
        <section class="page wide">
            <h1>"My patients"</h1>
            <p class="muted">
                "Patients connected to you, with the flags that count for them now. Open a chart "
                "to see their answers and to raise or clear a flag."
            </p>
            <form class="card form filters" aria-label="Find patients" on:submit=on_search>
                <TextField
                    label="Search"
                    name="q"
                    kind="search"
                    autocomplete="off"
                    hint="Part of a name or email address."
                    value=typed
                    error=no_error()
                />
                <div class="form-actions">
                    <button class="button" type="submit">"Search"</button>
                </div>
            </form>
            {paged_view(
                paged,
                Layout::List { label: "Patients" },
                "No patients match.",
                move |patient| view! { <PatientItem patient names /> },
            )}
        </section>
    }
}

#[component]
fn PatientItem(patient: DoctorPatient, names: FlagNames) -> impl IntoView {
    let answered = patient.questionnaire_submitted_at.as_ref().map_or_else(
        || "Has not answered the questionnaire".to_owned(),
        |at| format!("Questionnaire answered {}", format::date_time(at)),
    );
    let codes = patient.flags.clone();
    let label = format!("Flags of {}", patient.name);
    view! {
        <li class="item">
            <div class="item-main">
                <p class="item-title">
                    <ChartLink id=patient.patient_id.to_string() name=patient.name.clone() />
                </p>
                <p class="muted">{patient.email.clone()} " · " {answered}</p>
                {move || view! { <FlagChips flags=named_flags(&codes, names) label=label.clone() /> }}
            </div>
        </li>
    }
}
