//! The review queue: the doctor's patients whose flags trigger "review" rules, so a clinician
//! checks their orders of those medicines first.

use leptos::prelude::*;
use rxgate_api_types::health::ReviewItem;
use rxgate_api_types::{CursorPage, PageQuery};

use super::{ChartLink, FlagNames, named_flags};
use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{FormAlert, general_error, last_error};
use crate::components::health_profile::FlagChips;
use crate::components::load_more::LoadMore;
use crate::components::skeleton::Skeleton;

const PAGE_SIZE: u32 = 50;

#[component]
pub fn ReviewQueue() -> impl IntoView {
    let names: FlagNames = LocalResource::new(api::flags);
    let query = |cursor: Option<String>| PageQuery {
        cursor,
        limit: Some(PAGE_SIZE),
    };
    let first_page =
        LocalResource::new(move || async move { api::review_queue(&query(None)).await });
    let more = RwSignal::new(Vec::<ReviewItem>::new());
    let more_cursor = RwSignal::new(None::<Option<String>>);
    let load_more = Action::new_local(move |cursor: &String| {
        let q = query(Some(cursor.clone()));
        async move {
            let page = api::review_queue(&q).await?;
            more.update(|items| items.extend(page.items));
            more_cursor.set(Some(page.next_cursor));
            Ok::<_, ApiError>(())
        }
    });
    let load_more_error = last_error(load_more);
    view! {
        <section class="page wide">
            <h1>"Review queue"</h1>
            <p class="muted">
                "Patients whose flags mean a clinician checks some of their medicines before they "
                "can have them, e.g. a blood thinner with ibuprofen."
            </p>
            <Transition fallback=|| view! { <Skeleton lines=6 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        first_page
                            .await
                            .map(|page| view! { <ReviewList first=page more more_cursor load_more names /> })
                    })}
                </ErrorBoundary>
            </Transition>
            <FormAlert message=general_error(load_more_error, &[]) />
        </section>
    }
}

#[component]
fn ReviewList(
    first: CursorPage<ReviewItem>,
    more: RwSignal<Vec<ReviewItem>>,
    more_cursor: RwSignal<Option<Option<String>>>,
    load_more: Action<String, Result<(), ApiError>>,
    names: FlagNames,
) -> impl IntoView {
    if first.items.is_empty() {
        return view! { <p class="empty">"No patients need a review."</p> }.into_any();
    }
    let first_cursor = first.next_cursor.clone();
    let next_cursor = move || more_cursor.get().unwrap_or_else(|| first_cursor.clone());
    view! {
        <ul class="item-list card" aria-label="Patients to review">
            {first.items.into_iter().map(|item| view! { <ReviewRow item names /> }).collect_view()}
            {move || {
                more.get()
                    .into_iter()
                    .map(|item| view! { <ReviewRow item names /> })
                    .collect_view()
            }}
        </ul>
        {move || {
            next_cursor()
                .map(|cursor| {
                    view! {
                        <div class="form-actions">
                            <LoadMore cursor action=load_more />
                        </div>
                    }
                })
        }}
    }
    .into_any()
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
