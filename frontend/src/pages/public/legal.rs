//! The terms of service and the privacy notice, each at a stable, versioned address
//! (`/legal/terms/2026-11`): sign-up consents record the version people agreed to. The bare
//! address (`/legal/terms`) goes to the current version.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::pages::auth::POLICY_VERSION;
use crate::pages::public::not_found::NotFound;
use crate::routes::Page;

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Terms,
    Privacy,
}

impl Document {
    fn page(self) -> Page {
        match self {
            Self::Terms => Page::LegalTerms,
            Self::Privacy => Page::LegalPrivacy,
        }
    }
}

/// The address of the version of `document` that sign-up asks people to accept.
pub fn current(document: Document) -> String {
    document.page().item(POLICY_VERSION)
}

/// `/legal/terms` and `/legal/privacy`: to the current version.
#[component]
pub fn CurrentLegal(document: Document) -> impl IntoView {
    view! { <Redirect path=current(document) /> }
}

/// One version of a document; a version that does not exist is "Page not found".
#[component]
pub fn Legal(document: Document) -> impl IntoView {
    let params = use_params_map();
    let version = move || params.read().get("version").unwrap_or_default();
    move || {
        if version() != POLICY_VERSION {
            return view! { <NotFound /> }.into_any();
        }
        let body = match document {
            Document::Terms => terms().into_any(),
            Document::Privacy => privacy().into_any(),
        };
        view! {
            <article class="page narrow legal">
                <h1>{document.page().label()}</h1>
                <p class="muted">"Version " {POLICY_VERSION}</p>
                {body}
            </article>
        }
        .into_any()
    }
}

fn terms() -> impl IntoView {
    view! {
        <h2>"The service"</h2>
        <p>
            "Rxgate connects you with registered doctors, who may prescribe medicines after "
            "reviewing your health questionnaire, and with pharmacies, whose pharmacists check "
            "every prescription order before it is delivered."
        </p>
        <h2>"Your part"</h2>
        <p>
            "Answer the health questionnaire truthfully and completely, keep your sign-in "
            "details to yourself, and use medicines only as prescribed."
        </p>
        <h2>"Not for emergencies"</h2>
        <p>"In an emergency, call your local emergency number or go to the nearest hospital."</p>
        <h2>"Changes"</h2>
        <p>
            "When these terms change, they get a new version and you are asked to accept it. "
            "Earlier versions stay at their own addresses."
        </p>
    }
}

fn privacy() -> impl IntoView {
    view! {
        <h2>"What we keep"</h2>
        <p>
            "Your account details, your health questionnaire answers, and the consults, "
            "prescriptions and orders you make. Health information is stored encrypted."
        </p>
        <h2>"Who sees it"</h2>
        <p>
            "The doctors and pharmacists who care for you see the health information they need "
            "for that. Every access to it is recorded, and information officers review the record."
        </p>
        <h2>"Your choices"</h2>
        <p>
            "News and offers by email only if you agree to them; you can see your consents and "
            "the devices signed in to your account on your account page."
        </p>
    }
}
