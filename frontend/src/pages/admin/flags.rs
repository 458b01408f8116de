//! Flags (platform admins): the health flags questionnaire answers raise and contraindication
//! rules use, and a form to add one.

use leptos::prelude::*;
use rxgate_api_types::catalogue::{FlagView, NewFlag};

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::TextAreaField;
use crate::components::form::{
    FormAlert, TextField, field_error, follow_until_edited, general_error, last_error, suggest_slug,
};
use crate::components::skeleton::Skeleton;

const FIELDS: &[&str] = &["code", "label", "description"];

/// A flag code suggested for `label`: a letter first, then lower-case letters, digits and
/// single underscores ("Takes anticoagulants" → `takes_anticoagulants`).
fn suggest_code(label: &str) -> String {
    suggest_slug(
        label.trim_start_matches(|c: char| !c.is_ascii_alphabetic()),
        '_',
        64,
    )
}

#[component]
pub fn Flags() -> impl IntoView {
    let reload = RwSignal::new(0_u32);
    let flags = LocalResource::new(move || {
        reload.get();
        api::flags()
    });
    view! {
        <section class="page">
            <h1>"Flags"</h1>
            <p class="muted">
                "Flags describe a patient's health: questionnaire answers raise them, doctors can "
                "raise or clear them, and contraindication rules act on them."
            </p>
            <NewFlagForm reload />
            <div class="stack" aria-labelledby="flags-title">
                <h2 id="flags-title">"All flags"</h2>
                <Transition fallback=|| view! { <Skeleton lines=5 /> }>
                    <ErrorBoundary fallback=error_fallback>
                        {move || Suspend::new(async move {
                            flags.await.map(|list| view! { <FlagTable list /> })
                        })}
                    </ErrorBoundary>
                </Transition>
            </div>
        </section>
    }
}

#[component]
fn NewFlagForm(reload: RwSignal<u32>) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let created = RwSignal::new(None::<String>);
    follow_until_edited(label, code, suggest_code);
    let create = Action::new_local(move |body: &NewFlag| {
        let body = body.clone();
        async move {
            let flag: FlagView = api::create_flag(&body).await?;
            created.set(Some(format!(
                "Added the flag {} ({}).",
                flag.label, flag.code
            )));
            label.set(String::new());
            code.set(String::new());
            description.set(String::new());
            reload.update(|n| *n += 1);
            Ok::<_, ApiError>(())
        }
    });
    let pending = create.pending();
    let error = last_error(create);
    // A taken code is a field error too (the API names the field of a conflict).
    let code_error = field_error(error, "code");
    let general = general_error(error, FIELDS);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        created.set(None);
        create.dispatch(NewFlag {
            code: code.get_untracked().trim().to_owned(),
            label: label.get_untracked().trim().to_owned(),
            description: description.get_untracked().trim().to_owned(),
        });
    };
    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="new-flag-title">
            <h2 id="new-flag-title">"Add a flag"</h2>
            <FormAlert message=general />
            <TextField
                label="Label"
                name="label"
                hint="What clinicians read, e.g. Takes anticoagulants."
                required=true
                maxlength="120"
                value=label
                error=field_error(error, "label")
            />
            <TextField
                label="Code"
                name="code"
                hint="Used by mappings and rules: a lower-case letter, then lower-case letters, digits or _. Suggested from the label."
                required=true
                maxlength="64"
                value=code
                error=code_error
            />
            <TextAreaField
                label="Description"
                name="description"
                maxlength="2000"
                rows=3
                value=description
                error=field_error(error, "description")
            />
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Adding…" } else { "Add flag" }}
                </button>
            </div>
            <p class="announcement" role="status">{move || created.get()}</p>
        </form>
    }
}

#[component]
fn FlagTable(list: Vec<FlagView>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"No flags yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Flags">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">"Label"</th>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Description"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|f| {
                            view! {
                                <tr>
                                    <td>{f.label}</td>
                                    <td>
                                        <code>{f.code}</code>
                                    </td>
                                    <td class="wrap">{f.description}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
