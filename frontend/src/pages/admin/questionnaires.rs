//! Questionnaires (platform admins): every version of each questionnaire with its status; a new
//! draft starts from a version's questions and mappings; a draft is edited with a live preview,
//! saved, and published (after a confirmation), which retires the version before it.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use rxgate_api_types::catalogue::FlagView;
use rxgate_api_types::health::{DraftInput, FlagMapping, MappingTest, QuestionnaireVersionView};

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{FormAlert, general_error, last_error};
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::pages::admin::questionnaires_editor::{Draft, DraftEditor};
use crate::pages::admin::questionnaires_preview::Preview;
use crate::routes::Page;

fn status_badge(status: &str) -> impl IntoView + use<> {
    let (class, text) = match status {
        "draft" => ("badge badge-warn", "Draft".to_owned()),
        "published" => ("badge badge-ok", "Published".to_owned()),
        "retired" => ("badge", "Retired".to_owned()),
        other => ("badge", other.to_owned()),
    };
    view! { <span class=class>{text}</span> }
}

/// The versions of each questionnaire, in the order the API lists them (newest first).
fn by_questionnaire(versions: Vec<QuestionnaireVersionView>) -> Vec<Vec<QuestionnaireVersionView>> {
    let mut groups: Vec<Vec<QuestionnaireVersionView>> = Vec::new();
    for v in versions {
        match groups.iter_mut().find(|g| {
            g.first()
                .is_some_and(|f| f.questionnaire_id == v.questionnaire_id)
        }) {
            Some(group) => group.push(v),
            None => groups.push(vec![v]),
        }
    }
    groups
}

/// Starts a draft from `from`'s questions and mappings and opens it.
fn new_draft_action() -> Action<QuestionnaireVersionView, Result<(), ApiError>> {
    let navigate = use_navigate();
    Action::new_local(move |from: &QuestionnaireVersionView| {
        let from = from.clone();
        let navigate = navigate.clone();
        async move {
            let draft = api::create_questionnaire_draft(
                &from.questionnaire_id.to_string(),
                &DraftInput {
                    definition: from.definition,
                    mappings: from.mappings,
                },
            )
            .await?;
            navigate(
                &Page::AdminQuestionnaireVersion.item(&draft.id.to_string()),
                NavigateOptions::default(),
            );
            Ok(())
        }
    })
}

