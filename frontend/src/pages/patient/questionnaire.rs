//! "My health": the medical questionnaire. Every kind of question the definition may hold,
//! questions that show or hide as earlier answers change, progress as the patient goes, saving
//! to come back later, per-question messages from the server, and the health profile once the
//! answers are submitted.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::health::{
    AnswerValue, AnswersInput, ChoiceOption, HealthProfile, Question, QuestionKind,
    QuestionnaireForPatient,
};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::FormAlert;
use crate::components::health_profile::HealthProfileView;
use crate::components::skeleton::Skeleton;
use crate::questionnaire::{self, visible_keys};
use crate::routes::Page;

type Answers = BTreeMap<String, AnswerValue>;

/// Empty text and an empty list of choices count as no answer: the domain's rule, as the
/// server counts them.
fn is_empty(answer: &AnswerValue) -> bool {
    rxgate_domain::questionnaire::AnswerValue::from(answer).is_empty()
}

/// What is sent: the answers to the questions shown, leaving out empty ones.
fn answers_to_send(rules: &questionnaire::Definition, answers: &Answers) -> Answers {
    let visible = visible_keys(rules, &questionnaire::answers_to_domain(answers));
    answers
        .iter()
        .filter(|(key, value)| visible.contains(*key) && !is_empty(value))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The per-question messages of a validation problem (`answers.<key>`), by question key.
fn answer_errors(error: &ApiError) -> BTreeMap<String, String> {
    match error {
        ApiError::Problem(p) => p
            .errors
            .iter()
            .filter_map(|e| {
                e.field
                    .strip_prefix("answers.")
                    .map(|key| (key.to_owned(), e.message.clone()))
            })
            .collect(),
        ApiError::Network(_) | ApiError::Browser(_) => BTreeMap::new(),
    }
}

/// Today in the browser's calendar, as `YYYY-MM-DD` (the latest date of birth one can give).
fn today_iso() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// A number for an input's value: no trailing `.0` for whole numbers.
fn number_text(n: f64) -> String {
    let text = n.to_string();
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

/// Whether a number box holds something that is not a number (it then reads as empty).
fn bad_input(input: &web_sys::HtmlInputElement) -> bool {
    js_sys::Reflect::get(input, &"validity".into())
        .and_then(|validity| js_sys::Reflect::get(&validity, &"badInput".into()))
        .is_ok_and(|bad| bad.is_truthy())
}

/// Moves the focus to the first question with a message, so keyboard and screen-reader users
/// land where the problem is.
fn focus_first_error(keys: &[String]) {
    request_animation_frame({
        let keys = keys.to_vec();
        move || {
            for key in keys {
                let selector = format!("#q-{key} input, #q-{key} textarea");
                let found = document().query_selector(&selector).ok().flatten();
                if let Some(el) = found.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = el.focus();
                    return;
                }
            }
        }
    });
}

#[component]
pub fn Questionnaire() -> impl IntoView {
    let reload = RwSignal::new(0_u32);
    let form = LocalResource::new(move || {
        reload.get();
        api::my_questionnaire()
    });
    // The profile the last submission produced: shown instead of the form.
    let submitted = RwSignal::new(None::<HealthProfile>);
    let answer_again = move |_| {
        submitted.set(None);
        reload.update(|n| *n += 1);
    };
    view! {
        <section class="page">
            <h1>"My health"</h1>
            {move || match submitted.get() {
                Some(profile) => {
                    view! {
                        <div class="notice notice-ok" role="status">
                            <p>
                                "Thank you: your answers are saved in your health profile. The shop "
                                "now shows which medicines suit you."
                            </p>
                        </div>
                        <div class="form-actions">
                            <A href=Page::PatientShop.path() attr:class="button">"Go to the shop"</A>
                            <button class="button secondary" type="button" on:click=answer_again>
                                "Change my answers"
                            </button>
                        </div>
                        <HealthProfileView profile whose="your" />
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <Transition fallback=|| view! { <Skeleton lines=10 /> }>
                            <ErrorBoundary fallback=error_fallback>
                                {move || Suspend::new(async move {
                                    form.await
                                        .map(|q| view! { <QuestionnaireForm q submitted reload /> })
                                })}
                            </ErrorBoundary>
                        </Transition>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// What every question shares: the answers so far, the messages by question, and which
/// questions are shown.
#[derive(Clone, Copy)]
struct FormState {
    answers: RwSignal<Answers>,
    errors: RwSignal<BTreeMap<String, String>>,
    visible: Memo<BTreeSet<String>>,
}

impl FormState {
    fn set(self, key: &str, value: Option<AnswerValue>) {
        self.answers.update(|a| match value {
            Some(v) => {
                a.insert(key.to_owned(), v);
            }
            None => {
                a.remove(key);
            }
        });
        // A changed answer is a new answer: its old message no longer applies.
        if self.errors.with_untracked(|e| e.contains_key(key)) {
            self.errors.update(|e| {
                e.remove(key);
            });
        }
    }

    fn error(self, key: String) -> Signal<Option<String>> {
        Signal::derive(move || self.errors.with(|e| e.get(&key).cloned()))
    }
}

#[component]
fn QuestionnaireForm(
    q: QuestionnaireForPatient,
    submitted: RwSignal<Option<HealthProfile>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let version_id = q.version_id;
    let definition = StoredValue::new(q.definition.clone());
    // The same definition for the domain's rules: which questions show, and progress.
    let rules = StoredValue::new(questionnaire::Definition::from(&q.definition));
    let answers = RwSignal::new(q.answers.clone());
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let domain_answers = Memo::new(move |_| answers.with(questionnaire::answers_to_domain));
    let visible =
        Memo::new(move |_| domain_answers.with(|a| rules.with_value(|d| visible_keys(d, a))));
    let state = FormState {
        answers,
        errors,
        visible,
    };
    let progress = Memo::new(move |_| {
        domain_answers.with(|a| rules.with_value(|d| questionnaire::progress(d, a)))
    });
    let announcement = RwSignal::new(None::<String>);
    // The last failure of saving or submitting.
    let failure = RwSignal::new(None::<ApiError>);
    let payload = move || AnswersInput {
        version_id,
        answers: answers.with_untracked(|a| rules.with_value(|d| answers_to_send(d, a))),
    };
    let failed = move |e: ApiError| {
        let by_question = answer_errors(&e);
        let order: Vec<String> = definition.with_value(|d| {
            d.questions
                .iter()
                .filter(|q| by_question.contains_key(&q.key))
                .map(|q| q.key.clone())
                .collect()
        });
        focus_first_error(&order);
        errors.set(by_question);
        failure.set(Some(e));
    };
    let save = Action::new_local(move |input: &AnswersInput| {
        let input = input.clone();
        async move {
            match api::save_questionnaire(&input).await {
                Ok(p) => {
                    announcement.set(Some(format!(
                        "Saved: {} of {} answered. You can come back to finish later.",
                        p.answered, p.visible
                    )));
                }
                Err(e) => failed(e),
            }
        }
    });
    let submit = Action::new_local(move |input: &AnswersInput| {
        let input = input.clone();
        async move {
            match api::submit_questionnaire(&input).await {
                Ok(profile) => submitted.set(Some(profile)),
                Err(e) => failed(e),
            }
        }
    });
    let saving = save.pending();
    let submitting = submit.pending();
    let busy = move || saving.get() || submitting.get();
    let start = move || {
        announcement.set(None);
        failure.set(None);
    };
    let on_save = move |_| {
        start();
        save.dispatch(payload());
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        start();
        submit.dispatch(payload());
    };
    let retired =
        move || failure.with(|f| f.as_ref().and_then(ApiError::code) == Some("VERSION_RETIRED"));
    let general = Signal::derive(move || {
        failure.with(|f| {
            let e = f.as_ref()?;
            if e.code() == Some("VERSION_RETIRED") {
                return None;
            }
            let by_question = answer_errors(e);
            match e {
                ApiError::Problem(p) if !p.errors.is_empty() && by_question.len() == p.errors.len() => {
                    Some(match by_question.len() {
                        1 => "One answer needs your attention: see the message next to the question."
                            .to_owned(),
                        n => format!(
                            "{n} answers need your attention: see the messages next to the questions."
                        ),
                    })
                }
                other => Some(other.to_string()),
            }
        })
    });
    let intro = match q.state.as_str() {
        "submitted" => {
            "These are the answers you last submitted. Change what is no longer true and submit \
             again: the shop follows at once."
        }
        "in_progress" => {
            "Welcome back: your saved answers are filled in. Carry on where you left off."
        }
        _ => {
            "Your answers tell us which medicines are safe for you. They are kept encrypted and \
             only your doctors see them."
        }
    };
    let questions = q
        .definition
        .questions
        .into_iter()
        .map(|question| view! { <QuestionBlock question state /> })
        .collect_view();

    view! {
        <p class="lead">{intro}</p>
        <div class="card progress-card">
            <p id="questionnaire-progress" data-testid="questionnaire-progress">
                {move || {
                    let (answered, shown) = progress.get();
                    format!("{answered} of {shown} answered")
                }}
            </p>
            <progress
                aria-labelledby="questionnaire-progress"
                max=move || progress.get().1.max(1)
                value=move || progress.get().0
            ></progress>
        </div>
        <form class="form questionnaire" aria-label=q.name.clone() on:submit=on_submit novalidate>
            {questions}
            <FormAlert message=general />
            {move || {
                retired()
                    .then(|| {
                        view! {
                            <div class="notice notice-warn" role="alert">
                                <p>
                                    "This questionnaire was updated while you were answering. Load "
                                    "the new version to carry on; answers to questions it still asks are kept."
                                </p>
                                <button
                                    class="button secondary"
                                    type="button"
                                    on:click=move |_| reload.update(|n| *n += 1)
                                >
                                    "Load the new version"
                                </button>
                            </div>
                        }
                    })
            }}
            <p class="announcement" role="status">{move || announcement.get()}</p>
            <div class="form-actions">
                <button class="button" type="submit" disabled=busy>
                    {move || if submitting.get() { "Submitting…" } else { "Submit" }}
                </button>
                <button class="button secondary" type="button" disabled=busy on:click=on_save>
                    {move || if saving.get() { "Saving…" } else { "Save and continue later" }}
                </button>
            </div>
        </form>
    }
}

/// One question, shown while its condition holds. Hidden questions keep their answers in
/// memory (to come back if the condition holds again) but they are not sent.
#[component]
fn QuestionBlock(question: Question, state: FormState) -> impl IntoView {
    let key = question.key.clone();
    let shown = move || state.visible.with(|v| v.contains(&key));
    let question = StoredValue::new(question);
    view! {
        <Show when=shown>
            {move || {
                let question = question.get_value();
                match question.kind.clone() {
                    QuestionKind::Boolean => {
                        let options = vec![
                            ("Yes".to_owned(), AnswerValue::Bool(true)),
                            ("No".to_owned(), AnswerValue::Bool(false)),
                        ];
                        view! { <RadioQuestion question options state /> }.into_any()
                    }
                    QuestionKind::SingleChoice { options } => {
                        let options = options
                            .into_iter()
                            .map(|o| (o.label, AnswerValue::Choice(o.value)))
                            .collect();
                        view! { <RadioQuestion question options state /> }.into_any()
                    }
                    QuestionKind::MultipleChoice { options } => {
                        view! { <CheckboxQuestion question options state /> }.into_any()
                    }
                    QuestionKind::Number { unit, min, max } => {
                        view! { <NumberQuestion question unit min max state /> }.into_any()
                    }
                    QuestionKind::Date => view! { <DateQuestion question state /> }.into_any(),
                    QuestionKind::FreeText { max_len } => {
                        view! { <TextQuestion question max_len state /> }.into_any()
                    }
                }
            }}
        </Show>
    }
}

/// The label of a question, marking the optional ones.
fn title(question: &Question) -> String {
    if question.required {
        question.label.clone()
    } else {
        format!("{} (optional)", question.label)
    }
}

/// Ids of a question's container, input, hint and message.
struct Ids {
    container: String,
    input: String,
    hint: String,
    error: String,
}

impl Ids {
    fn of(key: &str) -> Self {
        Self {
            container: format!("q-{key}"),
            input: format!("q-{key}-input"),
            hint: format!("q-{key}-hint"),
            error: format!("q-{key}-error"),
        }
    }

    fn described_by(&self, has_hint: bool) -> String {
        if has_hint {
            format!("{} {}", self.hint, self.error)
        } else {
            self.error.clone()
        }
    }
}

fn hint_view(id: String, text: Option<String>) -> impl IntoView {
    text.filter(|t| !t.is_empty())
        .map(|t| view! { <p class="hint" id=id>{t}</p> })
}

fn error_view(id: String, error: Signal<Option<String>>) -> impl IntoView {
    view! { <p class="field-error" id=id role="alert">{move || error.get()}</p> }
}

/// Yes/No and single-choice questions: one radio button per option.
#[component]
fn RadioQuestion(
    question: Question,
    options: Vec<(String, AnswerValue)>,
    state: FormState,
) -> impl IntoView {
    let ids = Ids::of(&question.key);
    let key = question.key.clone();
    let error = state.error(key.clone());
    let described_by = ids.described_by(question.help.is_some());
    let radios = options
        .into_iter()
        .map(|(text, value)| {
            let (k1, k2) = (key.clone(), key.clone());
            let (v1, v2) = (value.clone(), value);
            view! {
                <label class="check">
                    <input
                        type="radio"
                        name=format!("q-{key}")
                        prop:checked=move || state.answers.with(|a| a.get(&k1) == Some(&v1))
                        on:change=move |_| state.set(&k2, Some(v2.clone()))
                    />
                    <span>{text}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="question"
            id=ids.container
            aria-describedby=described_by
            data-invalid=move || error.with(|e| e.is_some().then_some("true"))
        >
            <legend>{title(&question)}</legend>
            {hint_view(ids.hint, question.help.clone())}
            <div class="choices">{radios}</div>
            {error_view(ids.error, error)}
        </fieldset>
    }
}

/// Multiple choice: one checkbox per option; the answer lists the chosen ones in the order
/// the options are given.
#[component]
fn CheckboxQuestion(
    question: Question,
    options: Vec<ChoiceOption>,
    state: FormState,
) -> impl IntoView {
    let ids = Ids::of(&question.key);
    let key = question.key.clone();
    let error = state.error(key.clone());
    let described_by = ids.described_by(question.help.is_some());
    let all: Vec<String> = options.iter().map(|o| o.value.clone()).collect();
    let boxes = options
        .into_iter()
        .map(|option| {
            let (k1, k2) = (key.clone(), key.clone());
            let (value1, value2) = (option.value.clone(), option.value);
            let all = all.clone();
            let chosen = move || {
                state.answers.with(|a| match a.get(&k1) {
                    Some(AnswerValue::Choices(list)) => list.contains(&value1),
                    _ => false,
                })
            };
            let toggle = move |on: bool| {
                let mut current: Vec<String> = state.answers.with_untracked(|a| match a.get(&k2) {
                    Some(AnswerValue::Choices(list)) => list.clone(),
                    _ => Vec::new(),
                });
                current.retain(|v| *v != value2);
                if on {
                    current.push(value2.clone());
                }
                let ordered: Vec<String> = all
                    .iter()
                    .filter(|v| current.contains(v))
                    .cloned()
                    .collect();
                let answer = (!ordered.is_empty()).then_some(AnswerValue::Choices(ordered));
                state.set(&k2, answer);
            };
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name=format!("q-{key}")
                        prop:checked=chosen
                        on:change:target=move |ev| toggle(ev.target().checked())
                    />
                    <span>{option.label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="question"
            id=ids.container
            aria-describedby=described_by
            data-invalid=move || error.with(|e| e.is_some().then_some("true"))
        >
            <legend>{title(&question)}</legend>
            {hint_view(ids.hint, Some(question.help.clone().unwrap_or_else(|| "Choose all that apply.".to_owned())))}
            <div class="choices">{boxes}</div>
            {error_view(ids.error, error)}
        </fieldset>
    }
}

/// A number, with its unit next to the box and its range in the hint.
#[component]
fn NumberQuestion(
    question: Question,
    unit: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    state: FormState,
) -> impl IntoView {
    let ids = Ids::of(&question.key);
    let key = question.key.clone();
    let error = state.error(key.clone());
    let unit_text = unit.clone().map(|u| format!(" {u}")).unwrap_or_default();
    let range = match (min, max) {
        (Some(lo), Some(hi)) => Some(format!(
            "Between {} and {}{unit_text}.",
            number_text(lo),
            number_text(hi)
        )),
        (Some(lo), None) => Some(format!("At least {}{unit_text}.", number_text(lo))),
        (None, Some(hi)) => Some(format!("At most {}{unit_text}.", number_text(hi))),
        (None, None) => unit.clone().map(|u| format!("In {u}.")),
    };
    let hint = [question.help.clone(), range]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let has_hint = !hint.is_empty();
    let initial = state.answers.with_untracked(|a| match a.get(&key) {
        Some(AnswerValue::Number(n)) => number_text(*n),
        _ => String::new(),
    });
    let described_by = ids.described_by(has_hint);
    let on_input = move |input: web_sys::HtmlInputElement| {
        let text = input.value();
        let text = text.trim();
        // A box of type number reads as empty while what is typed is not a number.
        if text.is_empty() && !bad_input(&input) {
            state.set(&key, None);
        } else if let Ok(n) = text.parse::<f64>() {
            state.set(&key, Some(AnswerValue::Number(n)));
        } else {
            state.set(&key, None);
            state.errors.update(|e| {
                e.insert(key.clone(), "Please enter a number.".to_owned());
            });
        }
    };
    view! {
        <div class="field question" id=ids.container>
            <label for=ids.input.clone()>{title(&question)}</label>
            <div class="input-unit">
                <input
                    id=ids.input
                    type="number"
                    inputmode="decimal"
                    step="any"
                    min=min.map(number_text)
                    max=max.map(number_text)
                    prop:value=initial
                    aria-describedby=described_by
                    aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                    on:input:target=move |ev| on_input(ev.target())
                />
                {unit.map(|u| view! { <span class="unit" aria-hidden="true">{u}</span> })}
            </div>
            {hint_view(ids.hint, Some(hint))}
            {error_view(ids.error, error)}
        </div>
    }
}

#[component]
fn DateQuestion(question: Question, state: FormState) -> impl IntoView {
    let ids = Ids::of(&question.key);
    let key = question.key.clone();
    let error = state.error(key.clone());
    let initial = state.answers.with_untracked(|a| match a.get(&key) {
        Some(AnswerValue::Date(d)) => d.format("%Y-%m-%d").to_string(),
        _ => String::new(),
    });
    let described_by = ids.described_by(question.help.is_some());
    let on_input = move |text: String| {
        let value = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
        state.set(&key, value.map(AnswerValue::Date));
    };
    view! {
        <div class="field question" id=ids.container>
            <label for=ids.input.clone()>{title(&question)}</label>
            <input
                id=ids.input
                type="date"
                max=today_iso()
                prop:value=initial
                aria-describedby=described_by
                aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                on:input:target=move |ev| on_input(ev.target().value())
            />
            {hint_view(ids.hint, question.help.clone())}
            {error_view(ids.error, error)}
        </div>
    }
}

#[component]
fn TextQuestion(question: Question, max_len: u32, state: FormState) -> impl IntoView {
    let ids = Ids::of(&question.key);
    let key = question.key.clone();
    let error = state.error(key.clone());
    let initial = state.answers.with_untracked(|a| match a.get(&key) {
        Some(AnswerValue::Text(t)) => t.clone(),
        _ => String::new(),
    });
    let length = RwSignal::new(initial.chars().count());
    let described_by = ids.described_by(true);
    let hint = [
        question.help.clone(),
        Some(format!("Up to {max_len} characters.")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let on_input = move |text: String| {
        length.set(text.chars().count());
        let answer = (!text.trim().is_empty()).then_some(AnswerValue::Text(text));
        state.set(&key, answer);
    };
    view! {
        <div class="field question" id=ids.container>
            <label for=ids.input.clone()>{title(&question)}</label>
            <textarea
                id=ids.input
                rows="4"
                maxlength=max_len.to_string()
                prop:value=initial
                aria-describedby=described_by
                aria-invalid=move || error.with(|e| e.is_some().then_some("true"))
                on:input:target=move |ev| on_input(ev.target().value())
            ></textarea>
            <p class="hint" id=ids.hint>
                {hint} " "
                <span aria-live="polite">{move || format!("{} / {max_len}", length.get())}</span>
            </p>
            {error_view(ids.error, error)}
        </div>
    }
}
