//! Light and dark themes: the choice is stored in the browser (a preference, not a secret);
//! without one, the operating system's preference applies.

use leptos::prelude::*;

const KEY: &str = "rxgate.theme";

fn stored() -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(KEY)
        .ok()
        .flatten()
}

fn system_prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

fn apply(theme: &str) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-theme", theme);
    }
}

pub fn current() -> String {
    stored().unwrap_or_else(|| {
        if system_prefers_dark() {
            "dark"
        } else {
            "light"
        }
        .into()
    })
}

pub fn init_theme() {
    apply(&current());
}

/// Follows the system's setting while it changes (a phone switching to dark at dusk), as long
/// as the person has not chosen a theme with the toggle.
fn follow_system(theme: RwSignal<String>) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(query) = window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
    else {
        return;
    };
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if stored().is_none() {
            let next = current();
            apply(&next);
            theme.set(next);
        }
    });
    query.set_onchange(Some(on_change.as_ref().unchecked_ref()));
    // The toggle lives in the app shell for the page's whole life: so do its listener and the
    // query it listens to (kept referenced so it is never collected).
    on_change.forget();
    std::mem::forget(query);
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(current());
    follow_system(theme);
    let toggle = move |_| {
        let next = if theme.get() == "dark" {
            "light"
        } else {
            "dark"
        };
        apply(next);
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(KEY, next);
        }
        theme.set(next.into());
    };
    view! {
        <button
            class="icon-button"
            type="button"
            on:click=toggle
            aria-label=move || {
                if theme.get() == "dark" { "Switch to light theme" } else { "Switch to dark theme" }
            }
            title="Toggle theme"
        >
            {move || if theme.get() == "dark" { "☀" } else { "☾" }}
        </button>
    }
}
