//! Ask for a password-reset link. The answer is the same whether or not the address has an
//! account, so the page cannot be used to find out who is a member.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::auth::EmailInput;

use crate::api;
use crate::components::form::{FormAlert, TextField, field_error, general_error, last_error};
use crate::routes::Page;

const FIELDS: &[&str] = &["email"];

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let request = Action::new_local(|input: &EmailInput| {
        let input = input.clone();
        async move { api::request_password_reset(&input).await }
    });
    let pending = request.pending();
    let value = request.value();
    let error = last_error(request);
    let sent = Memo::new(move |_| value.with(|v| matches!(v, Some(Ok(())))));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        request.dispatch(EmailInput {
            email: email.get_untracked().trim().to_owned(),
        });
    };

    view! {
        <section class="page narrow">
            <h1>"Reset your password"</h1>
            <Show
                when=move || sent.get()
                fallback=move || {
                    view! {
                        <form class="card form" on:submit=on_submit aria-labelledby="forgot-title">
                            <p id="forgot-title">
                                "Enter the email address of your account and we will send you a link "
                                "to choose a new password."
                            </p>
                            <FormAlert message=general_error(error, FIELDS) />
                            <TextField
                                label="Email"
                                name="email"
                                kind="email"
                                autocomplete="email"
                                required=true
                                value=email
                                error=field_error(error, "email")
                            />
                            <div class="form-actions">
                                <button class="button" type="submit" disabled=move || pending.get()>
                                    {move || if pending.get() { "Sending…" } else { "Send reset link" }}
                                </button>
                            </div>
                        </form>
                    }
                }
            >
                <div class="notice notice-ok" role="status">
                    <p>
                        "If an account uses " <strong>{email.get_untracked()}</strong>
                        ", we have emailed it a link to choose a new password. The link works "
                        "once and expires soon."
                    </p>
                </div>
            </Show>
            <p>
                <A href=Page::SignIn.path()>"Back to sign in"</A>
            </p>
        </section>
    }
}
