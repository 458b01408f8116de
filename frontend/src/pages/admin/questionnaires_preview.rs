//! The live preview of a questionnaire draft: its questions as the patient sees them. The
//! preview can be answered (nothing is saved), so the conditions on earlier answers can be
//! tried: a question whose condition does not hold is hidden, as it is for patients.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use leptos::prelude::*;
use rxgate_domain::questionnaire::{AnswerValue, QuestionKind};

use crate::pages::admin::questionnaires_editor::{Draft, QuestionDraft, option_pairs};
use crate::questionnaire::{self, visible_keys};

/// Preview answers by question key; every answer is text (`true`, option values, a number, a
/// date as `YYYY-MM-DD`). A multiple-choice answer has several values.
type Answers = HashMap<String, Vec<String>>;

/// The preview's answers as the domain takes them, read by the kind of the question answered.
/// Text that does not read as that kind (a number being typed, a question whose kind changed)
/// is no answer.
fn typed(rules: &questionnaire::Definition, answers: &Answers) -> questionnaire::Answers {
    answers
        .iter()
        .filter_map(|(key, texts)| {
            let first = texts.first();
            let value = match &rules.question(key)?.kind {
                QuestionKind::Boolean => AnswerValue::Bool(first? == "true"),
                QuestionKind::SingleChoice { .. } => AnswerValue::Choice(first?.clone()),
                QuestionKind::MultipleChoice { .. } => AnswerValue::Choices(texts.clone()),
                QuestionKind::Number { .. } => AnswerValue::Number(first?.trim().parse().ok()?),
                QuestionKind::Date => {
                    AnswerValue::Date(NaiveDate::parse_from_str(first?, "%Y-%m-%d").ok()?)
                }
                QuestionKind::FreeText { .. } => AnswerValue::Text(first?.clone()),
            };
            Some((key.clone(), value))
        })
        .collect()
}

#[component]
pub fn Preview(draft: Draft) -> impl IntoView {
    let answers = RwSignal::new(Answers::new());
    // The draft as it would be saved, shown by the domain's rule as the patient's page shows it.
    let rules =
        Memo::new(move |_| questionnaire::Definition::from(&draft.definition(&mut Vec::new())));
    let shown = Memo::new(move |_| {
        let keys = rules.with(|def| answers.with(|a| visible_keys(def, &typed(def, a))));
        draft.questions.with(|qs| {
            qs.iter()
                .filter(|q| q.key.with(|k| keys.contains(k.trim())))
                .map(|q| q.uid)
                .collect::<HashSet<u32>>()
        })
    });
    let hidden = move || {
        let total = draft.questions.with(Vec::len);
        total.saturating_sub(shown.with(HashSet::len))
    };
    view! {
        <aside class="card preview stack" aria-labelledby="preview-title">
            <div class="row-header">
                <h2 id="preview-title">"Preview"</h2>
                <button
                    class="button secondary small"
                    type="button"
                    on:click=move |_| answers.set(Answers::new())
                >
                    "Clear answers"
                </button>
            </div>
            <p class="hint">
                "As the patient sees it. Answer to try the conditions; nothing is saved."
            </p>
            <form class="form" aria-label="Preview of the questionnaire" on:submit=|ev| ev.prevent_default()>
                <For each=move || draft.questions.get() key=|q| q.uid let:question>
                    <Show when=move || shown.with(|s| s.contains(&question.uid))>
                        <PreviewQuestion question answers />
                    </Show>
                </For>
            </form>
            <p class="muted" aria-live="polite">
                {move || match hidden() {
                    0 => String::new(),
                    1 => "1 question is hidden by its condition.".to_owned(),
                    n => format!("{n} questions are hidden by their conditions."),
                }}
            </p>
        </aside>
    }
}

