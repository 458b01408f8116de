use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::contexts::auth::use_auth;
use crate::routes::Page;

/// The public landing page: what the service does for a patient, how it works, and the way
/// in. The name is the platform's own (from `/platform`), the product name until it answers.
#[component]
pub fn Home() -> impl IntoView {
    let auth = use_auth();
    let platform = LocalResource::new(api::platform);
    let name = move || {
        platform
            .get()
            .and_then(|p| p.ok())
            .map(|p| p.name)
            .unwrap_or_else(|| "Rxgate".to_owned())
    };
    view! {
        <section class="page landing">
            <div class="hero stack">
                <h1>{name}</h1>
                <p class="lead">
                    "Treatment from a registered doctor without a waiting room. Tell us about "
                    "your health online, a doctor reviews what you need, and a pharmacist checks "
                    "every order before it is delivered to your door."
                </p>
                <Show
                    when=move || auth.signed_in() == Some(true)
                    fallback=|| {
                        view! {
                            <div class="landing-actions">
                                <A href=Page::SignUp.path() attr:class="button">"Create an account"</A>
                                <A href=Page::SignIn.path() attr:class="button secondary">"Sign in"</A>
                            </div>
                        }
                    }
                >
                    <p>"You are signed in: your pages are in the menu."</p>
                </Show>
            </div>
            <section aria-labelledby="how-title" class="stack">
                <h2 id="how-title">"How it works"</h2>
                <ol class="steps">
                    <li class="card">
                        <h3>"1. Answer a health questionnaire"</h3>
                        <p>
                            "A few questions about your health, medicines and allergies, once. "
                            "The shop then shows which products suit you."
                        </p>
                    </li>
                    <li class="card">
                        <h3>"2. A doctor reviews your request"</h3>
                        <p>
                            "A registered doctor reads your answers, asks if something is unclear "
                            "and prescribes only what is safe for you."
                        </p>
                    </li>
                    <li class="card">
                        <h3>"3. A pharmacist checks, then it is delivered"</h3>
                        <p>
                            "A pharmacist checks every prescription order before it leaves the "
                            "pharmacy, and it comes to your door."
                        </p>
                    </li>
                </ol>
            </section>
            <p class="muted">
                <A href=Page::LegalTerms.path()>"Terms of service"</A>
                " · "
                <A href=Page::LegalPrivacy.path()>"Privacy notice"</A>
            </p>
        </section>
    }
}
