//! Whether the signed-in patient may buy a product, in words: the verdict, the reasons the
//! rules give, warnings as notes, and for products that need a consult its fee and the way to
//! book one.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::catalogue::{EligibilityReason, EligibilityView};

use crate::format;
use crate::routes::Page;

/// The badge text and style of a verdict.
fn verdict(verdict: &str) -> (&'static str, String) {
    match verdict {
        "eligible" => ("badge badge-ok", "Available".to_owned()),
        "consult_required" => ("badge badge-warn", "Consult needed".to_owned()),
        "blocked" => ("badge badge-danger", "Not available to you".to_owned()),
        "needs_review" => ("badge badge-warn", "Needs a clinician's review".to_owned()),
        other => ("badge", other.replace('_', " ")),
    }
}

fn messages(reasons: &[EligibilityReason], class: &'static str, label: &'static str) -> AnyView {
    if reasons.is_empty() {
        return ().into_any();
    }
    view! {
        <ul class=class aria-label=label>
            {reasons.iter().map(|r| view! { <li>{r.message.clone()}</li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The verdict with its reasons. `product` names the product for screen readers (a card may
/// sit among many).
#[component]
pub fn EligibilityPanel(eligibility: Option<EligibilityView>, product: String) -> impl IntoView {
    let Some(e) = eligibility else {
        return ().into_any();
    };
    let (class, text) = verdict(e.verdict.as_str());
    let consult = (e.verdict == "consult_required").then(|| {
        let fee = e.consult_fee.as_ref().map(|fee| {
            view! { <p class="consult-fee">"Consult fee " <strong>{format::money(fee)}</strong></p> }
        });
        view! {
            <p>"A doctor must prescribe it after a consult."</p>
            {fee}
            <A href=Page::PatientBookConsult.path() attr:class="button secondary">
                "Book a consult"
                <span class="visually-hidden">" for " {product.clone()}</span>
            </A>
        }
    });
    view! {
        <div class=format!("eligibility eligibility-{}", e.verdict) data-testid="eligibility">
            <p>
                <span class="visually-hidden">"Availability: "</span>
                <span class=class data-testid="verdict">{text}</span>
            </p>
            {messages(&e.reasons, "reasons", "Why")}
            {consult}
            {messages(&e.warnings, "notes", "Notes")}
        </div>
    }
    .into_any()
}
