//! The review queue: the doctor's patients whose flags trigger "review" rules, so a clinician
//! checks their orders of those medicines first.

use leptos::prelude::*;
use rxgate_api_types::PageQuery;
use rxgate_api_types::health::ReviewItem;

use super::{ChartLink, FlagNames, named_flags};
use crate::api;
use crate::components::health_profile::FlagChips;
use crate::components::paged::{Layout, paged_view, use_paged};

const PAGE_SIZE: u32 = 50;

#[component]
pub fn ReviewQueue() -> impl IntoView {
    let names: FlagNames = LocalResource::new(api::flags);
    let paged = use_paged(
        || (),
        |(), cursor| async move {
            api::review_queue(&PageQuery {
                cursor,
                limit: Some(PAGE_SIZE),
            })
            .await
        },
    );
    view! {
        <section class="page wide">
            <h1>"Review queue"</h1>
            <p class="muted">
                "Patients whose flags mean a clinician checks some of their medicines before they "
                "can have them, e.g. a blood thinner with ibuprofen."
            </p>
            {paged_view(
                paged,
                Layout::List { label: "Patients to review" },
                "No patients need a review.",
                move |item| view! { <ReviewRow item names /> },
            )}
        </section>
    }
}

#[component]
fn ReviewRow(item: ReviewItem, names: FlagNames) -> impl IntoView {
    let rules = match item.rules {
        1 => "Triggers 1 review rule".to_owned(),
        n => format!("Triggers {n} review rules"),
    };
    let codes = item.flags.clone();
    let label = format!("Flags of {}", item.patient_name);
    view! {
        <li class="item">
            <div class="item-main">
                <p class="item-title">
                    <ChartLink id=item.patient_id.to_string() name=item.patient_name.clone() />
                </p>
                <p class="muted">{rules}</p>
                {move || view! { <FlagChips flags=named_flags(&codes, names) label=label.clone() /> }}
            </div>
        </li>
    }
}
