//! The structured editor of a questionnaire draft: questions (added, removed, reordered; key,
//! label, help, kind with its options or limits, required, and a condition on an earlier
//! question) and the mappings that raise flags from answers. The draft lives in signals while
//! it is edited and becomes a `DraftInput` to save.

use chrono::NaiveDate;
use leptos::prelude::*;
use rxgate_api_types::catalogue::FlagView;
use rxgate_api_types::health::{
    AnswerValue, ChoiceOption, Condition, Definition, DraftInput, FlagMapping, MappingClause,
    MappingTest, Question, QuestionKind,
};

use crate::api::ApiError;
use crate::components::form::{RowField, RowSelect};

pub const KINDS: &[(&str, &str)] = &[
    ("boolean", "Yes or no"),
    ("single_choice", "One choice"),
    ("multiple_choice", "Several choices"),
    ("number", "Number"),
    ("date", "Date"),
    ("free_text", "Free text"),
];

/// The tests a mapping clause can make on a question of `kind`.
fn tests_for(kind: &str) -> Vec<(String, String)> {
    let list: &[(&str, &str)] = match kind {
        "boolean" => &[
            ("is_true", "is answered yes"),
            ("is_false", "is answered no"),
        ],
        "single_choice" | "multiple_choice" => &[("chosen", "has this option chosen")],
        "number" => &[("number_above", "is above"), ("number_below", "is below")],
        "date" => &[("years_since_at_least", "is at least this many years ago")],
        _ => &[("", "Free text cannot raise a flag")],
    };
    list.iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

fn signal(text: impl Into<String>) -> RwSignal<String> {
    RwSignal::new(text.into())
}

/// A number without a needless ".0" (`20` rather than `20.0`).
fn number_text(n: f64) -> String {
    let text = n.to_string();
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionDraft {
    pub uid: u32,
    pub value: RwSignal<String>,
    pub label: RwSignal<String>,
}

/// One question being edited; every field is text as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionDraft {
    pub uid: u32,
    pub key: RwSignal<String>,
    pub label: RwSignal<String>,
    pub help: RwSignal<String>,
    /// One of `KINDS`.
    pub kind: RwSignal<String>,
    pub options: RwSignal<Vec<OptionDraft>>,
    pub unit: RwSignal<String>,
    pub min: RwSignal<String>,
    pub max: RwSignal<String>,
    pub max_len: RwSignal<String>,
    pub required: RwSignal<bool>,
    /// The key of the earlier question it depends on; empty: always shown.
    pub show_if: RwSignal<String>,
    /// The answer of that question that shows it, as text (`true`, an option value, …).
    pub show_if_value: RwSignal<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClauseDraft {
    pub uid: u32,
    pub question: RwSignal<String>,
    /// A `MappingTest` type, e.g. `is_true`.
    pub test: RwSignal<String>,
    /// The option value, threshold or years, as typed.
    pub value: RwSignal<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MappingDraft {
    pub uid: u32,
    pub flag: RwSignal<String>,
    pub clauses: RwSignal<Vec<ClauseDraft>>,
}

/// A whole draft being edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Draft {
    pub questions: RwSignal<Vec<QuestionDraft>>,
    pub mappings: RwSignal<Vec<MappingDraft>>,
    next_uid: StoredValue<u32>,
    /// The editor's owner: rows added later get their signals from it, so they are cleaned up
    /// with the editor.
    owner: StoredValue<Option<Owner>, LocalStorage>,
}

impl Draft {
    pub fn new(definition: &Definition, mappings: &[FlagMapping]) -> Self {
        let draft = Self {
            questions: RwSignal::new(Vec::new()),
            mappings: RwSignal::new(Vec::new()),
            next_uid: StoredValue::new(0),
            owner: StoredValue::new_local(Owner::current()),
        };
        let questions = definition
            .questions
            .iter()
            .map(|q| draft.question_from(q))
            .collect();
        let maps = mappings.iter().map(|m| draft.mapping_from(m)).collect();
        draft.questions.set(questions);
        draft.mappings.set(maps);
        draft
    }

    fn uid(self) -> u32 {
        let uid = self.next_uid.get_value();
        self.next_uid.set_value(uid + 1);
        uid
    }

    /// Runs `make` under the editor's owner.
    fn owned<T>(self, make: impl FnOnce() -> T) -> T {
        match self.owner.with_value(Clone::clone) {
            Some(owner) => owner.with(make),
            None => make(),
        }
    }

    fn option(self, value: &str, label: &str) -> OptionDraft {
        let uid = self.uid();
        self.owned(|| OptionDraft {
            uid,
            value: signal(value),
            label: signal(label),
        })
    }

    fn question_from(self, q: &Question) -> QuestionDraft {
        let uid = self.uid();
        let (kind, options, unit, min, max, max_len) = match &q.kind {
            QuestionKind::Boolean => ("boolean", Vec::new(), None, None, None, None),
            QuestionKind::SingleChoice { options } => {
                ("single_choice", options.clone(), None, None, None, None)
            }
            QuestionKind::MultipleChoice { options } => {
                ("multiple_choice", options.clone(), None, None, None, None)
            }
            QuestionKind::Number { unit, min, max } => {
                ("number", Vec::new(), unit.clone(), *min, *max, None)
            }
            QuestionKind::Date => ("date", Vec::new(), None, None, None, None),
            QuestionKind::FreeText { max_len } => {
                ("free_text", Vec::new(), None, None, None, Some(*max_len))
            }
        };
        let options = options
            .iter()
            .map(|o| self.option(&o.value, &o.label))
            .collect();
        let (show_if, show_if_value) = q
            .show_if
            .as_ref()
            .map(|c| (c.question.clone(), answer_text(&c.equals)))
            .unwrap_or_default();
        self.owned(|| QuestionDraft {
            uid,
            key: signal(q.key.clone()),
            label: signal(q.label.clone()),
            help: signal(q.help.clone().unwrap_or_default()),
            kind: signal(kind),
            options: RwSignal::new(options),
            unit: signal(unit.unwrap_or_default()),
            min: signal(min.map(number_text).unwrap_or_default()),
            max: signal(max.map(number_text).unwrap_or_default()),
            max_len: signal(max_len.unwrap_or(1000).to_string()),
            required: RwSignal::new(q.required),
            show_if: signal(show_if),
            show_if_value: signal(show_if_value),
        })
    }

    fn clause_from(self, c: &MappingClause) -> ClauseDraft {
        let uid = self.uid();
        let (test, value) = match &c.test {
            MappingTest::IsTrue => ("is_true", String::new()),
            MappingTest::IsFalse => ("is_false", String::new()),
            MappingTest::Chosen { value } => ("chosen", value.clone()),
            MappingTest::NumberAbove { threshold } => ("number_above", number_text(*threshold)),
            MappingTest::NumberBelow { threshold } => ("number_below", number_text(*threshold)),
            MappingTest::YearsSinceAtLeast { years } => ("years_since_at_least", years.to_string()),
        };
        self.owned(|| ClauseDraft {
            uid,
            question: signal(c.question.clone()),
            test: signal(test),
            value: signal(value),
        })
    }

    fn mapping_from(self, m: &FlagMapping) -> MappingDraft {
        let uid = self.uid();
        let clauses = m.all.iter().map(|c| self.clause_from(c)).collect();
        self.owned(|| MappingDraft {
            uid,
            flag: signal(m.flag.clone()),
            clauses: RwSignal::new(clauses),
        })
    }

    pub fn add_question(self) {
        // The first `question_<n>` no question has (keys must stay unique after removals).
        let taken: Vec<String> = self
            .questions
            .with_untracked(|qs| qs.iter().map(|q| q.key.get_untracked()).collect());
        let key = (1..)
            .map(|n| format!("question_{n}"))
            .find(|k| !taken.contains(k))
            .unwrap_or_default();
        let q = self.question_from(&Question {
            key,
            label: String::new(),
            help: None,
            kind: QuestionKind::Boolean,
            required: true,
            show_if: None,
        });
        self.questions.update(|qs| qs.push(q));
    }

    pub fn add_option(self, question: QuestionDraft) {
        let option = self.option("", "");
        question.options.update(|o| o.push(option));
    }

    pub fn add_mapping(self, flag: &str) {
        let first_question = self
            .questions
            .with_untracked(|qs| qs.first().map(|q| q.key.get_untracked()))
            .unwrap_or_default();
        let m = self.mapping_from(&FlagMapping {
            flag: flag.to_owned(),
            all: Vec::new(),
        });
        self.add_clause_to(m, &first_question);
        self.mappings.update(|ms| ms.push(m));
    }

    pub fn add_clause(self, mapping: MappingDraft) {
        let first_question = self
            .questions
            .with_untracked(|qs| qs.first().map(|q| q.key.get_untracked()))
            .unwrap_or_default();
        self.add_clause_to(mapping, &first_question);
    }

    fn add_clause_to(self, mapping: MappingDraft, question: &str) {
        let kind = self.kind_of(question);
        let test = tests_for(&kind)
            .first()
            .map(|(t, _)| t.clone())
            .unwrap_or_default();
        let uid = self.uid();
        let clause = self.owned(|| ClauseDraft {
            uid,
            question: signal(question),
            test: signal(test),
            value: signal(""),
        });
        mapping.clauses.update(|c| c.push(clause));
    }

    /// The kind of the question with `key` now (empty when there is none).
    pub fn kind_of(self, key: &str) -> String {
        self.questions.with(|qs| {
            qs.iter()
                .find(|q| q.key.with(|k| k == key))
                .map(|q| q.kind.get())
                .unwrap_or_default()
        })
    }

    /// Moves the question `uid` by `by` places (−1 up, +1 down).
    pub fn move_question(self, uid: u32, by: isize) {
        self.questions.update(|qs| {
            if let Some(at) = qs.iter().position(|q| q.uid == uid) {
                let to = at.saturating_add_signed(by);
                if to < qs.len() {
                    qs.swap(at, to);
                }
            }
        });
    }

    /// The questions as the API takes them, reading (and so tracking) every field; what does
    /// not read (a number, a condition's answer) is added to `problems`. The preview shows this
    /// definition, so it is what saving would send. A condition whose answer does not read
    /// keeps it as text, which no answer of that question equals: the question stays hidden.
    pub fn definition(self, problems: &mut Vec<String>) -> Definition {
        let questions = self.questions.get();
        let mut definition = Vec::new();
        for q in &questions {
            let key = q.key.get().trim().to_owned();
            let mut problem =
                |message: String| problems.push(format!("Question “{key}”: {message}"));
            let number = |text: String, what: &str, problem: &mut dyn FnMut(String)| {
                let text = text.trim().to_owned();
                if text.is_empty() {
                    return None;
                }
                text.parse::<f64>().ok().or_else(|| {
                    problem(format!("the {what} “{text}” is not a number."));
                    None
                })
            };
            let kind = match q.kind.get().as_str() {
                "single_choice" | "multiple_choice" => {
                    let options = q
                        .options
                        .get()
                        .iter()
                        .map(|o| ChoiceOption {
                            value: o.value.get().trim().to_owned(),
                            label: o.label.get().trim().to_owned(),
                        })
                        .collect();
                    if q.kind.get() == "single_choice" {
                        QuestionKind::SingleChoice { options }
                    } else {
                        QuestionKind::MultipleChoice { options }
                    }
                }
                "number" => {
                    let unit = q.unit.get().trim().to_owned();
                    QuestionKind::Number {
                        unit: (!unit.is_empty()).then_some(unit),
                        min: number(q.min.get(), "minimum", &mut problem),
                        max: number(q.max.get(), "maximum", &mut problem),
                    }
                }
                "date" => QuestionKind::Date,
                "free_text" => {
                    let text = q.max_len.get();
                    let max_len = text.trim().parse::<u32>().unwrap_or_else(|_| {
                        problem(format!(
                            "the maximum length “{text}” is not a whole number."
                        ));
                        0
                    });
                    QuestionKind::FreeText { max_len }
                }
                _ => QuestionKind::Boolean,
            };
            let show_if = q.show_if.get();
            let show_if = if show_if.is_empty() {
                None
            } else {
                let target_kind = questions
                    .iter()
                    .find(|t| t.key.with(|k| *k == show_if))
                    .map(|t| t.kind.get())
                    .unwrap_or_default();
                let text = q.show_if_value.get().trim().to_owned();
                let equals = match target_kind.as_str() {
                    "boolean" => Some(AnswerValue::Bool(text == "true")),
                    "single_choice" | "multiple_choice" => Some(AnswerValue::Choice(text.clone())),
                    "number" => text.parse().ok().map(AnswerValue::Number),
                    "date" => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                        .ok()
                        .map(AnswerValue::Date),
                    _ => Some(AnswerValue::Text(text.clone())),
                };
                let equals = equals.unwrap_or_else(|| {
                    problem(format!(
                        "the condition's answer “{text}” does not fit “{show_if}”."
                    ));
                    AnswerValue::Text(text.clone())
                });
                Some(Condition {
                    question: show_if,
                    equals,
                })
            };
            let help = q.help.get().trim().to_owned();
            definition.push(Question {
                key,
                label: q.label.get().trim().to_owned(),
                help: (!help.is_empty()).then_some(help),
                kind,
                required: q.required.get(),
                show_if,
            });
        }
        Definition {
            questions: definition,
        }
    }

    /// The draft as the API takes it, or what must be fixed first (numbers that do not read).
    pub fn to_input(self) -> Result<DraftInput, Vec<String>> {
        let mut problems = Vec::new();
        let definition = untrack(|| self.definition(&mut problems));
        let mut mappings = Vec::new();
        for (i, m) in self.mappings.get_untracked().iter().enumerate() {
            let flag = m.flag.get_untracked();
            let mut all = Vec::new();
            for c in m.clauses.get_untracked() {
                let value = c.value.get_untracked().trim().to_owned();
                let mut bad = |what: &str| {
                    problems.push(format!(
                        "Mapping {} ({flag}): the {what} “{value}” does not read.",
                        i + 1
                    ));
                };
                let test = match c.test.get_untracked().as_str() {
                    "is_true" => Some(MappingTest::IsTrue),
                    "is_false" => Some(MappingTest::IsFalse),
                    "chosen" => Some(MappingTest::Chosen {
                        value: value.clone(),
                    }),
                    "number_above" | "number_below" => match value.parse::<f64>() {
                        Ok(threshold) if c.test.get_untracked() == "number_above" => {
                            Some(MappingTest::NumberAbove { threshold })
                        }
                        Ok(threshold) => Some(MappingTest::NumberBelow { threshold }),
                        Err(_) => {
                            bad("threshold");
                            None
                        }
                    },
                    "years_since_at_least" => match value.parse::<u32>() {
                        Ok(years) => Some(MappingTest::YearsSinceAtLeast { years }),
                        Err(_) => {
                            bad("number of years");
                            None
                        }
                    },
                    _ => {
                        problems.push(format!(
                            "Mapping {} ({flag}): choose a test for “{}”.",
                            i + 1,
                            c.question.get_untracked()
                        ));
                        None
                    }
                };
                if let Some(test) = test {
                    all.push(MappingClause {
                        question: c.question.get_untracked(),
                        test,
                    });
                }
            }
            mappings.push(FlagMapping { flag, all });
        }
        if problems.is_empty() {
            Ok(DraftInput {
                definition,
                mappings,
            })
        } else {
            Err(problems)
        }
    }
}

/// An answer as the text the editor keeps.
fn answer_text(answer: &AnswerValue) -> String {
    match answer {
        AnswerValue::Bool(b) => b.to_string(),
        AnswerValue::Choice(v) | AnswerValue::Text(v) => v.clone(),
        AnswerValue::Choices(vs) => vs.first().cloned().unwrap_or_default(),
        AnswerValue::Number(n) => number_text(*n),
        AnswerValue::Date(d) => d.to_string(),
    }
}

/// The options of a choice question as `(value, label)` pairs.
pub fn option_pairs(q: QuestionDraft) -> Vec<(String, String)> {
    q.options.with(|options| {
        options
            .iter()
            .map(|o| {
                let value = o.value.get();
                let label = o.label.get();
                let label = if label.trim().is_empty() {
                    value.clone()
                } else {
                    label
                };
                (value, label)
            })
            .collect()
    })
}

fn kind_label(kind: &str) -> String {
    KINDS
        .iter()
        .find(|(v, _)| *v == kind)
        .map_or_else(|| kind.replace('_', " "), |(_, l)| (*l).to_owned())
}

fn kind_options() -> Vec<(String, String)> {
    KINDS
        .iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

/// The editor: every question, then every mapping.
#[component]
pub fn DraftEditor(
    draft: Draft,
    flags: Signal<Vec<FlagView>>,
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let definition_messages = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .map(|e| e.messages("definition"))
                .unwrap_or_default()
        })
    });
    view! {
        <div class="stack">
            <h2>"Questions"</h2>
            <ul class="plain">
                {move || definition_messages.get().into_iter().map(|m| view! {
                    <li class="field-error" role="alert">{m}</li>
                }).collect_view()}
            </ul>
            <For each=move || draft.questions.get() key=|q| q.uid let:question>
                <QuestionEditor draft question error />
            </For>
            <div class="form-actions">
                <button class="button secondary" type="button" on:click=move |_| draft.add_question()>
                    "Add a question"
                </button>
            </div>
            <h2>"Flags raised by answers"</h2>
            <p class="hint">
                "A mapping raises its flag when every one of its conditions holds. Conditions on "
                "hidden or unanswered questions never hold."
            </p>
            <For each=move || draft.mappings.get() key=|m| m.uid let:mapping>
                <MappingEditor draft mapping flags error />
            </For>
            <div class="form-actions">
                <button
                    class="button secondary"
                    type="button"
                    on:click=move |_| {
                        let first = flags
                            .with_untracked(|f| f.first().map(|f| f.code.clone()))
                            .unwrap_or_default();
                        draft.add_mapping(&first);
                    }
                >
                    "Add a mapping"
                </button>
            </div>
        </div>
    }
}