#[component]
fn PreviewQuestion(question: QuestionDraft, answers: RwSignal<Answers>) -> impl IntoView {
    let q = question;
    let name = format!("preview-{}", q.uid);
    // Trimmed, as the draft is saved.
    let key = move || q.key.with(|k| k.trim().to_owned());
    let label = move || {
        let label = q.label.get();
        let label = if label.trim().is_empty() {
            "(No question text yet)".to_owned()
        } else {
            label
        };
        if q.required.get() {
            label
        } else {
            format!("{label} (optional)")
        }
    };
    let help_id = format!("{name}-help");
    let help = {
        let help_id = help_id.clone();
        move || {
            let help = q.help.get();
            (!help.trim().is_empty())
                .then(|| view! { <p class="hint" id=help_id.clone()>{help}</p> })
        }
    };
    let set_one = move |value: String| {
        answers.update(|a| {
            a.insert(key(), vec![value]);
        });
    };
    let toggle = move |value: String, on: bool| {
        answers.update(|a| {
            let list = a.entry(key()).or_default();
            list.retain(|v| *v != value);
            if on {
                list.push(value);
            }
        });
    };
    let has = move |value: &str| {
        answers.with(|a| a.get(&key()).is_some_and(|v| v.iter().any(|x| x == value)))
    };
    let text = move || {
        answers.with(|a| {
            a.get(&key())
                .and_then(|v| v.first().cloned())
                .unwrap_or_default()
        })
    };

    let input = move || {
        let name = name.clone();
        let help_id = help_id.clone();
        match q.kind.get().as_str() {
            "boolean" | "single_choice" | "multiple_choice" => {
                let multiple = q.kind.get() == "multiple_choice";
                let choices = if q.kind.get() == "boolean" {
                    vec![
                        ("true".to_owned(), "Yes".to_owned()),
                        ("false".to_owned(), "No".to_owned()),
                    ]
                } else {
                    option_pairs(q)
                };
                let items = choices
                    .into_iter()
                    .map(|(value, text)| {
                        let checked_value = value.clone();
                        let name = name.clone();
                        view! {
                            <label class="check">
                                <input
                                    type=if multiple { "checkbox" } else { "radio" }
                                    name=name
                                    value=value.clone()
                                    prop:checked=move || has(&checked_value)
                                    on:change:target=move |ev| {
                                        if multiple {
                                            toggle(value.clone(), ev.target().checked());
                                        } else {
                                            set_one(value.clone());
                                        }
                                    }
                                />
                                <span>{text}</span>
                            </label>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset aria-describedby=help_id>
                        <legend>{label}</legend>
                        {help.clone()}
                        {items}
                    </fieldset>
                }
                .into_any()
            }
            "number" => {
                let unit = q.unit.get();
                view! {
                    <div class="field">
                        <label>
                            {label}
                            <span class="input-unit">
                                <input
                                    type="number"
                                    step="any"
                                    name=name
                                    min=q.min.get()
                                    max=q.max.get()
                                    aria-describedby=help_id
                                    prop:value=text
                                    on:input:target=move |ev| set_one(ev.target().value())
                                />
                                {(!unit.trim().is_empty()).then(|| view! { <span class="unit">{unit}</span> })}
                            </span>
                        </label>
                        {help.clone()}
                    </div>
                }
                .into_any()
            }
            "date" => view! {
                <div class="field">
                    <label>
                        {label}
                        <input
                            type="date"
                            name=name
                            aria-describedby=help_id
                            prop:value=text
                            on:input:target=move |ev| set_one(ev.target().value())
                        />
                    </label>
                    {help.clone()}
                </div>
            }
            .into_any(),
            _ => view! {
                <div class="field">
                    <label>
                        {label}
                        <textarea
                            name=name
                            rows="3"
                            maxlength=q.max_len.get()
                            aria-describedby=help_id
                            prop:value=text
                            on:input:target=move |ev| set_one(ev.target().value())
                        ></textarea>
                    </label>
                    {help.clone()}
                </div>
            }
            .into_any(),
        }
    };
    view! { <div class="preview-question">{input}</div> }
}