#[component]
pub fn Questionnaires() -> impl IntoView {
    let versions = LocalResource::new(api::questionnaire_versions);
    let new_draft = new_draft_action();
    let error = last_error(new_draft);
    view! {
        <section class="page wide">
            <h1>"Questionnaires"</h1>
            <p class="muted">
                "Patients answer the published version. A published version never changes: to "
                "change the questions, start a new draft from it, edit it, and publish it."
            </p>
            <FormAlert message=general_error(error, &[]) />
            <Transition fallback=|| view! { <Skeleton lines=6 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        versions
                            .await
                            .map(|list| {
                                if list.is_empty() {
                                    return view! { <p class="empty">"No questionnaires yet."</p> }
                                        .into_any();
                                }
                                by_questionnaire(list)
                                    .into_iter()
                                    .map(|versions| view! { <QuestionnaireCard versions new_draft /> })
                                    .collect_view()
                                    .into_any()
                            })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn QuestionnaireCard(
    versions: Vec<QuestionnaireVersionView>,
    new_draft: Action<QuestionnaireVersionView, Result<(), ApiError>>,
) -> impl IntoView {
    let name = versions.first().map(|v| v.name.clone()).unwrap_or_default();
    let title_id = format!(
        "q-{}",
        versions
            .first()
            .map(|v| v.questionnaire_id.to_string())
            .unwrap_or_default()
    );
    let open_draft = versions.iter().find(|v| v.status == "draft").cloned();
    let published = versions.iter().find(|v| v.status == "published").cloned();
    let pending = new_draft.pending();
    let action = match (open_draft, published) {
        (Some(draft), _) => view! {
            <A href=Page::AdminQuestionnaireVersion.item(&draft.id.to_string()) attr:class="button">
                {format!("Edit the draft (version {})", draft.version)}
            </A>
        }
        .into_any(),
        (None, Some(published)) => {
            let label = format!("New draft from version {}", published.version);
            view! {
                <button
                    class="button"
                    type="button"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        new_draft.dispatch(published.clone());
                    }
                >
                    {label}
                </button>
            }
            .into_any()
        }
        (None, None) => ().into_any(),
    };
    view! {
        <div class="card stack" aria-labelledby=title_id.clone()>
            <div class="page-header">
                <h2 id=title_id.clone()>{name.clone()}</h2>
                {action}
            </div>
            <div class="table-wrap" tabindex="0" role="region" aria-label=format!("Versions of {name}")>
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">"Version"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Published"</th>
                            <th scope="col" class="num">"Questions"</th>
                            <th scope="col" class="num">"Mappings"</th>
                            <th scope="col">
                                <span class="visually-hidden">"Open"</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {versions
                            .into_iter()
                            .map(|v| {
                                let href = Page::AdminQuestionnaireVersion.item(&v.id.to_string());
                                let open = if v.status == "draft" { "Edit" } else { "View" };
                                view! {
                                    <tr>
                                        <td>{format!("Version {}", v.version)}</td>
                                        <td>{status_badge(v.status.as_str())}</td>
                                        <td>
                                            {v
                                                .published_at
                                                .as_ref()
                                                .map_or_else(|| "—".to_owned(), format::date_time)}
                                        </td>
                                        <td class="num">{v.definition.questions.len()}</td>
                                        <td class="num">{v.mappings.len()}</td>
                                        <td>
                                            <A
                                                href=href
                                                attr:aria-label=format!("{open} version {}", v.version)
                                            >
                                                {open}
                                            </A>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// One version: the editor and preview while it is a draft, else its questions and mappings.
#[component]
pub fn QuestionnaireVersion() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let reload = RwSignal::new(0_u32);
    let announcement = RwSignal::new(None::<String>);
    // Loaded again for another version: a new draft opens on this same route.
    let versions = LocalResource::new(move || {
        reload.get();
        id.track();
        api::questionnaire_versions()
    });
    let flags = LocalResource::new(api::flags);
    let flag_list = Signal::derive(move || flags.get().and_then(Result::ok).unwrap_or_default());

    view! {
        <section class="page wide">
            <p>
                <A href=Page::AdminQuestionnaires.path()>"← Questionnaires"</A>
            </p>
            <p class="announcement" role="status">{move || announcement.get()}</p>
            <Transition fallback=|| view! { <Skeleton lines=8 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let list = versions.await?;
                        let id = id.get();
                        let Some(version) = list.iter().find(|v| v.id.to_string() == id).cloned()
                        else {
                            return Ok::<_, ApiError>(
                                view! {
                                    <h1>"Questionnaire version"</h1>
                                    <p class="empty">"There is no such questionnaire version."</p>
                                }
                                    .into_any(),
                            );
                        };
                        let open_draft = list
                            .iter()
                            .find(|v| {
                                v.questionnaire_id == version.questionnaire_id
                                    && v.status == "draft"
                            })
                            .cloned();
                        Ok(
                            if version.status == "draft" {
                                view! {
                                    <DraftPage version flags=flag_list reload announcement />
                                }
                                    .into_any()
                            } else {
                                view! { <FrozenVersion version open_draft flags=flag_list /> }
                                    .into_any()
                            },
                        )
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

fn version_heading(v: &QuestionnaireVersionView) -> impl IntoView + use<> {
    let published = v
        .published_at
        .as_ref()
        .map(|at| format!("Published {}", format::date_time(at)));
    view! {
        <div class="page-header">
            <h1>{format!("{}, version {}", v.name, v.version)}</h1>
            {status_badge(v.status.as_str())}
        </div>
        {published.map(|p| view! { <p class="muted">{p}</p> })}
    }
}

/// A published or retired version: read only, with the way to a new draft.
#[component]
fn FrozenVersion(
    version: QuestionnaireVersionView,
    open_draft: Option<QuestionnaireVersionView>,
    flags: Signal<Vec<FlagView>>,
) -> impl IntoView {
    let new_draft = new_draft_action();
    let pending = new_draft.pending();
    let error = last_error(new_draft);
    let draft = Draft::new(&version.definition, &version.mappings);
    let mappings = version.mappings.clone();
    let next = match open_draft {
        Some(open) => view! {
            <A href=Page::AdminQuestionnaireVersion.item(&open.id.to_string()) attr:class="button">
                {format!("Edit the draft (version {})", open.version)}
            </A>
        }
        .into_any(),
        None => {
            let from = version.clone();
            view! {
                <button
                    class="button"
                    type="button"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        new_draft.dispatch(from.clone());
                    }
                >
                    {move || if pending.get() { "Starting…" } else { "New draft from this version" }}
                </button>
            }
            .into_any()
        }
    };
    view! {
        {version_heading(&version)}
        <p class="muted">"A published version never changes. A new draft starts as a copy of it."</p>
        <div class="form-actions">{next}</div>
        <FormAlert message=general_error(error, &[]) />
        <div class="editor-layout">
            <div class="card stack">
                <h2>"Flags raised by answers"</h2>
                <MappingSummary mappings flags />
            </div>
            <Preview draft />
        </div>
    }
}

fn test_text(test: &MappingTest) -> String {
    match test {
        MappingTest::IsTrue => "is answered yes".into(),
        MappingTest::IsFalse => "is answered no".into(),
        MappingTest::Chosen { value } => format!("has “{value}” chosen"),
        MappingTest::NumberAbove { threshold } => format!("is above {threshold}"),
        MappingTest::NumberBelow { threshold } => format!("is below {threshold}"),
        MappingTest::YearsSinceAtLeast { years } => format!("is at least {years} years ago"),
    }
}

#[component]
fn MappingSummary(mappings: Vec<FlagMapping>, flags: Signal<Vec<FlagView>>) -> impl IntoView {
    if mappings.is_empty() {
        return view! { <p class="muted">"No answers raise flags."</p> }.into_any();
    }
    view! {
        <ul class="item-list">
            {mappings
                .into_iter()
                .map(|m| {
                    let code = m.flag.clone();
                    let label = move || {
                        flags
                            .with(|f| f.iter().find(|f| f.code == code).map(|f| f.label.clone()))
                            .unwrap_or_else(|| code.clone())
                    };
                    // Question keys are identifiers: shown as code, never with literal backticks.
                    let clauses = m
                        .all
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            view! {
                                {(i > 0).then_some(" and ")}
                                <code>{c.question.clone()}</code>
                                " "
                                {test_text(&c.test)}
                            }
                        })
                        .collect_view();
                    view! {
                        <li class="item">
                            <div class="item-main">
                                <p class="item-title">{label}</p>
                                <p class="muted">"when " {clauses}</p>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// `definition.smoker` → "Question `smoker`", `mappings[2].flag` → "Mapping 3 (flag)".
fn where_is(field: &str) -> String {
    if let Some(key) = field.strip_prefix("definition.") {
        return format!("Question “{key}”");
    }
    if let Some(rest) = field.strip_prefix("mappings[")
        && let Some((index, tail)) = rest.split_once(']')
        && let Ok(i) = index.parse::<usize>()
    {
        return if tail.is_empty() {
            format!("Mapping {}", i + 1)
        } else {
            format!("Mapping {} ({})", i + 1, tail.trim_start_matches('.'))
        };
    }
    if field == "definition" {
        "The questions".into()
    } else {
        field.to_owned()
    }
}

/// `(content, publish after saving)`.
type SaveInput = (DraftInput, bool);

#[component]
fn DraftPage(
    version: QuestionnaireVersionView,
    flags: Signal<Vec<FlagView>>,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let draft = Draft::new(&version.definition, &version.mappings);
    let id = version.id.to_string();
    let number = version.version;
    let local_problems = RwSignal::new(Vec::<String>::new());
    let confirming = RwSignal::new(false);
    let confirm_button = NodeRef::<leptos::html::Button>::new();

    let save = Action::new_local(move |(body, publish): &SaveInput| {
        let (id, body, publish) = (id.clone(), body.clone(), *publish);
        async move {
            api::update_questionnaire_draft(&id, &body).await?;
            if publish {
                api::publish_questionnaire_version(&id).await?;
                announcement.set(Some(format!(
                    "Version {number} is published: patients answer it from now on."
                )));
                reload.update(|n| *n += 1);
            } else {
                announcement.set(Some(format!("Saved the draft of version {number}.")));
            }
            Ok::<_, ApiError>(())
        }
    });
    let pending = save.pending();
    let error = last_error(save);
    let summary = Signal::derive(move || {
        let local = local_problems.get();
        if !local.is_empty() {
            return Some(local);
        }
        error.with(|e| match e {
            Some(ApiError::Problem(p)) if !p.errors.is_empty() => Some(
                std::iter::once(format!(
                    "Not saved: {}",
                    e.as_ref().map(ToString::to_string).unwrap_or_default()
                ))
                .chain(
                    p.errors
                        .iter()
                        .map(|f| format!("{}: {}", where_is(&f.field), f.message)),
                )
                .collect(),
            ),
            Some(other) => Some(vec![other.to_string()]),
            None => None,
        })
    });
    let submit = move |publish: bool| {
        announcement.set(None);
        match draft.to_input() {
            Ok(body) => {
                local_problems.set(Vec::new());
                save.dispatch((body, publish));
            }
            Err(problems) => local_problems.set(problems),
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit(false);
    };
    Effect::new(move |_| {
        if confirming.get()
            && let Some(button) = confirm_button.get()
        {
            let _ = button.focus();
        }
    });

    view! {
        {version_heading(&version)}
        <p class="muted">
            "Edit the questions and the flags their answers raise; the preview shows what "
            "patients will see. Save as often as you like; patients see nothing until you publish."
        </p>
        // Below the editor on narrow screens: a way down to it.
        <p class="preview-link">
            <button
                class="link-button"
                type="button"
                on:click=|_| {
                    if let Some(heading) = document().get_element_by_id("preview-title") {
                        heading.scroll_into_view();
                    }
                }
            >
                "Go to the preview"
            </button>
        </p>
        <div class="form-alert" role="alert">
            {move || {
                summary
                    .get()
                    .map(|lines| {
                        view! {
                            <div class="notice notice-error">
                                <ul class="plain">
                                    {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                                </ul>
                            </div>
                        }
                    })
            }}
        </div>
        <form class="editor-form" on:submit=on_submit aria-label="Draft editor">
            <div class="editor-layout">
                <div class="card">
                    <DraftEditor draft flags error=error.into() />
                </div>
                <Preview draft />
            </div>
            <div class="card editor-actions">
                <div class="form-actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "Saving…" } else { "Save draft" }}
                    </button>
                    <button
                        class="button secondary"
                        type="button"
                        disabled=move || pending.get()
                        on:click=move |_| confirming.set(true)
                    >
                        "Publish…"
                    </button>
                </div>
                <Show when=move || confirming.get()>
                    <div class="confirm" role="group" aria-labelledby="publish-title">
                        <h2 id="publish-title">{format!("Publish version {number}?")}</h2>
                        <p>
                            "The draft is saved and published: patients answer it from now on, "
                            "and the version before it is retired. A published version never "
                            "changes."
                        </p>
                        <div class="form-actions">
                            <button
                                class="button"
                                type="button"
                                node_ref=confirm_button
                                disabled=move || pending.get()
                                on:click=move |_| {
                                    confirming.set(false);
                                    submit(true);
                                }
                            >
                                {format!("Publish version {number}")}
                            </button>
                            <button
                                class="button secondary"
                                type="button"
                                on:click=move |_| confirming.set(false)
                            >
                                "Cancel"
                            </button>
                        </div>
                    </div>
                </Show>
            </div>
        </form>
    }
}