#[component]
fn QuestionEditor(
    draft: Draft,
    question: QuestionDraft,
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let q = question;
    let index = Memo::new(move |_| {
        draft
            .questions
            .with(|qs| qs.iter().position(|x| x.uid == q.uid).unwrap_or(0))
    });
    let count = Memo::new(move |_| draft.questions.with(Vec::len));
    let number = move || index.get() + 1;
    let id = move |field: &str| format!("q-{}-{field}", q.uid);
    let messages = Signal::derive(move || {
        let key = q.key.get();
        let name = format!("definition.{}", key.trim());
        error.with(|e| e.as_ref().map(|e| e.messages(&name)).unwrap_or_default())
    });
    // The questions before this one, for its condition. A condition on a question that is not
    // earlier (any more) stays, marked, until it is changed: the server says what is wrong.
    let earlier = Signal::derive(move || {
        let at = index.get();
        let mut options: Vec<(String, String)> =
            std::iter::once((String::new(), "Always".to_owned()))
                .chain(draft.questions.with(|qs| {
                    qs.iter()
                        .take(at)
                        .map(|e| {
                            let key = e.key.get();
                            let label = e.label.get();
                            (key.clone(), format!("Only if {key} ({label})"))
                        })
                        .collect::<Vec<_>>()
                }))
                .collect();
        let current = q.show_if.get();
        if !options.iter().any(|(k, _)| *k == current) {
            options.push((
                current.clone(),
                format!("{current} (not an earlier question)"),
            ));
        }
        options
    });
    // A new key is followed by the conditions and mappings that use the old one.
    Effect::new(move |previous: Option<String>| {
        let key = q.key.get();
        if let Some(old) = previous.filter(|old| *old != key && !old.is_empty()) {
            for other in draft.questions.get_untracked() {
                if other.uid != q.uid && other.show_if.get_untracked() == old {
                    other.show_if.set(key.clone());
                }
            }
            for mapping in draft.mappings.get_untracked() {
                for clause in mapping.clauses.get_untracked() {
                    if clause.question.get_untracked() == old {
                        clause.question.set(key.clone());
                    }
                }
            }
        }
        key
    });
    let kind = move || q.kind.get();
    let is_choice = move || matches!(kind().as_str(), "single_choice" | "multiple_choice");
    let title = move || {
        let label = q.label.get();
        if label.trim().is_empty() {
            format!("Question {}", number())
        } else {
            format!("Question {}: {label}", number())
        }
    };
    let remove = move |_| draft.questions.update(|qs| qs.retain(|x| x.uid != q.uid));
    // Questions are collapsed to their title (a long questionnaire stays a list one can scan);
    // a new one opens to be written, and one the server has a message about opens to show it.
    let opened = RwSignal::new(q.label.get_untracked().trim().is_empty());
    let open = Signal::derive(move || opened.get() || !messages.with(Vec::is_empty));
    let fields_id = id("fields");

    view! {
        <div class="row-card" role="group" aria-label=move || format!("Question {}", number())>
            <div class="row-header">
                <p class="row-title">{title}</p>
                <div class="item-actions">
                    <button
                        class="button secondary small"
                        type="button"
                        disabled=move || index.get() == 0
                        aria-label=move || format!("Move question {} up", number())
                        on:click=move |_| draft.move_question(q.uid, -1)
                    >
                        "↑"
                    </button>
                    <button
                        class="button secondary small"
                        type="button"
                        disabled=move || { index.get() + 1 >= count.get() }
                        aria-label=move || format!("Move question {} down", number())
                        on:click=move |_| draft.move_question(q.uid, 1)
                    >
                        "↓"
                    </button>
                    <button
                        class="button secondary small"
                        type="button"
                        aria-label=move || format!("Remove question {}", number())
                        on:click=remove
                    >
                        "Remove"
                    </button>
                    <button
                        class="button secondary small"
                        type="button"
                        aria-expanded=move || open.get().to_string()
                        aria-controls=fields_id.clone()
                        aria-label=move || format!("Edit question {}", number())
                        on:click=move |_| opened.set(!open.get_untracked())
                    >
                        {move || if open.get() { "Done" } else { "Edit" }}
                    </button>
                </div>
            </div>
            <ul class="plain">
                {move || messages.get().into_iter().map(|m| view! {
                    <li class="field-error" role="alert">{m}</li>
                }).collect_view()}
            </ul>
            <p class="muted" hidden=move || open.get()>
                <code>{move || q.key.get()}</code>
                " · "
                {move || kind_label(&q.kind.get())}
                {move || (!q.show_if.get().is_empty()).then(|| format!(" · only if {}", q.show_if.get()))}
            </p>
            <div class="stack" id=fields_id hidden=move || !open.get()>
            <div class="row-fields">
                <RowField
                    label="Key"
                    id=id("key")
                    hint="Lower-case letters, digits and _; stays the same across versions."
                    required=true
                    value=q.key

                />
                <RowSelect label="Kind" id=id("kind") value=q.kind options=Signal::derive(kind_options) />
            </div>
            <RowField label="Question" id=id("label") required=true value=q.label />
            <RowField label="Help text" id=id("help") value=q.help />
            <Show when=is_choice>
                <OptionsEditor draft question=q />
            </Show>
            <Show when=move || kind() == "number">
                <div class="row-fields">
                    <RowField label="Unit" id=id("unit") value=q.unit />
                    <RowField label="Minimum" id=id("min") inputmode="decimal" value=q.min />
                    <RowField label="Maximum" id=id("max") inputmode="decimal" value=q.max />
                </div>
            </Show>
            <Show when=move || kind() == "free_text">
                <RowField
                    label="Maximum length (characters)"
                    id=id("max-len")
                    inputmode="numeric"
                    value=q.max_len

                />
            </Show>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=q.required
                    on:change:target=move |ev| q.required.set(ev.target().checked())
                />
                <span>"An answer is required"</span>
            </label>
            <div class="row-fields">
                <RowSelect label="Show" id=id("show-if") value=q.show_if options=earlier />
                <Show when=move || !q.show_if.get().is_empty()>
                    <ConditionValue draft question=q id=id("show-if-value") />
                </Show>
            </div>
            </div>
        </div>
    }
}

