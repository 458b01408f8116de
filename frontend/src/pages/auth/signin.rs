//! Sign in with email and password; each role lands on its own portal home, through the
//! second-factor step when the session needs one.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::ApiError;
use crate::components::form::{FormAlert, TextField, field_error, general_error, last_error};
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

    let login = Action::new_local(move |(email, password): &(String, String)| {
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
    });
    let pending = login.pending();
    let error = last_error(login);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
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
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                    <A href=Page::ForgotPassword.path()>"Forgot your password?"</A>
                </div>
            </form>
            <p>
                "New to Rxgate? " <A href=Page::SignUp.path()>"Create an account"</A>
            </p>
        </section>
    }
}
