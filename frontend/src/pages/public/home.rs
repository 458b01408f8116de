use leptos::prelude::*;

use crate::api;
use crate::components::error_view::error_fallback;
use crate::components::skeleton::Skeleton;

/// The public landing page: what Rxgate is, and whether the API answers.
#[component]
pub fn Home() -> impl IntoView {
    let health = LocalResource::new(api::health);
    view! {
        <section class="page">
            <div class="hero">
                <h1>"Rxgate"</h1>
                <p class="lead">
                    "Prescription-gated telehealth: consults, e-prescriptions and pharmacy "
                    "orders in one place, each order checked by a pharmacist."
                </p>
            </div>
            <div class="card" aria-labelledby="status-title">
                <h2 id="status-title">"Service status"</h2>
                <Transition fallback=|| view! { <Skeleton lines=2 /> }>
                    <ErrorBoundary fallback=error_fallback>
                        {move || Suspend::new(async move {
                            health.await.map(|h| view! {
                                <dl class="facts" data-testid="api-status">
                                    <dt>"API"</dt>
                                    <dd><span class="badge badge-ok">{h.status.to_string()}</span></dd>
                                    <dt>"Platform"</dt>
                                    <dd>{h.name}</dd>
                                    <dt>"Version"</dt>
                                    <dd>{h.version}</dd>
                                    <dt>"API version"</dt>
                                    <dd>{h.api_version}</dd>
                                </dl>
                            })
                        })}
                    </ErrorBoundary>
                </Transition>
                <p class="muted">
                    <a href="/api/docs/">"API documentation"</a>
                </p>
            </div>
        </section>
    }
}
