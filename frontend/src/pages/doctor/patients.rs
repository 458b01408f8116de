//! "My patients": the doctor's patients by name, found by part of the name or email address,
//! with the flags that count for each and when they last answered the questionnaire.

use leptos::prelude::*;
use rxgate_api_types::CursorPage;
use rxgate_api_types::health::{DoctorPatient, DoctorPatientQuery};

use super::{ChartLink, FlagNames, named_flags};
use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{FormAlert, TextField, general_error, last_error, no_error};
use crate::components::health_profile::FlagChips;
use crate::components::load_more::LoadMore;
use crate::components::skeleton::Skeleton;
use crate::format;

const PAGE_SIZE: u32 = 50;

#[component]
pub fn MyPatients() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let names: FlagNames = LocalResource::new(api::flags);
    let query = move |cursor: Option<String>| DoctorPatientQuery {
        q: Some(search.get_untracked().trim().to_owned()).filter(|q| !q.is_empty()),
        cursor,
        limit: Some(PAGE_SIZE),
    };
    let first_page = LocalResource::new(move || {
        search.track();
        let q = query(None);
        async move { api::doctor_patients(&q).await }
    });
    let more = RwSignal::new(Vec::<DoctorPatient>::new());
    let more_cursor = RwSignal::new(None::<Option<String>>);
    let generation = StoredValue::new(0_u64);
    let load_more = Action::new_local(move |cursor: &String| {
        let q = query(Some(cursor.clone()));
        let started = generation.get_value();
        async move {
            let page = api::doctor_patients(&q).await?;
            if generation.get_value() == started {
                more.update(|items| items.extend(page.items));
                more_cursor.set(Some(page.next_cursor));
            }
            Ok::<_, ApiError>(())
        }
    });
    let load_more_error = last_error(load_more);
    Effect::watch(
        move || search.get(),
        move |_, _, _| {
            generation.update_value(|g| *g += 1);
            more.set(Vec::new());
            more_cursor.set(None);
            load_more.value().set(None);
        },
        false,
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
            <Transition fallback=|| view! { <Skeleton lines=6 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        first_page
                            .await
                            .map(|page| {
                                view! { <PatientList first=page more more_cursor load_more names /> }
                            })
                    })}
                </ErrorBoundary>
            </Transition>
            <FormAlert message=general_error(load_more_error, &[]) />
        </section>
    }
}

#[component]
fn PatientList(
    first: CursorPage<DoctorPatient>,
    more: RwSignal<Vec<DoctorPatient>>,
    more_cursor: RwSignal<Option<Option<String>>>,
    load_more: Action<String, Result<(), ApiError>>,
    names: FlagNames,
) -> impl IntoView {
    if first.items.is_empty() {
        return view! { <p class="empty">"No patients match."</p> }.into_any();
    }
    let first_cursor = first.next_cursor.clone();
    let next_cursor = move || more_cursor.get().unwrap_or_else(|| first_cursor.clone());
    view! {
        <ul class="item-list card" aria-label="Patients">
            {first
                .items
                .into_iter()
                .map(|patient| view! { <PatientItem patient names /> })
                .collect_view()}
            {move || {
                more.get()
                    .into_iter()
                    .map(|patient| view! { <PatientItem patient names /> })
                    .collect_view()
            }}
        </ul>
        {move || {
            next_cursor()
                .map(|cursor| {
                    view! {
                        <div class="form-actions">
                            <LoadMore cursor action=load_more />
                        </div>
                    }
                })
        }}
    }
    .into_any()
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
