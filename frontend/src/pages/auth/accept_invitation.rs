//! `/accept-invitation#token=…`: the link of a staff invitation. A new person chooses a name and
//! a password; someone who already has an account gets the role added to it (the name and
//! password are then ignored).

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::admin::{AcceptInvitation as AcceptInvitationBody, InvitationAccepted};

use crate::api;
use crate::components::form::{FormAlert, TextField, field_error, general_error, last_error};
use crate::contexts::auth::role_label;
use crate::pages::auth::take_token_from_fragment;
use crate::routes::Page;

const FIELDS: &[&str] = &["display_name", "password"];

/// Text for an optional field: `None` when left blank.
fn optional(value: String) -> Option<String> {
    (!value.trim().is_empty()).then_some(value)
}

#[component]
pub fn AcceptInvitation() -> impl IntoView {
    let token = StoredValue::new(take_token_from_fragment(Page::AcceptInvitation));
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let accept = Action::new_local(|input: &AcceptInvitationBody| {
        let input = input.clone();
        async move { api::accept_invitation(&input).await }
    });
    let pending = accept.pending();
    let value = accept.value();
    let error = last_error(accept);
    let accepted = Memo::new(move |_| value.with(|v| v.as_ref().and_then(|r| r.clone().ok())));
    let link_problem = Memo::new(move |_| {
        error.with(|e| {
            e.as_ref()
                .and_then(|e| e.code())
                .is_some_and(|c| c == "INVALID_TOKEN" || c == "TOKEN_EXPIRED")
        })
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(token) = token.get_value() {
            accept.dispatch(AcceptInvitationBody {
                token,
                display_name: optional(display_name.get_untracked().trim().to_owned()),
                password: optional(password.get_untracked()),
            });
        }
    };

    let form = move || {
        view! {
            <form class="card form" on:submit=on_submit aria-labelledby="accept-title">
                <h2 id="accept-title" class="visually-hidden">"Your account"</h2>
                <p class="muted">
                    "Choose the name and password of your new account. If you already have an "
                    "account with this email address, the invitation's role is added to it."
                </p>
                <FormAlert message=general_error(error, FIELDS) />
                <Show when=move || link_problem.get()>
                    <p>
                        "Ask the person who invited you to send a new invitation. If you have "
                        "already accepted it, just "
                        <A href=Page::SignIn.path()>"sign in"</A>
                        "."
                    </p>
                </Show>
                <TextField
                    label="Your name"
                    name="display_name"
                    autocomplete="name"
                    value=display_name
                    error=field_error(error, "display_name")
                />
                <TextField
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 12 characters. A few unrelated words make a strong one."
                    minlength="12"
                    value=password
                    error=field_error(error, "password")
                />
                <div class="form-actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "Accepting…" } else { "Accept invitation" }}
                    </button>
                </div>
            </form>
        }
    };

    view! {
        <section class="page narrow">
            <h1>"Accept your invitation"</h1>
            {move || {
                if token.with_value(Option::is_none) {
                    view! {
                        <div class="notice notice-error" role="alert">
                            <p>
                                "This link is incomplete. Open the link from the email again, or "
                                "copy the whole address into your browser."
                            </p>
                        </div>
                    }
                        .into_any()
                } else if let Some(done) = accepted.get() {
                    view! { <Accepted done /> }.into_any()
                } else {
                    form().into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Accepted(done: InvitationAccepted) -> impl IntoView {
    let role = role_label(done.role.as_str());
    let what = if done.new_account {
        format!(
            "Your account {} is ready: you are {} at {}.",
            done.email,
            with_article(&role),
            done.organisation_name
        )
    } else {
        format!(
            "The role {} at {} was added to your existing account {}.",
            role.to_lowercase(),
            done.organisation_name,
            done.email
        )
    };
    view! {
        <div class="notice notice-ok" role="status">
            <p><strong>"Invitation accepted"</strong></p>
            <p>{what}</p>
            <p>"Sign in to continue. Staff set up two-step verification on their first sign-in."</p>
        </div>
        <p>
            <A href=Page::SignIn.path() attr:class="button">"Sign in"</A>
        </p>
    }
}

/// "a pharmacist", "an information officer".
fn with_article(role: &str) -> String {
    let lower = role.to_lowercase();
    let article = if lower.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {lower}")
}
