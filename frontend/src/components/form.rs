//! Form building blocks: labelled fields whose error messages come from the API's problem
//! `errors` (matched by field name), and the general error area of a form.

use leptos::prelude::*;

use crate::api::ApiError;

/// The error of an action's last run, if it failed.
pub fn last_error<I, O>(action: Action<I, Result<O, ApiError>>) -> Memo<Option<ApiError>>
where
    I: 'static,
    O: Send + Sync + 'static,
{
    let value = action.value();
    Memo::new(move |_| value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

/// The message for the field `name` (the API's name, e.g. `doctor.licence_number`).
pub fn field_error(error: Memo<Option<ApiError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(name))))
}

/// What the form's general error area says: the problem's detail, unless every field it names
/// already shows its own message; messages about fields the form does not have are listed too.
pub fn general_error(
    error: Memo<Option<ApiError>>,
    fields: &'static [&'static str],
) -> Signal<Option<String>> {
    Signal::derive(move || {
        error.with(|e| {
            let e = e.as_ref()?;
            if e.is_about_fields(fields) {
                return None;
            }
            let mut text = e.to_string();
            if let ApiError::Problem(p) = e {
                for f in p
                    .errors
                    .iter()
                    .filter(|f| !fields.contains(&f.field.as_str()))
                {
                    text.push(' ');
                    text.push_str(&crate::messages::for_field(f));
                }
            }
            Some(text)
        })
    })
}

/// Turns an API field name into an element id (`doctor.licence_number` → `f-doctor-licence_number`).
fn field_id(name: &str) -> String {
    format!("f-{}", name.replace(['.', '[', ']'], "-"))
}

