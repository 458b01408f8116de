//! The sandbox payment provider's hosted page (`/pay/sandbox/<payment id>`), where `just run`
//! sends a payer instead of a real provider's page. Pay and Decline tell the sandbox, which
//! answers the API later with a signed webhook exactly as a real provider would; this page then
//! waits until the payment has moved. Abandon leaves without doing anything (the payment stays
//! pending until what it pays for expires).
//!
//! Kept deliberately small (it is in every first load): plain signals, and the payment read as
//! JSON rather than through its own typed decoder.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rxgate_api_types::catalogue::MoneyView;
use rxgate_api_types::vocab::SandboxAction;
use serde_json::Value;

use crate::api;
use crate::format;
use crate::routes::Page;

/// How many seconds the page waits for the sandbox's webhook.
const WAIT_SECS: u32 = 30;

/// What the page shows about the payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Loading,
    Pending,
    Waiting,
    Paid,
    Declined,
    Refunded,
    Abandoned,
}

impl State {
    fn of(payment: &Value) -> Self {
        match payment["status"].as_str() {
            Some("succeeded") => Self::Paid,
            Some("failed") => Self::Declined,
            Some("refunded" | "partially_refunded") => Self::Refunded,
            _ => Self::Pending,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Self::Loading => "Loading…",
            Self::Pending => "Not paid yet.",
            Self::Waiting => "Waiting for the payment provider to confirm…",
            Self::Paid => "Paid. Thank you.",
            Self::Declined => "The payment was declined.",
            Self::Refunded => "Paid and refunded.",
            Self::Abandoned => "You left without paying.",
        }
    }
}

#[component]
pub fn SandboxPay() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    let state = RwSignal::new(State::Loading);
    let amount = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    {
        let id = id.clone();
        spawn_local(async move {
            match api::sandbox_payment(&id).await {
                Ok(payment) => {
                    if let Ok(money) =
                        serde_json::from_value::<MoneyView>(payment["amount"].clone())
                    {
                        amount.set(format::money(&money));
                    }
                    state.set(State::of(&payment));
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    }
    let act = move |action: SandboxAction| {
        let id = id.clone();
        state.set(State::Waiting);
        problem.set(None);
        spawn_local(async move {
            if let Err(e) = api::sandbox_act(&id, action).await {
                state.set(State::Pending);
                problem.set(Some(e.to_string()));
                return;
            }
            // The provider answers by webhook: look again until the payment has moved.
            for _ in 0..WAIT_SECS {
                sleep_ms(1000).await;
                match api::sandbox_payment(&id).await {
                    Ok(now) if State::of(&now) != State::Pending => {
                        state.set(State::of(&now));
                        return;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        problem.set(Some(e.to_string()));
                        break;
                    }
                }
            }
            state.set(State::Pending);
        });
    };
    let (pay, decline) = (act.clone(), act);
    view! {
        <section class="page narrow">
            <h1>{Page::SandboxPay.label()}</h1>
            <p class="notice notice-warn" role="note">
                "This is the test payment provider of a development installation: no real money moves."
            </p>
            <div class="card stack">
                <p class="price" data-testid="sandbox-amount">{move || amount.get()}</p>
                <p>"Consultation fee"</p>
                <p role="status" data-testid="sandbox-status">{move || state.get().text()}</p>
                {move || problem.get().map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })}
                <div class="form-actions" hidden=move || !matches!(state.get(), State::Pending | State::Waiting)>
                    <button
                        type="button"
                        disabled=move || state.get() == State::Waiting
                        on:click=move |_| pay(SandboxAction::Pay)
                    >
                        "Pay"
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        disabled=move || state.get() == State::Waiting
                        on:click=move |_| decline(SandboxAction::Decline)
                    >
                        "Decline"
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        disabled=move || state.get() == State::Waiting
                        on:click=move |_| state.set(State::Abandoned)
                    >
                        "Abandon"
                    </button>
                </div>
                <p hidden=move || matches!(state.get(), State::Loading | State::Pending | State::Waiting)>
                    <A href=Page::PatientHome.path() attr:class="button">"Back to my account"</A>
                </p>
            </div>
        </section>
    }
}

/// Resolves after `ms` milliseconds.
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
