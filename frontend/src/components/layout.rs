//! The frame of every screen: header, navigation (a side bar on wide screens, a bar at the
//! bottom on phones) and the main region.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::theme::ThemeToggle;
use crate::routes::Page;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let platform = LocalResource::new(api::platform);
    let dev_tools = move || {
        platform
            .get()
            .and_then(|p| p.ok())
            .is_some_and(|p| p.dev_tools)
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <div class="shell">
            <header class="topbar">
                <A href=Page::Home.path() attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"℞"</span>
                    <span>"Rxgate"</span>
                </A>
                <div class="topbar-actions">
                    <ThemeToggle />
                </div>
            </header>
            <nav class="sidenav" aria-label="Main">
                <ul>
                    <li>
                        <A href=Page::Home.path()>
                            <span aria-hidden="true">"⌂"</span>
                            <span>{Page::Home.label()}</span>
                        </A>
                    </li>
                    <Show when=dev_tools>
                        <li>
                            <A href=Page::DevMailbox.path()>
                                <span aria-hidden="true">"✉"</span>
                                <span>{Page::DevMailbox.label()}</span>
                            </A>
                        </li>
                    </Show>
                </ul>
            </nav>
            <main id="main" class="content" tabindex="-1">
                {children()}
            </main>
        </div>
    }
}
