//! The doctor portal: their patients with their flags, each patient's chart (where flags are
//! overridden with a reason), the patients whose flags need a clinician's review, and the
//! doctor's own prices.

pub mod calendar;
pub mod chart;
pub mod patients;
pub mod prices;
pub mod review_queue;
pub mod schedule;

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::catalogue::FlagView;

use crate::api::ApiError;

/// The flags' names, loaded once per page: lists carry flag codes only.
pub type FlagNames = LocalResource<Result<Vec<FlagView>, ApiError>>;

/// `(code, label)` of each flag code, the code itself until the names arrive.
pub fn named_flags(codes: &[String], names: FlagNames) -> Vec<(String, String)> {
    let names = names.get().and_then(Result::ok).unwrap_or_default();
    codes
        .iter()
        .map(|code| {
            let label = names
                .iter()
                .find(|f| &f.code == code)
                .map_or_else(|| code.clone(), |f| f.label.clone());
            (code.clone(), label)
        })
        .collect()
}

/// A link to a patient's chart.
#[component]
pub fn ChartLink(id: String, name: String) -> impl IntoView {
    let href = crate::routes::Page::DoctorPatientChart.item(&id);
    view! { <A href=href>{name}</A> }
}
