//! `/reset-password#token=…`: choose a new password with the emailed link.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::auth::PasswordResetConfirm;

use crate::api;
use crate::components::form::{FormAlert, TextField, field_error, general_error, last_error};
use crate::pages::auth::take_token_from_fragment;
use crate::routes::Page;

const FIELDS: &[&str] = &["password"];

#[component]
pub fn ResetPassword() -> impl IntoView {
    let token = StoredValue::new(take_token_from_fragment(Page::ResetPassword));
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let mismatch = RwSignal::new(None::<String>);
    let confirm = Action::new_local(|input: &PasswordResetConfirm| {
        let input = input.clone();
        async move { api::confirm_password_reset(&input).await }
    });
    let pending = confirm.pending();
    let value = confirm.value();
    let error = last_error(confirm);
    let done = Memo::new(move |_| value.with(|v| matches!(v, Some(Ok(())))));
    let link_problem = Memo::new(move |_| {
        error.with(|e| {
            e.as_ref()
                .and_then(|e| e.code())
                .is_some_and(|c| c == "INVALID_TOKEN" || c == "TOKEN_EXPIRED")
        })
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if password.get_untracked() != repeat.get_untracked() {
            mismatch.set(Some("The two passwords differ.".into()));
            return;
        }
        mismatch.set(None);
        if let Some(token) = token.get_value() {
            confirm.dispatch(PasswordResetConfirm {
                token,
                password: password.get_untracked(),
            });
        }
    };

    let form = move || {
        view! {
            <form class="card form" on:submit=on_submit aria-labelledby="reset-title">
                <h2 id="reset-title" class="visually-hidden">"New password"</h2>
                <FormAlert message=general_error(error, FIELDS) />
                <Show when=move || link_problem.get()>
                    <p>
                        <A href=Page::ForgotPassword.path()>"Ask for a new link"</A>
                    </p>
                </Show>
                <TextField
                    label="New password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 12 characters. A few unrelated words make a strong one."
                    required=true
                    minlength="12"
                    value=password
                    error=field_error(error, "password")
                />
                <TextField
                    label="Repeat the new password"
                    name="password_repeat"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    value=repeat
                    error=mismatch
                />
                <div class="form-actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "Saving…" } else { "Change password" }}
                    </button>
                </div>
            </form>
        }
    };

    view! {
        <section class="page narrow">
            <h1>"Choose a new password"</h1>
            {move || {
                if token.with_value(Option::is_none) {
                    view! {
                        <div class="notice notice-error" role="alert">
                            <p>"This link is incomplete. Open the link from the email again."</p>
                        </div>
                        <p>
                            <A href=Page::ForgotPassword.path()>"Ask for a new link"</A>
                        </p>
                    }
                        .into_any()
                } else if done.get() {
                    view! {
                        <div class="notice notice-ok" role="status">
                            <p>"Your password has been changed. Sign in with the new one."</p>
                        </div>
                        <p>
                            <A href=Page::SignIn.path() attr:class="button">"Sign in"</A>
                        </p>
                    }
                        .into_any()
                } else {
                    form().into_any()
                }
            }}
        </section>
    }
}
