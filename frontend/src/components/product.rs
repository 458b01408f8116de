//! How a catalogue product is described on every portal's lists and pages.

use leptos::prelude::*;
use rxgate_api_types::catalogue::{CategoryView, ProductSummary};

use crate::api::ApiError;

/// The category drop-down: every category, and "All" first.
pub fn category_options(
    categories: Option<Result<Vec<CategoryView>, ApiError>>,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), "All".to_owned()))
        .chain(
            categories
                .and_then(Result::ok)
                .unwrap_or_default()
                .into_iter()
                .map(|c| (c.slug, c.name)),
        )
        .collect()
}

/// "Tablet · 10 mg · S1 · No prescription": what a product is, in one line.
pub fn product_facts(p: &ProductSummary) -> String {
    let mut parts = vec![p.category.name.clone(), p.dosage_form.clone()];
    if !p.strength.is_empty() {
        parts.push(p.strength.clone());
    }
    parts.push(p.schedule.to_string());
    parts.push(
        if p.requires_prescription {
            "Prescription"
        } else {
            "No prescription"
        }
        .to_owned(),
    );
    parts.join(" · ")
}

/// The badge of a product's state in the master catalogue.
pub fn active_badge(active: bool) -> impl IntoView {
    if active {
        view! { <span class="badge badge-ok">"Active"</span> }
    } else {
        view! { <span class="badge">"Inactive"</span> }
    }
}