/// The answer of the earlier question that shows a question, with a control that fits that
/// question's kind.
#[component]
fn ConditionValue(draft: Draft, question: QuestionDraft, id: String) -> impl IntoView {
    let target = Memo::new(move |_| {
        let key = question.show_if.get();
        draft
            .questions
            .with(|qs| qs.iter().find(|t| t.key.with(|k| *k == key)).copied())
    });
    let target_kind = Memo::new(move |_| target.get().map(|t| t.kind.get()).unwrap_or_default());
    let choices = Signal::derive(move || match target_kind.get().as_str() {
        "boolean" => vec![
            ("true".to_owned(), "Yes".to_owned()),
            ("false".to_owned(), "No".to_owned()),
        ],
        "single_choice" | "multiple_choice" => target.get().map(option_pairs).unwrap_or_default(),
        _ => Vec::new(),
    });
    // A choice stays one of the choices.
    Effect::new(move |_| {
        let options = choices.get();
        if !options.is_empty() {
            let current = question.show_if_value.get_untracked();
            if !options.iter().any(|(v, _)| *v == current) {
                question
                    .show_if_value
                    .set(options.first().map(|(v, _)| v.clone()).unwrap_or_default());
            }
        }
    });
    move || {
        let id = id.clone();
        match target_kind.get().as_str() {
            "boolean" | "single_choice" | "multiple_choice" => view! {
                <RowSelect label="is answered" id value=question.show_if_value options=choices />
            }
            .into_any(),
            "number" => view! {
                <RowField label="is answered" id inputmode="decimal" value=question.show_if_value />
            }
            .into_any(),
            "date" => view! {
                <RowField label="is answered" id kind="date" value=question.show_if_value />
            }
            .into_any(),
            _ => view! {
                <RowField label="is answered" id value=question.show_if_value />
            }
            .into_any(),
        }
    }
}

