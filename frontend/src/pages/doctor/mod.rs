//! The doctor portal: their patients with their flags, each patient's chart (where flags are
//! overridden with a reason), the patients whose flags need a clinician's review, and the
//! doctor's own prices.

pub mod chart;
pub mod patients;
pub mod prices;
pub mod review_queue;

use std::cell::RefCell;
use std::collections::HashMap;

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

thread_local! {
    /// Names of the patients listed on this tab's lists, by id: the chart says whose it is
    /// without another request (the health profile carries no name) and without putting the
    /// name in the address. Memory only, like everything else about patients here.
    static NAMES: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// The name of patient `id`, if a list showed it in this tab.
pub fn known_name(id: &str) -> Option<String> {
    NAMES.with(|names| names.borrow().get(id).cloned())
}

/// A link to a patient's chart.
#[component]
pub fn ChartLink(id: String, name: String) -> impl IntoView {
    let href = crate::routes::Page::DoctorPatientChart.item(&id);
    NAMES.with(|names| names.borrow_mut().insert(id, name.clone()));
    view! { <A href=href>{name}</A> }
}
