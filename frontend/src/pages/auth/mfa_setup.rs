//! `/account/mfa/setup`: setting up a second factor. Staff must do it before anything else
//! (their sessions come here until they have); patients may opt in from their account page.
//! With an authenticator app, the server makes a new secret (QR code and text), the person
//! confirms a code from the app, and gets ten single-use recovery codes, shown this once. A
//! passkey instead is added in one go, and the person carries on.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use rxgate_api_types::auth::TotpEnrolment;

use crate::api::{self, ApiError};
use crate::components::form::{FormAlert, TextField, field_error, general_error, last_error};
use crate::components::passkey::AddPasskeyForm;
use crate::components::skeleton::Skeleton;
use crate::contexts::auth::{Mfa, use_auth};
use crate::routes::Page;

const FIELDS: &[&str] = &["code"];

#[component]
pub fn MfaSetup() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let next = query.with_untracked(|q| q.get("next"));
    // Decided once, when the page opens: finishing the set-up changes both.
    let mfa = auth.mfa_untracked();
    let enrolled = auth.user_untracked().is_some_and(|me| me.mfa_enrolled);
    if mfa == Some(Mfa::Required) || enrolled {
        let (text, to, link) = if mfa == Some(Mfa::Required) {
            (
                "Two-step verification is already on for your account. Enter a code to continue.",
                auth.landing_path(next.as_deref()),
                "Enter a code",
            )
        } else {
            (
                "Two-step verification is already on for your account.",
                Page::Account.path().to_owned(),
                "Back to your account",
            )
        };
        return view! {
            <section class="page narrow">
                <h1>"Set up two-step verification"</h1>
                <div class="notice notice-ok" role="status">
                    <p>{text}</p>
                    <A href=to>{link}</A>
                </div>
            </section>
        }
        .into_any();
    }
    // Staff cannot skip the set-up; patients can come back to it later.
    let optional = mfa != Some(Mfa::EnrolmentRequired);
    let recovery_codes = RwSignal::new(None::<Vec<String>>);
    view! {
        {move || match recovery_codes.get() {
            Some(codes) => view! { <RecoveryCodes codes next=next.clone() /> }.into_any(),
            None => view! { <Enrol optional recovery_codes next=next.clone() /> }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn Enrol(
    optional: bool,
    recovery_codes: RwSignal<Option<Vec<String>>>,
    next: Option<String>,
) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    // A passkey needs no recovery codes: the set-up is done.
    let passkey_added = move |_| {
        navigate(
            &auth.landing_path(next.as_deref()),
            NavigateOptions::default(),
        );
    };
    // Starting writes a new (unconfirmed) secret, so it is an action, run once on opening.
    let start = Action::new_local(|(): &()| api::start_totp());
    start.dispatch(());
    let enrolment = start.value();

    view! {
        <section class="page narrow">
            <h1>"Set up two-step verification"</h1>
            <p class="lead">
                "Besides your password, signing in will ask for a 6-digit code from an "
                "authenticator app on your phone, such as Google Authenticator, Microsoft "
                "Authenticator or 1Password, or for a passkey. Someone who learns your password "
                "still cannot get in."
            </p>
            {(!optional)
                .then(|| {
                    view! {
                        <p class="notice notice-warn">
                            "Staff accounts must use two-step verification. Set it up to continue."
                        </p>
                    }
                })}
            {move || match enrolment.get() {
                None => view! { <Skeleton lines=6 /> }.into_any(),
                Some(Err(e)) => {
                    view! {
                        <div class="notice notice-error" role="alert">
                            <p>{e.to_string()}</p>
                            <A href=auth.landing_path(None)>"Continue"</A>
                        </div>
                    }
                        .into_any()
                }
                Some(Ok(enrolment)) => {
                    view! { <ConfirmCode enrolment recovery_codes /> }.into_any()
                }
            }}
            <div class="card stack" aria-labelledby="passkey-title">
                <h2 id="passkey-title">"Or use a passkey"</h2>
                <p>
                    "A passkey stays on this device, your phone or your password manager, and is "
                    "unlocked with your fingerprint, face or screen lock. It can also sign you in "
                    "without your password."
                </p>
                <AddPasskeyForm
                    submit="Use a passkey instead"
                    label="Use a passkey instead"
                    on_added=passkey_added
                    secondary=true
                />
            </div>
            {optional
                .then(|| {
                    view! {
                        <p>
                            <A href=Page::Account.path()>"Not now, back to your account"</A>
                        </p>
                    }
                })}
        </section>
    }
}

#[component]
fn ConfirmCode(
    enrolment: TotpEnrolment,
    recovery_codes: RwSignal<Option<Vec<String>>>,
) -> impl IntoView {
    let auth = use_auth();
    let code = RwSignal::new(String::new());
    let confirm = Action::new_local(move |code: &String| {
        let code = code.clone();
        async move {
            let codes = auth.confirm_totp(code).await?;
            recovery_codes.set(Some(codes));
            Ok::<_, ApiError>(())
        }
    });
    let pending = confirm.pending();
    let error = last_error(confirm);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        confirm.dispatch(code.get_untracked().trim().to_owned());
    };

    view! {
        <div class="card stack">
            <h2>"1. Add Rxgate to your authenticator app"</h2>
            <p>"Scan this QR code with the app."</p>
            // The SVG is produced by our own server from the secret (no user input in it).
            <div
                class="qr"
                role="img"
                aria-label="QR code for your authenticator app"
                inner_html=enrolment.qr_svg
            ></div>
            <div class="form">
                <label>
                    "Secret key"
                    <input
                        type="text"
                        readonly
                        aria-describedby="secret-hint"
                        prop:value=enrolment.secret
                        on:focus:target=move |ev| ev.target().select()
                    />
                </label>
                <p class="hint" id="secret-hint">
                    "Cannot scan? Choose to enter a set-up key in the app, and type this key. "
                    "It is time-based, with 6 digits."
                </p>
            </div>
        </div>
        <form class="card form" on:submit=on_submit aria-labelledby="confirm-title">
            <h2 id="confirm-title">"2. Enter the code the app shows"</h2>
            <FormAlert message=general_error(error, FIELDS) />
            <TextField
                label="Authentication code"
                name="code"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="7"
                required=true
                value=code
                error=field_error(error, "code")
            />
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Confirming…" } else { "Confirm" }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn RecoveryCodes(codes: Vec<String>, next: Option<String>) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let heading = NodeRef::<leptos::html::H1>::new();
    // The screen changed under the person's feet: start reading from its heading.
    Effect::new(move || {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let done = move |_| {
        navigate(
            &auth.landing_path(next.as_deref()),
            NavigateOptions::default(),
        );
    };
    view! {
        <section class="page narrow">
            <h1 node_ref=heading tabindex="-1">"Save your recovery codes"</h1>
            <div class="notice notice-ok" role="status">
                <p>"Two-step verification is on."</p>
            </div>
            <div class="card stack">
                <p>
                    "If you lose your phone, sign in with one of these codes instead of a code "
                    "from the app. Each code works once. Keep them somewhere safe, such as a "
                    "password manager; they are shown only now."
                </p>
                <ol class="codes" aria-label="Recovery codes" data-testid="recovery-codes">
                    {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                </ol>
                <div class="form-actions">
                    <button class="button" type="button" on:click=done>
                        "I have saved these codes"
                    </button>
                </div>
            </div>
        </section>
    }
}
