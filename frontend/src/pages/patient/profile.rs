//! "My health profile": the patient's latest answers, the flags they raised (and whether each
//! counts now), and what their doctors changed, with who and why.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::health::HealthProfile;

use crate::api;
use crate::components::error_view::error_fallback;
use crate::components::health_profile::HealthProfileView;
use crate::components::skeleton::Skeleton;
use crate::routes::Page;

#[component]
pub fn HealthProfilePage() -> impl IntoView {
    let profile = LocalResource::new(api::my_health_profile);
    view! {
        <section class="page">
            <h1>"My health profile"</h1>
            <Transition fallback=|| view! { <Skeleton lines=8 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        profile.await.map(|profile| view! { <Profile profile /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn Profile(profile: HealthProfile) -> impl IntoView {
    if profile.submissions == 0 && profile.flags.is_empty() && profile.overrides.is_empty() {
        return view! {
            <div class="card stack">
                <p>
                    "You have not answered the health questionnaire yet. Your answers show which "
                    "medicines are safe for you."
                </p>
                <p>
                    <A href=Page::PatientQuestionnaire.path() attr:class="button">
                        "Answer the questionnaire"
                    </A>
                </p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="page-header">
            <p class="lead">"What you told us, and what it means for your medicines."</p>
            <A href=Page::PatientQuestionnaire.path() attr:class="button secondary">
                "Update my answers"
            </A>
        </div>
        <HealthProfileView profile whose="your" />
    }
    .into_any()
}
