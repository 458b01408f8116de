//! The sandbox payment provider's hosted page (`/pay/sandbox/<payment id>`), where `just run`
//! sends a payer instead of a real provider's page. Pay and Decline tell the sandbox, which
//! answers the API later with a signed webhook exactly as a real provider would; this page then
//! waits until the payment has moved. Abandon leaves without doing anything (the payment stays
//! pending until what it pays for expires).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rxgate_api_types::payments::PaymentView;
use rxgate_api_types::vocab::{PaymentStatus, SandboxAction};

use crate::api;
use crate::components::error_view::error_fallback;
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::routes::Page;

/// How long the page waits for the sandbox's webhook before it says so.
const WAIT_STEPS: u32 = 30;

#[component]
pub fn SandboxPay() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let payment = LocalResource::new(move || {
        let id = id();
        async move { api::sandbox_payment(&id).await }
    });
    view! {
        <section class="page narrow">
            <h1>{Page::SandboxPay.label()}</h1>
            <p class="notice notice-warn" role="note">
                "This is the test payment provider of a development installation: no real money moves."
            </p>
            <Transition fallback=|| view! { <Skeleton lines=4 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        payment.await.map(|payment| view! { <Checkout payment /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn Checkout(payment: PaymentView) -> impl IntoView {
    let status = RwSignal::new(payment.status);
    let waiting = RwSignal::new(false);
    let abandoned = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let id = payment.id.to_string();
    let act = Action::new_local(move |action: &SandboxAction| {
        let (id, action) = (id.clone(), *action);
        async move {
            problem.set(None);
            if let Err(e) = api::sandbox_act(&id, action).await {
                problem.set(Some(e.to_string()));
                return;
            }
            waiting.set(true);
            // The provider answers by webhook: look again until the payment has moved.
            for _ in 0..WAIT_STEPS {
                sleep_ms(1000).await;
                match api::sandbox_payment(&id).await {
                    Ok(now) if now.status != PaymentStatus::Pending => {
                        status.set(now.status);
                        break;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        problem.set(Some(e.to_string()));
                        break;
                    }
                }
            }
            waiting.set(false);
        }
    });
    let busy = move || act.pending().get() || waiting.get();
    let pending = move || status.get() == PaymentStatus::Pending && !abandoned.get();
    let amount = format::money(&payment.amount);
    view! {
        <div class="card stack">
            <p class="price" data-testid="sandbox-amount">{amount}</p>
            <p>"Consultation fee"</p>
            <p role="status" data-testid="sandbox-status">
                {move || {
                    if abandoned.get() {
                        "You left without paying.".to_owned()
                    } else if waiting.get() {
                        "Waiting for the payment provider to confirm…".to_owned()
                    } else {
                        match status.get() {
                            PaymentStatus::Pending => "Not paid yet.".to_owned(),
                            PaymentStatus::Succeeded => "Paid. Thank you.".to_owned(),
                            PaymentStatus::Failed => "The payment was declined.".to_owned(),
                            PaymentStatus::Refunded | PaymentStatus::PartiallyRefunded => {
                                "Paid and refunded.".to_owned()
                            }
                        }
                    }
                }}
            </p>
            {move || problem.get().map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })}
            <Show when=pending>
                <div class="form-actions">
                    <button
                        type="button"
                        disabled=busy
                        on:click=move |_| {
                            act.dispatch(SandboxAction::Pay);
                        }
                    >
                        "Pay"
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        disabled=busy
                        on:click=move |_| {
                            act.dispatch(SandboxAction::Decline);
                        }
                    >
                        "Decline"
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        disabled=busy
                        on:click=move |_| abandoned.set(true)
                    >
                        "Abandon"
                    </button>
                </div>
            </Show>
            <Show when=move || !pending()>
                <A href=Page::PatientHome.path() attr:class="button">"Back to my account"</A>
            </Show>
        </div>
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
