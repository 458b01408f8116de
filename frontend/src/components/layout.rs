//! The frame of every screen: header, navigation (a side bar on wide screens, a bar at the
//! bottom on phones) and the main region. The navigation follows who is signed in; the idle
//! watch signs out people who walked away.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

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

/// How many pages the bottom bar of a phone shows; the others are in the "More" sheet.
const BAR_ITEMS: usize = 4;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let location = use_location();
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
    let sheet_sign_out = sign_out.clone();
    // Every page in navigation, in order: the pages of each portal the person may use, highest
    // role first, and their account; while the second factor is pending, only the page that
    // completes it; signed out, the public pages. Sign out is not a page: it comes last.
    let nav_pages = Memo::new(move |_| {
        let mut pages = match auth.signed_in() {
            Some(true) => match auth.user() {
                None => Vec::new(),
                Some(me) => match auth.mfa().and_then(Mfa::pending_page) {
                    Some(page) => vec![page],
                    None => Role::portals(&me)
                        .into_iter()
                        .flat_map(|role| role.pages().iter().copied())
                        .chain([Page::Account])
                        .collect(),
                },
            },
            Some(false) => vec![Page::Home, Page::SignIn, Page::SignUp],
            // Still restoring the session: do not flash the signed-out links.
            None => vec![Page::Home],
        };
        if dev_tools() {
            pages.push(Page::DevMailbox);
        }
        pages
    });
    let signed_in = move || auth.signed_in() == Some(true);
    // The phone's bar: the first pages of the portals; the others, Account, the mailbox and
    // Sign out are in the "More" sheet. Signed out, the few public pages fit on the bar.
    let bar_pages = move || {
        let pages = nav_pages.get();
        let signed_in = signed_in();
        pages
            .into_iter()
            .filter(|page| !signed_in || !matches!(page, Page::Account | Page::DevMailbox))
            .take(BAR_ITEMS)
            .collect::<Vec<_>>()
    };
    let more_pages = move || {
        let on_bar = bar_pages();
        nav_pages
            .get()
            .into_iter()
            .filter(|page| !on_bar.contains(page))
            .collect::<Vec<_>>()
    };
    let has_more = move || signed_in() || !more_pages().is_empty();

    // The sheet is a modal <dialog>: the browser moves focus into it, keeps it there, closes it
    // on Escape and gives focus back to the "More" button.
    let sheet = NodeRef::<leptos::html::Dialog>::new();
    let (sheet_open, set_sheet_open) = signal(false);
    let open_sheet = move |_| {
        if sheet
            .get_untracked()
            .is_some_and(|dialog| dialog.show_modal().is_ok())
        {
            set_sheet_open.set(true);
        }
    };
    let close_sheet = move || {
        if let Some(dialog) = sheet.get_untracked() {
            dialog.close();
        }
    };
    // Going to another page closes the sheet.
    Effect::new(move |_| {
        location.pathname.track();
        close_sheet();
    });

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
            // Wide screens: every page in a side bar. Phones: the bottom bar below instead (the
            // style sheet shows one of the two).
            <nav class="sidenav" aria-label="Main">
                <ul>
                    <For each=move || nav_pages.get() key=|page| *page let:page>
                        <NavLink page />
                    </For>
                    <Show when=signed_in>
                        <li>
                            <button class="nav-button" type="button" on:click=sign_out.clone()>
                                <span aria-hidden="true">"⎋"</span>
                                <span>"Sign out"</span>
                            </button>
                        </li>
                    </Show>
                </ul>
            </nav>
            <nav class="bottomnav" aria-label="Main">
                <ul>
                    <For each=bar_pages key=|page| *page let:page>
                        <NavLink page />
                    </For>
                    <Show when=has_more>
                        <li>
                            <button
                                class="nav-button"
                                type="button"
                                aria-haspopup="dialog"
                                aria-controls="more-sheet"
                                aria-expanded=move || sheet_open.get().to_string()
                                on:click=open_sheet
                            >
                                <span aria-hidden="true">"☰"</span>
                                <span>"More"</span>
                            </button>
                        </li>
                    </Show>
                </ul>
            </nav>
            <main id="main" class="content" tabindex="-1">
                {children()}
            </main>
        </div>
        <dialog
            id="more-sheet"
            class="sheet"
            aria-labelledby="more-sheet-title"
            node_ref=sheet
            on:close=move |_| set_sheet_open.set(false)
            // A click on the backdrop (outside the sheet's box) lands on the dialog itself.
            on:click=move |event| {
                let on_backdrop = event
                    .target()
                    .zip(sheet.get_untracked())
                    .is_some_and(|(target, dialog)| {
                        let dialog: &web_sys::EventTarget = dialog.as_ref();
                        target == *dialog
                    });
                if on_backdrop {
                    close_sheet();
                }
            }
        >
            <div class="sheet-body">
                <div class="sheet-header">
                    <h2 id="more-sheet-title">"More"</h2>
                    <button
                        class="icon-button"
                        type="button"
                        aria-label="Close"
                        on:click=move |_| close_sheet()
                    >
                        "✕"
                    </button>
                </div>
                // Any link or button in the list closes the sheet, also the link to the current page.
                <ul class="sheet-links" on:click=move |_| close_sheet()>
                    <For each=more_pages key=|page| *page let:page>
                        <NavLink page />
                    </For>
                    <Show when=signed_in>
                        <li>
                            <button class="nav-button" type="button" on:click=sheet_sign_out.clone()>
                                <span aria-hidden="true">"⎋"</span>
                                <span>"Sign out"</span>
                            </button>
                        </li>
                    </Show>
                </ul>
            </div>
        </dialog>
        <IdleWatch />
    }
}