/// A labelled input. The label is its accessible name; the hint and the error message are tied
/// to it with `aria-describedby`, and an error marks it `aria-invalid`.
#[component]
pub fn TextField(
    /// The visible label.
    label: &'static str,
    /// The API's name of the field; also the input's `name`.
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    /// The input's `type`.
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] minlength: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] list: Option<&'static str>,
    /// The on-screen keyboard to offer, e.g. `numeric`.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<&'static str>,
    /// To move the focus to the input.
    #[prop(optional)]
    input_ref: Option<NodeRef<leptos::html::Input>>,
) -> impl IntoView {
    let id = field_id(name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    // The browser's own check (required, email, length) speaks with the app's words: its
    // pop-up is cancelled and the message shows where the server's would.
    let (checked, set_checked) = signal(None::<String>);
    let error = Signal::derive(move || checked.get().or_else(|| error.get()));
    view! {
        <div class="field">
            <label>
                {label}
                <input
                    id=id
                    type=kind
                    on:invalid:target=move |ev| {
                        ev.prevent_default();
                        set_checked.set(crate::messages::for_validity(&ev.target()));
                    }
                    name=name
                    required=required
                    minlength=minlength
                    autocomplete=autocomplete
                    placeholder=placeholder
                    list=list
                    inputmode=inputmode
                    maxlength=maxlength
                    node_ref=input_ref.unwrap_or_default()
                    aria-describedby=described_by
                    aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                    prop:value=value
                    on:input:target=move |ev| {
                        set_checked.set(None);
                        value.set(ev.target().value());
                    }
                />
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled drop-down list of `options` (`(value, label)` pairs).
#[component]
pub fn SelectField(
    label: &'static str,
    /// The API's name of the field; also the select's `name`.
    name: &'static str,
    value: RwSignal<String>,
    options: &'static [(&'static str, &'static str)],
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field">
            <label>
                {label}
                <select
                    id=id
                    name=name
                    aria-describedby=described_by
                    aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                    on:change:target=move |ev| value.set(ev.target().value())
                >
                    {options
                        .iter()
                        .map(|(v, text)| {
                            view! {
                                <option value=*v prop:selected=move || value.with(|c| c == v)>
                                    {*text}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled drop-down list whose `(value, label)` options change over time (e.g. loaded from
/// the API).
#[component]
pub fn DynamicSelectField(
    label: &'static str,
    /// The API's name of the field; also the select's `name`.
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field">
            <label>
                {label}
                <select
                    id=id
                    name=name
                    aria-describedby=described_by
                    aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                    on:change:target=move |ev| value.set(ev.target().value())
                >
                    {move || {
                        options
                            .get()
                            .into_iter()
                            .map(|(v, text)| {
                                let selected = v.clone();
                                view! {
                                    <option
                                        value=v
                                        prop:selected=move || value.with(|c| *c == selected)
                                    >
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A field that never shows an error (filters, choices the API does not check).
pub fn no_error() -> Signal<Option<String>> {
    Signal::derive(|| None)
}

/// A labelled checkbox.
#[component]
pub fn CheckField(
    label: &'static str,
    name: &'static str,
    checked: RwSignal<bool>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let (problem, set_problem) = signal(None::<String>);
    view! {
        <label class="check">
            <input
                type="checkbox"
                name=name
                required=required
                aria-invalid=move || problem.with(|p| p.is_some().then_some("true"))
                prop:checked=checked
                on:invalid:target=move |ev| {
                    ev.prevent_default();
                    set_problem.set(crate::messages::for_validity(&ev.target()));
                }
                on:change:target=move |ev| {
                    set_problem.set(None);
                    checked.set(ev.target().checked());
                }
            />
            <span>{label}</span>
        </label>
        {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
    }
}

/// The general error area of a form. The live region is always present, so screen readers
/// announce a message as soon as it appears.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="form-alert" role="alert">
            {move || message.get().map(|m| view! { <p class="notice notice-error">{m}</p> })}
        </div>
    }
}

/// An address (slug) or code suggested for a name: lower-case ASCII letters and digits with
/// single `sep`s between words, at most `max` long ("Sunny Side Clinic" → `sunny-side-clinic`).
pub fn suggest_slug(name: &str, sep: char, max: usize) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with(sep) {
            slug.push(sep);
        }
    }
    slug.truncate(max);
    slug.trim_end_matches(sep).to_owned()
}

/// Keeps `target` filled with `suggest(source)` as `source` is typed, until someone edits
/// `target` by hand (a code or address suggested from a name).
pub fn follow_until_edited(
    source: RwSignal<String>,
    target: RwSignal<String>,
    suggest: fn(&str) -> String,
) {
    Effect::new(move |last: Option<String>| {
        let suggestion = suggest(&source.get());
        if target.get_untracked() == last.unwrap_or_default() {
            target.set(suggestion.clone());
        }
        suggestion
    });
}

/// A labelled multi-line field; like `TextField`, its hint and error are tied to it.
#[component]
pub fn TextAreaField(
    label: &'static str,
    /// The API's name of the field; also the element's `name`.
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let id = field_id(name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field">
            <label>
                {label}
                <textarea
                    id=id
                    name=name
                    rows=rows
                    required=required
                    maxlength=maxlength
                    aria-describedby=described_by
                    aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                    prop:value=value
                    on:input:target=move |ev| value.set(ev.target().value())
                ></textarea>
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled input of a repeated row (a variant, a question), whose label and id are made at
/// run time: `id` must be unique on the page.
#[component]
pub fn RowField(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] id: String,
    value: RwSignal<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    // The browser's own check (required, email, length) speaks with the app's words: its
    // pop-up is cancelled and the message shows where the server's would.
    let (checked, set_checked) = signal(None::<String>);
    let error = Signal::derive(move || checked.get().or_else(|| error.get()));
    view! {
        <div class="field">
            <label>
                {label}
                <input
                    id=id
                    type=kind
                    on:invalid:target=move |ev| {
                        ev.prevent_default();
                        set_checked.set(crate::messages::for_validity(&ev.target()));
                    }
                    inputmode=inputmode
                    required=required
                    autocomplete="off"
                    aria-describedby=described_by
                    aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                    prop:value=value
                    on:input:target=move |ev| value.set(ev.target().value())
                />
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled drop-down list of a repeated row, with a label and id made at run time.
#[component]
pub fn RowSelect(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] id: String,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into, optional)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label>
                {label}
                <select
                    id=id
                    aria-describedby=error_id.clone()
                    aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                    on:change:target=move |ev| value.set(ev.target().value())
                >
                    {move || {
                        options
                            .get()
                            .into_iter()
                            .map(|(v, text)| {
                                let selected = v.clone();
                                view! {
                                    <option
                                        value=v
                                        prop:selected=move || value.with(|c| *c == selected)
                                    >
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}
