//! Sign in with email and password, or with a passkey alone; each role lands on its own portal
//! home, through the second-factor step when the session needs one.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::ApiError;
use crate::components::form::{FormAlert, TextField, field_error, general_error, last_error};
use crate::components::passkey::passkey_error;
use crate::contexts::auth::use_auth;
use crate::routes::Page;

const FIELDS: &[&str] = &["email", "password"];

#[component]
pub fn SignIn() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let login = Action::new_local({
        let navigate = navigate.clone();
        move |(email, password): &(String, String)| {
            let (email, password) = (email.clone(), password.clone());
            let next = query.with_untracked(|q| q.get("next"));
            let navigate = navigate.clone();
            async move {
                auth.login(email, password).await?;
                navigate(
                    &auth.landing_path(next.as_deref()),
                    NavigateOptions::default(),
                );
                Ok::<_, ApiError>(())
            }
        }
    });
    // The same landing as a password sign-in; the passkey is both factors at once.
    let passkey = Action::new_local(move |(): &()| {
        let next = query.with_untracked(|q| q.get("next"));
        let navigate = navigate.clone();
        async move {
            auth.sign_in_with_passkey().await?;
            navigate(
                &auth.landing_path(next.as_deref()),
                NavigateOptions::default(),
            );
            Ok::<_, ApiError>(())
        }
    });
    let login_pending = login.pending();
    let passkey_pending = passkey.pending();
    // One sign-in at a time.
    let pending = Signal::derive(move || login_pending.get() || passkey_pending.get());
    let error = last_error(login);
    let passkey_failure = last_error(passkey);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        passkey.value().set(None);
        login.dispatch((
            email.get_untracked().trim().to_owned(),
            password.get_untracked(),
        ));
    };
    // Some refusals deserve a word on what to do next.
    let advice = move || {
        error.with(|e| match e.as_ref().and_then(ApiError::code) {
            Some("EMAIL_NOT_VERIFIED") => {
                Some("Open the link in the email we sent when you signed up, then sign in again.")
            }
            Some("ACCOUNT_LOCKED") => {
                Some("Too many failed attempts. Wait a while, or reset your password to unlock it.")
            }
            Some("RATE_LIMITED") => Some("Please wait a minute before trying again."),
            _ => None,
        })
    };

    view! {
        <section class="page narrow">
            <h1>"Sign in"</h1>
            {move || {
                auth.notice()
                    .map(|notice| {
                        view! {
                            <div class="notice notice-warn" role="status">
                                <p>{notice}</p>
                            </div>
                        }
                    })
            }}
            {move || {
                auth.user()
                    .map(|me| {
                        // Tracks the second factor too, so the link follows a verification.
                        let to_portal = auth.mfa().map(|_| auth.landing_path(None));
                        view! {
                            <div class="notice notice-ok" role="status">
                                <p>"You are signed in as " {me.display_name.clone()} "."</p>
                                <A href=to_portal.unwrap_or_default()>"Go to your portal"</A>
                            </div>
                        }
                    })
            }}
            <form class="card form" on:submit=on_submit aria-labelledby="signin-title">
                <h2 id="signin-title" class="visually-hidden">"Sign in with your email address"</h2>
                <FormAlert message=general_error(error, FIELDS) />
                <p class="hint" role="status">{advice}</p>
                <TextField
                    label="Email"
                    name="email"
                    kind="email"
                    autocomplete="username"
                    required=true
                    value=email
                    error=field_error(error, "email")
                />
                <TextField
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    value=password
                    error=field_error(error, "password")
                />
                <div class="form-actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if login_pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                    <A href=Page::ForgotPassword.path()>"Forgot your password?"</A>
                </div>
            </form>
            <div class="card stack" aria-labelledby="passkey-signin-title">
                <h2 id="passkey-signin-title">"Or use a passkey"</h2>
                <p class="muted">
                    "No email address or password needed: your device asks for your fingerprint, "
                    "face or screen lock."
                </p>
                <FormAlert message=passkey_error(passkey_failure, &["credential"]) />
                <div class="form-actions">
                    <button
                        class="button secondary"
                        type="button"
                        disabled=move || pending.get()
                        on:click=move |_| {
                            login.value().set(None);
                            passkey.dispatch(());
                        }
                    >
                        {move || {
                            if passkey_pending.get() {
                                "Waiting for your passkey…"
                            } else {
                                "Sign in with a passkey"
                            }
                        }}
                    </button>
                </div>
            </div>
            <p>
                "New to Rxgate? " <A href=Page::SignUp.path()>"Create an account"</A>
            </p>
        </section>
    }
}