#[component]
fn OptionsEditor(draft: Draft, question: QuestionDraft) -> impl IntoView {
    view! {
        <fieldset class="options">
            <legend>"Options"</legend>
            <For each=move || question.options.get() key=|o| o.uid let:option>
                <OptionRow question option />
            </For>
            <div class="form-actions">
                <button
                    class="button secondary small"
                    type="button"
                    on:click=move |_| draft.add_option(question)
                >
                    "Add an option"
                </button>
            </div>
        </fieldset>
    }
}

#[component]
fn OptionRow(question: QuestionDraft, option: OptionDraft) -> impl IntoView {
    let number = move || {
        question
            .options
            .with(|o| o.iter().position(|x| x.uid == option.uid).unwrap_or(0))
            + 1
    };
    let id = move |field: &str| format!("q-{}-o-{}-{field}", question.uid, option.uid);
    view! {
        <div class="row-fields option-row">
            <RowField
                label=Signal::derive(move || format!("Value {}", number()))
                id=id("value")
                value=option.value

            />
            <RowField
                label=Signal::derive(move || format!("Label {}", number()))
                id=id("label")
                value=option.label

            />
            <button
                class="button secondary small"
                type="button"
                aria-label=move || format!("Remove option {}", number())
                on:click=move |_| question.options.update(|o| o.retain(|x| x.uid != option.uid))
            >
                "Remove"
            </button>
        </div>
    }
}

