//! People: everyone with an account, newest first, found by part of their name or email address
//! and filtered by account status. Active accounts are suspended (with a reason), suspended ones
//! reinstated.

use leptos::prelude::*;
use rxgate_api_types::admin::{ReasonInput, UserQuery, UserSummary};
use rxgate_api_types::vocab::UserStatus;

use crate::api::{self, ApiError};
use crate::components::form::{
    FormAlert, SelectField, TextField, field_error, general_error, last_error, no_error,
};
use crate::components::paged::{Layout, paged_view, use_paged};
use crate::contexts::auth::{role_label, use_auth};
use crate::format;

/// A screenful: more arrive with "Load more".
const PAGE_SIZE: u32 = 20;

const STATUSES: &[(&str, &str)] = &[
    ("", "All"),
    ("active", "Active"),
    ("suspended", "Suspended"),
];

/// The shortest reason the API accepts.
const MIN_REASON_CHARS: usize = 5;

/// The badge of an account's status.
fn status_badge(status: &str) -> impl IntoView + use<> {
    let (class, text) = match status {
        "active" => ("badge badge-ok", "Active".to_owned()),
        "suspended" => ("badge badge-danger", "Suspended".to_owned()),
        other => ("badge", other.replace('_', " ")),
    };
    view! { <span class=class data-testid="person-status">{text}</span> }
}

/// What every row shares: the list to reload, the one open reason form, and the line that
/// announces the last action.
#[derive(Debug, Clone, Copy)]
struct Shared {
    reload: RwSignal<u32>,
    /// The person (user id) whose suspension reason is being asked for.
    asking: RwSignal<Option<String>>,
    announcement: RwSignal<Option<String>>,
}

#[component]
pub fn People() -> impl IntoView {
    // The search box as typed, and the search in force (set when the form is submitted).
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let shared = Shared {
        reload: RwSignal::new(0),
        asking: RwSignal::new(None),
        announcement: RwSignal::new(None),
    };
    // Other filters or an action (`reload`): the list starts again at its first page.
    let paged = use_paged(
        move || {
            let query = UserQuery {
                q: Some(search.get().trim().to_owned()).filter(|q| !q.is_empty()),
                role: None,
                status: UserStatus::parse(&status.get()),
                cursor: None,
                limit: Some(PAGE_SIZE),
            };
            (query, shared.reload.get())
        },
        |(query, _), cursor| async move { api::admin_users(&UserQuery { cursor, ..query }).await },
    );
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        search.set(typed.get_untracked());
    };

    view! {
        <section class="page wide">
            <h1>"People"</h1>
            <p class="muted">
                "Everyone with an account. A suspended person cannot sign in until the account is "
                "reinstated."
            </p>
            <form class="card form filters" aria-label="Find people" on:submit=on_search>
                <TextField
                    label="Search"
                    name="q"
                    kind="search"
                    autocomplete="off"
                    hint="Part of a name or email address."
                    value=typed
                    error=no_error()
                />
                <SelectField label="Status" name="status" value=status options=STATUSES error=no_error() />
                <div class="form-actions">
                    <button class="button" type="submit">"Search"</button>
                </div>
            </form>
            <p class="announcement" role="status">{move || shared.announcement.get()}</p>
            {paged_view(
                paged,
                Layout::List { label: "People" },
                "No one matches.",
                move |person| view! { <PersonItem person shared /> },
            )}
        </section>
    }
}

#[component]
fn PersonItem(person: UserSummary, shared: Shared) -> impl IntoView {
    let id = person.id.to_string();
    let name = person.display_name.clone();
    // `Some(reason)` suspends, `None` reinstates.
    let act = Action::new_local({
        let (id, name) = (id.clone(), name.clone());
        move |reason: &Option<String>| {
            let (id, name, reason) = (id.clone(), name.clone(), reason.clone());
            async move {
                let text = match reason {
                    Some(reason) => {
                        api::suspend_user(&id, &ReasonInput { reason }).await?;
                        format!("Suspended {name}.")
                    }
                    None => {
                        api::reinstate_user(&id).await?;
                        format!("Reinstated {name}.")
                    }
                };
                shared.asking.set(None);
                shared.announcement.set(Some(text));
                shared.reload.update(|n| *n += 1);
                Ok::<_, ApiError>(())
            }
        }
    });
    let pending = act.pending();
    let error = last_error(act);
    // An administrator does not suspend their own account (the server refuses it too).
    let me = use_auth()
        .user_untracked()
        .is_some_and(|me| me.id == person.id);

    let button = match person.status.as_str() {
        _ if me => Some(view! { <span class="badge">"You"</span> }.into_any()),
        "active" => {
            let id = id.clone();
            Some(
                view! {
                    <button
                        class="button secondary"
                        type="button"
                        disabled=move || pending.get()
                        on:click=move |_| shared.asking.set(Some(id.clone()))
                    >
                        "Suspend"
                    </button>
                }
                .into_any(),
            )
        }
        "suspended" => Some(
            view! {
                <button
                    class="button"
                    type="button"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        shared.asking.set(None);
                        act.dispatch(None);
                    }
                >
                    "Reinstate"
                </button>
            }
            .into_any(),
        ),
        _ => None,
    };
    let asking_here = Memo::new(move |_| shared.asking.with(|a| a.as_deref() == Some(id.as_str())));
    let roles = if person.roles.is_empty() {
        "None".to_owned()
    } else {
        person
            .roles
            .iter()
            .map(|r| role_label(r.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };

    view! {
        <li class="item person-item">
            <div class="item-main">
                <p class="item-title">
                    <bdi>{person.display_name.clone()}</bdi>
                    " "
                    {status_badge(person.status.as_str())}
                </p>
                <p class="muted">
                    <a href=format!("mailto:{}", person.email)><bdi>{person.email.clone()}</bdi></a>
                </p>
                <dl class="facts compact">
                    <dt>"Roles"</dt>
                    <dd>{roles}</dd>
                    <dt>"Joined"</dt>
                    <dd>{format::date_time(&person.created_at)}</dd>
                </dl>
            </div>
            <div class="item-actions">{button}</div>
            <div class="item-wide">
                <FormAlert message=general_error(error, &["reason"]) />
                {move || {
                    asking_here
                        .get()
                        .then(|| view! { <ReasonForm name=name.clone() act asking=shared.asking /> })
                }}
            </div>
        </li>
    }
}

/// Asks why an account is suspended, then suspends it.
#[component]
fn ReasonForm(
    name: String,
    act: Action<Option<String>, Result<(), ApiError>>,
    asking: RwSignal<Option<String>>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let too_short = RwSignal::new(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move || {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let error = last_error(act);
    let server_error = field_error(error, "reason");
    let reason_error = Signal::derive(move || too_short.get().or_else(|| server_error.get()));
    let pending = act.pending();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_owned();
        if text.chars().count() < MIN_REASON_CHARS {
            too_short.set(Some(format!(
                "Give a reason (at least {MIN_REASON_CHARS} characters)."
            )));
            return;
        }
        too_short.set(None);
        act.dispatch(Some(text));
    };
    view! {
        <form class="form reason-form" on:submit=on_submit aria-label=format!("Suspend {name}")>
            <TextField
                label="Reason"
                name="reason"
                hint="Recorded with the suspension."
                required=true
                value=reason
                input_ref=input
                error=reason_error
            />
            <div class="form-actions">
                <button class="button danger" type="submit" disabled=move || pending.get()>
                    "Confirm suspension"
                </button>
                <button class="button secondary" type="button" on:click=move |_| asking.set(None)>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}
