//! The frame of a portal's home: an optional onboarding prompt, then a grid of cards of what
//! needs the person's attention. Each card has a title, a count or a short text, and a link to
//! where to act. Portals add their cards to the same frame.

use leptos::prelude::*;
use leptos_router::components::A;

/// The home's frame: `children` are its `DashboardCard`s (an `Onboarding` prompt goes above it).
#[component]
pub fn Dashboard(children: Children) -> impl IntoView {
    view! {
        <section class="dashboard" aria-labelledby="dashboard-title">
            <h2 id="dashboard-title" class="visually-hidden">"What needs your attention"</h2>
            <ul class="dashboard-cards" role="list">
                {children()}
            </ul>
        </section>
    }
}

/// One card of a `Dashboard`. `value` is a count or a short text; `None` while it loads.
#[component]
pub fn DashboardCard(
    title: &'static str,
    #[prop(into)] value: Signal<Option<String>>,
    /// Where to act.
    href: &'static str,
    link: &'static str,
    /// A sentence under the value.
    #[prop(optional)]
    note: Option<&'static str>,
) -> impl IntoView {
    view! {
        <li class="card dashboard-card">
            <h3>{title}</h3>
            <p class="dashboard-value" aria-live="polite">
                {move || value.get().unwrap_or_else(|| "…".to_owned())}
            </p>
            {note.map(|n| view! { <p class="muted">{n}</p> })}
            <p>
                <A href=href>{link}</A>
            </p>
        </li>
    }
}

/// A prompt for the first step a new person should take, above the cards.
#[component]
pub fn Onboarding(
    title: &'static str,
    text: &'static str,
    href: &'static str,
    link: &'static str,
) -> impl IntoView {
    view! {
        <div class="card onboarding" role="region" aria-label=title>
            <h2>{title}</h2>
            <p>{text}</p>
            <p>
                <A href=href attr:class="button">{link}</A>
            </p>
        </div>
    }
}