#[component]
fn MappingEditor(
    draft: Draft,
    mapping: MappingDraft,
    flags: Signal<Vec<FlagView>>,
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let index = Memo::new(move |_| {
        draft
            .mappings
            .with(|ms| ms.iter().position(|m| m.uid == mapping.uid).unwrap_or(0))
    });
    let number = move || index.get() + 1;
    let messages = Signal::derive(move || {
        let i = index.get();
        error.with(|e| {
            let Some(e) = e else { return Vec::new() };
            let mut all = e.messages(&format!("mappings[{i}]"));
            all.extend(e.messages(&format!("mappings[{i}].flag")));
            all
        })
    });
    let flag_options = Signal::derive(move || {
        let mut list: Vec<(String, String)> = flags
            .get()
            .into_iter()
            .map(|f| (f.code.clone(), format!("{} ({})", f.label, f.code)))
            .collect();
        // A flag the list does not have (yet) stays visible rather than silently changing.
        let current = mapping.flag.get();
        if !current.is_empty() && !list.iter().any(|(c, _)| *c == current) {
            list.push((current.clone(), current));
        }
        list
    });
    view! {
        <div class="row-card" role="group" aria-label=move || format!("Mapping {}", number())>
            <div class="row-header">
                <p class="row-title">{move || format!("Mapping {}: raise {}", number(), mapping.flag.get())}</p>
                <button
                    class="button secondary small"
                    type="button"
                    aria-label=move || format!("Remove mapping {}", number())
                    on:click=move |_| draft.mappings.update(|ms| ms.retain(|m| m.uid != mapping.uid))
                >
                    "Remove"
                </button>
            </div>
            <ul class="plain">
                {move || messages.get().into_iter().map(|m| view! {
                    <li class="field-error" role="alert">{m}</li>
                }).collect_view()}
            </ul>
            <RowSelect
                label="Flag"
                id=format!("m-{}-flag", mapping.uid)
                value=mapping.flag
                options=flag_options
            />
            <p class="hint">"when every one of these holds:"</p>
            <For each=move || mapping.clauses.get() key=|c| c.uid let:clause>
                <ClauseEditor draft mapping clause />
            </For>
            <div class="form-actions">
                <button
                    class="button secondary small"
                    type="button"
                    on:click=move |_| draft.add_clause(mapping)
                >
                    "Add a condition"
                </button>
            </div>
        </div>
    }
}

