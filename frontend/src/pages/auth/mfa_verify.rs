//! `/signin/verify`: the second step of signing in, for sessions whose second factor is set up
//! but not yet passed. A passkey, a code from the authenticator app, or one of the recovery
//! codes: whichever of them the person has set up.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use rxgate_api_types::auth::MfaVerifyRequest;

use crate::api::ApiError;
use crate::components::form::{FormAlert, TextField, field_error, general_error, last_error};
use crate::components::passkey::passkey_error;
use crate::contexts::auth::{Mfa, use_auth};

const FIELDS: &[&str] = &["code", "recovery_code"];

#[component]
pub fn MfaVerify() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let next = query.with_untracked(|q| q.get("next"));
    // Decided once, when the page opens: passing the step changes it, and the page then leaves.
    if auth.mfa_untracked() != Some(Mfa::Required) {
        let to = auth.landing_path(next.as_deref());
        return view! {
            <section class="page narrow">
                <h1>"Two-step verification"</h1>
                <div class="notice notice-ok" role="status">
                    <p>"There is nothing to verify for this session."</p>
                    <A href=to>"Continue"</A>
                </div>
            </section>
        }
        .into_any();
    }
    let methods = auth
        .user_untracked()
        .map(|me| me.mfa_methods)
        .unwrap_or_default();
    let has_passkey = methods.iter().any(|m| m == "passkey");
    // An account from before the server named its methods has an authenticator app.
    let has_totp = methods.iter().any(|m| m == "totp") || !has_passkey;
    view! {
        <section class="page narrow">
            <h1>"Two-step verification"</h1>
            {has_totp.then(|| view! { <VerifyForm next=next.clone() /> })}
            {has_passkey.then(|| view! { <PasskeyStep next primary=!has_totp /> })}
        </section>
    }
    .into_any()
}

/// Passing the step with a passkey: the first choice of people without an authenticator app,
/// a second one otherwise.
#[component]
fn PasskeyStep(next: Option<String>, primary: bool) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let verify = Action::new_local(move |(): &()| {
        let next = next.clone();
        let navigate = navigate.clone();
        async move {
            auth.verify_mfa_with_passkey().await?;
            navigate(
                &auth.landing_path(next.as_deref()),
                NavigateOptions::default(),
            );
            Ok::<_, ApiError>(())
        }
    });
    let pending = verify.pending();
    let error = last_error(verify);
    let (title, class) = if primary {
        ("Confirm it is you with your passkey", "button")
    } else {
        ("Or use a passkey", "button secondary")
    };
    view! {
        <div class="card stack" aria-labelledby="passkey-step-title">
            <h2 id="passkey-step-title">{title}</h2>
            <p>
                "Your device asks for your fingerprint, face or screen lock, or to use a passkey "
                "from your phone or security key."
            </p>
            <FormAlert message=passkey_error(error, &["credential"]) />
            <div class="form-actions">
                <button
                    class=class
                    type="button"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        verify.dispatch(());
                    }
                >
                    {move || if pending.get() { "Waiting for your passkey…" } else { "Use a passkey" }}
                </button>
            </div>
        </div>
    }
}

#[component]
fn VerifyForm(next: Option<String>) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let code = RwSignal::new(String::new());
    let recovery_code = RwSignal::new(String::new());
    let use_recovery = RwSignal::new(false);
    let code_ref = NodeRef::<leptos::html::Input>::new();
    let recovery_ref = NodeRef::<leptos::html::Input>::new();

    let verify = Action::new_local(move |body: &MfaVerifyRequest| {
        let body = body.clone();
        let next = next.clone();
        let navigate = navigate.clone();
        async move {
            auth.verify_mfa(body).await?;
            navigate(
                &auth.landing_path(next.as_deref()),
                NavigateOptions::default(),
            );
            Ok::<_, ApiError>(())
        }
    });
    let pending = verify.pending();
    let error = last_error(verify);
    let advice = move || {
        error.with(|e| match e.as_ref().and_then(ApiError::code) {
            Some("ACCOUNT_LOCKED") => Some(
                "Too many wrong codes. Wait a while before trying again, or ask an administrator.",
            ),
            _ => None,
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_owned());
        verify.dispatch(if use_recovery.get_untracked() {
            MfaVerifyRequest {
                code: None,
                recovery_code: text(recovery_code),
            }
        } else {
            MfaVerifyRequest {
                code: text(code),
                recovery_code: None,
            }
        });
    };
    let toggle = move |_| {
        use_recovery.update(|r| *r = !*r);
        verify.value().set(None);
    };
    // The field that just appeared gets the focus.
    Effect::new(move |first: Option<()>| {
        let recovery = use_recovery.get();
        if first.is_some() {
            let input = if recovery {
                recovery_ref.get()
            } else {
                code_ref.get()
            };
            if let Some(input) = input {
                let _ = input.focus();
            }
        }
    });

    view! {
            <form class="card form" on:submit=on_submit aria-labelledby="verify-title">
                <h2 id="verify-title" class="visually-hidden">"Enter a code to finish signing in"</h2>
                <FormAlert message=general_error(error, FIELDS) />
                <p class="hint" role="status">{advice}</p>
                <Show
                    when=move || use_recovery.get()
                    fallback=move || {
                        view! {
                            <p>"Open your authenticator app and enter the 6-digit code it shows for Rxgate."</p>
                            <TextField
                                label="Authentication code"
                                name="code"
                                inputmode="numeric"
                                autocomplete="one-time-code"
                                maxlength="7"
                                required=true
                                value=code
                                input_ref=code_ref
                                error=field_error(error, "code")
                            />
                        }
                    }
                >
                    <p>"Enter one of the recovery codes you saved when you set up two-step verification. Each code works once."</p>
                    <TextField
                        label="Recovery code"
                        name="recovery_code"
                        autocomplete="off"
                        required=true
                        value=recovery_code
                        input_ref=recovery_ref
                        error=field_error(error, "recovery_code")
                    />
                </Show>
                <div class="form-actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "Verifying…" } else { "Verify" }}
                    </button>
                    <button class="link-button" type="button" on:click=toggle>
                        {move || {
                            if use_recovery.get() {
                                "Use a code from your authenticator app"
                            } else {
                                "Use a recovery code"
                            }
                        }}
                    </button>
                </div>
            </form>
    }
}
