//! The frame of every screen: header, navigation (a side bar on wide screens, a bar at the
//! bottom on phones) and the main region. The navigation follows who is signed in; the idle
//! watch signs out people who walked away.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::idle::IdleWatch;
use crate::components::theme::ThemeToggle;
use crate::contexts::auth::{Mfa, Role, use_auth};
use crate::routes::Page;

#[component]
fn NavLink(page: Page) -> impl IntoView {
    view! {
        <li>
            // Exact: a portal's home is not "current" on its other pages, which have their
            // own links.
            <A href=page.path() exact=true>
                <span aria-hidden="true">{page.icon()}</span>
                <span>{page.label()}</span>
            </A>
        </li>
    }
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let platform = LocalResource::new(api::platform);
    let dev_tools = move || {
        platform
            .get()
            .and_then(|p| p.ok())
            .is_some_and(|p| p.dev_tools)
    };
    let sign_out = move |_| {
        navigate(Page::SignIn.path(), NavigateOptions::default());
        auth.sign_out();
    };
    // The pages of each portal the person may use, highest role first, and their account;
    // while the second factor is pending, only the page that completes it.
    let portal_links = move || {
        let me = auth.user()?;
        let links = match auth.mfa().and_then(Mfa::pending_page) {
            Some(page) => view! { <NavLink page /> }.into_any(),
            None => {
                let pages = Role::portals(&me)
                    .into_iter()
                    .flat_map(|role| role.pages().iter().copied())
                    .map(|page| view! { <NavLink page /> })
                    .collect_view();
                view! {
                    {pages}
                    <NavLink page=Page::Account />
                }
                .into_any()
            }
        };
        Some(links)
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
                    {move || {
                        auth.user()
                            .map(|me| {
                                view! {
                                    <span class="topbar-user" data-testid="signed-in-user">
                                        <span class="visually-hidden">"Signed in as "</span>
                                        {me.display_name}
                                    </span>
                                }
                            })
                    }}
                    <ThemeToggle />
                </div>
            </header>
            <nav class="sidenav" aria-label="Main">
                <ul>
                    {move || match auth.signed_in() {
                        Some(true) => view! { {portal_links} }.into_any(),
                        Some(false) => {
                            view! {
                                <NavLink page=Page::Home />
                                <NavLink page=Page::SignIn />
                                <NavLink page=Page::SignUp />
                            }
                                .into_any()
                        }
                        // Still restoring the session: do not flash the signed-out links.
                        None => view! { <NavLink page=Page::Home /> }.into_any(),
                    }}
                    <Show when=dev_tools>
                        <NavLink page=Page::DevMailbox />
                    </Show>
                    <Show when=move || auth.signed_in() == Some(true)>
                        <li>
                            <button class="nav-button" type="button" on:click=sign_out.clone()>
                                <span aria-hidden="true">"⎋"</span>
                                <span>"Sign out"</span>
                            </button>
                        </li>
                    </Show>
                </ul>
            </nav>
            <main id="main" class="content" tabindex="-1">
                {children()}
            </main>
        </div>
        <IdleWatch />
    }
}