#[component]
fn ClauseEditor(draft: Draft, mapping: MappingDraft, clause: ClauseDraft) -> impl IntoView {
    let number = move || {
        mapping
            .clauses
            .with(|c| c.iter().position(|x| x.uid == clause.uid).unwrap_or(0))
            + 1
    };
    let id = move |field: &str| format!("m-{}-c-{}-{field}", mapping.uid, clause.uid);
    let questions = Signal::derive(move || {
        let mut options = draft.questions.with(|qs| {
            qs.iter()
                .map(|q| (q.key.get(), format!("{}: {}", q.key.get(), q.label.get())))
                .collect::<Vec<_>>()
        });
        let current = clause.question.get();
        if !options.iter().any(|(k, _)| *k == current) {
            options.push((current.clone(), format!("{current} (no such question)")));
        }
        options
    });
    let kind = Memo::new(move |_| draft.kind_of(&clause.question.get()));
    let tests = Signal::derive(move || tests_for(&kind.get()));
    // The test stays one that fits the question.
    Effect::new(move |_| {
        let options = tests.get();
        let current = clause.test.get_untracked();
        if !options.iter().any(|(t, _)| *t == current) {
            clause
                .test
                .set(options.first().map(|(t, _)| t.clone()).unwrap_or_default());
        }
    });
    let target = Memo::new(move |_| {
        let key = clause.question.get();
        draft
            .questions
            .with(|qs| qs.iter().find(|t| t.key.with(|k| *k == key)).copied())
    });
    let choices = Signal::derive(move || target.get().map(option_pairs).unwrap_or_default());
    Effect::new(move |_| {
        if clause.test.get() == "chosen" {
            let options = choices.get();
            let current = clause.value.get_untracked();
            if !options.iter().any(|(v, _)| *v == current) {
                clause
                    .value
                    .set(options.first().map(|(v, _)| v.clone()).unwrap_or_default());
            }
        }
    });
    let value_field = move || {
        let label = move || format!("Value of condition {}", number());
        match clause.test.get().as_str() {
            "chosen" => Some(
                view! { <RowSelect label=Signal::derive(label) id=id("value") value=clause.value options=choices /> }
                    .into_any(),
            ),
            "number_above" | "number_below" => Some(
                view! {
                    <RowField label=Signal::derive(move || format!("Threshold of condition {}", number())) id=id("value") inputmode="decimal" value=clause.value />
                }
                .into_any(),
            ),
            "years_since_at_least" => Some(
                view! {
                    <RowField label=Signal::derive(move || format!("Years of condition {}", number())) id=id("value") inputmode="numeric" value=clause.value />
                }
                .into_any(),
            ),
            _ => None,
        }
    };
    view! {
        <div class="row-fields clause-row">
            <RowSelect
                label=Signal::derive(move || format!("Question of condition {}", number()))
                id=id("question")
                value=clause.question
                options=questions
            />
            <RowSelect label=Signal::derive(move || format!("Test of condition {}", number())) id=id("test") value=clause.test options=tests />
            {value_field}
            <button
                class="button secondary small"
                type="button"
                aria-label=move || format!("Remove condition {}", number())
                on:click=move |_| mapping.clauses.update(|c| c.retain(|x| x.uid != clause.uid))
            >
                "Remove"
            </button>
        </div>
    }
}
